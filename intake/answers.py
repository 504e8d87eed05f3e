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
from functools import cache

from django.utils.translation import gettext as _
from django_countries import countries

from therapies.vocabulary import (
    DiseaseCode,
    LbclSubtype,
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
# The patient does not know how many lines of treatment they have had: a
# line-count condition is then unknown, never met.
UNSURE_LINES = "unsure"

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
    """A patient's answers; the defaults are the contract's 'not asked'.

    No default is an answer the patient might have given: the forms never
    pre-fill one, and an answer left out counts as not known.
    """

    disease: str = DiseaseCode.UNSURE
    lbcl_subtype: str = NOT_ASKED
    age: int | None = None
    prior_lines: int | str = UNSURE_LINES
    relapse_status: str = RelapseStatus.UNSURE
    prior_therapies: tuple[str, ...] = ()
    lenalidomide_refractory: str = NOT_ASKED
    transplant_eligible: str = NOT_ASKED
    prior_car_t: str = PriorCarT.NONE
    antigen_loss: str = NOT_ASKED
    country: str = ""
    travel_abroad: str = NOT_ASKED
    caregiver: str = NOT_ASKED
    recent_infusion: str = NOT_ASKED
    symptoms: tuple[str, ...] = ()
    eligibility: dict[str, str] = field(default_factory=dict)

    # Which answers are asked, given the ones before them (the contract's "asked when").
    def may_have_been_treated(self) -> bool:
        """Lines of treatment above 0, or not known (then the questions are asked)."""
        return self.prior_lines == UNSURE_LINES or self.prior_lines > 0

    def asks_lbcl_subtype(self) -> bool:
        return self.disease == DiseaseCode.LBCL

    def asks_prior_therapies(self) -> bool:
        return self.may_have_been_treated()

    def asks_lenalidomide(self) -> bool:
        return self.disease == DiseaseCode.MM and self.may_have_been_treated()

    def asks_transplant(self) -> bool:
        return (
            self.may_have_been_treated()
            and self.disease in TRANSPLANT_QUESTION_DISEASES
        )

    def asks_prior_car_t(self) -> bool:
        return PriorTherapy.CAR_T in self.prior_therapies

    def asks_antigen_loss(self) -> bool:
        return self.prior_car_t != PriorCarT.NONE

    @property
    def urgent(self) -> bool:
        """Any symptom reported, whatever the infusion answer: a symptom ticked
        in a hurry is never dropped."""
        return any(s != Symptom.NONE for s in self.symptoms)

    @property
    def recovering(self) -> bool:
        """Just had CAR T, too early to tell: what matters now is recovery."""
        return self.prior_car_t == PriorCarT.TOO_EARLY

    @property
    def lines_known(self) -> bool:
        return self.prior_lines != UNSURE_LINES

    def applicable(self) -> Answers:
        """These answers with every answer that is not asked reset to 'not asked',
        and what one answer implies added (lenalidomide-refractory: an IMiD)."""
        # In order: a reset answer can stop a later one from being asked.
        a = self
        if not a.asks_lbcl_subtype() and a.lbcl_subtype != NOT_ASKED:
            a = replace(a, lbcl_subtype=NOT_ASKED)
        if not a.asks_prior_therapies() and a.prior_therapies:
            a = replace(a, prior_therapies=())
        if not a.asks_lenalidomide() and a.lenalidomide_refractory != NOT_ASKED:
            a = replace(a, lenalidomide_refractory=NOT_ASKED)
        if a.lenalidomide_refractory == YesNoUnsure.YES:
            a = a.with_prior_therapy(PriorTherapy.IMID)
        if not a.asks_transplant() and a.transplant_eligible != NOT_ASKED:
            a = replace(a, transplant_eligible=NOT_ASKED)
        if not a.asks_prior_car_t() and a.prior_car_t != PriorCarT.NONE:
            a = replace(a, prior_car_t=PriorCarT.NONE)
        if not a.asks_antigen_loss() and a.antigen_loss != NOT_ASKED:
            a = replace(a, antigen_loss=NOT_ASKED)
        return a

    def with_prior_therapy(self, code: str) -> Answers:
        if code in self.prior_therapies:
            return self
        given = {*self.prior_therapies, code}
        return replace(
            self, prior_therapies=tuple(c for c in PriorTherapy.values if c in given)
        )

    def unknowns_as_unsure(self) -> Answers:
        """Asked, but never answered (a stored draft from before the question
        existed, or an answers file that leaves it out): "not sure", so a rule
        that needs it is unknown rather than missed."""
        a = self
        asked = {
            "lbcl_subtype": a.asks_lbcl_subtype(),
            "lenalidomide_refractory": a.asks_lenalidomide(),
            "transplant_eligible": a.asks_transplant(),
            "antigen_loss": a.asks_antigen_loss(),
        }
        for name, is_asked in asked.items():
            if is_asked and getattr(a, name) == NOT_ASKED:
                a = replace(a, **{name: YesNoUnsure.UNSURE})
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


@cache
def _country_codes() -> frozenset[str]:
    # Not dict(countries) per call: that writes out 250 translated names.
    return frozenset(code for code, _name in countries)


def validate_country(value) -> str:
    if not isinstance(value, str) or value.upper() not in _country_codes():
        raise AnswerError(
            "country",
            value,
            _("unknown country; use an ISO 3166-1 alpha-2 code such as US"),
        )
    return value.upper()


# Sentinel: the answer is present but means "not given" (age null, country "").
_NOT_GIVEN = object()
_YES_NO_UNSURE_FIELDS = frozenset(
    {
        "lenalidomide_refractory",
        "transplant_eligible",
        "antigen_loss",
        "travel_abroad",
        "caregiver",
    }
)
# The order answers are checked in, so the first bad one is the one named.
_PARSE_ORDER = (
    "disease",
    "lbcl_subtype",
    "age",
    "prior_lines",
    "relapse_status",
    "prior_therapies",
    "lenalidomide_refractory",
    "transplant_eligible",
    "antigen_loss",
    "travel_abroad",
    "caregiver",
    "prior_car_t",
    "country",
    "recent_infusion",
    "symptoms",
    "eligibility",
)


def _parse_value(name: str, value, question_slugs: frozenset[str] | None):
    """One answer validated, or `AnswerError`; `_NOT_GIVEN` for an empty one."""
    if name == "disease":
        return _choice("disease", value, DiseaseCode)
    if name == "lbcl_subtype":
        return _choice("lbcl_subtype", value, LbclSubtype, allow_not_asked=True)
    if name == "age":
        return _NOT_GIVEN if value is None else _integer("age", value, *AGE_RANGE)
    if name == "prior_lines":
        if value == UNSURE_LINES:
            return value
        try:
            return _integer("prior_lines", value, *PRIOR_LINES_RANGE)
        except AnswerError:
            raise AnswerError(
                "prior_lines",
                value,
                _("expected a whole number from %(low)d to %(high)d, or “unsure”")
                % {"low": PRIOR_LINES_RANGE[0], "high": PRIOR_LINES_RANGE[1]},
            ) from None
    if name == "relapse_status":
        return _choice("relapse_status", value, RelapseStatus)
    if name == "prior_therapies":
        return _codes("prior_therapies", value, PriorTherapy)
    if name in _YES_NO_UNSURE_FIELDS:
        return _choice(name, value, YesNoUnsure, allow_not_asked=True)
    if name == "prior_car_t":
        return _choice("prior_car_t", value, PriorCarT)
    if name == "country":
        return _NOT_GIVEN if value == NOT_ASKED else validate_country(value)
    if name == "recent_infusion":
        return _choice("recent_infusion", value, YesNo, allow_not_asked=True)
    if name == "symptoms":
        return _codes("symptoms", value, Symptom)
    if name == "eligibility":
        return _eligibility(value, question_slugs)
    raise AnswerError(name, value, _("unknown key"))


def _eligibility(raw, question_slugs: frozenset[str] | None) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise AnswerError(
            "eligibility",
            raw,
            _("expected an object of question slug to yes, no or unsure"),
        )
    eligibility = {}
    for slug, answer in raw.items():
        if question_slugs is not None and slug not in question_slugs:
            raise AnswerError(f"eligibility.{slug}", answer, _("unknown question slug"))
        eligibility[slug] = _choice(f"eligibility.{slug}", answer, YesNoUnsure)
    return eligibility


def _from_file(values: dict) -> Answers:
    answers = Answers(**values)
    # In an answers file, a reported CAR T outcome means a CAR T was given,
    # whatever the list says. (Not for a stored draft: there an outcome may be
    # left from before the patient took CAR T off the list, and is kept unused.)
    if answers.prior_car_t != PriorCarT.NONE and answers.may_have_been_treated():
        answers = answers.with_prior_therapy(PriorTherapy.CAR_T)
    return answers.applicable()


def parse_answers(data, question_slugs: frozenset[str] | None = None) -> Answers:
    """Build `Answers` from a JSON object, or raise `AnswerError` naming the bad field."""
    if not isinstance(data, dict):
        raise AnswerError("answers", data, _("expected a JSON object"))
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise AnswerError(unknown[0], data[unknown[0]], _("unknown key"))
    values = {}
    for name in _PARSE_ORDER:
        if name in data:
            value = _parse_value(name, data[name], question_slugs)
            if value is not _NOT_GIVEN:
                values[name] = value
    return _from_file(values)


def answers_from_stored(data: dict) -> Answers:
    """A draft's stored answers (validated when each step was saved) as `Answers`.

    Keys the contract no longer has are dropped; a value that no longer
    validates (say, a removed code) falls back to 'not asked'.
    """
    values = {}
    for key, value in (data or {}).items():
        if key not in FIELDS:
            continue
        try:
            value = _parse_value(key, value, None)
        except AnswerError:
            continue
        if value is not _NOT_GIVEN:
            values[key] = value
    return Answers(**values).applicable()
