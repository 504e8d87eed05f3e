"""Writes for the patient side: drafts, submit, contact request, delete.

Each is atomic: a failed step leaves the draft as it was.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from therapies.models import CatalogRelease

from .answers import Answers, answers_from_stored
from .audit import audit_event_create
from .models import CONSENT_VERSION, AuditEvent, LinkEmail, Submission, phone_digits
from .steps import INVALIDATES
from .tasks import send_link_email, urgent_alert_enqueue


def _merged(stored: dict, values: dict) -> dict:
    """The draft's stored answers with one step's values saved over them.

    Only what the patient answered is stored (a form pre-fills nothing else);
    an answer a later change makes irrelevant is kept but not used, so changing
    back loses nothing.
    """
    if "eligibility" in values:
        values = {
            **values,
            "eligibility": {**stored.get("eligibility", {}), **values["eligibility"]},
        }
    return {**stored, **values}


def draft_create(
    *, step: str, values: dict, language: str, complete: bool = True
) -> Submission:
    answers = _merged({}, values)
    # References are short enough to read over the phone, so at a million rows
    # a clash is possible (about one in a million): draw again.
    for attempt in range(3):
        try:
            with transaction.atomic():
                return Submission.objects.create(
                    answers=answers,
                    completed_steps=[step] if complete else [],
                    language=language,
                )
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def draft_save_step(
    *,
    submission: Submission,
    step: str,
    values: dict,
    language: str,
    complete: bool = True,
) -> Submission:
    """Save one step's answers; later steps that depend on a changed answer are reopened."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    before = answers_from_stored(locked.answers)
    stored = _merged(locked.answers or {}, values)
    after = answers_from_stored(stored)
    completed = [s for s in locked.completed_steps if s != step]
    if after != before:
        reopened = set(INVALIDATES.get(step, ()))
        if after.symptoms != before.symptoms:
            reopened.add("urgent-seen")
        completed = [s for s in completed if s not in reopened]
    if complete:
        completed.append(step)
    locked.answers = stored
    locked.completed_steps = completed
    locked.language = language
    if locked.stage == Submission.Stage.SUBMITTED:
        # An edit after submitting keeps the denormalised columns in step.
        _copy_answers_to_columns(locked, after)
    locked.save()
    return locked


def _copy_answers_to_columns(submission: Submission, answers: Answers) -> None:
    submission.urgent = answers.urgent
    submission.disease = answers.disease
    submission.prior_lines = answers.prior_lines if answers.lines_known else None
    submission.relapse_status = answers.relapse_status
    submission.country = answers.country


@transaction.atomic
def submission_submit(*, submission: Submission) -> Submission:
    """Submit the draft. Idempotent: a second submit (a double click) changes nothing."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.stage == Submission.Stage.SUBMITTED:
        return locked
    _copy_answers_to_columns(locked, answers_from_stored(locked.answers))
    locked.stage = Submission.Stage.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.catalog_release_id = _latest_release_number()
    locked.save()
    return locked


def _latest_release_number() -> int | None:
    """The release the patient's results page shows now (None before the first)."""
    return CatalogRelease.objects.latest_version()[0] or None


@transaction.atomic
def submission_request_contact(
    *,
    submission: Submission,
    name: str,
    email: str,
    phone: str,
    preferred_language: str,
    preferred_time: str,
) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    first_request = not locked.contact_requested
    locked.contact_requested = True
    locked.catalog_release_id = _latest_release_number()
    if first_request:
        locked.contact_requested_at = timezone.now()
        # Until a coordinator acts, the request is the last thing that happened.
        locked.last_action_at = locked.contact_requested_at
    locked.contact_name = name
    locked.contact_email = email
    locked.contact_phone = phone
    locked.contact_phone_digits = phone_digits(phone)
    locked.contact_language = preferred_language
    locked.contact_time = preferred_time
    locked.consent_version = CONSENT_VERSION
    locked.save()
    if locked.urgent and locked.urgent_alerted_at is None:
        # Enqueued in this transaction: the request and the task that alerts
        # coordinators about it are saved together or not at all. The task
        # retries until the alert goes out.
        urgent_alert_enqueue()
    return locked


@transaction.atomic
def submission_delete(*, submission: Submission, ip_address: str | None) -> None:
    """Delete the patient's answers for good; the audit trail keeps only identifiers."""
    audit_event_create(
        user=None,
        action=AuditEvent.Action.DELETE,
        submission=submission,
        ip_address=ip_address,
    )
    submission.delete()


# One private link sends at most this many emails: enough for a typo or a
# second device, too few to be worth abusing.
LINK_EMAILS_PER_SUBMISSION = 3


class LinkEmailsUsedUp(Exception):
    """This link has been emailed as often as it may be."""


@transaction.atomic
def submission_email_link(
    *, submission: Submission, email: str, site: str, language: str
) -> LinkEmail:
    """Have the patient's private link emailed to them, in the background.

    The address is kept only until the email is sent or given up
    (`intake.tasks.send_link_email`), never with the answers. `site` is the
    scheme and host the patient used, for the link.
    """
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.link_emails_sent >= LINK_EMAILS_PER_SUBMISSION:
        raise LinkEmailsUsedUp
    locked.link_emails_sent += 1
    locked.save(update_fields=["link_emails_sent", "updated_at"])
    row = LinkEmail.objects.create(
        submission=locked, email=email, site=site, language=language
    )
    send_link_email.enqueue(row.pk)
    return row
