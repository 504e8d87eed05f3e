"""The time zone a coordinator reads times in: their own choice (the "Time
zone" page, `CoordinatorPreference`), else the team's
(settings.COORDINATOR_TIME_ZONE).

The middleware activates it for every request of a coordinator, so every
time on their pages (`|date`, `|time`, `localtime`) and in the CSV export is
local, and deactivates it afterwards: a patient's request served next by the
same thread never inherits it. The choice is kept in the session once read,
so a page costs no query for it; saving the page updates the session too.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils import timezone

from ..models import CoordinatorPreference, known_time_zones
from ..permissions import can_review

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


class CoordinatorTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and can_review(user):
            timezone.activate(zoneinfo.ZoneInfo(_zone_name(request)))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
