"""The queue's response-time standing: a word and a colour for every row."""

import datetime
import re

import pytest
import time_machine

from tests.factories import URGENT_ANSWERS, SubmissionFactory

URL = "/review/"
NOW = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC)


def standing(page: str, reference: str) -> str:
    """The text of the row's response cell, tags removed."""
    row = re.search(rf"<tr[^>]*>(?:(?!<tr).)*?{reference}.*?</tr>", page, re.S).group(0)
    cell = re.findall(r"<td>(.*?)</td>", row, re.S)[5]
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def asked(hours_ago: float, *, urgent: bool, **values):
    return SubmissionFactory(
        submitted_at=NOW - datetime.timedelta(hours=hours_ago),
        answer_overrides=URGENT_ANSWERS if urgent else {},
        **values,
    )


@pytest.mark.parametrize(
    ("hours_ago", "urgent", "shown", "colour"),
    [
        (1, True, "On time 3 hours left", "text-bg-success"),
        (3.5, True, "Due soon 30 minutes left", "text-bg-warning"),
        (6, True, "Overdue 2 hours late", "text-bg-danger"),
        (24, False, "On time 2 days left", "text-bg-success"),
        (60, False, "Due soon 12 hours left", "text-bg-warning"),
        (24 * 5, False, "Overdue 2 days late", "text-bg-danger"),
    ],
)
def test_a_request_waiting_for_its_first_contact_says_where_it_stands_in_words(
    coordinator_client, hours_ago, urgent, shown, colour
):
    with time_machine.travel(NOW, tick=False):
        submission = asked(hours_ago, urgent=urgent)
        page = coordinator_client.get(URL).content.decode()
    assert standing(page, submission.reference) == shown
    assert f'<span class="badge {colour}">{shown.split(" ")[0]}' in page


def test_a_contacted_request_says_whether_it_was_answered_in_time(
    coordinator_client,
):
    with time_machine.travel(NOW, tick=False):
        quick = asked(10, urgent=True, review_status="contacted")
        quick.first_contacted_at = quick.contact_requested_at + datetime.timedelta(
            hours=1
        )
        quick.save()
        slow = asked(100, urgent=False, review_status="contacted")
        slow.first_contacted_at = NOW
        slow.save()
        page = coordinator_client.get(URL).content.decode()
    assert standing(page, quick.reference) == "Answered in time"
    assert standing(page, slow.reference) == "Answered late"


def test_the_targets_come_from_the_settings_and_the_heading_names_them(
    coordinator_client, settings
):
    settings.RESPONSE_TARGET_URGENT_HOURS = 1
    settings.RESPONSE_TARGET_OTHER_DAYS = 7
    with time_machine.travel(NOW, tick=False):
        urgent = asked(2, urgent=True)
        other = asked(24 * 5, urgent=False)
        page = coordinator_client.get(URL).content.decode()
    assert "First contact (target: urgent 1 hour, others 7 days)" in page
    assert standing(page, urgent.reference) == "Overdue 1 hour late"
    assert standing(page, other.reference) == "On time 2 days left"


def test_a_closed_request_nobody_contacted_waits_for_nothing(coordinator_client):
    with time_machine.travel(NOW, tick=False):
        closed = asked(200, urgent=False, review_status="closed", close_reason="x")
        page = coordinator_client.get(URL, {"status": "all"}).content.decode()
    assert standing(page, closed.reference) == "—"
