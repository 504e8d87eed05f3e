"""Public pages: what the tool is, the approved products, the centres, help
for someone unwell after CAR T, and who runs the site."""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_countries import countries

from .emergency import emergency_for_request, emergency_help
from .models import Indication, Therapy, TreatmentCenter
from .snapshot import catalog_language, translated_text, trial_info
from .vocabulary import RelapseStatus, Symptom

ORDINAL_LINES = {
    0: _("first line"),
    1: _("second line"),
    2: _("third line"),
    3: _("fourth line"),
}


def rule_lines_text(rule) -> str:
    """One rule's line of therapy in a few words: "second line", "after 2 or more lines"."""
    lo, hi = rule.min_prior_lines, rule.max_prior_lines
    if lo is not None and lo == hi:
        if lo in ORDINAL_LINES:
            return str(ORDINAL_LINES[lo])
        return ngettext("after exactly %(n)d line", "after exactly %(n)d lines", lo) % {
            "n": lo
        }
    if lo is not None and hi is not None:
        return _("after %(lo)d to %(hi)d lines") % {"lo": lo, "hi": hi}
    if lo is not None:
        return ngettext(
            "after %(n)d or more lines", "after %(n)d or more lines", lo
        ) % {"n": lo}
    if hi is not None:
        return ngettext("after at most %(n)d line", "after at most %(n)d lines", hi) % {
            "n": hi
        }
    statuses = set(rule.relapse_statuses)
    if statuses == {RelapseStatus.REFRACTORY}:
        return str(_("refractory, any line"))
    if statuses and statuses <= {
        RelapseStatus.EARLY_RELAPSE,
        RelapseStatus.LATE_RELAPSE,
    }:
        return str(_("relapsed, any line"))
    if statuses:
        return str(_("relapsed or refractory, any line"))
    return str(_("any line"))


def line_texts(indication: Indication) -> list[str]:
    """The lines of therapy of an indication's routes (its prefetched rules)."""
    texts = [rule_lines_text(r) for r in indication.rules.all()]
    return list(dict.fromkeys(texts)) or [str(_("any line"))]


@dataclass
class Use:
    """One row of the comparison: a disease at a line of therapy."""

    indication: Indication
    lines: list[str]


@dataclass
class TherapyRow:
    therapy: Therapy
    uses: list[Use] = field(default_factory=list)

    def add(self, indication: Indication) -> None:
        # Two approvals for the same disease and line (Breyanzi's second-line
        # routes) read as one row; the detail page shows both labels.
        lines = line_texts(indication)
        for use in self.uses:
            if (
                use.indication.disease_id == indication.disease_id
                and use.lines == lines
            ):
                return
        self.uses.append(Use(indication, lines))


@dataclass
class RegulatorGroup:
    code: str
    label: str
    rows: list[TherapyRow] = field(default_factory=list)


def by_regulator(therapies) -> tuple[list[RegulatorGroup], list[Therapy]]:
    """Each regulator's approvals, in the regulators' order, and the products
    with none listed."""
    groups: dict[str, RegulatorGroup] = {}
    order: dict[str, tuple] = {}
    unlisted = []
    for therapy in therapies:
        rows: dict[str, TherapyRow] = {}
        for indication in therapy.indications.all():
            regulator = indication.regulator
            order[regulator.code] = (regulator.order, regulator.code)
            groups.setdefault(
                regulator.code, RegulatorGroup(regulator.code, regulator.name)
            )
            rows.setdefault(regulator.code, TherapyRow(therapy)).add(indication)
        for code, row in rows.items():
            groups[code].rows.append(row)
        if not rows:
            unlisted.append(therapy)
    return sorted(groups.values(), key=lambda g: order[g.code]), unlisted


NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5"}


