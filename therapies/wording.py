"""The plain words the rule conditions' sentences are made of.

`conditions.py` names, for each condition, the sentences it says; the
functions here fill in their blanks (`%(accepted)s`, `%(rule)s`, …) from a
rule's accepted values and the patient's answer.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation
from django.utils.translation import (
    get_language,
    gettext,
    gettext_noop,
    ngettext,
    pgettext,
)

from .vocabulary import (
    RELAPSED_OR_REFRACTORY,
    DiseaseCode,
    LbclSubtype,
    PriorTherapy,
)


@lru_cache(maxsize=4096)
def cached_gettext(message: str, language: str | None) -> str:
    """gettext of `message` in `language`, remembered.

    The engine writes the same few hundred sentences over and over, and each
    Django gettext call costs microseconds of thread-local lookups. A miss
    translates in `language` itself, so a caller whose active language is
    another cannot leave text in the wrong language under this key.
    """
    with translation.override(language):
        return gettext(message)


def _(message: str) -> str:
    return cached_gettext(message, get_language())


@lru_cache(maxsize=64)
def _separator(kind: str, language: str | None) -> str:
    with translation.override(language):
        if kind == "items":
            # Translators: between the items of a list, as in "A, B or C".
            # Chinese joins list items with 、.
            return pgettext("list separator", ", ")
        # Translators: between list items that hold commas themselves, as in
        # "Chemotherapy, alone or with an antibody; Stem cell transplant".
        # Chinese uses ；.
        return pgettext("separator of list items that contain commas", "; ")


def list_separator() -> str:
    """Between the items of a list in the page's language: ", " or 、."""
    return _separator("items", get_language())


def long_item_separator() -> str:
    """Between list items that hold commas themselves: "; " or ；."""
    return _separator("long items", get_language())


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


def answer_phrase(code: str) -> str:
    """A yes / no / not sure / not asked answer in words."""
    return _(ANSWER_PHRASES[code]) if code in ANSWER_PHRASES else code


def prior_car_t_phrase(code: str) -> str:
    return _(PRIOR_CAR_T_PHRASES[code]) if code in PRIOR_CAR_T_PHRASES else code


def relapse_phrase(code: str) -> str:
    return _(RELAPSE_PHRASES[code]) if code in RELAPSE_PHRASES else code


def lbcl_subtype_phrase(code: str) -> str:
    if code in LbclSubtype.values:
        return str(LbclSubtype(code).label)
    return answer_phrase(code)


def disease_label(code: str) -> str:
    return str(DiseaseCode(code).label) if code in DiseaseCode.values else code


def therapy_label(code: str) -> str:
    return str(PriorTherapy(code).label) if code in PriorTherapy.values else code


def join_or(items) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s or %(last)s") % {
        "first": list_separator().join(items[:-1]),
        "last": items[-1],
    }


def join_and(items) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {
        "first": list_separator().join(items[:-1]),
        "last": items[-1],
    }


def lines_phrase(n: int) -> str:
    return ngettext(
        "%(n)d prior line of therapy", "%(n)d prior lines of therapy", n
    ) % {"n": n}


def age_rule(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        if low == 0:
            return _("for people up to age %(max)d") % {"max": high}
        return _("for people aged %(min)d to %(max)d") % {"min": low, "max": high}
    if low is not None:
        if low == 18:
            return _("for adults (18 and older)")
        return _("for people aged %(min)d and older") % {"min": low}
    return _("for people up to age %(max)d") % {"max": high}


def lines_rule(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        if low == high:
            return ngettext(
                "after exactly %(n)d prior line of therapy",
                "after exactly %(n)d prior lines of therapy",
                low,
            ) % {"n": low}
        return _("after %(lo)d to %(hi)d prior lines of therapy") % {
            "lo": low,
            "hi": high,
        }
    if low is not None:
        return ngettext(
            "after %(n)d or more prior lines of therapy",
            "after %(n)d or more prior lines of therapy",
            low,
        ) % {"n": low}
    return _("after at most %(n)d prior lines of therapy") % {"n": high}


def relapse_accepted(accepted) -> str:
    if set(accepted) == set(RELAPSED_OR_REFRACTORY):
        return _("came back or did not respond to treatment (relapsed or refractory)")
    return join_or(relapse_phrase(s) for s in accepted)
