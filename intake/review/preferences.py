"""A coordinator's own settings page: the language the workspace and the CSV
export are in, and the time zone their times are shown in.

Saving it takes effect from the next page (intake.review.timezones reads the
choices into the session, and this page writes them there too).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..models import CoordinatorPreference, known_time_zones
from ..permissions import can_review
from ..widgets import LongSelect
from .languages import (
    language_name,
    offered_languages,
    remember_language,
    team_language,
)
from .timezones import remember_time_zone, team_time_zone


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        help_text=gettext_lazy(
            "The coordinators' pages and the words in the CSV export are in this "
            "language."
        ),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not a language we offer. Choose one from the list."
            )
        },
        widget=LongSelect,
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        help_text=gettext_lazy(
            "Times on the coordinators' pages and in the CSV export are shown in "
            "this zone."
        ),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not a time zone we know. Choose one from the list."
            )
        },
        widget=LongSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Capitalised, as the patients' language menu shows them.
        team = _("The team's language (%(language)s)") % {
            "language": capfirst(language_name(team_language()))
        }
        self.fields["language"].choices = [
            ("", team),
            *((code, capfirst(language_name(code))) for code in offered_languages()),
        ]
        team = _("The team's time zone (%(zone)s)") % {"zone": team_time_zone()}
        self.fields["time_zone"].choices = [
            ("", team),
            *((zone, zone) for zone in sorted(known_time_zones())),
        ]


def coordinator_preferences_set(
    *, user, language: str, time_zone: str
) -> CoordinatorPreference:
    """Save a coordinator's language and zone ("" for the team's)."""
    preference, _created = CoordinatorPreference.objects.update_or_create(
        user=user, defaults={"language": language, "time_zone": time_zone}
    )
    return preference


def coordinator_preferences(user) -> dict[str, str]:
    """The user's own choices ("" for the team's), for the form."""
    saved = (
        CoordinatorPreference.objects.filter(user=user)
        .values("language", "time_zone")
        .first()
    )
    return saved or {"language": "", "time_zone": ""}


def _saved_message(*, language: str, time_zone: str) -> str:
    # In the language just chosen: the next page is in it too.
    with translation.override(language or team_language()):
        return _(
            "Saved. Pages and the CSV export are in %(language)s; times are "
            "shown in %(zone)s."
        ) % {
            "language": language_name(language or team_language()),
            "zone": time_zone or team_time_zone(),
        }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit(request):
    """The page stays named review:time_zone, its first and older name."""
    if not can_review(request.user):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            chosen = form.cleaned_data
            coordinator_preferences_set(
                user=request.user,
                language=chosen["language"],
                time_zone=chosen["time_zone"],
            )
            remember_language(request, chosen["language"])
            remember_time_zone(request, chosen["time_zone"])
            messages.success(
                request,
                _saved_message(
                    language=chosen["language"], time_zone=chosen["time_zone"]
                ),
            )
            return redirect("review:time_zone")
        messages.error(request, _("Your preferences were not changed."))
        status = 400
    else:
        form = PreferencesForm(initial=coordinator_preferences(request.user))
    return render(
        request,
        "review/time_zone.html",
        {
            "form": form,
            "now": timezone.now(),
            "team_time_zone": team_time_zone(),
            "section": "time_zone",
        },
        status=status,
    )
