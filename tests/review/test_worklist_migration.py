"""Requests made before the worklist get their phone digits and last action."""

import datetime
import importlib

from django.apps import apps

from intake.models import Submission
from tests.factories import ReviewEventFactory, SubmissionFactory

migration = importlib.import_module("intake.migrations.0009_worklist_calls_referrals")


def test_existing_requests_get_phone_digits_and_their_last_action(db):
    asked = datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)
    untouched = SubmissionFactory(contact_requested_at=asked)
    worked_on = SubmissionFactory(contact_requested_at=asked)
    ReviewEventFactory(
        submission=worked_on, created_at=asked + datetime.timedelta(days=3)
    )
    ReviewEventFactory(
        submission=worked_on, created_at=asked + datetime.timedelta(days=1)
    )
    Submission.objects.update(contact_phone_digits="", last_action_at=None)

    migration.fill_search_and_last_action(apps, None)

    untouched.refresh_from_db()
    worked_on.refresh_from_db()
    assert untouched.last_action_at == asked
    assert worked_on.last_action_at == asked + datetime.timedelta(days=3)
    assert untouched.contact_phone_digits == "12025550100"
