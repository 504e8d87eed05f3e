"""Answers in plain words, for the review step, the results, the print view and
the coordinators' detail page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from therapies.snapshot import Catalog
from therapies.vocabulary import (
    DiseaseCode,
    LbclSubtype,
    PriorCarT,
    PriorTherapy,
    RelapseStatus,
    Symptom,
    YesNoUnsure,
)
from therapies.wording import long_item_separator

from .answers import Answers
from .suggestions import eligibility_questions


@dataclass(frozen=True)
class AnswerRow:
    step: str
    label: str
    value: str


def _label(choices, code) -> str:
    if not code:
        return _("Not answered")
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _codes(choices, codes, empty) -> str:
    # Labels such as "BTK inhibitor (such as ibrutinib, …)" hold commas.
    return long_item_separator().join(_label(choices, c) for c in codes) or empty


def _age(a: Answers) -> str:
    return str(a.age) if a.age is not None else _("Not answered")


def _country(a: Answers) -> str:
    return str(dict(countries).get(a.country, a.country or _("Not answered")))


def _lines(a: Answers) -> str:
    return str(a.prior_lines) if a.lines_known else _("Not sure")


def _always(a: Answers) -> bool:
    return True


# Each answer's row: (step, label, how its value reads, when it is asked). The
# order is the intake's; the "asked when" comes from `Answers` itself.
ROWS = (
    (
        "safety",
        gettext_lazy("CAR T infusion in the last 8 weeks"),
        lambda a: _label(YesNoUnsure, a.recent_infusion),
        _always,
    ),
    (
        "safety",
        gettext_lazy("Symptoms now"),
        lambda a: _codes(Symptom, a.symptoms, _("None")),
        _always,
    ),
    (
        "disease",
        gettext_lazy("Diagnosis"),
        lambda a: _label(DiseaseCode, a.disease),
        _always,
    ),
    (
        "disease",
        gettext_lazy("Kind of lymphoma"),
        lambda a: _label(LbclSubtype, a.lbcl_subtype),
        Answers.asks_lbcl_subtype,
    ),
    ("about", gettext_lazy("Age"), _age, _always),
    ("about", gettext_lazy("Country"), _country, _always),
    ("history", gettext_lazy("Lines of treatment so far"), _lines, _always),
    (
        "history",
        gettext_lazy("Where things stand"),
        lambda a: _label(RelapseStatus, a.relapse_status),
        _always,
    ),
    (
        "history",
        gettext_lazy("Treatments so far"),
        lambda a: _codes(PriorTherapy, a.prior_therapies, _("None listed")),
        Answers.asks_prior_therapies,
    ),
    (
        "history",
        gettext_lazy("Myeloma stopped responding to lenalidomide"),
        lambda a: _label(YesNoUnsure, a.lenalidomide_refractory),
        Answers.asks_lenalidomide,
    ),
    (
        "history",
        gettext_lazy("Care team sees a stem cell transplant as an option"),
        lambda a: _label(YesNoUnsure, a.transplant_eligible),
        Answers.asks_transplant,
    ),
    (
        "car-t",
        gettext_lazy("How the earlier CAR T went"),
        lambda a: _label(PriorCarT, a.prior_car_t),
        Answers.asks_prior_car_t,
    ),
    (
        "car-t",
        gettext_lazy("Tests showed the cancer lost the CAR T target"),
        lambda a: _label(YesNoUnsure, a.antigen_loss),
        Answers.asks_antigen_loss,
    ),
)
PRACTICAL_ROWS = (
    (
        "practical",
        gettext_lazy("Someone can stay with me around the clock"),
        lambda a: _label(YesNoUnsure, a.caregiver),
        _always,
    ),
    (
        "practical",
        gettext_lazy("Willing to travel to another country"),
        lambda a: _label(YesNoUnsure, a.travel_abroad),
        _always,
    ),
)


def _eligibility_rows(a: Answers, catalog: Catalog) -> list[AnswerRow]:
    # Only the questions still asked: an answer to one that no longer
    # applies (the diagnosis changed) is not shown.
    return [
        AnswerRow("eligibility", q.text, _label(YesNoUnsure, a.eligibility[q.slug]))
        for q in eligibility_questions(a, catalog)
        if q.slug in a.eligibility
    ]


def answer_rows(answers: Answers, catalog: Catalog | None = None) -> list[AnswerRow]:
    a = answers.applicable()

    def rows(table):
        return [
            AnswerRow(step, str(label), value(a))
            for step, label, value, asked in table
            if asked(a)
        ]

    eligibility = _eligibility_rows(a, catalog) if catalog is not None else []
    return rows(ROWS) + eligibility + rows(PRACTICAL_ROWS)


# The results page opens with the patient's own short list: a visit has time
# for a handful of questions, most important first.
SHORT_LIST_QUESTIONS = 8


def short_questions(suggestions, limit: int = SHORT_LIST_QUESTIONS) -> list:
    """The topics whose questions go on the short list: most important first,
    each question once, at most `limit`."""
    chosen, seen = [], set()
    for match in suggestions.topics:
        question = str(match.topic.question or "").strip()
        if question and question not in seen:
            seen.add(question)
            chosen.append(match.topic)
        if len(chosen) == limit:
            break
    return chosen
