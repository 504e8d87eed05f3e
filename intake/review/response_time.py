"""Response-time targets for a first contact, and where a request stands.

Targets come from the settings (RESPONSE_TARGET_URGENT_HOURS,
RESPONSE_TARGET_OTHER_DAYS). A request still waiting for its first contact
is "on time", "due soon" (in the last quarter of its time) or "overdue"; one
contacted was answered in time or late. Closed and spam requests without a
contact wait for nothing. The queue shows each state as a word with its
colour (rows.py), never as a colour alone.
"""

from __future__ import annotations

import datetime
import enum

from django.conf import settings
from django.utils.translation import ngettext

from ..models import Submission

DUE_SOON_SHARE = 0.75


class Standing(enum.Enum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ANSWERED_IN_TIME = "answered_in_time"
    ANSWERED_LATE = "answered_late"
    NOT_WAITING = "not_waiting"


def response_target(urgent: bool) -> datetime.timedelta:
    if urgent:
        return datetime.timedelta(hours=settings.RESPONSE_TARGET_URGENT_HOURS)
    return datetime.timedelta(days=settings.RESPONSE_TARGET_OTHER_DAYS)


def standing(submission: Submission, now: datetime.datetime) -> Standing:
    """Where a request stands against its first-contact target at `now`."""
    asked = submission.contact_requested_at
    if asked is None:
        return Standing.NOT_WAITING
    target = response_target(submission.urgent)
    contacted = submission.first_contacted_at
    if contacted is not None:
        in_time = contacted - asked <= target
        return Standing.ANSWERED_IN_TIME if in_time else Standing.ANSWERED_LATE
    if submission.review_status in Submission.FINISHED:
        return Standing.NOT_WAITING
    waited = now - asked
    if waited > target:
        return Standing.OVERDUE
    if waited > target * DUE_SOON_SHARE:
        return Standing.DUE_SOON
    return Standing.ON_TIME


def deadline(submission: Submission) -> datetime.datetime:
    return submission.contact_requested_at + response_target(submission.urgent)


def target_words() -> dict[str, str]:
    """The targets as the queue's column heading names them."""
    hours = settings.RESPONSE_TARGET_URGENT_HOURS
    days = settings.RESPONSE_TARGET_OTHER_DAYS
    return {
        "urgent_target": ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours},
        "other_target": ngettext("%(n)d day", "%(n)d days", days) % {"n": days},
    }
