"""Sign-in: Django's ModelBackend, whose signed-in user also says whether they
may review submissions, read in the same query as the user.

Every coordinator page asks (`review_services.can_review`); as a second query
it cost a tenth of a queue page. Anything the answer depends on (a group, a
permission, a superuser flag) is read fresh on every request, as before.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .review_services import with_review_permission


class CoordinatorAwareBackend(ModelBackend):
    def get_user(self, user_id):
        users = with_review_permission(get_user_model()._default_manager)
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
