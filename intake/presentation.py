"""Answers in plain words, for the review step, the results, the print view and
the coordinators' detail page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
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


def answer_rows(answers: Answers, catalog: Catalog | None = None) -> list[AnswerRow]:
    a = answers.applicable()
    rows = [
        AnswerRow(
            "safety",
            _("CAR T infusion in the last 8 weeks"),
            _label(YesNoUnsure, a.recent_infusion),
        ),
    ]
    rows.append(
        AnswerRow(
            "safety",
            _("Symptoms now"),
            "; ".join(_label(Symptom, s) for s in a.symptoms) or _("None"),
        )
    )
    rows.append(AnswerRow("disease", _("Diagnosis"), _label(DiseaseCode, a.disease)))
    if a.asks_lbcl_subtype():
        rows.append(
            AnswerRow(
                "disease", _("Kind of lymphoma"), _label(LbclSubtype, a.lbcl_subtype)
            )
        )
    rows += [
        AnswerRow(
            "about", _("Age"), str(a.age) if a.age is not None else _("Not answered")
        ),
        AnswerRow(
            "about",
            _("Country"),
            str(dict(countries).get(a.country, a.country or _("Not answered"))),
        ),
        AnswerRow(
            "history",
            _("Lines of treatment so far"),
            str(a.prior_lines) if a.lines_known else _("Not sure"),
        ),
        AnswerRow(
            "history", _("Where things stand"), _label(RelapseStatus, a.relapse_status)
        ),
    ]
    rows += _treatment_rows(a)
    if catalog is not None:
        rows += _eligibility_rows(a, catalog)
    rows += [
        AnswerRow(
            "practical",
            _("Someone can stay with me around the clock"),
            _label(YesNoUnsure, a.caregiver),
        ),
        AnswerRow(
            "practical",
            _("Willing to travel to another country"),
            _label(YesNoUnsure, a.travel_abroad),
        ),
    ]
    return rows


def _treatment_rows(a: Answers) -> list[AnswerRow]:
    """The treatment questions that were asked, in the order the steps ask them."""
    rows = []
    if a.asks_prior_therapies():
        rows.append(
            AnswerRow(
                "history",
                _("Treatments so far"),
                "; ".join(_label(PriorTherapy, t) for t in a.prior_therapies)
                or _("None listed"),
            )
        )
    if a.asks_lenalidomide():
        rows.append(
            AnswerRow(
                "history",
                _("Myeloma stopped responding to lenalidomide"),
                _label(YesNoUnsure, a.lenalidomide_refractory),
            )
        )
    if a.asks_transplant():
        rows.append(
            AnswerRow(
                "history",
                _("Care team sees a stem cell transplant as an option"),
                _label(YesNoUnsure, a.transplant_eligible),
            )
        )
    if a.asks_prior_car_t():
        rows.append(
            AnswerRow(
                "car-t",
                _("How the earlier CAR T went"),
                _label(PriorCarT, a.prior_car_t),
            )
        )
    if a.asks_antigen_loss():
        rows.append(
            AnswerRow(
                "car-t",
                _("Tests showed the cancer lost the CAR T target"),
                _label(YesNoUnsure, a.antigen_loss),
            )
        )
    return rows


def _eligibility_rows(a: Answers, catalog: Catalog) -> list[AnswerRow]:
    # Only the questions still asked: an answer to one that no longer
    # applies (the diagnosis changed) is not shown.
    return [
        AnswerRow(
            "eligibility",
            question.text,
            _label(YesNoUnsure, a.eligibility[question.slug]),
        )
        for question in eligibility_questions(a, catalog)
        if question.slug in a.eligibility
    ]
