"""Who is a coordinator: the review permission, held through a group or directly.

Both sides ask: sign-in reads it with the user (intake.backends), urgent alerts
go to coordinators (intake.alerts), and the coordinator workspace lets only
them in (intake.review).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)

REVIEW_PERMISSION = "intake.review_submission"


def holds_review_permission() -> Q:
    """Users holding the review permission, through a group or directly."""
    app_label, codename = REVIEW_PERMISSION.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    )
    return Exists(permission.filter(group__user=OuterRef("pk"))) | Exists(
        permission.filter(user=OuterRef("pk"))
    )


def with_review_permission(users: QuerySet) -> QuerySet:
    """Users, each with `may_review` read in the same query (see can_review)."""
    return users.annotate(
        may_review=ExpressionWrapper(holds_review_permission(), BooleanField())
    )


def can_review(user) -> bool:
    """Coordinators (the permission, through a group or directly) and superusers.

    The signed-in user comes with the answer (intake.backends reads it in the
    same query as the user); any other user costs one small EXISTS query,
    remembered on the user. `user.has_perm` would load every permission of the
    user and of their groups, in two queries, on every coordinator page.
    """
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "may_review"):
        user.may_review = (
            type(user)._default_manager.filter(holds_review_permission(), pk=user.pk)
        ).exists()
    return bool(user.may_review)


def coordinator_users(*, including: AbstractBaseUser | None = None) -> QuerySet:
    """Active users holding the review permission through a group or directly.

    `including` adds one more user (a superuser assigning to themselves).
    """
    has_it = holds_review_permission()
    if including is not None:
        has_it |= Q(pk=including.pk)
    return (
        get_user_model()
        .objects.filter(has_it, is_active=True)
        .order_by("first_name", "last_name", "username")
    )
