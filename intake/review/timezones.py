"""The time zone a coordinator reads times in: their own choice (the "Time
zone" page, `CoordinatorPreference`), else the team's
(settings.COORDINATOR_TIME_ZONE).

The middleware activates it for every request of a coordinator, so every
time on their pages (`|date`, `|time`, `localtime`) and in the CSV export is
local, and deactivates it afterwards: a patient's request served next by the
same thread never inherits it. The choice is kept in the session once read,
so a page costs no query for it; saving the page updates the session too.

The same middleware activates the coordinator's language
(intake.review.languages) for the workspace's own pages, and restores the
previous one afterwards.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from ..models import CoordinatorPreference, known_time_zones
from ..permissions import can_review
from .languages import workspace_language

SESSION_KEY = "coordinator_time_zone"


def team_time_zone() -> str:
    return settings.COORDINATOR_TIME_ZONE


def chosen_time_zone(user) -> str:
    """The user's own choice, or "" for the team's."""
    return (
        CoordinatorPreference.objects.filter(user=user)
        .values_list("time_zone", flat=True)
        .first()
        or ""
    )


def remember_time_zone(request, chosen: str) -> None:
    request.session[SESSION_KEY] = chosen


def _zone_name(request) -> str:
    if SESSION_KEY not in request.session:
        remember_time_zone(request, chosen_time_zone(request.user))
    chosen = request.session[SESSION_KEY]
    if chosen not in known_time_zones():
        # A zone the system no longer has (a tzdata update): the team's.
        return team_time_zone()
    return chosen


def in_workspace(request) -> bool:
    return request.path_info.startswith(reverse("review:queue"))


class CoordinatorTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        coordinator = user.is_authenticated and can_review(user)
        if coordinator:
            timezone.activate(zoneinfo.ZoneInfo(_zone_name(request)))
        else:
            timezone.deactivate()
        try:
            if coordinator and in_workspace(request):
                return self._in_language(request, workspace_language(request))
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def _in_language(self, request, language: str):
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        # LocaleMiddleware, outside this one, would name the language active
        # by then: the site's default.
        response.headers.setdefault("Content-Language", language)
        return response
