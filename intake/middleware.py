"""Session limits for signed-in users: 30 minutes idle, 12 hours in all.

Why: a coordinator's browser shows patients' health data. A screen left open
on a ward computer should not stay signed in for the cookie's lifetime, and a
stolen session cookie should stop working within a working day, whatever its
use. Django's own settings give only one of the two (SESSION_COOKIE_AGE with
SESSION_SAVE_EVERY_REQUEST is an idle limit that writes the session on every
request), so this stores the sign-in time and the last activity in the
session and checks both.

Pages can say how long is left (`idle_seconds_left`), and a "Stay signed
in" button counts as activity (`mark_active`): the coordinators' pages warn
before the idle sign-out (intake/review/session.py).

It applies to every signed-in account: coordinators and superusers can read
health data, staff edit the content patients rely on, and patients never sign
in. One rule for all also costs no permission lookup per request. The last
activity is written at most once a minute, not on every request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

SIGNED_IN_AT = "limits_signed_in_at"
LAST_SEEN_AT = "limits_last_seen_at"
TOUCH_EVERY = 60


class SessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        response = self.get_response(request)
        # The request that signed in: start both clocks in the new session.
        if request.user.is_authenticated and SIGNED_IN_AT not in request.session:
            now = int(time.time())
            request.session[SIGNED_IN_AT] = now
            request.session[LAST_SEEN_AT] = now
        return response

    def _check(self, request) -> None:
        session = request.session
        now = int(time.time())
        signed_in = session.get(SIGNED_IN_AT)
        if signed_in is None:
            # A session from before this middleware: its clocks start now.
            session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now
            return
        last_seen = session.get(LAST_SEEN_AT, signed_in)
        if now - signed_in > settings.SESSION_ABSOLUTE_LIMIT:
            logout(request)
            messages.info(
                request,
                _("You were signed out after %(hours)d hours. Please sign in again.")
                % {"hours": settings.SESSION_ABSOLUTE_LIMIT // 3600},
            )
        elif now - last_seen > settings.SESSION_IDLE_LIMIT:
            logout(request)
            messages.info(
                request,
                _(
                    "You were signed out after %(minutes)d minutes without activity, "
                    "to keep patients' details private. Please sign in again."
                )
                % {"minutes": settings.SESSION_IDLE_LIMIT // 60},
            )
        elif now - last_seen >= TOUCH_EVERY:
            session[LAST_SEEN_AT] = now


def mark_active(request) -> None:
    """Count now as the signed-in user's last activity."""
    request.session[LAST_SEEN_AT] = int(time.time())


def idle_seconds_left(request) -> int | None:
    """Seconds until the idle sign-out, or None when nobody is signed in.

    Read after this middleware ran: the last activity it keeps may be up to
    TOUCH_EVERY seconds old, so this is what the server will do, not a
    guess from the page's own load time.
    """
    if not request.user.is_authenticated:
        return None
    last_seen = request.session.get(LAST_SEEN_AT)
    if last_seen is None:
        return settings.SESSION_IDLE_LIMIT
    return max(0, settings.SESSION_IDLE_LIMIT - (int(time.time()) - last_seen))
