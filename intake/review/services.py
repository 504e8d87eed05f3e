"""Writes for coordinators: assign, change status, step back, add a note, log
a call, refer to a treatment centre.

Every change is one atomic function that updates the submission only if it is
still at the revision the coordinator saw (`filter(pk, revision).update(...)`),
writes the timeline entry and exactly one audit record (intake.audit). A stale
form raises `SubmissionConflict` and leaves everything as it was. Every one
of them is an action on the request: it sets `last_action_at`, from which
"waiting on us" is measured.

A logged call is the exception to the revision check: the call happened,
whatever a colleague changed meanwhile, so it is never refused as stale.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from therapies.models import TreatmentCenter

from ..audit import audit_event_create
from ..models import AuditEvent, ContactAttempt, Referral, ReviewEvent, Submission
from ..permissions import can_review
from .shared_cache import forget

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
# One step back along the workflow, with a reason (a status set by mistake).
BACK: dict[str, str] = {
    Status.IN_REVIEW: Status.NEW,
    Status.CONTACTED: Status.IN_REVIEW,
    Status.REFERRED: Status.CONTACTED,
}
# A reached call on a request nobody had reached yet moves it to "contacted".
MOVED_BY_REACHING = (Status.NEW, Status.IN_REVIEW)
CLOSE_REASON_MAX = 300
NOTE_MAX = 4000
CENTRE_NAME_MAX = 200

# The queue's status counts, kept a few seconds by each process (see views).
STATUS_COUNTS_KEY = "queue-status-counts"


def forget_status_counts() -> None:
    forget(STATUS_COUNTS_KEY)


class SubmissionConflict(Exception):
    """Someone changed the submission since the coordinator loaded it."""


class TransitionNotAllowed(ValueError):
    """The status change is not in the workflow, or lacks its reason."""


def allowed_transitions(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def _update_at_revision(submission: Submission, revision: int, **values) -> None:
    now = timezone.now()
    # Never before the request (a constraint; "waiting on us" relies on it),
    # even with a server clock a little behind the one that took the request.
    values["last_action_at"] = max(now, submission.contact_requested_at or now)
    updated = Submission.objects.filter(pk=submission.pk, revision=revision).update(
        revision=F("revision") + 1, updated_at=now, **values
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
    if to_status == Status.REFERRED:
        raise TransitionNotAllowed(
            _("Refer the patient with the referral form: it names the centre.")
        )
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


def _status_event(
    submission: Submission, by, from_status: str, to_status: str, text: str = ""
) -> ReviewEvent:
    return ReviewEvent.objects.create(
        submission=submission,
        author=by,
        kind=ReviewEvent.Kind.STATUS,
        from_status=from_status,
        to_status=to_status,
        text=text,
    )


@transaction.atomic
def submission_step_back(
    *,
    submission: Submission,
    reason: str,
    by: AbstractBaseUser,
    revision: int,
    ip_address: str | None,
) -> Submission:
    """Move the request one step back along the workflow; it needs a reason."""
    from_status = submission.review_status
    to_status = BACK.get(from_status)
    if to_status is None:
        raise TransitionNotAllowed(
            _("A request that is “%(from)s” cannot step back.")
            % {"from": _status_label(from_status)}
        )
    reason = reason.strip()
    if not reason:
        raise TransitionNotAllowed(_("Give a reason for stepping back."))
    if len(reason) > CLOSE_REASON_MAX:
        raise TransitionNotAllowed(
            _("Keep the reason under %(max)d characters.") % {"max": CLOSE_REASON_MAX}
        )
    _update_at_revision(submission, revision, review_status=to_status)
    transaction.on_commit(forget_status_counts)
    _status_event(submission, by, from_status, to_status, reason)
    audit_event_create(
        user=by,
        action=AuditEvent.Action.CHANGE,
        submission=submission,
        detail=f"review_status {from_status}->{to_status} (step back)",
        ip_address=ip_address,
    )
    return submission


@transaction.atomic
def submission_log_call(
    *,
    submission: Submission,
    outcome: str,
    called_at: datetime.datetime,
    note: str,
    follow_up_on: datetime.date | None,
    by: AbstractBaseUser,
    ip_address: str | None,
) -> ContactAttempt:
    """Record a call to the patient, and set the follow-up date it leaves.

    The earliest call that reached the patient is their "first contacted"
    time; a request nobody had reached yet moves to "contacted" with it. An
    unassigned request is assigned to the caller.
    """
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    call = ContactAttempt.objects.create(
        submission=locked,
        coordinator=by,
        called_at=called_at,
        outcome=outcome,
        note=note.strip()[:NOTE_MAX],
        follow_up_on=follow_up_on,
    )
    changed = [f"call {outcome}"]
    values: dict = {"follow_up_on": follow_up_on}
    if follow_up_on != locked.follow_up_on:
        changed.append("follow_up_on")
    reached = outcome == ContactAttempt.Outcome.REACHED
    if reached and (
        locked.first_contacted_at is None or called_at < locked.first_contacted_at
    ):
        values["first_contacted_at"] = called_at
        changed.append("first_contacted_at")
    if locked.assignee_id is None:
        # Whoever calls an unassigned request takes it on: its follow-up is
        # then in their "my follow-ups".
        values["assignee"] = by
        changed.append("assignee")
    from_status = locked.review_status
    if reached and from_status in MOVED_BY_REACHING:
        values["review_status"] = Status.CONTACTED
        changed.append(f"review_status {from_status}->{Status.CONTACTED}")
    _update_at_revision(locked, locked.revision, **values)
    if "assignee" in values:
        ReviewEvent.objects.create(
            submission=locked, author=by, kind=ReviewEvent.Kind.ASSIGN, assignee=by
        )
    ReviewEvent.objects.create(
        submission=locked, author=by, kind=ReviewEvent.Kind.CALL, call=call
    )
    if "review_status" in values:
        transaction.on_commit(forget_status_counts)
        _status_event(locked, by, from_status, Status.CONTACTED)
    audit_event_create(
        user=by,
        action=AuditEvent.Action.CHANGE,
        submission=locked,
        detail=" ".join(changed),
        ip_address=ip_address,
    )
    for name in (*values, "revision", "last_action_at"):
        setattr(submission, name, getattr(locked, name))
    return call


@transaction.atomic
def submission_refer(
    *,
    submission: Submission,
    center: TreatmentCenter | None,
    center_name: str,
    referred_on: datetime.date,
    by: AbstractBaseUser,
    revision: int,
    ip_address: str | None,
) -> Referral:
    """Refer the patient to a treatment centre: one from the catalog, or one
    typed in. The request moves to "referred"."""
    center_name = "" if center else center_name.strip()[:CENTRE_NAME_MAX]
    if center is None and not center_name:
        raise TransitionNotAllowed(_("Choose a centre or type its name."))
    from_status = submission.review_status
    if Status.REFERRED not in allowed_transitions(from_status):
        raise TransitionNotAllowed(
            _("A request that is “%(from)s” cannot be referred.")
            % {"from": _status_label(from_status)}
        )
    _update_at_revision(submission, revision, review_status=Status.REFERRED)
    transaction.on_commit(forget_status_counts)
    referral = Referral.objects.create(
        submission=submission,
        coordinator=by,
        center=center,
        center_name=center_name,
        referred_on=referred_on,
    )
    ReviewEvent.objects.create(
        submission=submission,
        author=by,
        kind=ReviewEvent.Kind.REFERRAL,
        from_status=from_status,
        to_status=Status.REFERRED,
        referral=referral,
    )
    audit_event_create(
        user=by,
        action=AuditEvent.Action.CHANGE,
        submission=submission,
        detail=f"review_status {from_status}->{Status.REFERRED} referral",
        ip_address=ip_address,
    )
    return referral
