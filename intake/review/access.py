"""Who may use the coordinators' workspace, and which submissions it shows.

Every view of the workspace starts with one of these: a signed-in user
without the review permission gets 403; a submission outside the queue (a
draft, no contact request, deleted, or a patient's resume token in the URL)
is a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import Submission
from ..permissions import can_review
from .forms import REFERENCE_MAX


def require_coordinator(request) -> None:
    if not can_review(request.user):
        raise PermissionDenied


def get_submission_for_coordinator(request, reference: str) -> Submission:
    """A submission in the coordinators' queue, by reference; anything else is 404."""
    require_coordinator(request)
    if len(reference) > REFERENCE_MAX:
        raise Http404
    return get_object_or_404(
        Submission.objects.visible_to_coordinators().select_related("assignee"),
        reference=reference,
    )
