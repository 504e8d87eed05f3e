"""Accounts and submissions for the coordinator workspace tests."""

import pytest
from django.urls import reverse

from tests.factories import (
    CatalogEditorFactory,
    CoordinatorFactory,
    SubmissionFactory,
    sign_in_verified,
)


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory(username="nav", first_name="Nora", last_name="Navigator")


@pytest.fixture
def coordinator_client(client, coordinator):
    sign_in_verified(client, coordinator)
    return client


@pytest.fixture
def staff_client(client, db):
    """Staff who edit the catalog in the admin, but are not coordinators."""
    sign_in_verified(client, CatalogEditorFactory(username="editor"))
    return client


@pytest.fixture
def submission(db):
    return SubmissionFactory()


def login_redirect(path: str) -> str:
    return f"{reverse('login')}?next={path}"
