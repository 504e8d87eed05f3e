"""The sign-in backend reads the review permission along with the user."""

import pytest
from django.contrib.auth.models import Group, Permission

from tests.factories import (
    CatalogEditorFactory,
    CoordinatorFactory,
    UserFactory,
    sign_in_verified,
)

URL = "/review/"


@pytest.fixture
def review_permission(db):
    return Permission.objects.get(
        codename="review_submission", content_type__app_label="intake"
    )


def test_a_coordinator_losing_the_group_is_refused_on_the_next_request(client, db):
    coordinator = CoordinatorFactory()
    sign_in_verified(client, coordinator)
    assert client.get(URL).status_code == 200
    coordinator.groups.clear()
    assert client.get(URL).status_code == 403


def test_a_group_losing_the_permission_locks_its_members_out_at_once(client, db):
    coordinator = CoordinatorFactory()
    sign_in_verified(client, coordinator)
    assert client.get(URL).status_code == 200
    Group.objects.get(name="Coordinators").permissions.clear()
    assert client.get(URL).status_code == 403


def test_the_permission_given_directly_lets_a_user_in(client, review_permission):
    user = UserFactory()
    sign_in_verified(client, user)
    assert client.get(URL).status_code == 403
    user.user_permissions.add(review_permission)
    assert client.get(URL).status_code == 200


def test_catalog_staff_and_inactive_users_are_not_let_in(client, db):
    sign_in_verified(client, CatalogEditorFactory())
    assert client.get(URL).status_code == 403
    coordinator = CoordinatorFactory()
    sign_in_verified(client, coordinator)
    coordinator.is_active = False
    coordinator.save()
    # An inactive user is signed out, so the queue asks them to sign in.
    assert client.get(URL).status_code == 302


def test_a_superuser_without_the_group_is_let_in(client, db):
    sign_in_verified(client, UserFactory(is_superuser=True))
    assert client.get(URL).status_code == 200


def test_a_session_naming_no_user_or_a_malformed_one_is_anonymous(db):
    from intake.backends import CoordinatorAwareBackend

    backend = CoordinatorAwareBackend()
    assert backend.get_user(10**9) is None
    assert backend.get_user("not-a-number") is None
    coordinator = CoordinatorFactory()
    user = backend.get_user(str(coordinator.pk))  # as the session stores it
    assert user == coordinator and user.may_review
