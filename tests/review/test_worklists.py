"""The queue's worklists and its newer filters: where a coordinator's morning starts."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from intake.review.services import forget_status_counts
from tests.factories import URGENT_ANSWERS, CoordinatorFactory, SubmissionFactory

URL = "/review/"
NOW = datetime.datetime(2026, 12, 3, 9, 30, tzinfo=datetime.UTC)


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def shown(client, **params) -> list[str]:
    return [s.reference for s in client.get(URL, params).context["rows"]]


def test_needs_first_contact_lists_open_requests_nobody_has_reached(
    coordinator_client,
):
    waiting = SubmissionFactory(review_status="in_review")
    SubmissionFactory(review_status="contacted", first_contacted_at=days_ago(1))
    SubmissionFactory(review_status="closed", close_reason="Withdrew")
    assert shown(coordinator_client, worklist="first_contact") == [waiting.reference]


def test_urgent_and_untouched_leaves_out_urgent_requests_already_handled(
    coordinator_client, submission
):
    untouched = SubmissionFactory(
        answer_overrides=URGENT_ANSWERS, contact_requested_at=days_ago(105)
    )
    handled = SubmissionFactory(
        answer_overrides=URGENT_ANSWERS, contact_requested_at=days_ago(90)
    )
    assert shown(coordinator_client, worklist="urgent_untouched") == [
        untouched.reference,
        handled.reference,
    ]
    coordinator_client.post(
        f"/review/{handled.reference}/notes/",
        {"text": "Left a message with the clinic.", "revision": handled.revision},
    )
    assert shown(coordinator_client, worklist="urgent_untouched") == [
        untouched.reference
    ]


@time_machine.travel(NOW, tick=False)
def test_my_follow_ups_are_mine_due_today_or_overdue(coordinator_client, coordinator):
    today, tomorrow = NOW.date(), NOW.date() + datetime.timedelta(days=1)
    overdue = SubmissionFactory(
        assignee=coordinator, follow_up_on=today - datetime.timedelta(days=2)
    )
    due = SubmissionFactory(assignee=coordinator, follow_up_on=today)
    SubmissionFactory(assignee=coordinator, follow_up_on=tomorrow)
    colleagues = SubmissionFactory(assignee=CoordinatorFactory(), follow_up_on=today)
    SubmissionFactory(
        assignee=coordinator,
        follow_up_on=today,
        review_status="closed",
        close_reason="Done",
    )
    mine = shown(coordinator_client, worklist="my_follow_ups")
    assert sorted(mine) == sorted([overdue.reference, due.reference])
    team = shown(coordinator_client, worklist="follow_ups")
    expected = [overdue.reference, due.reference, colleagues.reference]
    assert sorted(team) == sorted(expected)


def test_waiting_on_us_counts_from_the_last_action_not_the_request(
    coordinator_client,
):
    old_untouched = SubmissionFactory(contact_requested_at=days_ago(30))
    old_but_worked_on = SubmissionFactory(contact_requested_at=days_ago(40))
    coordinator_client.post(
        f"/review/{old_but_worked_on.reference}/notes/",
        {"text": "Waiting for the scan report.", "revision": 1},
    )
    SubmissionFactory(contact_requested_at=days_ago(2))
    assert shown(coordinator_client, waiting=7) == [old_untouched.reference]


def test_several_statuses_at_once(coordinator_client):
    new = SubmissionFactory(contact_requested_at=days_ago(3))
    in_review = SubmissionFactory(
        review_status="in_review", contact_requested_at=days_ago(2)
    )
    SubmissionFactory(review_status="contacted")
    response = coordinator_client.get(URL + "?status=new&status=in_review")
    assert [s.reference for s in response.context["rows"]] == [
        new.reference,
        in_review.reference,
    ]
    assert response.context["form"]["status"].value() == ["new", "in_review"]


def test_next_page_links_keep_every_status_chosen(coordinator_client, monkeypatch):
    monkeypatch.setattr("intake.review.queries.PAGE_SIZE", 1)
    SubmissionFactory(contact_requested_at=days_ago(3))
    SubmissionFactory(review_status="in_review", contact_requested_at=days_ago(2))
    response = coordinator_client.get(URL + "?status=new&status=in_review")
    next_url = response.context["next_url"]
    assert "status=new&status=in_review&after=" in next_url
    second = coordinator_client.get(URL + next_url)
    assert [s.review_status for s in second.context["rows"]] == ["in_review"]
    assert second.context["first_url"] == "?status=new&status=in_review"


def test_it_filters_by_the_patients_language(coordinator_client):
    spanish = SubmissionFactory(contact_language="es")
    SubmissionFactory(contact_language="en")
    assert shown(coordinator_client, language="es") == [spanish.reference]


def test_an_unknown_worklist_is_explained_and_left_out(coordinator_client):
    submission = SubmissionFactory()
    response = coordinator_client.get(URL, {"worklist": "everything_at_once"})
    assert response.status_code == 200
    assert [s.reference for s in response.context["rows"]] == [submission.reference]
    assert "left out: Worklist" in response.content.decode()


def test_the_worklists_are_links_above_the_queue(coordinator_client):
    html = coordinator_client.get(URL, {"worklist": "first_contact"}).content.decode()
    assert 'href="?worklist=urgent_untouched"' in html
    assert 'aria-current="page">Needs first contact</a>' in html


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize(
    "params",
    [
        {"worklist": "first_contact"},
        {"worklist": "urgent_untouched"},
        {"worklist": "my_follow_ups"},
        {"worklist": "follow_ups", "status": ["new", "in_review"]},
        {"waiting": "7", "language": "es"},
        # At 200 the urgent rows alone fill the page (as at a million).
        {"waiting": "7"},
    ],
)
def test_a_worklist_query_count_does_not_grow_with_the_queue(
    coordinator_client, coordinator, django_assert_num_queries, count, params
):
    SubmissionFactory.create_batch(
        count,
        assignee=coordinator,
        contact_requested_at=days_ago(10),
        follow_up_on=timezone.localdate(),
        contact_language="es",
    )
    SubmissionFactory.create_batch(
        count // 2, answer_overrides=URGENT_ANSWERS, contact_requested_at=days_ago(9)
    )
    coordinator_client.get(URL)  # the first request starts the session clocks
    forget_status_counts()
    # session, user with their review permission, second-factor device, one
    # page of rows (waiting: urgent and other rows in two), and one capped
    # count per status (six)
    expected = 11 if "waiting" in params else 10
    with django_assert_num_queries(expected):
        response = coordinator_client.get(URL, params)
    assert response.context["rows"]
