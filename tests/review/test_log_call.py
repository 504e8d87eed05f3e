"""Logging a call from a request's page: its time, outcome, note and follow-up."""

import datetime
import logging

import pytest
import time_machine
from django.utils import timezone

from intake.models import AuditEvent, ContactAttempt, ReviewEvent
from tests.factories import CoordinatorFactory, SubmissionFactory
from tests.review.conftest import login_redirect

NOW = datetime.datetime(2026, 12, 3, 9, 30, tzinfo=datetime.UTC)
TODAY = NOW.date()


@pytest.fixture
def submission(db):
    """A request made before the calls these tests log (a coordinator's
    action is never recorded before the request it answers)."""
    return SubmissionFactory(submitted_at=NOW - datetime.timedelta(days=1))


def url(submission) -> str:
    return f"/review/{submission.reference}/calls/"


def form(**values) -> dict:
    return {
        "outcome": "reached",
        "called_at": "2026-12-03T09:15",
        "note": "Talked about travel to the centre.",
        "follow_up_on": "",
        **values,
    }


def test_it_sends_anonymous_users_to_the_login_page(client, submission):
    response = client.post(url(submission), form())
    assert response.url == login_redirect(f"/review/{submission.reference}/")
    assert ContactAttempt.objects.count() == 0


def test_it_refuses_staff_who_are_not_coordinators(staff_client, submission):
    assert staff_client.post(url(submission), form()).status_code == 403
    assert ContactAttempt.objects.count() == 0


def test_it_is_a_404_for_a_request_outside_the_queue(coordinator_client):
    draft = SubmissionFactory(stage="draft")
    assert coordinator_client.post(url(draft), form()).status_code == 404
    token_url = f"/review/{draft.token}/calls/"
    assert coordinator_client.post(token_url, form()).status_code == 404


def test_it_refuses_get(coordinator_client, submission):
    assert coordinator_client.get(url(submission)).status_code == 405


@time_machine.travel(NOW, tick=False)
def test_a_reached_call_is_the_first_contact_and_moves_the_request_on(
    coordinator_client, coordinator, submission
):
    response = coordinator_client.post(url(submission), form())
    assert response.status_code == 302
    submission.refresh_from_db()
    called = datetime.datetime(2026, 12, 3, 9, 15, tzinfo=datetime.UTC)
    assert submission.first_contacted_at == called
    assert submission.review_status == "contacted"
    assert submission.last_action_at == NOW
    call = ContactAttempt.objects.get()
    assert (call.coordinator, call.outcome, call.called_at) == (
        coordinator,
        "reached",
        called,
    )
    kinds = list(ReviewEvent.objects.values_list("kind", flat=True))
    assert kinds == ["assign", "call", "status"]
    assert submission.assignee == coordinator


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("outcome", ["voicemail", "no_answer", "wrong_number"])
def test_a_call_that_did_not_reach_the_patient_is_no_contact(
    coordinator_client, submission, outcome
):
    coordinator_client.post(url(submission), form(outcome=outcome))
    submission.refresh_from_db()
    assert submission.first_contacted_at is None
    assert submission.review_status == "new"
    assert submission.last_action_at == NOW
    assert ContactAttempt.objects.get().outcome == outcome


