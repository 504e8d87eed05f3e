"""The conditions a catalog rule can set, each declared once, in `CONDITIONS`.

A row says: the condition's name (its `Criteria` and `Rule` field; a range
condition has two, `min_<name>` and `max_<name>`), the answer it reads, the
vocabulary its codes come from, how it matches, its label in the admin and its
sentences. `Criteria` (criteria.py), the `Rule` model's fields, validators and
range constraints (models.py), the admin's rule forms (admin.py) and the seed
files' rule keys (loader.py) are all built from this table: a new condition is
one new row, plus its migration.

`required_on_indications` marks what a rule on an indication must say (the
admin and the loader refuse a rule that leaves it out, unless the rule says
that the label sets no limit on it); `summary` words what a rule accepts, for
the one-line summary editors see beside each rule.

An answer the patient was not sure of, or was never asked ("" or None, and
"unsure" for the number of lines), leaves a condition unknown: never met,
unless the rule accepts that very code (a topic for people not sure whether
they have a caregiver accepts "unsure"). A condition can name more such codes
(`undecided`): "another kind" of large B-cell lymphoma may still be one a
label covers, so it is a point to check, not a miss. A rule can name more of
its own (`Rule.to_check`): where its label draws a line our answers cannot draw
(relapse within 24 months, when we ask only about 12), the answers on the far
side of our line are a point to check for that rule alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy, gettext_noop

from . import wording as w
from .vocabulary import (
    DiseaseCode,
    LbclSubtype,
    PriorCarT,
    PriorTherapy,
    RelapseStatus,
    YesNoUnsure,
)

# The vocabularies rules take codes from, by the name `CodesValidator` keeps
# in migrations.
VOCABULARIES = {
    "disease": DiseaseCode,
    "lbcl_subtype": LbclSubtype,
    "relapse_status": RelapseStatus,
    "prior_therapy": PriorTherapy,
    "yes_no_unsure": YesNoUnsure,
    "prior_car_t": PriorCarT,
}
# Answers that say nothing: not sure, or not asked.
NOT_KNOWN = frozenset({"unsure", "", None})


class Outcome(StrEnum):
    MET = "met"
    MISSED = "missed"
    UNKNOWN = "unknown"


class Match(StrEnum):
    ANY_OF = "any_of"  # the answer is one of the rule's codes
    ALL_OF = "all_of"  # the answer (a set) holds every one of the rule's codes
    RANGE = "range"  # the answer (a whole number) lies from min to max
    FLAG = "flag"  # the answer (true or false) is the rule's


@dataclass(frozen=True)
class Sentences:
    """A condition's sentences (msgids, translated when read).

    `unknown` defaults to `missed`; `to_check`, said when a rule leaves the
    answer to check (`Rule.to_check`), defaults to `unknown`; `met_if_false` is
    a flag's sentence when it is met by the answer being false.
    """

    met: str
    missed: str
    unknown: str = ""
    met_if_false: str = ""
    to_check: str = ""

    def for_outcome(self, outcome: Outcome, value, to_check: bool = False) -> str:
        if outcome is Outcome.MET:
            return self.met_if_false if self.met_if_false and not value else self.met
        if outcome is Outcome.UNKNOWN and to_check and self.to_check:
            return self.to_check
        if outcome is Outcome.UNKNOWN and self.unknown:
            return self.unknown
        return self.missed


# Words = fn(condition, accepted, value) -> the sentences' blanks. `accepted` is
# the rule's codes, or (min, max) for a range, or the flag's value.
Words = Callable[["Condition", object, object], dict]


def choice_words(condition: Condition, accepted, value) -> dict:
    return {
        "topic": w._(condition.topic),
        "answer": condition.phrase(value),
        "accepted": w.join_or(condition.phrase(a) for a in accepted),
    }


def disease_words(condition: Condition, accepted, value) -> dict:
    return {
        "disease": w.disease_label(value),
        "names": w.join_or(
            w.disease_label(d) for d in accepted if d in DiseaseCode.values
        ),
    }


def relapse_words(condition: Condition, accepted, value) -> dict:
    return {
        "status": w.relapse_phrase(value),
        "accepted": w.relapse_accepted(accepted),
    }


def therapies_words(condition: Condition, accepted, value) -> dict:
    had = set(value or ())
    return {
        "needed": w.join_and(w.therapy_label(t) for t in accepted),
        "lacking": w.join_and(w.therapy_label(t) for t in accepted if t not in had),
    }


def age_words(condition: Condition, accepted, value) -> dict:
    return {"age": value, "rule": w.age_rule(*accepted)}


def lines_words(condition: Condition, accepted, value) -> dict:
    lines = w.lines_phrase(value) if isinstance(value, int) else ""
    return {"lines": lines, "rule": w.lines_rule(*accepted)}


def no_words(condition: Condition, accepted, value) -> dict:
    return {}


# Summary = fn(condition, accepted) -> what a rule accepts, in a few words.
Summary = Callable[["Condition", object], str]


def choice_summary(condition: Condition, accepted) -> str:
    return w._("%(topic)s: %(accepted)s") % {
        "topic": w._(condition.topic) if condition.topic else condition.labels[0],
        "accepted": w.join_or(condition.phrase(a) for a in accepted),
    }


def disease_summary(condition: Condition, accepted) -> str:
    return w.join_or(w.disease_label(d) for d in accepted)


def relapse_summary(condition: Condition, accepted) -> str:
    return w.relapse_accepted(accepted)


def therapies_summary(condition: Condition, accepted) -> str:
    return w._("after %(needed)s") % {
        "needed": w.join_and(w.therapy_label(t) for t in accepted)
    }


def age_summary(condition: Condition, accepted) -> str:
    return w.age_rule(*accepted)


def lines_summary(condition: Condition, accepted) -> str:
    return w.lines_rule(*accepted)


def flag_summary(condition: Condition, accepted) -> str:
    return w._(
        condition.sentences.met if accepted else condition.sentences.met_if_false
    )


CHOICE_SENTENCES = Sentences(
    met=gettext_noop("%(topic)s: you answered “%(answer)s”."),
    missed=gettext_noop(
        "%(topic)s: this applies when the answer is “%(accepted)s”; you answered “%(answer)s”."
    ),
    to_check=gettext_noop(
        "%(topic)s: you answered “%(answer)s”; the label draws a finer line than "
        "our questions, so whether it covers you is a point to check with your "
        "care team."
    ),
)


@dataclass(frozen=True)
class Condition:
    name: str
    answer: str
    match: Match
    labels: tuple[str, ...]  # one per field: the admin's labels
    sentences: Sentences = CHOICE_SENTENCES
    words: Words = choice_words
    vocabulary: str = ""  # a key of VOCABULARIES, for codes
    bounds: tuple[int, int] = (0, 0)  # for a range: the answer's range
    topic: str = ""  # msgid naming the answer in CHOICE_SENTENCES
    phrase: Callable[[str], str] = w.answer_phrase  # a code in words
    # Added after catalog rows were first seeded: a rule hashed before it
    # existed still holds its seed while it keeps its default (loader.py).
    added: bool = False
    # Answers that meet the condition but are no reason to tell the patient
    # ("no CAR T before" is why a topic is not for the just-treated, not why
    # it is for this patient).
    unremarkable: frozenset = frozenset()
    # Answers that, like "not sure", leave the condition unknown when the rule
    # does not accept them: the patient's team has to say whether it is met.
    undecided: frozenset = frozenset()
    summary: Summary = choice_summary  # what a rule accepts, for editors
    # A rule on an indication must say what it requires of this answer.
    required_on_indications: bool = False
    # How editors name the condition when it is left open ("prior lines").
    name_label: str = ""

    @property
    def fields(self) -> tuple[str, ...]:
        if self.match is Match.RANGE:
            return (f"min_{self.name}", f"max_{self.name}")
        return (self.name,)

    @property
    def takes_codes(self) -> bool:
        return self.match in (Match.ANY_OF, Match.ALL_OF)

    @property
    def choices(self):
        return VOCABULARIES[self.vocabulary].choices

    def accepted(self, criteria):
        """What `criteria` accepts: codes, (min, max) or a flag; empty when unset."""
        if self.match is Match.RANGE:
            low, high = (getattr(criteria, f) for f in self.fields)
            return () if low is None and high is None else (low, high)
        return getattr(criteria, self.name)

    def is_set(self, criteria) -> bool:
        return self.accepted(criteria) not in ((), None)

    def test(self, accepted) -> Callable[[object], bool]:
        """Whether an answer meets this condition when it accepts `accepted`.

        Made once per rule (criteria.py keeps it): the engine asks it of
        every rule for every patient.
        """
        if self.match is Match.ANY_OF:
            codes = frozenset(accepted)
            return lambda value: value in codes
        if self.match is Match.ALL_OF:
            needed = frozenset(accepted)
            return lambda value: needed.issubset(value or ())
        if self.match is Match.RANGE:
            low, high = accepted
            low = -math.inf if low is None else low
            high = math.inf if high is None else high
            return lambda value: (
                isinstance(value, int)
                and not isinstance(value, bool)
                and low <= value <= high
            )
        return lambda value: bool(value) == accepted

    @property
    def can_leave_to_check(self) -> bool:
        """Whether a rule can name answers of this condition to check (one
        answer code, which a label's finer line may or may not take in)."""
        return self.match is Match.ANY_OF

    def codes_to_check(self, to_check) -> frozenset:
        """The codes of a rule's `to_check` that are answers to this condition."""
        if not self.can_leave_to_check:
            return frozenset()
        return frozenset(to_check) & frozenset(VOCABULARIES[self.vocabulary].values)

    def unmet(self, value, to_check: frozenset = frozenset()) -> Outcome:
        """Why a condition is not met by `value`: unknown or missed.

        `to_check` holds the codes the rule leaves to check (`codes_to_check`).
        """
        if self.match is Match.RANGE and not isinstance(value, int):
            return Outcome.UNKNOWN
        if self.match is Match.ANY_OF and (
            value in NOT_KNOWN or value in self.undecided or value in to_check
        ):
            return Outcome.UNKNOWN
        return Outcome.MISSED

    def sentence(
        self, accepted, value, outcome: Outcome, to_check: bool = False
    ) -> str:
        message = self.sentences.for_outcome(outcome, value, to_check)
        return w._(message) % self.words(self, accepted, value)

    def summarise(self, criteria) -> str:
        """What `criteria` accepts of this condition, in a few words."""
        return self.summary(self, self.accepted(criteria))


def yes_no_condition(name: str, label, topic: str) -> Condition:
    """A condition on a yes / no / not sure answer of the same name."""
    return Condition(
        name, name, Match.ANY_OF, (label,), vocabulary="yes_no_unsure", topic=topic
    )


CONDITIONS: tuple[Condition, ...] = (
    Condition(
        "diseases",
        "disease",
        Match.ANY_OF,
        (gettext_lazy("diseases"),),
        Sentences(
            met=gettext_noop("Diagnosis: %(disease)s."),
            missed=gettext_noop("This is about %(names)s."),
        ),
        disease_words,
        vocabulary="disease",
        summary=disease_summary,
    ),
    Condition(
        "lbcl_subtypes",
        "lbcl_subtype",
        Match.ANY_OF,
        (gettext_lazy("kinds of large B-cell lymphoma (any of)"),),
        vocabulary="lbcl_subtype",
        topic=gettext_noop("Kind of large B-cell lymphoma"),
        phrase=w.lbcl_subtype_phrase,
        added=True,
        # "Another kind": labels name the common kinds, often as examples
        # ("including …"); whether another one is covered is the team's call.
        # So are high-grade B-cell lymphoma and lymphoma transformed from a
        # slow-growing one where a label names only "DLBCL": both were long
        # classed as DLBCL and were in the pivotal trials, so a label that does
        # not name them is a point to check, never a silent "no". PMBCL and
        # follicular lymphoma grade 3B are kinds of their own that labels name
        # when they cover them: a label that leaves them out is a miss.
        undecided=frozenset({LbclSubtype.OTHER, LbclSubtype.HGBCL, LbclSubtype.TFL}),
    ),
    Condition(
        "age",
        "age",
        Match.RANGE,
        (gettext_lazy("minimum age"), gettext_lazy("maximum age")),
        Sentences(
            met=gettext_noop("Age %(age)d: this is %(rule)s."),
            missed=gettext_noop("This is %(rule)s; you are %(age)d."),
            unknown=gettext_noop("This is %(rule)s; we do not know your age."),
        ),
        age_words,
        bounds=(0, 120),
        summary=age_summary,
    ),
    Condition(
        "prior_lines",
        "prior_lines",
        Match.RANGE,
        (gettext_lazy("minimum prior lines"), gettext_lazy("maximum prior lines")),
        Sentences(
            met=gettext_noop("You have had %(lines)s: this is %(rule)s."),
            missed=gettext_noop("This is %(rule)s; you have had %(lines)s."),
            unknown=gettext_noop(
                "This is %(rule)s; you were not sure how many lines you have had."
            ),
        ),
        lines_words,
        bounds=(0, 15),
        summary=lines_summary,
        required_on_indications=True,
        name_label=gettext_lazy("the number of prior lines"),
    ),
    Condition(
        "relapse_statuses",
        "relapse_status",
        Match.ANY_OF,
        (gettext_lazy("relapse statuses (any of)"),),
        Sentences(
            met=gettext_noop(
                "Your cancer %(status)s: this covers cancer that %(accepted)s."
            ),
            missed=gettext_noop(
                "This covers cancer that %(accepted)s; you answered “%(status)s”."
            ),
            to_check=gettext_noop(
                "Your cancer %(status)s: the label draws a line our questions do "
                "not, so whether it covers yours is a point to check with your "
                "care team."
            ),
        ),
        relapse_words,
        vocabulary="relapse_status",
        summary=relapse_summary,
        required_on_indications=True,
        name_label=gettext_lazy("the disease status (relapsed, refractory, …)"),
    ),
    Condition(
        "prior_therapies_all",
        "prior_therapies",
        Match.ALL_OF,
        (gettext_lazy("prior therapies (all of)"),),
        Sentences(
            met=gettext_noop("You have had %(needed)s, which this requires."),
            missed=gettext_noop(
                "This is after %(needed)s; you did not list %(lacking)s."
            ),
        ),
        therapies_words,
        vocabulary="prior_therapy",
        summary=therapies_summary,
    ),
    yes_no_condition(
        "lenalidomide_refractory",
        gettext_lazy("lenalidomide-refractory"),
        gettext_noop("Myeloma that stopped responding to lenalidomide"),
    ),
    yes_no_condition(
        "transplant_eligible",
        gettext_lazy("transplant eligible"),
        gettext_noop("Your care team sees a stem cell transplant as an option"),
    ),
    Condition(
        "prior_car_t",
        "prior_car_t",
        Match.ANY_OF,
        (gettext_lazy("prior CAR T outcome (any of)"),),
        vocabulary="prior_car_t",
        topic=gettext_noop("How an earlier CAR T went"),
        phrase=w.prior_car_t_phrase,
        unremarkable=frozenset({PriorCarT.NONE}),
    ),
    yes_no_condition(
        "antigen_loss",
        gettext_lazy("target loss"),
        gettext_noop("Tests showed the cancer lost the CAR T target"),
    ),
    yes_no_condition(
        "caregiver",
        gettext_lazy("caregiver"),
        gettext_noop("Someone can stay with you around the clock"),
    ),
    yes_no_condition(
        "travel_abroad",
        gettext_lazy("travel abroad"),
        gettext_noop("Willing to travel to another country"),
    ),
    yes_no_condition(
        "recent_infusion",
        gettext_lazy("recent infusion"),
        gettext_noop("CAR T infusion in the last 8 weeks"),
    ),
    Condition(
        "urgent",
        "urgent",
        Match.FLAG,
        (gettext_lazy("urgent"),),
        Sentences(
            met=gettext_noop(
                "You reported symptoms that need a call to your care team now."
            ),
            met_if_false=gettext_noop("You reported no urgent symptoms."),
            missed=gettext_noop("This is for symptoms that need a call now."),
        ),
        no_words,
        summary=flag_summary,
    ),
)

BY_NAME = {condition.name: condition for condition in CONDITIONS}
# Every Criteria and Rule field a condition adds, in the order people read them.
CONDITION_FIELDS = tuple(name for c in CONDITIONS for name in c.fields)
# Every answer some condition can read.
ANSWERS_READ = frozenset(c.answer for c in CONDITIONS)
# The conditions whose answers a rule can leave to check, and those answers:
# every code of their vocabularies but "not sure", which is unknown anyway.
CAN_LEAVE_TO_CHECK = tuple(c for c in CONDITIONS if c.can_leave_to_check)
CODES_TO_CHECK = frozenset(
    code
    for c in CAN_LEAVE_TO_CHECK
    for code in VOCABULARIES[c.vocabulary].values
    if code not in NOT_KNOWN
)
# What a rule on an indication must say, in the table's order.
REQUIRED_ON_INDICATIONS = tuple(c for c in CONDITIONS if c.required_on_indications)


def summarise(criteria) -> str:
    """A rule's conditions in one line, in the order people read them."""
    return "; ".join(c.summarise(criteria) for c in criteria.conditions())
