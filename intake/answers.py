"""The patient's answers, as the intake contract defines them.

`Answers` is the one typed form of a patient's answers: the forms build it step
by step, the suggestion engine reads it, the `suggest` command parses it from
JSON. `parse_answers` validates a JSON object strictly (unknown key or code,
out-of-range number, wrong type are errors naming the field and value), and
`Answers.applicable()` resets every answer that is not asked for the answers
before it, so a changed earlier answer never leaves a stale later one behind.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from django.utils.translation import gettext as _
from django_countries import countries

from therapies.vocabulary import (
    DiseaseCode,
    PriorCarT,
    PriorTherapy,
    RelapseStatus,
    Symptom,
    YesNo,
    YesNoUnsure,
)

AGE_RANGE = (0, 120)
PRIOR_LINES_RANGE = (0, 15)
NOT_ASKED = ""

# Diseases for which the contract asks whether a transplant is an option.
TRANSPLANT_QUESTION_DISEASES = frozenset({"lbcl", "b_all", "mcl", "fl", "mzl"})


class AnswerError(ValueError):
    """One bad answer: `field` and `value` name it, the message says what is wrong."""

    def __init__(self, field_name: str, value, message: str):
        self.field = field_name
        self.value = value
        super().__init__(f"{field_name or repr(field_name)}: {message} (got {value!r})")


@dataclass(frozen=True)
class Answers:
    disease: str = DiseaseCode.UNSURE
    age: int | None = None
    prior_lines: int = 0
    relapse_status: str = RelapseStatus.UNSURE
    prior_therapies: tuple[str, ...] = ()
    lenalidomide_refractory: str = NOT_ASKED
    transplant_eligible: str = NOT_ASKED
    prior_car_t: str = PriorCarT.NONE
    antigen_loss: str = NOT_ASKED
    country: str = ""
    travel_abroad: str = NOT_ASKED
    caregiver: str = NOT_ASKED
    recent_infusion: str = YesNo.NO
    symptoms: tuple[str, ...] = ()
    eligibility: dict[str, str] = field(default_factory=dict)

    # Which answers are asked, given the ones before them (the contract's "asked when").
    def asks_prior_therapies(self) -> bool:
        return self.prior_lines > 0

    def asks_lenalidomide(self) -> bool:
        return self.disease == DiseaseCode.MM and self.prior_lines > 0

    def asks_transplant(self) -> bool:
        return self.prior_lines > 0 and self.disease in TRANSPLANT_QUESTION_DISEASES

    def asks_prior_car_t(self) -> bool:
        return PriorTherapy.CAR_T in self.prior_therapies

    def asks_antigen_loss(self) -> bool:
        return self.prior_car_t != PriorCarT.NONE

    def asks_symptoms(self) -> bool:
        return self.recent_infusion == YesNo.YES

    @property
    def urgent(self) -> bool:
        return self.recent_infusion == YesNo.YES and any(
            s != Symptom.NONE for s in self.symptoms
        )

    def applicable(self) -> Answers:
        """These answers with every answer that is not asked reset to 'not asked'."""
        a = self
        if not a.asks_symptoms():
            a = replace(a, symptoms=())
        if not a.asks_prior_therapies():
            a = replace(a, prior_therapies=())
        if not a.asks_lenalidomide():
            a = replace(a, lenalidomide_refractory=NOT_ASKED)
        if not a.asks_transplant():
            a = replace(a, transplant_eligible=NOT_ASKED)
        if not a.asks_prior_car_t():
            a = replace(a, prior_car_t=PriorCarT.NONE)
        if not a.asks_antigen_loss():
            a = replace(a, antigen_loss=NOT_ASKED)
        return a

    def to_json(self) -> dict:
        data = asdict(self)
        data["prior_therapies"] = list(self.prior_therapies)
        data["symptoms"] = list(self.symptoms)
        data["eligibility"] = dict(self.eligibility)
        return data


FIELDS = {f for f in Answers.__dataclass_fields__}


def _choice(name, value, choices, allow_not_asked=False):
    if allow_not_asked and value == NOT_ASKED:
        return value
    if not isinstance(value, str):
        raise AnswerError(
            name,
            value,
            _("expected one of the codes %(codes)s")
            % {"codes": ", ".join(choices.values)},
        )
    if value not in choices.values:
        raise AnswerError(
            name,
            value,
            _("unknown code; use one of %(codes)s")
            % {"codes": ", ".join(choices.values)},
        )
    return value


def _integer(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerError(
            name,
            value,
            _("expected a whole number from %(low)d to %(high)d")
            % {"low": low, "high": high},
        )
    if not low <= value <= high:
        raise AnswerError(
            name,
            value,
            _("out of range; use a number from %(low)d to %(high)d")
            % {"low": low, "high": high},
        )
    return value


def _codes(name, value, choices):
    if not isinstance(value, list):
        raise AnswerError(
            name,
            value,
            _("expected a list of codes from %(codes)s")
            % {"codes": ", ".join(choices.values)},
        )
    for item in value:
        if not isinstance(item, str) or item not in choices.values:
            raise AnswerError(
                name,
                item,
                _("unknown code; use codes from %(codes)s")
                % {"codes": ", ".join(choices.values)},
            )
    # Keep the vocabulary's order, drop repeats.
    return tuple(code for code in choices.values if code in value)


def validate_country(value) -> str:
    if not isinstance(value, str) or value.upper() not in dict(countries):
        raise AnswerError(
            "country",
            value,
            _("unknown country; use an ISO 3166-1 alpha-2 code such as US"),
        )
    return value.upper()


def parse_answers(data, question_slugs: frozenset[str] | None = None) -> Answers:
    """Build `Answers` from a JSON object, or raise `AnswerError` naming the bad field."""
    if not isinstance(data, dict):
        raise AnswerError("answers", data, _("expected a JSON object"))
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise AnswerError(unknown[0], data[unknown[0]], _("unknown key"))
    values = {}
    if "disease" in data:
        values["disease"] = _choice("disease", data["disease"], DiseaseCode)
    if data.get("age") is not None:
        values["age"] = _integer("age", data["age"], *AGE_RANGE)
    if "prior_lines" in data:
        values["prior_lines"] = _integer(
            "prior_lines", data["prior_lines"], *PRIOR_LINES_RANGE
        )
    if "relapse_status" in data:
        values["relapse_status"] = _choice(
            "relapse_status", data["relapse_status"], RelapseStatus
        )
    if "prior_therapies" in data:
        values["prior_therapies"] = _codes(
            "prior_therapies", data["prior_therapies"], PriorTherapy
        )
    for name in (
        "lenalidomide_refractory",
        "transplant_eligible",
        "antigen_loss",
        "travel_abroad",
        "caregiver",
    ):
        if name in data:
            values[name] = _choice(name, data[name], YesNoUnsure, allow_not_asked=True)
    if "prior_car_t" in data:
        values["prior_car_t"] = _choice("prior_car_t", data["prior_car_t"], PriorCarT)
    if data.get("country", NOT_ASKED) != NOT_ASKED:
        values["country"] = validate_country(data["country"])
    if "recent_infusion" in data:
        values["recent_infusion"] = _choice(
            "recent_infusion", data["recent_infusion"], YesNo
        )
    if "symptoms" in data:
        values["symptoms"] = _codes("symptoms", data["symptoms"], Symptom)
    if "eligibility" in data:
        raw = data["eligibility"]
        if not isinstance(raw, dict):
            raise AnswerError(
                "eligibility",
                raw,
                _("expected an object of question slug to yes, no or unsure"),
            )
        eligibility = {}
        for slug, answer in raw.items():
            if question_slugs is not None and slug not in question_slugs:
                raise AnswerError(
                    f"eligibility.{slug}", answer, _("unknown question slug")
                )
            eligibility[slug] = _choice(f"eligibility.{slug}", answer, YesNoUnsure)
        values["eligibility"] = eligibility
    answers = Answers(**values)
    # A reported CAR T outcome means a CAR T was given, whatever the list says.
    if (
        answers.prior_car_t != PriorCarT.NONE
        and answers.prior_lines > 0
        and not answers.asks_prior_car_t()
    ):
        given = {*answers.prior_therapies, PriorTherapy.CAR_T}
        answers = replace(
            answers,
            prior_therapies=tuple(c for c in PriorTherapy.values if c in given),
        )
    return answers.applicable()


def answers_from_stored(data: dict) -> Answers:
    """A draft's stored answers (validated when each step was saved) as `Answers`.

    Keys the contract no longer has are dropped; a value that no longer
    validates (say, a removed code) falls back to 'not asked'.
    """
    clean = {}
    for key, value in (data or {}).items():
        if key not in FIELDS:
            continue
        try:
            parse_answers({key: value})
        except AnswerError:
            continue
        clean[key] = value
    return parse_answers(clean)