def _words(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return " ".join(NUMBER_WORDS.get(w, w) for w in words)


def _route(rule) -> tuple[str, str]:
    """(line of therapy, the rule's note unless it only repeats the line)."""
    line = rule_lines_text(rule)
    note = "" if _words(rule.note) in _words(line) else rule.note
    return line, note


def indications_by_regulator(therapy: Therapy) -> list[tuple[str, list[Indication]]]:
    """(regulator name, its indications), in the regulators' order (the
    query's), each with `routes` to show."""
    grouped: dict[str, list[Indication]] = {}
    for indication in therapy.indications.all():
        indication.routes = [_route(rule) for rule in indication.rules.all()]
        grouped.setdefault(indication.regulator.name, []).append(indication)
    return list(grouped.items())


# The emergency number is guessed from the browser's language, so these pages
# are never stored by a cache: one visitor's guess must not reach another.
@never_cache
@vary_on_headers("Accept-Language")
@require_safe
def home(request):
    emergency = emergency_help(
        accept_language=request.headers.get("Accept-Language", "")
    )
    return render(request, "therapies/home.html", {"emergency": emergency})


@never_cache
@vary_on_headers("Accept-Language")
@require_safe
def unwell(request):
    """Whom to call when unwell after CAR T; needs no private link."""
    form, emergency = emergency_for_request(request)
    return render(
        request,
        "therapies/unwell.html",
        {
            "emergency": emergency,
            "country_form": form,
            "warning_signs": [
                label for code, label in Symptom.choices if code != Symptom.NONE
            ],
        },
        status=400 if form.errors else 200,
    )


def _operator():
    """What the people running this site have told us about themselves, and
    the pages the trust pages point to."""
    return {
        "operator_name": settings.SITE_OPERATOR_NAME,
        "contact_email": settings.SITE_CONTACT_EMAIL,
        "privacy_url": reverse("therapies:privacy"),
        "contact_url": reverse("therapies:contact"),
        "unwell_url": reverse("therapies:unwell"),
        "start_url": reverse("intake:start"),
    }


@require_safe
def about(request):
    return render(request, "therapies/about.html", _operator())


@require_safe
def privacy(request):
    retention = {
        "link_idle_days": settings.RESUME_LINK_IDLE_DAYS,
        "closed_retention_days": settings.CLOSED_RETENTION_DAYS,
    }
    return render(request, "therapies/privacy.html", {**_operator(), **retention})


@require_safe
def contact(request):
    return render(request, "therapies/contact.html", _operator())


@require_safe
def therapy_list(request):
    # An approval's line of therapy comes from its rules.
    therapies = Therapy.objects.for_listing()
    groups, unlisted = by_regulator(therapies)
    return render(
        request,
        "therapies/therapy_list.html",
        {"groups": groups, "unlisted": unlisted},
    )


def trials_by_disease(therapy: Therapy) -> list[tuple[str, list]]:
    """(disease name, its trials), so each rate shows under the patients it
    comes from (the query's order)."""
    language = catalog_language()
    grouped: dict[str, list] = {}
    names = {}
    for trial in therapy.trial_results.all():
        names[trial.disease.code] = translated_text(trial.disease, "name", language)
        grouped.setdefault(trial.disease.code, []).append(trial_info(trial, language))
    return [(names[code], trials) for code, trials in grouped.items()]


@require_safe
def therapy_detail(request, slug):
    therapy = get_object_or_404(Therapy.objects.for_detail(), slug=slug)
    return render(
        request,
        "therapies/therapy_detail.html",
        {
            "therapy": therapy,
            "approvals": indications_by_regulator(therapy),
            "trials": trials_by_disease(therapy),
        },
    )


class CenterFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    product = forms.ChoiceField(label=_("Product"), required=False)

    def __init__(self, *args, country_codes, products, **kwargs):
        super().__init__(*args, **kwargs)
        named = sorted(
            ((c, countries.name(c) or c) for c in country_codes), key=lambda c: c[1]
        )
        self.fields["country"].choices = [("", _("All countries")), *named]
        self.fields["product"].choices = [
            ("", _("All products")),
            *((t.slug, t.brand_name) for t in products),
        ]


@require_safe
def center_list(request):
    form = CenterFilterForm(
        request.GET or None,
        country_codes=TreatmentCenter.objects.country_codes(),
        products=Therapy.objects.current().only("slug", "brand_name"),
    )
    centers = TreatmentCenter.objects.for_listing()
    # A bad value (an old link, a hand-edited URL) drops that filter only:
    # cleaned_data keeps the fields that did validate.
    wanted = {}
    if form.is_bound:
        form.full_clean()
        wanted = form.cleaned_data
    if wanted.get("country"):
        centers = centers.filter(country=wanted["country"])
    if wanted.get("product"):
        centers = centers.filter(
            therapies__slug=wanted["product"], therapies__retired_on__isnull=True
        )
    return render(
        request,
        "therapies/center_list.html",
        {"form": form, "centers": centers, "filter_ignored": bool(form.errors)},
    )
