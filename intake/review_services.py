"""Writes for coordinators: assign, change status, add a note, audit, notify.

Every change is one atomic function that updates the submission only if it is
still at the revision the coordinator saw (`filter(pk, revision).update(...)`),
writes the timeline entry and exactly one audit record. A stale form raises
`SubmissionConflict` and leaves everything as it was.

Audit records and log lines carry identifiers only (user, submission id and
reference, field names, status codes): never answers, names, emails, phones,
notes or reasons for closing.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.core.cache import cache
from django.core.mail import send_mass_mail
from django.db import DatabaseError, transaction
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import AuditEvent, ReviewEvent, Submission

logger = logging.getLogger(__name__)

REVIEW_PERMISSION = "intake.review_submission"
Status = Submission.ReviewStatus

# The coordinator workflow. Closing is possible from every open status (a
# patient may withdraw at any time); a closed request can be reopened when the
# patient gets back in touch. A referral comes after a contact, never before.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.IN_REVIEW, Status.CONTACTED, Status.CLOSED),
    Status.IN_REVIEW: (Status.CONTACTED, Status.CLOSED),
    Status.CONTACTED: (Status.REFERRED, Status.CLOSED),
    Status.REFERRED: (Status.CLOSED,),
    Status.CLOSED: (Status.IN_REVIEW,),
}
CLOSE_REASON_MAX = 300
NOTE_MAX = 4000


# The queue's status counts, kept a few seconds by each process (review_queries).
STATUS_COUNTS_KEY = "queue-status-counts"


def forget_status_counts() -> None:
    cache.delete(STATUS_COUNTS_KEY)


class SubmissionConflict(Exception):
    """Someone changed the submission since the coordinator loaded it."""


class TransitionNotAllowed(ValueError):
    """The status change is not in the workflow, or lacks its reason."""


def _holds_review_permission() -> Q:
    """Users holding the review permission, through a group or directly."""
    app_label, codename = REVIEW_PERMISSION.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    )
    return Exists(permission.filter(group__user=OuterRef("pk"))) | Exists(
        permission.filter(user=OuterRef("pk"))
    )


def with_review_permission(users: QuerySet) -> QuerySet:
    """Users, each with `_can_review` read in the same query (see can_review)."""
    return users.annotate(
        _can_review=ExpressionWrapper(_holds_review_permission(), BooleanField())
    )


def can_review(user) -> bool:
    """Coordinators (the permission, through a group or directly) and superusers.

    The signed-in user comes with the answer (intake.backends reads it in the
    same query as the user); any other user costs one small EXISTS query,
    remembered on the user. `user.has_perm` would load every permission of the
    user and of their groups, in two queries, on every coordinator page.
    """
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_can_review"):
        user._can_review = (
            type(user)._default_manager.filter(_holds_review_permission(), pk=user.pk)
        ).exists()
    return bool(user._can_review)  # 0 or 1 where SQLite read it raw


def coordinator_users(*, including: AbstractBaseUser | None = None) -> QuerySet:
    """Active users holding the review permission through a group or directly.

    `including` adds one more user (a superuser assigning to themselves).
    """
    has_it = _holds_review_permission()
    if including is not None:
        has_it |= Q(pk=including.pk)
    return (
        get_user_model()
        .objects.filter(has_it, is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def allowed_transitions(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def client_ip(request) -> str | None:
    """REMOTE_ADDR as the server saw it (the proxy's address behind a proxy)."""
    value = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def audit_event_create(
    *,
    user,
    action: str,
    ip_address: str | None,
    submission: Submission | None = None,
    detail: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user,
        action=action,
        submission_id=submission.pk if submission else None,
        reference=submission.reference if submission else "",
        detail=detail[:200],
        ip_address=ip_address,
    )


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


def _absolute(path: str) -> str:
    # No request here (the patient's contact request calls this after commit):
    # the site's address comes from SITE_URL, else the first trusted origin.
    base = getattr(settings, "SITE_URL", "") or next(
        iter(settings.CSRF_TRUSTED_ORIGINS), ""
    )
    return base.rstrip("/") + path


def submission_notify_urgent(*, submission: Submission) -> int:
    """Email every coordinator that an urgent request is waiting.

    The email holds the reference and a link only: no health data, no name, so
    a mailbox or a mail server never holds more than an identifier. Returns the
    number of emails sent. A mail failure is logged, never raised: the patient's
    request is already saved and must not fail because of it.
    """
    try:
        recipients = sorted(
            set(coordinator_users().exclude(email="").values_list("email", flat=True))
        )
    except DatabaseError:
        logger.exception(
            "Urgent request %s: coordinators could not be read; no alert sent yet.",
            submission.reference,
        )
        return 0
    if not recipients and settings.COORDINATOR_ALERT_EMAIL:
        recipients = [settings.COORDINATOR_ALERT_EMAIL]
    if not recipients:
        logger.warning(
            "Urgent request %s: no coordinator email address to alert.",
            submission.reference,
        )
        return 0
    link = _absolute(reverse("review:detail", args=[submission.reference]))
    # The patient's language is active in their request; coordinators read the
    # site's default language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Urgent: request %(reference)s is waiting") % {
            "reference": submission.reference
        }
        body = _(
            "An urgent request to be contacted is waiting in the coordinators' "
            "queue.\n\nReference: %(reference)s\nOpen it (sign-in needed): "
            "%(link)s\n\nThis email carries no patient details on purpose."
        ) % {"reference": submission.reference, "link": link}
    messages = [(subject, body, None, [address]) for address in recipients]
    try:
        sent = send_mass_mail(messages, fail_silently=False)
    except Exception:
        logger.exception(
            "Urgent request %s: the alert email could not be sent.",
            submission.reference,
        )
        return 0
    # Only a sent alert counts: a request whose alert failed alerts again
    # when the patient retries or updates it.
    try:
        Submission.objects.filter(
            pk=submission.pk, urgent_alerted_at__isnull=True
        ).update(urgent_alerted_at=timezone.now())
    except DatabaseError:
        logger.exception(
            "Urgent request %s: alert sent, but not recorded.", submission.reference
        )
    return sent
