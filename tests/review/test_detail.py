import logging

import pytest

from intake.models import AuditEvent, Submission
from tests.factories import (
    URGENT_ANSWERS,
    CoordinatorFactory,
    ReviewEventFactory,
    SubmissionFactory,
)
from tests.review.conftest import login_redirect


def url(submission) -> str:
    return f"/review/{submission.reference}/"


def test_it_sends_anonymous_users_to_the_login_page(client, submission):
    response = client.get(url(submission))
    assert response.url == login_redirect(url(submission))
    assert AuditEvent.objects.count() == 0


def test_it_refuses_staff_who_are_not_coordinators(staff_client, submission):
    response = staff_client.get(url(submission))
    assert response.status_code == 403
    assert submission.contact_name not in response.content.decode()
    assert AuditEvent.objects.count() == 0


def test_it_shows_a_submission_to_coordinators(coordinator_client, submission):
    response = coordinator_client.get(url(submission))
    assert response.status_code == 200
    assert (
        response["Cache-Control"]
        == "max-age=0, no-cache, no-store, must-revalidate, private"
    )


def test_it_refuses_post(coordinator_client, submission):
    assert coordinator_client.post(url(submission)).status_code == 405


def test_it_is_a_404_for_an_unknown_reference(coordinator_client):
    assert coordinator_client.get("/review/CT-ZZZZZZZZ/").status_code == 404


def test_it_is_a_404_for_a_deleted_submission(coordinator_client, submission):
    path = url(submission)
    submission.delete()
    assert coordinator_client.get(path).status_code == 404


def test_it_is_a_404_for_a_patients_resume_token(coordinator_client, submission):
    assert coordinator_client.get(f"/review/{submission.token}/").status_code == 404
    assert (
        coordinator_client.get(f"/review/{submission.token[:12]}/").status_code == 404
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"stage": Submission.Stage.DRAFT},
        {"contact_requested": False, "contact_requested_at": None},
    ],
)
def test_it_is_a_404_for_submissions_outside_the_queue(coordinator_client, overrides):
    hidden = SubmissionFactory(**overrides)
    assert coordinator_client.get(url(hidden)).status_code == 404


def test_it_shows_answers_in_plain_words_contact_details_and_consent(
    coordinator_client, submission
):
    html = coordinator_client.get(url(submission)).content.decode()
    for text in (
        "Large B-cell lymphoma",
        "Lines of treatment so far",
        submission.contact_name,
        submission.contact_email,
        submission.contact_phone,
        "Weekday mornings",
        "2026-11-v1",
        "English",
    ):
        assert text in html


def test_it_shows_the_suggestions_the_patient_saw(coordinator_client, catalog):
    from intake.answers import answers_from_stored
    from intake.suggestions import suggest

    submission = SubmissionFactory()
    expected = suggest(answers_from_stored(submission.answers), catalog)
    html = coordinator_client.get(url(submission)).content.decode()
    assert expected.therapies
    for match in expected.therapies:
        assert match.therapy.brand_name in html
    for topic in expected.topics:
        assert str(topic.topic.title) in html.replace("&#x27;", "'")


def test_it_flags_an_urgent_request(coordinator_client):
    submission = SubmissionFactory(answer_overrides=URGENT_ANSWERS)
    assert "Urgent:" in coordinator_client.get(url(submission)).content.decode()


def test_it_shows_the_timeline(coordinator_client, submission):
    ReviewEventFactory(submission=submission, text="Left a voicemail at 10.")
    ReviewEventFactory(
        submission=submission,
        kind="status",
        from_status="new",
        to_status="in_review",
        text="",
    )
    html = coordinator_client.get(url(submission)).content.decode()
    assert "Left a voicemail at 10." in html
    assert "status New → In review" in html


def test_each_look_writes_exactly_one_audit_record(
    coordinator_client, coordinator, submission
):
    coordinator_client.get(url(submission), REMOTE_ADDR="203.0.113.9")
    coordinator_client.get(url(submission), REMOTE_ADDR="203.0.113.9")
    events = list(AuditEvent.objects.all())
    assert len(events) == 2
    event = events[0]
    assert event.user == coordinator
    assert event.action == AuditEvent.Action.VIEW
    assert event.submission_id == submission.pk
    assert event.reference == submission.reference
    assert event.ip_address == "203.0.113.9"
    assert event.at.utcoffset().total_seconds() == 0


def test_audit_records_and_logs_hold_no_health_data_or_contact_details(
    coordinator_client, submission, caplog
):
    caplog.set_level(logging.DEBUG)
    coordinator_client.get(url(submission))
    (event,) = AuditEvent.objects.all()
    stored = " ".join(
        str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields
    )
    logged = caplog.text
    for secret in (
        submission.contact_name,
        submission.contact_email,
        submission.contact_phone,
        "lbcl",
        "refractory",
        "chemoimmunotherapy",
        "Large B-cell",
    ):
        assert secret not in stored
        assert secret not in logged


@pytest.mark.parametrize("count", [1, 200])
def test_its_query_count_does_not_grow_with_the_timeline_or_the_queue(
    coordinator_client, django_assert_num_queries, count
):
    submission = SubmissionFactory(assignee=CoordinatorFactory())
    SubmissionFactory.create_batch(count - 1)
    author = CoordinatorFactory()
    for _ in range(min(count, 20)):
        ReviewEventFactory(submission=submission, author=author)
    coordinator_client.get(url(submission))  # warm the catalog and the session clocks
    # session, user with their review permission, second-factor device,
    # submission, audit insert, catalog version, timeline, coordinators to
    # assign to
    with django_assert_num_queries(8):
        response = coordinator_client.get(url(submission))
    assert response.status_code == 200
