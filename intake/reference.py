"""Reference patients: made-up patients whose results staff checked against
the labels, run through the suggestion engine to catch a wrong rule.

Each patient comes with the catalog it belongs to (`Catalog.reference_patients`),
so a release's patients are checked against that release's rules. A result
lists its differences in plain words ("expected yescarta, not shown").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from therapies.models import EligibilityQuestion
from therapies.snapshot import Catalog, ReferencePatientInfo

from .answers import AnswerError, parse_answers
from .suggestions import Suggestions, suggest


@dataclass(frozen=True)
class ReferenceResult:
    name: str
    differences: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.differences


def run_reference_patients(catalog: Catalog) -> list[ReferenceResult]:
    """Every reference patient of `catalog`, run against `catalog`'s rules."""
    return [check_patient(patient, catalog) for patient in catalog.reference_patients]


def check_patient(patient: ReferencePatientInfo, catalog: Catalog) -> ReferenceResult:
    try:
        answers = parse_answers(patient.answers, question_slugs=catalog.question_slugs)
    except AnswerError as exc:
        problem = _("answers not valid: %(error)s") % {"error": exc}
        return ReferenceResult(patient.name, (problem,))
    return ReferenceResult(
        patient.name, differences(patient, suggest(answers, catalog))
    )


def differences(patient: ReferencePatientInfo, shown: Suggestions) -> tuple[str, ...]:
    therapies = {match.therapy.slug for match in shown.therapies}
    topics = {match.topic.slug for match in shown.topics}
    found = [
        *(
            _("expected %(slug)s, not shown") % {"slug": slug}
            for slug in patient.must_show_therapies
            if slug not in therapies
        ),
        *(
            _("showed %(slug)s, must not") % {"slug": slug}
            for slug in patient.must_not_show_therapies
            if slug in therapies
        ),
        *(
            _("expected topic %(slug)s, not shown") % {"slug": slug}
            for slug in patient.must_show_topics
            if slug not in topics
        ),
        *(
            _("showed topic %(slug)s, must not") % {"slug": slug}
            for slug in patient.must_not_show_topics
            if slug in topics
        ),
    ]
    if patient.expect_urgent is not None and shown.urgent != patient.expect_urgent:
        found.append(
            _("urgent expected %(expected)s, got %(got)s")
            % {"expected": _json(patient.expect_urgent), "got": _json(shown.urgent)}
        )
    return tuple(found)


def _json(flag: bool) -> str:
    return "true" if flag else "false"


def check_reference_answers(data: dict) -> None:
    """Raise `AnswerError` (a ValueError) naming what is wrong in a reference
    patient's answers; the catalog's model calls it when staff save one."""
    slugs = frozenset(EligibilityQuestion.objects.values_list("slug", flat=True))
    parse_answers(data, question_slugs=slugs)
