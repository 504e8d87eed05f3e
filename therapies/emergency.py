"""Which emergency number to show someone who may be unwell after CAR T.

The country comes from what the visitor told us (a patient's answer, or the
small country form on the page); failing that, it is guessed from the region
in their browser's Accept-Language header (en-GB is the United Kingdom, zh-CN
China). A guess is only a guess: the page says so and offers the form. The
numbers themselves are catalog data (`EmergencyNumber`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import EmergencyNumber

MAX_LANGUAGE_RANGES = 20  # a header longer than this is not a real browser's


@dataclass(frozen=True)
class EmergencyHelp:
    """What a page shows: the country (or "") and its number, if we know it."""

    country: str = ""
    number: EmergencyNumber | None = None
    guessed: bool = False

    @property
    def country_name(self) -> str:
        return countries.name(self.country) if self.country else ""


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _sep, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def _region(tag: str) -> str:
    """The region of a language tag: GB in en-GB, CN in zh-Hans-CN, else ""."""
    for subtag in tag.replace("_", "-").split("-")[1:]:
        if len(subtag) == 2 and subtag.isascii() and subtag.isalpha():
            return subtag.upper()
    return ""


def regions_from_accept_language(header: str) -> list[str]:
    """The country codes in an Accept-Language header, most preferred first."""
    ranges = []
    for position, part in enumerate(header.split(",")[:MAX_LANGUAGE_RANGES]):
        tag, *parameters = part.strip().split(";")
        quality = _quality(parameters)
        region = _region(tag.strip())
        if region and quality > 0 and countries.name(region):
            ranges.append((-quality, position, region))
    return list(dict.fromkeys(region for _q, _p, region in sorted(ranges)))


def emergency_help(*, country: str = "", accept_language: str = "") -> EmergencyHelp:
    """The number for `country`, else for the best guess from the browser.

    At most one query, and none when there is nothing to look up.
    """
    if country:
        found = EmergencyNumber.objects.for_countries([country])
        return EmergencyHelp(country=country, number=found.get(country))
    regions = regions_from_accept_language(accept_language)
    if not regions:
        return EmergencyHelp()
    found = EmergencyNumber.objects.for_countries(regions)
    for region in regions:
        if region in found:
            return EmergencyHelp(region, found[region], guessed=True)
    return EmergencyHelp()


class EmergencyCountryForm(forms.Form):
    """Pick a country to see its emergency number (a GET form, no JavaScript)."""

    country = forms.ChoiceField(
        label=_("Your country"),
        error_messages={
            "invalid_choice": _(
                "We do not know that country. Please choose it from the list."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose your country")), *countries]


def _chosen_country(request, known: str) -> tuple[EmergencyCountryForm, str]:
    if "country" not in request.GET:
        return EmergencyCountryForm(initial={"country": known}), known
    form = EmergencyCountryForm(request.GET)
    if form.is_valid() and form.cleaned_data["country"]:
        return form, form.cleaned_data["country"]
    return form, known


def emergency_for_request(
    request, known: str = ""
) -> tuple[EmergencyCountryForm, EmergencyHelp]:
    """The country form and the number to show: for the country the visitor
    chose with the form, else `known` (a patient's answer), else the guess
    from their browser, which the form then shows as picked."""
    form, country = _chosen_country(request, known)
    emergency = emergency_help(
        country=country, accept_language=request.headers.get("Accept-Language", "")
    )
    if not form.is_bound and emergency.guessed:
        form = EmergencyCountryForm(initial={"country": emergency.country})
    return form, emergency
