"""The one criteria mechanism behind indications, topics and eligibility questions.

A `Criteria` is a set of conditions on the contract's answers; every condition
that is set must hold. Its fields are those of the conditions table
(conditions.py), then `to_check`: the answer codes the rule leaves to check
rather than missed, where its label draws a line our answers cannot (it never
makes a condition met, so `matches` does not read it). `evaluate` says, condition by condition, whether the answers
met it, missed it, or left it unknown (the patient answered "not sure", or was
not asked), with a sentence in plain words for each; `Criteria.matches` says
only whether all are met. Indications, topics and questions each carry one or
more `Rule` rows holding a `Criteria`; an owner applies when any of its rules
is met, and an owner with no rules always applies.

Answers are read by attribute (`answers.age`, `answers.prior_therapies`, …) so
this module stays independent of the intake app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, make_dataclass
from functools import cached_property, lru_cache
from types import SimpleNamespace
from typing import NamedTuple

from django.utils import translation

from .conditions import BY_NAME, CONDITIONS, Condition, Match, Outcome
from .wording import cached_gettext

__all__ = [
    "Criteria",
    "CriterionResult",
    "Evaluation",
    "Outcome",
    "cached_gettext",
    "evaluate",
    "met_reasons",
]


class Check(NamedTuple):
    condition: Condition
    accepted: object  # codes, (min, max) or a flag
    test: Callable[[object], bool]
    to_check: frozenset = frozenset()  # answers the rule leaves to check


class CriteriaMethods:
    """What a `Criteria` does; its fields come from the conditions table."""

    def conditions(self) -> tuple[Condition, ...]:
        """The conditions this criteria sets, in the table's order."""
        return tuple(check.condition for check in self.checks())

    def checks(self) -> tuple[Check, ...]:
        """Each condition this criteria sets, with what it accepts and its test."""
        return self._checks

    # Worked out once per criteria: the engine asks `matches` of every rule
    # for every patient, and `reads` of every rule that is met.
    @cached_property
    def _checks(self) -> tuple[Check, ...]:
        return tuple(
            Check(
                c,
                c.accepted(self),
                c.test(c.accepted(self)),
                c.codes_to_check(self.to_check),
            )
            for c in CONDITIONS
            if c.is_set(self)
        )

    @cached_property
    def _reads(self) -> tuple[str, ...]:
        return tuple(check.condition.answer for check in self._checks)

    @cached_property
    def _tests(self) -> tuple[tuple[str, Callable[[object], bool]], ...]:
        return tuple((check.condition.answer, check.test) for check in self._checks)

    def is_empty(self) -> bool:
        return not self.checks()

    def matches(self, answers) -> bool:
        """Whether every condition is met: `evaluate(self, answers).met`, faster.

        The engine asks this of every rule and wants the sentences of the few
        that are met; tests hold it equal to `evaluate` for any answers.
        """
        for answer, test in self._tests:
            if not test(getattr(answers, answer)):
                return False
        return True

    def reads(self) -> tuple[str, ...]:
        """The answers this criteria's conditions (and so their sentences) read."""
        return self._reads

    @classmethod
    def from_values(cls, values: Mapping) -> CriteriaMethods:
        """A `Criteria` from stored values (a Rule's, a seed's): lists become tuples."""
        return cls(
            **{
                name: tuple(value) if isinstance(value, list) else value
                for name, value in values.items()
            }
        )


def _hash(self) -> int:
    # The engine looks criteria up in a cache for every rule of every topic;
    # hashing all fields anew each time was a tenth of its time.
    try:
        return self._hash
    except AttributeError:
        value = hash(tuple(getattr(self, f.name) for f in fields(self)))
        object.__setattr__(self, "_hash", value)
        return value


def _criteria_field(condition: Condition, name: str):
    if condition.takes_codes:
        return name, tuple[str, ...], field(default=())
    if condition.match is Match.RANGE:
        return name, int | None, field(default=None)
    return name, bool | None, field(default=None)


