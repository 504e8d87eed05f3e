"""Emails that could not be sent: the queue's banner and the coordinators' list.

The retries and the records themselves are intake/tasks.py's.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ..alerts import urgent_without_alert_count
from ..models import UndeliveredEmail
from ..permissions import can_review
from .shared_cache import kept_or_computed

URGENT_WITHOUT_ALERT_KEY = "queue-urgent-without-alert"
BANNER_TTL = 10  # seconds, as the queue's status counts


def urgent_without_alert_banner() -> int:
    """The banner's count, kept as long as the status counts: every page of
    the queue shows it, and it only matters while alerts keep failing."""
    return kept_or_computed(
        URGENT_WITHOUT_ALERT_KEY, urgent_without_alert_count, BANNER_TTL
    )


@never_cache
@require_safe
@login_required
def undelivered(request):
    """Emails that failed settings.EMAIL_ATTEMPTS times: identifiers only."""
    if not can_review(request.user):
        raise PermissionDenied
    return render(
        request,
        "review/undelivered.html",
        {
            "records": UndeliveredEmail.objects.dead()[:200],
            "urgent_without_alert": urgent_without_alert_count(),
            "section": "queue",
        },
    )
