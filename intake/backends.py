"""Sign-in: Django's ModelBackend, whose signed-in user also says whether they
may review submissions, read in the same query as the user.

Every coordinator page asks (`review_services.can_review`); as a second query
it cost a tenth of a queue page. Anything the answer depends on (a group, a
permission, a superuser flag) is read fresh on every request, as before.

Every request of a signed-in user runs this query, so the ORM builds and
compiles it once per process and database (that took 0.9 ms a request, the
query itself 0.1 ms; see navigator/statements.py).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import router

from navigator.statements import Statement

from .review_services import with_review_permission

_USER = Statement(
    lambda alias, pk: with_review_permission(
        get_user_model()._default_manager.using(alias)
    ).filter(pk=pk),
    pk=-7_340_291,  # a user id no database holds
)


class CoordinatorAwareBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = _USER.first(router.db_for_read(User), pk=pk)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None
