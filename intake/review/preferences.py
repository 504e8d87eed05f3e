"""A coordinator's own settings page: the time zone their times are shown in.

Saving it takes effect from the next page (intake.review.timezones reads the
choice into the session, and this page writes it there too).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..models import CoordinatorPreference, known_time_zones
from ..permissions import can_review
from .timezones import chosen_time_zone, remember_time_zone, team_time_zone


class TimeZoneForm(forms.Form):
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
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        team = _("The team's time zone (%(zone)s)") % {"zone": team_time_zone()}
        self.fields["time_zone"].choices = [
            ("", team),
            *((zone, zone) for zone in sorted(known_time_zones())),
        ]


def coordinator_time_zone_set(*, user, time_zone: str) -> CoordinatorPreference:
    """Save a coordinator's zone ("" for the team's)."""
    preference, _created = CoordinatorPreference.objects.update_or_create(
        user=user, defaults={"time_zone": time_zone}
    )
    return preference


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def time_zone(request):
    if not can_review(request.user):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = TimeZoneForm(request.POST)
        if form.is_valid():
            chosen = form.cleaned_data["time_zone"]
            coordinator_time_zone_set(user=request.user, time_zone=chosen)
            remember_time_zone(request, chosen)
            messages.success(
                request,
                _("Times are now shown in %(zone)s.")
                % {"zone": chosen or team_time_zone()},
            )
            return redirect("review:time_zone")
        messages.error(request, _("The time zone was not changed."))
        status = 400
    else:
        form = TimeZoneForm(initial={"time_zone": chosen_time_zone(request.user)})
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
