"""The intake's steps: their order, which apply to a patient, and what comes next."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from therapies.snapshot import Catalog

from . import forms
from .answers import Answers
from .suggestions import eligibility_questions


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type | None

    def applies(self, answers: Answers, catalog: Catalog) -> bool:
        if self.slug == "car-t":
            return answers.asks_prior_car_t()
        if self.slug == "eligibility":
            return bool(eligibility_questions(answers, catalog))
        return True


STEPS = [
    Step("safety", _("Safety check"), forms.SafetyForm),
    Step("disease", _("Your diagnosis"), forms.DiseaseForm),
    Step("about", _("About you"), forms.AboutForm),
    Step("history", _("Your treatment so far"), forms.HistoryForm),
    Step("car-t", _("Your CAR T treatment"), forms.CarTForm),
    Step("eligibility", _("Questions centres ask"), forms.EligibilityForm),
    Step("practical", _("Practical matters"), forms.PracticalForm),
    Step("review", _("Check your answers"), None),
]
BY_SLUG = {step.slug: step for step in STEPS}

# Answers of a step that later steps depend on: when they change, those later
# steps must be looked at again (their answers stay filled in).
INVALIDATES = {
    "safety": ("urgent-seen",),
    "disease": ("history", "car-t", "eligibility"),
    "about": ("eligibility",),
    "history": ("car-t", "eligibility"),
    "car-t": ("eligibility",),
}


def applicable_steps(answers: Answers, catalog: Catalog) -> list[Step]:
    return [step for step in STEPS if step.applies(answers, catalog)]


def next_step(answers: Answers, completed: list[str], catalog: Catalog) -> Step:
    """The first step that applies and is not done yet; the review when all are."""
    for step in applicable_steps(answers, catalog):
        if step.slug != "review" and step.slug not in completed:
            return step
    return BY_SLUG["review"]


def previous_step(step: Step, answers: Answers, catalog: Catalog) -> Step | None:
    steps = applicable_steps(answers, catalog)
    slugs = [s.slug for s in steps]
    if step.slug not in slugs:
        return None
    index = slugs.index(step.slug)
    return steps[index - 1] if index > 0 else None


def progress(step: Step, answers: Answers, catalog: Catalog) -> tuple[int, int]:
    """(number of this step, number of steps) among the steps that apply."""
    slugs = [s.slug for s in applicable_steps(answers, catalog)]
    number = slugs.index(step.slug) + 1 if step.slug in slugs else 1
    return number, len(slugs)
