import datetime

import pytest
import time_machine

from intake.models import AuditEvent, ReviewEvent, Submission
from intake.review.services import TRANSITIONS
from tests.factories import SubmissionFactory
from tests.review.conftest import login_redirect

Status = Submission.ReviewStatus


def url(submission) -> str:
    return f"/review/{submission.reference}/status/"


def form(submission, to_status, reason="") -> dict:
    return {"revision": submission.revision, "to_status": to_status, "reason": reason}


def test_it_sends_anonymous_users_to_the_login_page(client, submission):
    response = client.post(url(submission), form(submission, "in_review"))
    assert response.url == login_redirect(f"/review/{submission.reference}/")
    submission.refresh_from_db()
    assert submission.review_status == "new"


def test_it_refuses_staff_who_are_not_coordinators(staff_client, submission):
    assert (
        staff_client.post(url(submission), form(submission, "in_review")).status_code
        == 403
    )
    submission.refresh_from_db()
    assert submission.review_status == "new"


def test_it_moves_a_request_along(coordinator_client, coordinator, submission):
    response = coordinator_client.post(url(submission), form(submission, "in_review"))
    assert response.status_code == 302
    assert response.url == f"/review/{submission.reference}/"
    submission.refresh_from_db()
    assert submission.review_status == "in_review"
    event = ReviewEvent.objects.get()
    assert (event.kind, event.from_status, event.to_status, event.author) == (
        "status",
        "new",
        "in_review",
        coordinator,
    )


def test_it_refuses_get(coordinator_client, submission):
    assert coordinator_client.get(url(submission)).status_code == 405


def test_it_is_a_404_for_an_unknown_deleted_or_tokened_submission(
    coordinator_client, submission
):
    data = form(submission, "in_review")
    path = url(submission)
    assert (
        coordinator_client.post("/review/CT-ZZZZZZZZ/status/", data).status_code == 404
    )
    assert (
        coordinator_client.post(f"/review/{submission.token}/status/", data).status_code
        == 404
    )
    submission.delete()
    assert coordinator_client.post(path, data).status_code == 404


def test_it_works_a_request_from_new_to_closed(coordinator_client):
    submission = SubmissionFactory()
    for to_status in ("in_review", "contacted"):
        coordinator_client.post(url(submission), form(submission, to_status))
        submission.refresh_from_db()
        assert submission.review_status == to_status
    coordinator_client.post(
        f"/review/{submission.reference}/referral/",
        {
            "revision": submission.revision,
            "center_name": "Riverside Cancer Centre",
            "referred_on": "2026-12-01",
            "confirmed": "True",
        },
    )
    submission.refresh_from_db()
    assert submission.review_status == "referred"
    coordinator_client.post(
        url(submission), form(submission, "closed", "Referred to a centre")
    )
    submission.refresh_from_db()
    assert submission.review_status == "closed"
    assert submission.close_reason == "Referred to a centre"
    assert submission.revision == 5
    assert AuditEvent.objects.filter(action="change").count() == 4


NOT_ALLOWED = [
    (start, to)
    for start in Status.values
    for to in Status.values
    if to not in TRANSITIONS[start]
]


@pytest.mark.parametrize(("start", "to"), NOT_ALLOWED)
def test_it_refuses_moves_outside_the_workflow(coordinator_client, start, to):
    submission = SubmissionFactory(review_status=start)
    response = coordinator_client.post(
        url(submission), form(submission, to, "A reason")
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.review_status == start
    assert submission.revision == 1
    assert AuditEvent.objects.count() == 0
    assert ReviewEvent.objects.count() == 0


def test_a_referral_is_not_a_plain_status_move_since_it_names_a_centre(
    coordinator_client,
):
    submission = SubmissionFactory(review_status="contacted")
    response = coordinator_client.post(url(submission), form(submission, "referred"))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.review_status == "contacted"


def test_the_workflow_never_skips_the_contact_before_a_referral():
    assert "referred" not in TRANSITIONS["new"]
    assert "referred" not in TRANSITIONS["in_review"]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_closing_needs_a_short_reason(coordinator_client, submission, reason):
    coordinator_client.post(url(submission), form(submission, "closed", reason))
    submission.refresh_from_db()
    assert submission.review_status == "new"
    assert AuditEvent.objects.count() == 0


def test_the_first_contact_time_is_kept_from_the_first_move_to_contacted(
    coordinator_client,
):
    submission = SubmissionFactory(review_status="in_review")
    with time_machine.travel("2026-11-02 09:00Z", tick=False):
        coordinator_client.post(url(submission), form(submission, "contacted"))
    submission.refresh_from_db()
    first = submission.first_contacted_at
    assert first == datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)
    coordinator_client.post(url(submission), form(submission, "closed", "No answer"))
    submission.refresh_from_db()
    coordinator_client.post(url(submission), form(submission, "in_review"))
    submission.refresh_from_db()
    assert submission.close_reason == ""
    coordinator_client.post(url(submission), form(submission, "contacted"))
    submission.refresh_from_db()
    assert submission.review_status == "contacted"
    assert submission.first_contacted_at == first


def test_a_change_writes_exactly_one_audit_record_without_the_reason(
    coordinator_client, submission
):
    coordinator_client.post(
        url(submission), form(submission, "closed", "Patient in hospital")
    )
    event = AuditEvent.objects.get()
    assert event.action == "change"
    assert event.detail == "review_status new->closed"
    assert "hospital" not in event.detail


def test_a_stale_form_is_refused_with_a_conflict_and_changes_nothing(
    coordinator_client, submission
):
    stale = form(submission, "closed", "Duplicate")
    coordinator_client.post(url(submission), form(submission, "contacted"))
    response = coordinator_client.post(url(submission), stale)
    assert response.status_code == 409
    assert "Someone else changed this request first" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    submission.refresh_from_db()
    assert submission.review_status == "contacted"
    assert submission.close_reason == ""
    assert ReviewEvent.objects.count() == 1
    assert AuditEvent.objects.filter(action="change").count() == 1
