"""Alerts to coordinators: an email to each when an urgent request is waiting.

The patient's contact request sends it (after commit); the email links to the
coordinators' page for the request.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Submission
from .permissions import coordinator_users

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    # No request here (the patient's contact request calls this after commit):
    # the site's address comes from SITE_URL, else the first trusted origin.
    base = getattr(settings, "SITE_URL", "") or next(
        iter(settings.CSRF_TRUSTED_ORIGINS), ""
    )
    return base.rstrip("/") + path


def _recipients(submission: Submission) -> list[str]:
    """Every coordinator's address, else the configured fallback; [] when the
    coordinators could not be read (logged)."""
    try:
        recipients = sorted(
            set(coordinator_users().exclude(email="").values_list("email", flat=True))
        )
    except DatabaseError:
        logger.exception(
            "Urgent request %s: coordinators could not be read; no alert sent yet.",
            submission.reference,
        )
        return []
    if not recipients and settings.COORDINATOR_ALERT_EMAIL:
        recipients = [settings.COORDINATOR_ALERT_EMAIL]
    if not recipients:
        logger.warning(
            "Urgent request %s: no coordinator email address to alert.",
            submission.reference,
        )
    return recipients


def _message(submission: Submission) -> tuple[str, str]:
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
    return subject, body


def submission_notify_urgent(*, submission: Submission) -> int:
    """Email every coordinator that an urgent request is waiting.

    The email holds the reference and a link only: no health data, no name, so
    a mailbox or a mail server never holds more than an identifier. Returns the
    number of emails sent. A mail failure is logged, never raised: the patient's
    request is already saved and must not fail because of it.
    """
    recipients = _recipients(submission)
    if not recipients:
        return 0
    subject, body = _message(submission)
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
