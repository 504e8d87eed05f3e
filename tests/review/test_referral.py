"""Referring a patient to a named treatment centre, and stepping a status back."""

import datetime

import pytest

from intake.models import AuditEvent, Referral, ReviewEvent
from tests.factories import SubmissionFactory, TreatmentCenterFactory
from tests.review.conftest import login_redirect


def url(submission) -> str:
    return f"/review/{submission.reference}/referral/"


def back_url(submission) -> str:
    return f"/review/{submission.reference}/step-back/"


@pytest.fixture
def contacted(db):
    return SubmissionFactory(review_status="contacted")


def form(submission, **values) -> dict:
    return {
        "revision": submission.revision,
        "center_name": "",
        "referred_on": "2026-12-03",
        **values,
    }


def test_it_sends_anonymous_users_to_the_login_page(client, contacted):
    response = client.post(url(contacted), form(contacted, center_name="X"))
    assert response.url == login_redirect(f"/review/{contacted.reference}/")


def test_it_refuses_staff_who_are_not_coordinators(staff_client, contacted):
    response = staff_client.post(url(contacted), form(contacted, center_name="X"))
    assert response.status_code == 403
    assert Referral.objects.count() == 0


def test_it_is_a_404_for_a_request_outside_the_queue(coordinator_client):
    draft = SubmissionFactory(stage="draft", review_status="contacted")
    response = coordinator_client.post(url(draft), form(draft, center_name="X"))
    assert response.status_code == 404


def test_it_refuses_get(coordinator_client, contacted):
    assert coordinator_client.get(url(contacted)).status_code == 405


def test_it_asks_to_confirm_before_referring(coordinator_client, contacted):
    centre = TreatmentCenterFactory(name="Riverside Cancer Centre")
    response = coordinator_client.post(
        url(contacted), form(contacted, center=centre.pk)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirm the referral" in html
    assert "Riverside Cancer Centre" in html
    assert contacted.contact_name in html
    contacted.refresh_from_db()
    assert contacted.review_status == "contacted"
    assert Referral.objects.count() == 0
    (look,) = AuditEvent.objects.all()
    assert look.action == AuditEvent.Action.VIEW


def test_a_confirmed_referral_names_the_centre_and_the_date(
    coordinator_client, coordinator, contacted
):
    centre = TreatmentCenterFactory(name="Riverside Cancer Centre")
    response = coordinator_client.post(
        url(contacted), form(contacted, center=centre.pk, confirmed="True")
    )
    assert response.status_code == 302
    contacted.refresh_from_db()
    assert contacted.review_status == "referred"
    referral = Referral.objects.get()
    assert (referral.center, referral.referred_on, referral.coordinator) == (
        centre,
        datetime.date(2026, 12, 3),
        coordinator,
    )
    event = ReviewEvent.objects.get()
    assert (event.kind, event.from_status, event.to_status) == (
        "referral",
        "contacted",
        "referred",
    )
    assert AuditEvent.objects.get().detail == (
        "review_status contacted->referred referral"
    )
    html = coordinator_client.get(f"/review/{contacted.reference}/").content.decode()
    assert "referred to Riverside Cancer Centre, Testville on Dec. 3, 2026" in html


def test_a_centre_not_in_the_catalog_can_be_typed_in(coordinator_client, contacted):
    coordinator_client.post(
        url(contacted),
        form(contacted, center_name="St Elsewhere Hospital", confirmed="True"),
    )
    referral = Referral.objects.get()
    assert referral.center is None
    assert referral.centre_label == "St Elsewhere Hospital"


def test_a_referral_needs_a_centre(coordinator_client, contacted):
    response = coordinator_client.post(
        url(contacted), form(contacted, confirmed="True"), follow=True
    )
    assert "Choose a centre from the list or type its name." in (
        response.content.decode()
    )
    contacted.refresh_from_db()
    assert contacted.review_status == "contacted"


def test_a_request_not_yet_contacted_cannot_be_referred(coordinator_client):
    submission = SubmissionFactory(review_status="in_review")
    coordinator_client.post(
        url(submission), form(submission, center_name="X", confirmed="True")
    )
    submission.refresh_from_db()
    assert submission.review_status == "in_review"
    assert Referral.objects.count() == 0


def test_a_stale_referral_is_refused_with_the_latest_version(
    coordinator_client, contacted
):
    response = coordinator_client.post(
        url(contacted), form(contacted, center_name="X", confirmed="True", revision=9)
    )
    assert response.status_code == 409
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    ("start", "back"),
    [("in_review", "new"), ("contacted", "in_review"), ("referred", "contacted")],
)
def test_a_status_steps_back_one_step_with_its_reason_in_the_timeline(
    coordinator_client, start, back
):
    submission = SubmissionFactory(review_status=start)
    response = coordinator_client.post(
        back_url(submission), {"revision": 1, "reason": "Clicked by mistake"}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.review_status == back
    event = ReviewEvent.objects.get()
    assert (event.from_status, event.to_status, event.text) == (
        start,
        back,
        "Clicked by mistake",
    )
    assert AuditEvent.objects.get().detail.endswith("(step back)")
    assert "Clicked" not in AuditEvent.objects.get().detail


@pytest.mark.parametrize("start", ["new", "closed"])
def test_new_and_closed_requests_do_not_step_back(coordinator_client, start):
    submission = SubmissionFactory(review_status=start, close_reason="x")
    coordinator_client.post(back_url(submission), {"revision": 1, "reason": "Oops"})
    submission.refresh_from_db()
    assert submission.review_status == start
    assert ReviewEvent.objects.count() == 0


def test_stepping_back_needs_a_reason(coordinator_client, contacted):
    response = coordinator_client.post(
        back_url(contacted), {"revision": 1, "reason": "  "}, follow=True
    )
    assert "Reason for stepping back: This field is required." in (
        response.content.decode()
    )
    contacted.refresh_from_db()
    assert contacted.review_status == "contacted"


@pytest.mark.parametrize("count", [1, 200])
def test_the_detail_page_of_a_contacted_request_lists_the_centres_in_one_query(
    coordinator_client, django_assert_num_queries, count
):
    submission = SubmissionFactory(review_status="contacted")
    SubmissionFactory.create_batch(count - 1)
    TreatmentCenterFactory.create_batch(min(count, 30))
    detail = f"/review/{submission.reference}/"
    coordinator_client.get(detail)  # warm the catalog and the session clocks
    # the eight of every detail page, and the centres to refer to
    with django_assert_num_queries(9):
        response = coordinator_client.get(detail)
    assert response.status_code == 200