@time_machine.travel(NOW, tick=False)
def test_the_earliest_reached_call_stays_the_first_contact(
    coordinator_client, submission
):
    coordinator_client.post(url(submission), form(called_at="2026-12-03T09:00"))
    coordinator_client.post(url(submission), form(called_at="2026-12-03T09:20"))
    submission.refresh_from_db()
    assert submission.first_contacted_at.time() == datetime.time(9, 0)
    # A call logged late, made before the first one logged, takes its place.
    coordinator_client.post(url(submission), form(called_at="2026-12-02T16:00"))
    submission.refresh_from_db()
    assert submission.first_contacted_at.date() == datetime.date(2026, 12, 2)
    assert ReviewEvent.objects.filter(kind="status").count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_call_sets_or_clears_the_follow_up_date(coordinator_client, submission):
    coordinator_client.post(
        url(submission), form(outcome="no_answer", follow_up_on="2026-12-04")
    )
    submission.refresh_from_db()
    assert submission.follow_up_on == datetime.date(2026, 12, 4)
    coordinator_client.post(url(submission), form(follow_up_on=""))
    submission.refresh_from_db()
    assert submission.follow_up_on is None


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"called_at": "2026-12-03T11:00"}, "A call cannot be in the future."),
        ({"follow_up_on": "2026-12-01"}, "A follow-up cannot be in the past."),
        ({"outcome": "spoke_to_cat"}, "Select a valid choice."),
        ({"called_at": "yesterday"}, "Enter a valid date/time."),
    ],
)
def test_a_bad_call_is_refused_and_what_was_typed_is_kept(
    coordinator_client, submission, values, problem
):
    response = coordinator_client.post(
        url(submission), form(note="Typed during the call", **values)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert problem in html
    assert "Typed during the call" in html
    assert ContactAttempt.objects.count() == 0
    submission.refresh_from_db()
    assert submission.revision == 1


@time_machine.travel(NOW, tick=False)
def test_the_call_shows_in_the_timeline(coordinator_client, submission):
    coordinator_client.post(
        url(submission),
        form(
            outcome="voicemail", note="Asked to call back.", follow_up_on="2026-12-05"
        ),
    )
    html = coordinator_client.get(f"/review/{submission.reference}/").content.decode()
    assert "Left a voicemail" in html
    assert "Asked to call back." in html
    assert "follow up on Dec. 5, 2026" in html


@time_machine.travel(NOW, tick=False)
def test_a_call_writes_one_audit_record_without_its_note(
    coordinator_client, coordinator, submission, caplog
):
    caplog.set_level(logging.DEBUG)
    secret = "Chemo made her very tired."
    coordinator_client.post(
        url(submission), form(note=secret, follow_up_on="2026-12-04")
    )
    (event,) = AuditEvent.objects.all()
    assert event.action == AuditEvent.Action.CHANGE
    assert event.user == coordinator
    assert event.detail == (
        "call reached follow_up_on first_contacted_at assignee "
        "review_status new->contacted"
    )
    assert secret not in caplog.text


@time_machine.travel(NOW, tick=False)
def test_a_call_with_a_follow_up_lands_in_the_callers_follow_ups(
    coordinator_client, coordinator, submission
):
    coordinator_client.post(
        url(submission), form(outcome="no_answer", follow_up_on="2026-12-03")
    )
    response = coordinator_client.get("/review/", {"worklist": "my_follow_ups"})
    assert [s.reference for s in response.context["rows"]] == [submission.reference]


@time_machine.travel(NOW, tick=False)
def test_a_call_on_a_colleagues_request_leaves_it_theirs(
    coordinator_client, submission
):
    colleague = CoordinatorFactory()
    submission.assignee = colleague
    submission.save()
    coordinator_client.post(url(submission), form(outcome="voicemail"))
    submission.refresh_from_db()
    assert submission.assignee == colleague
    assert list(ReviewEvent.objects.values_list("kind", flat=True)) == ["call"]


@time_machine.travel(NOW, tick=False)
def test_a_call_is_never_refused_as_stale(coordinator_client, submission):
    # A colleague changed the request while the call was being made.
    submission.revision = 5
    submission.save()
    response = coordinator_client.post(url(submission), form())
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.revision == 6


@pytest.mark.parametrize("count", [1, 200])
def test_the_detail_page_query_count_does_not_grow_with_calls(
    coordinator_client, django_assert_num_queries, count
):
    submission = SubmissionFactory(assignee=CoordinatorFactory())
    SubmissionFactory.create_batch(count - 1)
    author = CoordinatorFactory()
    for _ in range(min(count, 20)):
        call = ContactAttempt.objects.create(
            submission=submission,
            coordinator=author,
            outcome="no_answer",
            called_at=timezone.now(),
        )
        ReviewEvent.objects.create(
            submission=submission, author=author, kind="call", call=call
        )
    detail = f"/review/{submission.reference}/"
    coordinator_client.get(detail)  # warm the catalog and the session clocks
    # session, user with their review permission, second-factor device,
    # submission, audit insert, catalog version, timeline (with its calls),
    # coordinators to assign to
    with django_assert_num_queries(8):
        response = coordinator_client.get(detail)
    assert response.status_code == 200


@time_machine.travel(NOW, tick=False)
def test_a_call_logged_later_says_when_it_was_made(coordinator_client, submission):
    coordinator_client.post(url(submission), form(called_at="2026-12-02T16:05"))
    html = coordinator_client.get(f"/review/{submission.reference}/").content.decode()
    assert "call made at Dec. 2, 2026, 4:05 p.m. (UTC): Reached the patient" in html
