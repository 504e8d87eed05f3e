"""Accounts and submissions for the coordinator workspace tests."""

import pytest
from django.urls import reverse

from tests.factories import CatalogEditorFactory, CoordinatorFactory, SubmissionFactory


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory(username="nav", first_name="Nora", last_name="Navigator")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def staff_client(client, db):
    """Staff who edit the catalog in the admin, but are not coordinators."""
    client.force_login(CatalogEditorFactory(username="editor"))
    return client


@pytest.fixture
def submission(db):
    return SubmissionFactory()


def login_redirect(path: str) -> str:
    return f"{reverse('login')}?next={path}"
