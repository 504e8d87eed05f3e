"""The one criteria mechanism behind indications, topics and eligibility questions.

A `Criteria` is a set of conditions on the contract's answers; every condition
that is set must hold. `evaluate` says, condition by condition, whether the
answers met it, missed it, or left it unknown (the patient answered "not sure"),
with a sentence in plain words for each. Indications, topics and questions
each carry one or more `Rule` rows holding a `Criteria`; an owner applies when
any of its rules is met, and an owner with no rules always applies.

Answers are read by attribute (`answers.age`, `answers.prior_therapies`, …) so
this module stays independent of the intake app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import lru_cache
from types import SimpleNamespace

from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from .vocabulary import RELAPSED_OR_REFRACTORY, DiseaseCode, PriorTherapy, RelapseStatus


@lru_cache(maxsize=4096)
def cached_gettext(message: str, language: str | None) -> str:
    """gettext of `message` in `language`, which must be the active language.

    The engine writes the same few hundred sentences over and over, and each
    Django gettext call costs microseconds of thread-local lookups.
    """
    return gettext(message)


def _(message: str) -> str:
    return cached_gettext(message, get_language())


class Outcome(StrEnum):
    MET = "met"
    MISSED = "missed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Criteria:
    diseases: tuple[str, ...] = ()
    min_age: int | None = None
    max_age: int | None = None
    min_prior_lines: int | None = None
    max_prior_lines: int | None = None
    relapse_statuses: tuple[str, ...] = ()
    prior_therapies_all: tuple[str, ...] = ()
    lenalidomide_refractory: tuple[str, ...] = ()
    transplant_eligible: tuple[str, ...] = ()
    prior_car_t: tuple[str, ...] = ()
    antigen_loss: tuple[str, ...] = ()
    caregiver: tuple[str, ...] = ()
    travel_abroad: tuple[str, ...] = ()
    recent_infusion: tuple[str, ...] = ()
    urgent: bool | None = None

    def __hash__(self) -> int:
        # The engine looks criteria up in a cache for every rule of every
        # topic; hashing all fields anew each time was a tenth of its time.
        try:
            return self._hash
        except AttributeError:
            value = hash(tuple(getattr(self, f.name) for f in fields(self)))
            object.__setattr__(self, "_hash", value)
            return value

    def is_empty(self) -> bool:
        return self == Criteria()

    def matches(self, answers) -> bool:
        """Whether every condition is met: `evaluate(self, answers).met`, faster.

        The engine asks this of every rule and wants the sentences of the few
        that are met; tests hold it equal to `evaluate` for any answers.
        """
        if self.diseases and answers.disease not in self.diseases:
            return False
        if self.min_age is not None or self.max_age is not None:
            age = answers.age
            if age is None:
                return False
            if self.min_age is not None and age < self.min_age:
                return False
            if self.max_age is not None and age > self.max_age:
                return False
        lines = answers.prior_lines
        if self.min_prior_lines is not None or self.max_prior_lines is not None:
            if not isinstance(lines, int):
                return False  # not known: never met
        if self.min_prior_lines is not None and lines < self.min_prior_lines:
            return False
        if self.max_prior_lines is not None and lines > self.max_prior_lines:
            return False
        if (
            self.relapse_statuses
            and answers.relapse_status not in self.relapse_statuses
        ):
            return False
        if self.prior_therapies_all:
            had = answers.prior_therapies or ()
            if any(t not in had for t in self.prior_therapies_all):
                return False
        for name in _CHOICE_FIELDS:
            accepted = getattr(self, name)
            if accepted and getattr(answers, name) not in accepted:
                return False
        return self.urgent is None or bool(answers.urgent) == self.urgent

    def reads(self) -> tuple[str, ...]:
        """The answers this criteria's conditions (and so their sentences) read."""
        try:
            return self._reads
        except AttributeError:
            names = tuple(
                answer
                for answer, conditions in _READS
                if any(getattr(self, c) not in (None, ()) for c in conditions)
            )
            object.__setattr__(self, "_reads", names)
            return names


# The yes/no/unsure-like answers that a condition accepts by code.
_CHOICE_FIELDS = (
    "lenalidomide_refractory",
    "transplant_eligible",
    "prior_car_t",
    "antigen_loss",
    "caregiver",
    "travel_abroad",
    "recent_infusion",
)
# Answer attribute -> the Criteria fields whose conditions read it.
_READS = (
    ("disease", ("diseases",)),
    ("age", ("min_age", "max_age")),
    ("prior_lines", ("min_prior_lines", "max_prior_lines")),
    ("relapse_status", ("relapse_statuses",)),
    ("prior_therapies", ("prior_therapies_all",)),
    *((name, (name,)) for name in _CHOICE_FIELDS),
    ("urgent", ("urgent",)),
)


