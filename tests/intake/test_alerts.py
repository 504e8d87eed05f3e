"""Urgent requests alert every coordinator by email, with identifiers only."""

from unittest import mock

import pytest
from django.core import mail

from intake import alerts, permissions
from tests.factories import (
    URGENT_ANSWERS,
    CatalogEditorFactory,
    CoordinatorFactory,
    SubmissionFactory,
    UserFactory,
)


@pytest.fixture
def urgent(db):
    return SubmissionFactory(
        answer_overrides=URGENT_ANSWERS,
        contact_name="Pat Example",
        contact_phone="+1 202 555 0142",
    )


def test_coordinators_are_active_users_with_the_permission(db, django_user_model):
    member = CoordinatorFactory()
    CoordinatorFactory(is_active=False)
    CatalogEditorFactory()
    django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    assert list(permissions.coordinator_users()) == [member]


def test_a_permission_granted_directly_also_makes_a_coordinator(db):
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="review_submission"))
    assert list(permissions.coordinator_users()) == [user]


def test_the_urgent_alert_goes_to_every_coordinator_with_an_address(urgent):
    CoordinatorFactory(email="a@example.org")
    CoordinatorFactory(email="b@example.org")
    CoordinatorFactory(email="")
    CatalogEditorFactory(email="editor@example.org")
    assert alerts.submission_notify_urgent(submission=urgent) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_the_urgent_alert_holds_the_reference_and_a_link_only(urgent, settings):
    settings.SITE_URL = "https://navigator.example.org"
    CoordinatorFactory(email="a@example.org")
    alerts.submission_notify_urgent(submission=urgent)
    (message,) = mail.outbox
    assert urgent.reference in message.subject
    assert f"https://navigator.example.org/review/{urgent.reference}/" in message.body
    text = message.subject + message.body
    for secret in (
        "Pat Example",
        "+1 202 555 0142",
        urgent.contact_email,
        "fever",
        "lymphoma",
        "infusion",
        urgent.token,
    ):
        assert secret not in text


def test_the_urgent_alert_is_written_in_the_sites_language(urgent):
    from django.utils import translation

    CoordinatorFactory(email="a@example.org")
    with translation.override("es"):
        alerts.submission_notify_urgent(submission=urgent)
    assert mail.outbox[0].subject.startswith("Urgent")


def test_the_urgent_alert_falls_back_to_the_alert_address(urgent, settings):
    settings.COORDINATOR_ALERT_EMAIL = "alerts@example.org"
    assert alerts.submission_notify_urgent(submission=urgent) == 1
    assert mail.outbox[0].to == ["alerts@example.org"]


def test_without_any_address_it_logs_the_reference_only(urgent, settings, caplog):
    settings.COORDINATOR_ALERT_EMAIL = ""
    assert alerts.submission_notify_urgent(submission=urgent) == 0
    assert urgent.reference in caplog.text
    assert "Pat Example" not in caplog.text


def test_a_mail_failure_is_logged_not_raised(urgent, caplog):
    CoordinatorFactory(email="a@example.org")
    with mock.patch("intake.alerts.send_mass_mail", side_effect=OSError("down")):
        assert alerts.submission_notify_urgent(submission=urgent) == 0
    assert "could not be sent" in caplog.text
    assert "Pat Example" not in caplog.text


def test_asking_to_be_contacted_when_urgent_alerts_the_coordinators(
    make_submission, django_capture_on_commit_callbacks
):
    from intake import services

    CoordinatorFactory(email="a@example.org")
    submission = make_submission(URGENT_ANSWERS, submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_request_contact(
            submission=submission,
            name="Pat Example",
            email="pat@example.org",
            phone="",
            preferred_language="en",
            preferred_time="",
        )
    assert len(mail.outbox) == 1


def test_a_failed_coordinator_lookup_does_not_lose_the_urgent_alert(
    make_submission, django_capture_on_commit_callbacks
):
    from unittest import mock

    from django.core import mail
    from django.db import OperationalError

    from intake import services
    from tests.factories import CoordinatorFactory

    CoordinatorFactory(email="nurse@example.org")
    submission = make_submission(
        {"recent_infusion": "yes", "symptoms": ["fever"]}, submitted=True
    )
    contact = dict(
        name="Pat",
        email="p@example.org",
        phone="",
        preferred_language="en",
        preferred_time="",
    )
    with (
        mock.patch.object(
            alerts, "coordinator_users", side_effect=OperationalError("down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.submission_request_contact(submission=submission, **contact)
    submission.refresh_from_db()
    assert submission.contact_requested
    assert submission.urgent_alerted_at is None
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_request_contact(submission=submission, **contact)
    submission.refresh_from_db()
    assert submission.urgent_alerted_at is not None
    assert [m.to for m in mail.outbox] == [["nurse@example.org"]]
