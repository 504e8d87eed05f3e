"""The queue's named QuerySet methods and its keyset pages, without a request."""

import datetime

import pytest
from django.utils import timezone

from intake.models import Submission
from intake.review.queries import Cursor, queue_page
from intake.review.rows import queue_rows
from tests.factories import URGENT_ANSWERS, CoordinatorFactory, SubmissionFactory


def queue(**filters) -> list[str]:
    user = filters.pop("user", None)
    return [
        s.reference for s in Submission.objects.queue().filtered(user=user, **filters)
    ]


def test_the_queue_leaves_closed_requests_out_unless_asked(db):
    open_one = SubmissionFactory()
    closed = SubmissionFactory(review_status="closed", close_reason="Done")
    assert queue() == [open_one.reference]
    assert queue(status="closed") == [closed.reference]
    assert set(queue(status="all")) == {open_one.reference, closed.reference}


def test_a_reference_finds_a_closed_request_too(db):
    closed = SubmissionFactory(review_status="closed", close_reason="Done")
    SubmissionFactory()
    assert queue(q=closed.reference) == [closed.reference]


def test_the_assignee_filter_tells_mine_from_nobodys(db):
    me, other = CoordinatorFactory(), CoordinatorFactory()
    mine = SubmissionFactory(assignee=me)
    nobodys = SubmissionFactory()
    SubmissionFactory(assignee=other)
    assert queue(assigned="me", user=me) == [mine.reference]
    assert queue(assigned="none") == [nobodys.reference]


def test_the_waiting_filter_keeps_requests_older_than_the_days_given(db):
    now = timezone.now()
    old = SubmissionFactory(contact_requested_at=now - datetime.timedelta(days=8))
    SubmissionFactory(contact_requested_at=now - datetime.timedelta(days=2))
    assert queue(waiting=7) == [old.reference]


def test_urgent_requests_come_first_then_the_longest_waiting(db):
    now = timezone.now()
    recent_urgent = SubmissionFactory(
        answer_overrides=URGENT_ANSWERS, contact_requested_at=now
    )
    oldest = SubmissionFactory(contact_requested_at=now - datetime.timedelta(days=3))
    newer = SubmissionFactory(contact_requested_at=now - datetime.timedelta(days=1))
    assert queue() == [recent_urgent.reference, oldest.reference, newer.reference]
    assert queue(urgent="no") == [oldest.reference, newer.reference]


def test_after_a_cursor_come_the_later_rows_of_its_urgency(db):
    now = timezone.now()
    urgent = SubmissionFactory(answer_overrides=URGENT_ANSWERS)
    first, second, third = (
        SubmissionFactory(contact_requested_at=now - datetime.timedelta(days=days))
        for days in (3, 2, 1)
    )
    after_first = Submission.objects.queue().after(Cursor.of(first))
    assert [s.reference for s in after_first] == [second.reference, third.reference]
    after_urgent = Submission.objects.queue().after(Cursor.of(urgent))
    assert list(after_urgent) == []


def test_pages_follow_one_another_without_gaps_or_repeats(db, monkeypatch):
    monkeypatch.setattr("intake.review.queries.PAGE_SIZE", 2)
    SubmissionFactory.create_batch(2, answer_overrides=URGENT_ANSWERS)
    SubmissionFactory.create_batch(3)
    expected = [s.reference for s in Submission.objects.queue()]
    seen, cursor = [], None
    while True:
        rows, cursor = queue_page({}, None, cursor)
        seen += [s.reference for s in rows]
        if cursor is None:
            break
    assert seen == expected


def test_a_cursor_reads_back_what_it_wrote(db):
    cursor = Cursor(True, timezone.now(), 42)
    assert Cursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize("raw", ["", "junk", "2_0_1", "1_0_0", "1_0", "0_x_3"])
def test_a_cursor_that_is_not_ours_is_refused(raw):
    with pytest.raises(ValueError):
        Cursor.decode(raw)


def test_a_row_says_how_long_the_request_has_waited(db):
    now = timezone.now()
    SubmissionFactory(contact_requested_at=now - datetime.timedelta(days=3, hours=5))
    html = queue_rows(Submission.objects.queue(), now)
    assert "3\xa0days ago" in html
    assert html.count("<tr ") == 1
