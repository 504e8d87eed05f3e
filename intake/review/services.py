"""Writes for coordinators: assign, change status, add a note.

Every change is one atomic function that updates the submission only if it is
still at the revision the coordinator saw (`filter(pk, revision).update(...)`),
writes the timeline entry and exactly one audit record (intake.audit). A stale
form raises `SubmissionConflict` and leaves everything as it was.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import audit_event_create
from ..models import AuditEvent, ReviewEvent, Submission
from ..permissions import can_review

Status = Submission.ReviewStatus

# The coordinator workflow. Closing is possible from every open status (a
# patient may withdraw at any time); a closed request can be reopened when the
# patient gets back in touch. A referral comes after a contact, never before.
# Spam (a fake request) leaves the queue from any open status, and can be
# taken back to review if marked by mistake.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.IN_REVIEW, Status.CONTACTED, Status.CLOSED, Status.SPAM),
    Status.IN_REVIEW: (Status.CONTACTED, Status.CLOSED, Status.SPAM),
    Status.CONTACTED: (Status.REFERRED, Status.CLOSED, Status.SPAM),
    Status.REFERRED: (Status.CLOSED, Status.SPAM),
    Status.CLOSED: (Status.IN_REVIEW,),
    Status.SPAM: (Status.IN_REVIEW,),
}
CLOSE_REASON_MAX = 300
NOTE_MAX = 4000

# The queue's status counts, kept a few seconds by each process (see views).
STATUS_COUNTS_KEY = "queue-status-counts"


def forget_status_counts() -> None:
    cache.delete(STATUS_COUNTS_KEY)


class SubmissionConflict(Exception):
    """Someone changed the submission since the coordinator loaded it."""


class TransitionNotAllowed(ValueError):
    """The status change is not in the workflow, or lacks its reason."""


def allowed_transitions(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def _update_at_revision(submission: Submission, revision: int, **values) -> None:
    updated = Submission.objects.filter(pk=submission.pk, revision=revision).update(
        revision=F("revision") + 1, updated_at=timezone.now(), **values
    )
    if not updated:
        raise SubmissionConflict(submission.reference)
    for name, value in values.items():
        setattr(submission, name, value)
    submission.revision = revision + 1


@transaction.atomic
def submission_assign(
    *,
    submission: Submission,
    assignee: AbstractBaseUser | None,
    by: AbstractBaseUser,
    revision: int,
    ip_address: str | None,
) -> Submission:
    """Give the request to a coordinator (or to nobody)."""
    if assignee is not None and not can_review(assignee):
        raise ValueError("Only a coordinator can be assigned a submission.")
    _update_at_revision(submission, revision, assignee=assignee)
    ReviewEvent.objects.create(
        submission=submission,
        author=by,
        kind=ReviewEvent.Kind.ASSIGN,
        assignee=assignee,
    )
    audit_event_create(
        user=by,
        action=AuditEvent.Action.CHANGE,
        submission=submission,
        detail="assignee",
        ip_address=ip_address,
    )
    return submission


@transaction.atomic
def submission_change_status(
    *,
    submission: Submission,
    to_status: str,
    by: AbstractBaseUser,
    revision: int,
    ip_address: str | None,
    reason: str = "",
) -> Submission:
    """Move the request along the workflow; closing needs a reason."""
    if submission.revision != revision:
        raise SubmissionConflict(submission.reference)
    from_status = submission.review_status
    if to_status not in allowed_transitions(from_status):
        raise TransitionNotAllowed(
            _("A request that is “%(from)s” cannot be moved to “%(to)s”.")
            % {"from": Status(from_status).label, "to": _status_label(to_status)}
        )
    reason = reason.strip()
    values: dict = {"review_status": to_status}
    if to_status == Status.CLOSED:
        if not reason:
            raise TransitionNotAllowed(_("Give a reason for closing the request."))
        if len(reason) > CLOSE_REASON_MAX:
            raise TransitionNotAllowed(
                _("Keep the reason under %(max)d characters.")
                % {"max": CLOSE_REASON_MAX}
            )
        values["close_reason"] = reason
    elif from_status == Status.CLOSED:
        values["close_reason"] = ""
    if to_status == Status.CONTACTED and submission.first_contacted_at is None:
        values["first_contacted_at"] = timezone.now()
    _update_at_revision(submission, revision, **values)
    # The coordinator who moved it sees the new counts on their next page.
    transaction.on_commit(forget_status_counts)
    ReviewEvent.objects.create(
        submission=submission,
        author=by,
        kind=ReviewEvent.Kind.STATUS,
        from_status=from_status,
        to_status=to_status,
        text=reason if to_status == Status.CLOSED else "",
    )
    audit_event_create(
        user=by,
        action=AuditEvent.Action.CHANGE,
        submission=submission,
        detail=f"review_status {from_status}->{to_status}",
        ip_address=ip_address,
    )
    return submission


def _status_label(code: str) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return code


@transaction.atomic
def submission_add_note(
    *,
    submission: Submission,
    text: str,
    by: AbstractBaseUser,
    revision: int,
    ip_address: str | None,
) -> Submission:
    """Add a note to the timeline.

    A note bumps the revision too: a colleague about to change the status
    should first see the note that was just written.
    """
    text = text.strip()
    if not text:
        raise ValueError("A note needs some text.")
    _update_at_revision(submission, revision)
    ReviewEvent.objects.create(
        submission=submission,
        author=by,
        kind=ReviewEvent.Kind.NOTE,
        text=text[:NOTE_MAX],
    )
    audit_event_create(
        user=by,
        action=AuditEvent.Action.CHANGE,
        submission=submission,
        detail="note",
        ip_address=ip_address,
    )
    return submission


def submission_mark_spam(
    *,
    submission: Submission,
    by: AbstractBaseUser,
    revision: int,
    ip_address: str | None,
) -> Submission:
    """Mark a fake request as spam: it leaves the queue, alerts nobody, is
    counted in the metrics and deleted with closed requests (`purge`)."""
    return submission_change_status(
        submission=submission,
        to_status=Status.SPAM,
        by=by,
        revision=revision,
        ip_address=ip_address,
    )
