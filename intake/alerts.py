"""Alerts to coordinators: one email to each when urgent requests are waiting.

A patient's urgent contact request enqueues `intake.tasks.send_urgent_alerts`
(in the request's transaction, so the request and its task are saved together);
the task sends, in one email, every urgent request not alerted yet, so a burst
of requests is one email that says how many. The email links to the
coordinators' page for each request and holds identifiers only.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Submission, UndeliveredEmail
from .permissions import coordinator_users

logger = logging.getLogger(__name__)


class NoAlertRecipient(Exception):
    """No coordinator has an email address and COORDINATOR_ALERT_EMAIL is empty."""


def _absolute(path: str) -> str:
    # No request here (a background task sends it): the site's address comes
    # from SITE_URL, else the first trusted origin.
    base = getattr(settings, "SITE_URL", "") or next(
        iter(settings.CSRF_TRUSTED_ORIGINS), ""
    )
    return base.rstrip("/") + path


def _recipients() -> list[str]:
    """Every coordinator's address, else the configured fallback."""
    recipients = sorted(
        set(coordinator_users().exclude(email="").values_list("email", flat=True))
    )
    if not recipients and settings.COORDINATOR_ALERT_EMAIL:
        recipients = [settings.COORDINATOR_ALERT_EMAIL]
    if not recipients:
        raise NoAlertRecipient
    return recipients


def _message(references: list[str]) -> tuple[str, str]:
    lines = "\n".join(
        f"{reference}: {_absolute(reverse('review:detail', args=[reference]))}"
        for reference in references
    )
    # Coordinators read the site's default language, whatever the patient's.
    with translation.override(settings.LANGUAGE_CODE):
        if len(references) == 1:
            subject = _("Urgent: request %(reference)s is waiting") % {
                "reference": references[0]
            }
        else:
            subject = _("Urgent: %(count)d requests are waiting") % {
                "count": len(references)
            }
        body = _(
            "%(count)d urgent request(s) to be contacted are waiting in the "
            "coordinators' queue. Open each (sign-in needed):\n\n%(lines)s\n\n"
            "This email carries no patient details on purpose."
        ) % {"count": len(references), "lines": lines}
    return subject, body


@transaction.atomic
def urgent_alerts_send() -> list[str]:
    """Email every coordinator once about every urgent request not alerted yet,
    and mark those requests alerted; returns their references.

    Each urgent request is alerted exactly once, even with several workers:
    the requests are locked while the email goes out, and a second worker skips
    locked rows (PostgreSQL; SQLite runs one writing transaction at a time).
    If the mail server fails, the error reaches the caller and nothing is
    marked, so the next try sends them. The email holds references and links
    only: no health data, no name.
    """
    batch = list(
        Submission.objects.urgent_not_alerted()
        .select_for_update(skip_locked=True)
        .order_by("contact_requested_at", "id")
        .only("pk", "reference")
    )
    if not batch:
        return []
    references = [submission.reference for submission in batch]
    subject, body = _message(references)
    send_mass_mail(
        [(subject, body, None, [address]) for address in _recipients()],
        fail_silently=False,
    )
    Submission.objects.filter(pk__in=[s.pk for s in batch]).update(
        urgent_alerted_at=timezone.now()
    )
    logger.info("Urgent alert sent for %d request(s).", len(batch))
    return references


def urgent_without_alert_count() -> int:
    """How many urgent requests wait without an alert email, once alerts have
    failed as often as settings.EMAIL_ATTEMPTS (0 before: a retry is due)."""
    failing = UndeliveredEmail.objects.dead().filter(
        kind=UndeliveredEmail.Kind.URGENT_ALERT
    )
    if not failing.exists():
        return 0
    return Submission.objects.urgent_not_alerted().count()
