"""The language a coordinator works in: their own choice (their preferences
page, `CoordinatorPreference.language`), else the team's
(settings.COORDINATOR_LANGUAGE).

The workspace's pages have no language prefix, so LocaleMiddleware gives them
the site's default; intake.review.timezones' middleware activates this
language instead for the workspace's requests only (a coordinator reading the
patients' pages gets the language of their address, as anyone does). The
choice is kept in the session once read, like the time zone.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language_info

from ..models import CoordinatorPreference

SESSION_KEY = "coordinator_language"


def team_language() -> str:
    return settings.COORDINATOR_LANGUAGE


def offered_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """A language's name in that language ("Español"), as pickers show it."""
    return get_language_info(code)["name_local"]


def chosen_language(user) -> str:
    """The user's own choice, or "" for the team's."""
    return (
        CoordinatorPreference.objects.filter(user=user)
        .values_list("language", flat=True)
        .first()
        or ""
    )


def remember_language(request, chosen: str) -> None:
    request.session[SESSION_KEY] = chosen


def workspace_language(request) -> str:
    """The language to activate for a coordinator's workspace request."""
    if SESSION_KEY not in request.session:
        remember_language(request, chosen_language(request.user))
    chosen = request.session[SESSION_KEY]
    if chosen not in offered_languages():
        # "" (the team's), or a language the site no longer offers.
        return team_language()
    return chosen
