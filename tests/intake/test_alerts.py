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
    assert alerts.urgent_alerts_send() == [urgent.reference]
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_the_urgent_alert_holds_the_reference_and_a_link_only(urgent, settings):
    settings.SITE_URL = "https://navigator.example.org"
    CoordinatorFactory(email="a@example.org")
    alerts.urgent_alerts_send()
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
        alerts.urgent_alerts_send()
    assert mail.outbox[0].subject.startswith("Urgent")


def test_the_urgent_alert_falls_back_to_the_alert_address(urgent, settings):
    settings.COORDINATOR_ALERT_EMAIL = "alerts@example.org"
    alerts.urgent_alerts_send()
    assert mail.outbox[0].to == ["alerts@example.org"]


def test_without_any_address_the_alert_fails_and_stays_pending(urgent, settings):
    settings.COORDINATOR_ALERT_EMAIL = ""
    with pytest.raises(alerts.NoAlertRecipient):
        alerts.urgent_alerts_send()
    urgent.refresh_from_db()
    assert urgent.urgent_alerted_at is None


def test_a_mail_failure_marks_nothing_alerted(urgent):
    CoordinatorFactory(email="a@example.org")
    with (
        mock.patch("intake.alerts.send_mass_mail", side_effect=OSError("down")),
        pytest.raises(OSError),
    ):
        alerts.urgent_alerts_send()
    urgent.refresh_from_db()
    assert urgent.urgent_alerted_at is None


def test_a_burst_of_urgent_requests_is_one_email_that_says_how_many(db):
    CoordinatorFactory(email="a@example.org")
    burst = [SubmissionFactory(answer_overrides=URGENT_ANSWERS) for _ in range(3)]
    SubmissionFactory()  # not urgent: not in the alert
    assert sorted(alerts.urgent_alerts_send()) == sorted(s.reference for s in burst)
    (message,) = mail.outbox
    assert message.subject == "Urgent: 3 requests are waiting"
    for submission in burst:
        assert submission.reference in message.body


def test_each_urgent_request_is_alerted_once(urgent):
    CoordinatorFactory(email="a@example.org")
    alerts.urgent_alerts_send()
    assert alerts.urgent_alerts_send() == []
    assert len(mail.outbox) == 1


def test_a_request_marked_as_spam_alerts_nobody(db):
    CoordinatorFactory(email="a@example.org")
    SubmissionFactory(answer_overrides=URGENT_ANSWERS, review_status="spam")
    assert alerts.urgent_alerts_send() == []
    assert not mail.outbox


def test_asking_to_be_contacted_when_urgent_alerts_the_coordinators(make_submission):
    from intake import services

    CoordinatorFactory(email="a@example.org")
    submission = make_submission(URGENT_ANSWERS, submitted=True)
    services.submission_request_contact(
        submission=submission,
        name="Pat Example",
        email="pat@example.org",
        phone="",
        preferred_language="en",
        preferred_time="",
    )
    assert len(mail.outbox) == 1
    submission.refresh_from_db()
    assert submission.urgent_alerted_at is not None
