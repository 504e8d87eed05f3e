"""Background work: every email the site sends, through Django's tasks framework.

The database backend keeps each task in a table; `manage.py db_worker` runs
them (`make run` starts one). A patient's request only writes rows, so it
never waits on a mail server.

Django's tasks run once: a task whose email failed enqueues its own next try,
after 1, 2, 4, ... minutes (at most EMAIL_RETRY_MAX_DELAY), and records the
failure in `UndeliveredEmail`, which coordinators see once it failed
EMAIL_ATTEMPTS times. An urgent alert is tried until it goes out; a patient's
link email is given up after EMAIL_ATTEMPTS, and its address deleted.
A failed task raises `EmailNotSent` naming only the error's class: the task's
stored error never holds an address.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .alerts import urgent_alerts_send
from .models import LinkEmail, UndeliveredEmail

logger = logging.getLogger(__name__)

FIRST_RETRY_DELAY = 60  # seconds; doubled after every failure
# Urgent requests made within this many seconds go out in one email.
URGENT_ALERT_BATCH_DELAY = 15
# A second look, in case the first run died with its worker or its database
# (a task claimed by a worker that dies is not run again): it sends nothing
# when everything went out.
URGENT_ALERT_CHECK_DELAY = 5 * 60


class EmailNotSent(Exception):
    """The email failed; the message is the error's class name only."""


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the `attempts`-th failure."""
    seconds = FIRST_RETRY_DELAY * 2 ** max(0, attempts - 1)
    return datetime.timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_DELAY))


def _enqueue_later(task_to_run, delay: datetime.timedelta, *args) -> None:
    """Enqueue `task_to_run` after `delay`, or at once where the backend
    cannot defer (the immediate backend of tests runs it on the spot, so a
    retry there would loop: it is left to the next request)."""
    if task_to_run.get_backend().supports_defer:
        task_to_run.using(run_after=timezone.now() + delay).enqueue(*args)


def urgent_alert_enqueue() -> None:
    """Alert coordinators shortly (requests made meanwhile join the same
    email), and look again a few minutes later."""
    if send_urgent_alerts.get_backend().supports_defer:
        for seconds in (URGENT_ALERT_BATCH_DELAY, URGENT_ALERT_CHECK_DELAY):
            delay = datetime.timedelta(seconds=seconds)
            send_urgent_alerts.using(run_after=timezone.now() + delay).enqueue()
    else:
        send_urgent_alerts.enqueue()


@transaction.atomic
def _urgent_alert_failed(error: Exception) -> datetime.timedelta | None:
    """Count a failed urgent alert; the delay before the next try, or None
    when another try is already scheduled (several requests' tasks failing
    during one outage keep one chain of retries)."""
    now = timezone.now()
    record = (
        UndeliveredEmail.objects.select_for_update().urgent_alert_open().first()
        or UndeliveredEmail(kind=UndeliveredEmail.Kind.URGENT_ALERT)
    )
    record.attempts += 1
    record.error = type(error).__name__
    record.last_failed_at = now
    scheduled = record.next_try_at is not None and record.next_try_at > now
    delay = None if scheduled else retry_delay(record.attempts)
    if delay is not None:
        record.next_try_at = now + delay
    record.save()
    return delay


@task()
def send_urgent_alerts() -> int:
    """Send every pending urgent alert in one email; returns how many requests."""
    try:
        references = urgent_alerts_send()
    except Exception as error:
        logger.warning("Urgent alert not sent (%s).", type(error).__name__)
        delay = _urgent_alert_failed(error)
        if delay is not None:
            _enqueue_later(send_urgent_alerts, delay)
        raise EmailNotSent(type(error).__name__) from None
    if references:
        UndeliveredEmail.objects.urgent_alert_open().update(sent_at=timezone.now())
    return len(references)


def _link_message(row: LinkEmail) -> tuple[str, str]:
    submission = row.submission
    with translation.override(row.language):
        link = row.site + reverse("intake:resume", args=[submission.token])
        subject = _("Your private link to CAR T Navigator")
        body = _(
            "Here is the private link to your answers on CAR T Navigator:\n\n"
            "%(link)s\n\nAnyone with this link can see your answers, so keep it "
            "private. Unfinished answers are deleted after %(days)d days without "
            "a change, and the link stops working after %(idle)d days without "
            "one.\n\n"
            "We sent this once, because you asked. We did not keep your email "
            "address."
        ) % {
            "link": link,
            "days": settings.DRAFT_RETENTION_DAYS,
            "idle": settings.RESUME_LINK_IDLE_DAYS,
        }
    return subject, body


def _link_email_failed(row: LinkEmail, error: Exception) -> None:
    """Try again later, or give up after EMAIL_ATTEMPTS: the address is
    deleted and coordinators see that a link email failed (its reference)."""
    row.attempts += 1
    can_retry = send_link_email.get_backend().supports_defer
    if row.attempts < settings.EMAIL_ATTEMPTS and can_retry:
        row.save(update_fields=["attempts"])
        _enqueue_later(send_link_email, retry_delay(row.attempts), row.pk)
        return
    UndeliveredEmail.objects.create(
        kind=UndeliveredEmail.Kind.PATIENT_LINK,
        reference=row.submission.reference,
        attempts=max(row.attempts, settings.EMAIL_ATTEMPTS),
        error=type(error).__name__,
        first_failed_at=row.created_at,
    )
    row.delete()


@task()
def send_link_email(link_email_id: int) -> bool:
    """Email a patient their private link, then delete the address.

    Nothing to do (False) when the row is gone: the patient deleted their
    answers meanwhile, or the email was sent already.
    """
    row = LinkEmail.objects.select_related("submission").filter(pk=link_email_id)
    row = row.first()
    if row is None:
        return False
    subject, body = _link_message(row)
    try:
        send_mail(subject, body, None, [row.email])
    except Exception as error:
        logger.warning("Link email not sent (%s).", type(error).__name__)
        _link_email_failed(row, error)
        raise EmailNotSent(type(error).__name__) from None
    row.delete()
    return True
