"""'Waiting on us more than N days' reads the time since the last action, and
a last action is never before the request (the filter's index range relies
on it)."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError

from intake.models import Submission
from intake.review.services import submission_add_note
from tests.factories import CoordinatorFactory, SubmissionFactory

NOW = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC)


def days_ago(n: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=n)


@time_machine.travel(NOW, tick=False)
def test_an_old_request_someone_acted_on_recently_is_not_waiting(coordinator_client):
    waiting = SubmissionFactory(submitted_at=days_ago(20))
    touched = SubmissionFactory(submitted_at=days_ago(20), last_action_at=days_ago(1))
    recent = SubmissionFactory(submitted_at=days_ago(2))
    response = coordinator_client.get("/review/", {"waiting": "7"})
    shown = [row.reference for row in response.context["rows"]]
    assert shown == [waiting.reference]
    assert touched.reference not in shown and recent.reference not in shown


def test_the_database_refuses_a_last_action_before_the_request(db):
    submission = SubmissionFactory(submitted_at=days_ago(3))
    with pytest.raises(IntegrityError):
        Submission.objects.filter(pk=submission.pk).update(last_action_at=days_ago(4))


def test_a_server_clock_behind_the_request_stamps_the_action_at_the_request(db):
    submission = SubmissionFactory(submitted_at=NOW)
    with time_machine.travel(NOW - datetime.timedelta(seconds=2), tick=False):
        submission_add_note(
            submission=submission,
            text="Called back.",
            by=CoordinatorFactory(),
            revision=submission.revision,
            ip_address=None,
        )
    submission.refresh_from_db()
    assert submission.last_action_at == submission.contact_requested_at