# Not a condition: what the rule leaves to check of its conditions' answers.
TO_CHECK_FIELD = ("to_check", tuple[str, ...], field(default=()))

Criteria = make_dataclass(
    "Criteria",
    [
        *(_criteria_field(c, name) for c in CONDITIONS for name in c.fields),
        TO_CHECK_FIELD,
    ],
    bases=(CriteriaMethods,),
    namespace={
        "__hash__": _hash,
        "__module__": __name__,
        "__doc__": "One rule's conditions; an unset one (() or None) accepts anything.",
    },
    frozen=True,
)


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One condition's outcome; its sentence is written only when read.

    The engine evaluates every rule of every indication, topic and question,
    but shows the sentences of a few: formatting (and translating) them all
    was most of its time. So a result keeps what its sentence needs, nothing
    more (no closure: it is made for every condition of every rule evaluated).
    """

    check: Check = field(repr=False)
    value: object
    outcome: Outcome
    left_to_check: bool = False  # an answer the rule leaves to check

    @property
    def name(self) -> str:
        """The answer the condition reads."""
        return self.check.condition.answer

    @property
    def remarkable(self) -> bool:
        """False for a met one that is no reason to tell."""
        return self.value not in self.check.condition.unremarkable

    @property
    def text(self) -> str:
        return _sentence(
            self.check.condition.name,
            self.check.accepted,
            self.value,
            self.outcome,
            self.left_to_check,
            translation.get_language(),
        )


@dataclass(frozen=True)
class Evaluation:
    results: tuple[CriterionResult, ...] = field(default_factory=tuple)

    @property
    def met(self) -> bool:
        return all(r.outcome is Outcome.MET for r in self.results)

    @cached_property
    def misses(self) -> tuple[CriterionResult, ...]:
        return tuple(r for r in self.results if r.outcome is not Outcome.MET)

    @property
    def reasons(self) -> list[str]:
        return [
            r.text for r in self.results if r.outcome is Outcome.MET and r.remarkable
        ]


def _result(check: Check, answers) -> CriterionResult:
    condition, _accepted, test, to_check = check
    value = getattr(answers, condition.answer)
    outcome = Outcome.MET if test(value) else condition.unmet(value, to_check)
    return CriterionResult(check, value, outcome, bool(to_check) and value in to_check)


@lru_cache(maxsize=16384)
def _sentence(
    name: str, accepted, value, outcome: Outcome, left_to_check: bool, language
) -> str:
    # The page lists what each near miss lacks, and many rules share a
    # condition (a disease, a number of lines): the same sentences come up for
    # patient after patient. Written in `language` whatever the caller's
    # active language is, as `_met_reasons` below.
    with translation.override(language):
        return BY_NAME[name].sentence(accepted, value, outcome, left_to_check)


def evaluate(criteria: Criteria, answers) -> Evaluation:
    """Check every condition that `criteria` sets against `answers`."""
    return Evaluation(tuple(_result(check, answers) for check in criteria.checks()))


@lru_cache(maxsize=16384)
def _met_reasons(criteria: Criteria, values: tuple, language: str | None):
    answers = SimpleNamespace(**dict(zip(criteria.reads(), values, strict=True)))
    # Written in `language` whatever the caller's active language is, so what
    # is remembered under this key is always in that language.
    with translation.override(language):
        return tuple(evaluate(criteria, answers).reasons)


def met_reasons(criteria: Criteria, answers, language: str | None) -> tuple[str, ...]:
    """The sentences of a met criteria, remembered per answers read and language.

    A rule's sentences depend only on the few answers its conditions read, so
    many patients share them; `language` is the active language (asked for
    once by the caller: looking it up costs more than the cache).
    """
    values = tuple(getattr(answers, name) for name in criteria.reads())
    return _met_reasons(criteria, values, language)
