"""Django's database sessions, read with a statement compiled once per process.

Every request of a signed-in user reads their session; the ORM took longer to
build that query than the database to answer it (see navigator/statements.py).
Everything else is Django's `db` backend: writes, expiry, cycling the key.
"""

import datetime

from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from .statements import Statement, as_datetime


def _unexpired(alias, key, now):
    sessions = db.SessionStore.get_model_class()._default_manager.using(alias)
    return sessions.filter(session_key=key, expire_date__gt=now)


_SESSION = Statement(
    _unexpired,
    prepare={"now": as_datetime},
    key="stand-in-for-a-session-key",
    now=datetime.datetime(1970, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC),
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        key = self.session_key  # None when the cookie's key is malformed
        session = None
        if key is not None:
            session = _SESSION.first(
                router.db_for_read(self.model), key=key, now=timezone.now()
            )
        if session is None:
            self._session_key = None
        return session