@dataclass(frozen=True)
class CriterionResult:
    """One condition's outcome; its sentence is written only when read.

    The engine evaluates every rule of every indication, topic and question,
    but shows the sentences of a few: formatting (and translating) them all
    was most of its time.
    """

    name: str
    outcome: Outcome
    explain: Callable[[], str] = field(repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.explain()


@dataclass(frozen=True)
class Evaluation:
    results: tuple[CriterionResult, ...] = field(default_factory=tuple)

    @property
    def met(self) -> bool:
        return all(r.outcome is Outcome.MET for r in self.results)

    @property
    def misses(self) -> tuple[CriterionResult, ...]:
        return tuple(r for r in self.results if r.outcome is not Outcome.MET)

    @property
    def reasons(self) -> list[str]:
        return [r.text for r in self.results if r.outcome is Outcome.MET]


# Short phrases used inside sentences; the full labels live in vocabulary.py.
# Marked for translation here, translated one at a time when used.
RELAPSE_PHRASES = {
    "newly_diagnosed": gettext_noop("newly diagnosed, not yet treated"),
    "in_treatment": gettext_noop("on a first treatment now"),
    "remission": gettext_noop("in remission"),
    "refractory": gettext_noop("did not respond to treatment (refractory)"),
    "early_relapse": gettext_noop("came back within 12 months of the last treatment"),
    "late_relapse": gettext_noop(
        "came back more than 12 months after the last treatment"
    ),
    "unsure": gettext_noop("not sure"),
}
PRIOR_CAR_T_PHRASES = {
    "none": gettext_noop("no CAR T before"),
    "too_early": gettext_noop("had CAR T recently, too early to tell"),
    "relapse_early": gettext_noop("came back within 6 months of CAR T"),
    "relapse_late": gettext_noop("came back 6 months or more after CAR T"),
    "no_response": gettext_noop("did not respond to CAR T"),
    "partial_response": gettext_noop("only partly responded to CAR T"),
}
ANSWER_PHRASES = {
    "yes": gettext_noop("yes"),
    "no": gettext_noop("no"),
    "unsure": gettext_noop("not sure"),
    "": gettext_noop("not asked"),
}


def _relapse_phrase(code: str) -> str:
    return _(RELAPSE_PHRASES[code]) if code in RELAPSE_PHRASES else code


def _prior_car_t_phrase(code: str) -> str:
    return _(PRIOR_CAR_T_PHRASES[code]) if code in PRIOR_CAR_T_PHRASES else code


def _answer_phrase(code: str) -> str:
    return _(ANSWER_PHRASES[code]) if code in ANSWER_PHRASES else code


def _join(items: list[str]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s or %(last)s") % {
        "first": ", ".join(items[:-1]),
        "last": items[-1],
    }


def _join_and(items: list[str]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {
        "first": ", ".join(items[:-1]),
        "last": items[-1],
    }


def _lines(n: int) -> str:
    return ngettext(
        "%(n)d prior line of therapy", "%(n)d prior lines of therapy", n
    ) % {"n": n}


def _therapy_label(code: str) -> str:
    return str(PriorTherapy(code).label) if code in PriorTherapy.values else code


def _age_rule_text(c: Criteria) -> str:
    if c.min_age is not None and c.max_age is not None:
        if c.min_age == 0:
            return _("for people up to age %(max)d") % {"max": c.max_age}
        return _("for people aged %(min)d to %(max)d") % {
            "min": c.min_age,
            "max": c.max_age,
        }
    if c.min_age is not None:
        if c.min_age == 18:
            return _("for adults (18 and older)")
        return _("for people aged %(min)d and older") % {"min": c.min_age}
    return _("for people up to age %(max)d") % {"max": c.max_age}


def _lines_rule_text(c: Criteria) -> str:
    lo, hi = c.min_prior_lines, c.max_prior_lines
    if lo is not None and hi is not None:
        if lo == hi:
            return ngettext(
                "after exactly %(n)d prior line of therapy",
                "after exactly %(n)d prior lines of therapy",
                lo,
            ) % {"n": lo}
        return _("after %(lo)d to %(hi)d prior lines of therapy") % {"lo": lo, "hi": hi}
    if lo is not None:
        return ngettext(
            "after %(n)d or more prior lines of therapy",
            "after %(n)d or more prior lines of therapy",
            lo,
        ) % {"n": lo}
    return _("after at most %(n)d prior lines of therapy") % {"n": hi}


def _choice(name, accepted, value, topic_label, phrase=_answer_phrase):
    """A condition that accepts some codes of a yes/no/unsure-like answer.

    `topic_label` is a callable too: its translation is needed only for the text.
    """
    if value in accepted:
        return CriterionResult(
            name,
            Outcome.MET,
            lambda: (
                _("%(topic)s: you answered “%(answer)s”.")
                % {"topic": topic_label(), "answer": phrase(value)}
            ),
        )
    outcome = Outcome.UNKNOWN if value == "unsure" else Outcome.MISSED
    return CriterionResult(
        name,
        outcome,
        lambda: (
            _(
                "%(topic)s: this applies when the answer is “%(accepted)s”; you answered “%(answer)s”."
            )
            % {
                "topic": topic_label(),
                "accepted": _join([phrase(a) for a in accepted]),
                "answer": phrase(value),
            }
        ),
    )


def evaluate(criteria: Criteria, answers) -> Evaluation:
    """Check every condition that `criteria` sets against `answers`."""
    c = criteria
    out: list[CriterionResult] = []

    if c.diseases:
        disease = answers.disease
        if disease in c.diseases:
            out.append(
                CriterionResult(
                    "disease",
                    Outcome.MET,
                    lambda: (
                        _("Diagnosis: %(disease)s.")
                        % {"disease": DiseaseCode(disease).label}
                    ),
                )
            )
        else:
            out.append(
                CriterionResult(
                    "disease",
                    Outcome.UNKNOWN if disease == "unsure" else Outcome.MISSED,
                    lambda: (
                        _("This is about %(names)s.")
                        % {
                            "names": _join(
                                [
                                    str(DiseaseCode(d).label)
                                    for d in c.diseases
                                    if d in DiseaseCode.values
                                ]
                            )
                        }
                    ),
                )
            )

    if c.min_age is not None or c.max_age is not None:
        age = answers.age
        if age is None:
            out.append(
                CriterionResult(
                    "age",
                    Outcome.UNKNOWN,
                    lambda: (
                        _("This is %(rule)s; we do not know your age.")
                        % {"rule": _age_rule_text(c)}
                    ),
                )
            )
        elif (c.min_age is None or age >= c.min_age) and (
            c.max_age is None or age <= c.max_age
        ):
            out.append(
                CriterionResult(
                    "age",
                    Outcome.MET,
                    lambda: (
                        _("Age %(age)d: this is %(rule)s.")
                        % {"age": age, "rule": _age_rule_text(c)}
                    ),
                )
            )
        else:
            out.append(
                CriterionResult(
                    "age",
                    Outcome.MISSED,
                    lambda: (
                        _("This is %(rule)s; you are %(age)d.")
                        % {"rule": _age_rule_text(c), "age": age}
                    ),
                )
            )

    if (c.min_prior_lines is not None or c.max_prior_lines is not None) and not (
        isinstance(answers.prior_lines, int)
    ):
        out.append(
            CriterionResult(
                "prior_lines",
                Outcome.UNKNOWN,
                lambda: (
                    _(
                        "This is %(rule)s; you were not sure how many lines you have had."
                    )
                    % {"rule": _lines_rule_text(c)}
                ),
            )
        )
    elif c.min_prior_lines is not None or c.max_prior_lines is not None:
        n = answers.prior_lines
        ok = (c.min_prior_lines is None or n >= c.min_prior_lines) and (
            c.max_prior_lines is None or n <= c.max_prior_lines
        )

        def lines_text(ok=ok, n=n):
            if ok:
                return _("You have had %(lines)s: this is %(rule)s.") % {
                    "lines": _lines(n),
                    "rule": _lines_rule_text(c),
                }
            return _("This is %(rule)s; you have had %(lines)s.") % {
                "rule": _lines_rule_text(c),
                "lines": _lines(n),
            }

        out.append(
            CriterionResult(
                "prior_lines", Outcome.MET if ok else Outcome.MISSED, lines_text
            )
        )

    if c.relapse_statuses:
        status = answers.relapse_status

        def accepted():
            if set(c.relapse_statuses) == set(RELAPSED_OR_REFRACTORY):
                return _(
                    "came back or did not respond to treatment (relapsed or refractory)"
                )
            return _join([_relapse_phrase(s) for s in c.relapse_statuses])

        if status in c.relapse_statuses:
            out.append(
                CriterionResult(
                    "relapse_status",
                    Outcome.MET,
                    lambda: (
                        _(
                            "Your cancer %(status)s: this covers cancer that %(accepted)s."
                        )
                        % {"status": _relapse_phrase(status), "accepted": accepted()}
                    ),
                )
            )
        else:
            out.append(
                CriterionResult(
                    "relapse_status",
                    Outcome.UNKNOWN
                    if status == RelapseStatus.UNSURE
                    else Outcome.MISSED,
                    lambda: (
                        _(
                            "This covers cancer that %(accepted)s; you answered “%(status)s”."
                        )
                        % {"accepted": accepted(), "status": _relapse_phrase(status)}
                    ),
                )
            )

    if c.prior_therapies_all:
        had = set(answers.prior_therapies or ())
        lacking = [t for t in c.prior_therapies_all if t not in had]

        def needed():
            return _join_and([_therapy_label(t) for t in c.prior_therapies_all])

        if not lacking:
            out.append(
                CriterionResult(
                    "prior_therapies",
                    Outcome.MET,
                    lambda: (
                        _("You have had %(needed)s, which this requires.")
                        % {"needed": needed()}
                    ),
                )
            )
        else:
            out.append(
                CriterionResult(
                    "prior_therapies",
                    Outcome.MISSED,
                    lambda: (
                        _("This is after %(needed)s; you did not list %(lacking)s.")
                        % {
                            "needed": needed(),
                            "lacking": _join_and([_therapy_label(t) for t in lacking]),
                        }
                    ),
                )
            )

    if c.lenalidomide_refractory:
        out.append(
            _choice(
                "lenalidomide_refractory",
                c.lenalidomide_refractory,
                answers.lenalidomide_refractory,
                lambda: _("Myeloma that stopped responding to lenalidomide"),
            )
        )
    if c.transplant_eligible:
        out.append(
            _choice(
                "transplant_eligible",
                c.transplant_eligible,
                answers.transplant_eligible,
                lambda: _("Your care team sees a stem cell transplant as an option"),
            )
        )
    if c.prior_car_t:
        out.append(
            _choice(
                "prior_car_t",
                c.prior_car_t,
                answers.prior_car_t,
                lambda: _("How an earlier CAR T went"),
                phrase=_prior_car_t_phrase,
            )
        )
    if c.antigen_loss:
        out.append(
            _choice(
                "antigen_loss",
                c.antigen_loss,
                answers.antigen_loss,
                lambda: _("Tests showed the cancer lost the CAR T target"),
            )
        )
    if c.caregiver:
        out.append(
            _choice(
                "caregiver",
                c.caregiver,
                answers.caregiver,
                lambda: _("Someone can stay with you around the clock"),
            )
        )
    if c.travel_abroad:
        out.append(
            _choice(
                "travel_abroad",
                c.travel_abroad,
                answers.travel_abroad,
                lambda: _("Willing to travel to another country"),
            )
        )
    if c.recent_infusion:
        out.append(
            _choice(
                "recent_infusion",
                c.recent_infusion,
                answers.recent_infusion,
                lambda: _("CAR T infusion in the last 8 weeks"),
            )
        )
    if c.urgent is not None:
        urgent = bool(answers.urgent)
        if urgent == c.urgent:
            out.append(
                CriterionResult(
                    "urgent",
                    Outcome.MET,
                    lambda: (
                        _("You reported symptoms after a recent CAR T infusion.")
                        if urgent
                        else _("You reported no urgent symptoms.")
                    ),
                )
            )
        else:
            out.append(
                CriterionResult(
                    "urgent",
                    Outcome.MISSED,
                    lambda: _("This is for urgent symptoms after an infusion."),
                )
            )
    return Evaluation(tuple(out))


@lru_cache(maxsize=16384)
def _met_reasons(criteria: Criteria, values: tuple, language: str | None):
    answers = SimpleNamespace(**dict(zip(criteria.reads(), values, strict=True)))
    return tuple(evaluate(criteria, answers).reasons)


def met_reasons(criteria: Criteria, answers, language: str | None) -> tuple[str, ...]:
    """The sentences of a met criteria, remembered per answers read and language.

    A rule's sentences depend only on the few answers its conditions read, so
    many patients share them; `language` is the active language (asked for
    once by the caller: looking it up costs more than the cache).
    """
    values = tuple(getattr(answers, name) for name in criteria.reads())
    return _met_reasons(criteria, values, language)
