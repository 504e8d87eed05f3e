"""Sign-in: Django's ModelBackend, whose signed-in user also says whether they
may review submissions, read in the same query as the user.

Every coordinator page asks (`intake.permissions.can_review`); as a second
query it cost a tenth of a queue page. Anything the answer depends on (a
group, a permission, a superuser flag) is read fresh on every request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from .permissions import with_review_permission


class CoordinatorAwareBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = with_review_permission(User._default_manager).get(pk=user_id)
        except (User.DoesNotExist, ValidationError, ValueError):  # as stored, or junk
            return None
        return user if self.user_can_authenticate(user) else None
