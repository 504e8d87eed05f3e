"""The intake's steps: their order, which apply to a patient, and what comes next."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from therapies.conditions import ANSWERS_READ
from therapies.snapshot import Catalog

from . import forms
from .answers import Answers
from .suggestions import eligibility_questions

# Answers that `Answers` computes from others: the contract's `urgent` is any
# symptom reported.
COMPUTED_FROM = {"urgent": ("symptoms",)}


def stored_answers(names) -> frozenset[str]:
    """The answers a form saves that `names` stand for (computed ones replaced)."""
    return frozenset(n for name in names for n in COMPUTED_FROM.get(name, (name,)))


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type | None
    # The answers that decide whether this step applies and what its questions
    # offer: what the `Answers.asks_*` methods and the form it uses read
    # (tests/intake/test_step_reads.py holds this to what they do).
    reads: frozenset[str] = frozenset()

    @property
    def sets(self) -> frozenset[str]:
        """The answers this step's form saves (the eligibility form's own
        answers, one per catalog question, are read by no later step)."""
        return frozenset(getattr(self.form_class, "base_fields", ()))

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
    # The treatments offered fit the disease; lenalidomide and transplant are
    # asked for some diseases after treatment.
    Step(
        "history",
        _("Your treatment so far"),
        forms.HistoryForm,
        reads=frozenset({"disease", "prior_lines"}),
    ),
    # Asked after a CAR T; the target-loss question once it has an outcome.
    Step(
        "car-t",
        _("Your CAR T treatment"),
        forms.CarTForm,
        reads=frozenset({"prior_therapies", "prior_car_t"}),
    ),
    # The catalog's questions, for some diseases, each under rules that may
    # read any answer a rule condition reads (therapies/conditions.py).
    Step(
        "eligibility",
        _("Questions centres ask"),
        forms.EligibilityForm,
        reads=stored_answers({"disease", *ANSWERS_READ}),
    ),
    Step("practical", _("Practical matters"), forms.PracticalForm),
    Step("review", _("Check your answers"), None),
]
BY_SLUG = {step.slug: step for step in STEPS}


def _reopened_by(step: Step) -> tuple[str, ...]:
    later = STEPS[STEPS.index(step) + 1 :]
    return tuple(s.slug for s in later if s.reads & step.sets)


# When a step's answers change, the later steps whose applicability or
# questions read one of them are looked at again (their answers stay filled
# in). A change in the symptoms shows the urgent warning again
# (services.draft_save_step); answering the infusion question after calling
# does not.
INVALIDATES = {step.slug: _reopened_by(step) for step in STEPS if _reopened_by(step)}


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
