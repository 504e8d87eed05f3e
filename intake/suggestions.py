"""The suggestion engine: a pure function of (answers, catalog) -> suggestions.

It never touches the database: `therapies.snapshot.get_catalog()` hands it an
immutable catalog. The results page, the coordinator view and the `suggest`
command all call `suggest()`, so they always agree.

Label-based matches are things to ask about, never a verdict on eligibility:
whether someone is a candidate is decided by the treating centre.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.utils.translation import get_language, gettext_noop

from therapies.criteria import (
    Evaluation,
    Outcome,
    cached_gettext,
    evaluate,
    met_reasons,
)
from therapies.snapshot import (
    Catalog,
    CenterInfo,
    CostNoteInfo,
    IndicationInfo,
    PriceInfo,
    QuestionInfo,
    RegulatorInfo,
    RuleInfo,
    TherapyInfo,
    TopicInfo,
    TrialInfo,
)
from therapies.vocabulary import AFTER_CAR_T_FAILED, DiseaseCode

from .answers import Answers


class Fit(StrEnum):
    """What the page may say about approved CAR T for these answers."""

    FITS = "fits"  # an approval in the patient's country fits
    UNKNOWN = "unknown"  # an answer the patient was not sure of decides it
    ELSEWHERE = "elsewhere"  # only approvals in other countries fit
    NOT_COVERED = "not_covered"  # the catalog holds no approval for this cancer
    NONE = "none"  # we hold the approvals, and none fits


@dataclass(frozen=True)
class TherapyMatch:
    therapy: TherapyInfo
    indication: IndicationInfo
    regulator: str
    abroad: bool
    reasons: tuple[str, ...]
    cautions: tuple[str, ...] = ()
    also_approved_by: tuple[str, ...] = ()
    # The product's trials in the patient's disease only (the indication's).
    trials: tuple[TrialInfo, ...] = ()


@dataclass(frozen=True)
class NearMiss:
    therapy: TherapyInfo
    indication: IndicationInfo
    regulator: str
    abroad: bool
    missing: tuple[str, ...]
    unsure: bool
    evaluation: Evaluation = field(repr=False, compare=False)

    @property
    def reasons(self) -> tuple[str, ...]:
        """The conditions already met, written only when read (the page does not)."""
        return tuple(self.evaluation.reasons)


@dataclass(frozen=True)
class TopicMatch:
    topic: TopicInfo
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Suggestions:
    answers: Answers
    urgent: bool
    home_regulator: str | None
    therapies: tuple[TherapyMatch, ...]
    not_yet: tuple[NearMiss, ...]
    topics: tuple[TopicMatch, ...]
    eligibility_questions: tuple[QuestionInfo, ...]
    centers: tuple[CenterInfo, ...]
    prices: tuple[PriceInfo, ...]
    # Prices that name no product, such as the cost of joining a trial.
    trial_prices: tuple[PriceInfo, ...] = field(default=())
    fit: Fit = Fit.NONE
    home: RegulatorInfo | None = None
    catalog_release: int | None = None  # None: computed with the working copy
    # Cost and coverage in the patient's country, else the general note.
    cost_note: CostNoteInfo | None = None

    @property
    def coverage(self) -> dict:
        """What the catalog knows of approvals in the patient's country."""
        home = self.home
        return {
            "country": self.answers.country or None,
            "regulator": home.code if home else None,
            "status": home.coverage if home else "no_data",
            "checked": home.approvals_checked.isoformat() if home else None,
        }

    @property
    def to_check(self) -> tuple[NearMiss, ...]:
        """Approvals that may fit: only answers not known stand in the way."""
        return tuple(n for n in self.not_yet if n.unsure)

    @property
    def recovering(self) -> bool:
        """Just treated, too early to tell: the page is about recovery, and the
        topics' rules leave the failure pathways out."""
        return self.answers.recovering

    def to_contract(self) -> dict:
        """The JSON object of the intake contract."""
        return {
            "urgent": self.urgent,
            "therapies": [
                {
                    "slug": m.therapy.slug,
                    "brand_name": m.therapy.brand_name,
                    "generic_name": m.therapy.generic_name,
                    "target": m.therapy.target,
                    "regulator": m.regulator,
                    "indication": m.indication.label,
                    "reasons": list(m.reasons),
                    "abroad": m.abroad,
                    "also_approved_by": list(m.also_approved_by),
                    "cautions": list(m.cautions),
                }
                for m in self.therapies
            ],
            "not_yet": [
                {
                    "slug": n.therapy.slug,
                    "brand_name": n.therapy.brand_name,
                    "regulator": n.regulator,
                    "indication": n.indication.label,
                    "reasons": list(n.reasons),
                    "missing": list(n.missing),
                }
                for n in self.not_yet
            ],
            "topics": [
                {
                    "slug": t.topic.slug,
                    "title": t.topic.title,
                    "reasons": list(t.reasons),
                }
                for t in self.topics
            ],
            "eligibility_questions": [
                {"slug": q.slug, "text": q.text} for q in self.eligibility_questions
            ],
            "centers": [
                {"slug": c.slug, "name": c.name, "city": c.city, "country": c.country}
                for c in self.centers
            ],
            "prices": [
                {
                    "therapy": p.therapy,
                    "country": p.country,
                    "low_usd": p.low_usd,
                    "high_usd": p.high_usd,
                }
                for p in self.prices
                # The contract's prices are ranges in US dollars.
                if p.low_usd is not None
            ],
            "coverage": self.coverage,
            "catalog_release": self.catalog_release,
        }


def _met_rule(indication: IndicationInfo, answers: Answers) -> RuleInfo | None:
    return next((r for r in indication.rules if r.criteria.matches(answers)), None)


def _closest(indication: IndicationInfo, answers: Answers) -> Evaluation | None:
    """The evaluation of the indication's rule with the fewest conditions missed."""
    evaluations = [evaluate(rule.criteria, answers) for rule in indication.rules]
    return min(evaluations, key=lambda ev: len(ev.misses), default=None)


def _regulator_rank(
    regulator: str, home: str | None, catalog: Catalog
) -> tuple[int, int, str]:
    known = catalog.regulators.get(regulator)
    return (0 if regulator == home else 1, known.order if known else 0, regulator)


# An earlier treatment aimed at a CAR T's target, by target: a caution to
# discuss, never an exclusion (intake contract, version 2).
SAME_TARGET_THERAPY = {"CD19": "cd19_directed", "BCMA": "bcma_directed"}


UNCONFIRMED_WORDING_CAUTION = gettext_noop(
    "We could not confirm the exact wording of the %(regulator)s "
    "approval of %(brand)s. Check with your care team whether it "
    "fits you."
)
SAME_TARGET_CAUTION = gettext_noop(
    "You had another treatment aimed at %(target)s. This is not a reason "
    "to rule out %(brand)s, but ask whether your cancer still carries "
    "%(target)s."
)
TARGET_LOST_CAUTION = gettext_noop(
    "Tests showed your cancer lost the target of your earlier CAR T. %(brand)s targets %(target)s: "
    "ask whether your cancer still carries %(target)s."
)
SECOND_CAR_T_CAUTION = gettext_noop(
    "The label does not rule out a second CAR T, but the main trials mostly left out people who had "
    "one before, and it can work less well."
)


def _cautions(
    indication: IndicationInfo, answers: Answers, language: str | None
) -> tuple[str, ...]:
    therapy = indication.therapy
    words = {
        "brand": therapy.brand_name,
        "regulator": indication.regulator,
        "target": therapy.target,
    }
    cautions = []
    if not indication.wording_confirmed:
        cautions.append(cached_gettext(UNCONFIRMED_WORDING_CAUTION, language) % words)
    if SAME_TARGET_THERAPY.get(therapy.target) in answers.prior_therapies:
        cautions.append(cached_gettext(SAME_TARGET_CAUTION, language) % words)
    if answers.prior_car_t in AFTER_CAR_T_FAILED:
        if answers.antigen_loss == "yes":
            cautions.append(cached_gettext(TARGET_LOST_CAUTION, language) % words)
        cautions.append(cached_gettext(SECOND_CAR_T_CAUTION, language))
    return tuple(cautions)


def _match_therapies(answers: Answers, catalog: Catalog, home: str | None):
    # An indication's rules all name its disease, and neither a match nor a
    # near miss is possible without it: skip the others without evaluating.
    # With no regulator for the country, we do not know what is approved
    # there: what other regulators approved is shown, as options to ask about.
    everywhere = answers.travel_abroad == "yes" or home is None
    considered = [
        i
        for i in catalog.indications_by_disease.get(answers.disease, ())
        if i.regulator == home or everywhere
    ]
    considered.sort(
        key=lambda i: (
            i.therapy.order,
            i.therapy.slug,
            _regulator_rank(i.regulator, home, catalog),
        )
    )
    matched: dict[str, TherapyMatch] = {}
    approvals: dict[str, list[str]] = {}
    near: dict[str, NearMiss] = {}
    language = get_language()
    for indication in considered:
        slug = indication.therapy.slug
        rule = _met_rule(indication, answers)
        if rule is not None:
            approvals.setdefault(slug, [])
            if indication.regulator not in approvals[slug]:
                approvals[slug].append(indication.regulator)
            if slug not in matched:
                matched[slug] = TherapyMatch(
                    therapy=indication.therapy,
                    indication=indication,
                    regulator=indication.regulator,
                    abroad=indication.regulator != home,
                    reasons=met_reasons(rule.criteria, answers, language),
                    cautions=_cautions(indication, answers, language),
                    trials=catalog.trials_for(slug, indication.disease),
                )
            continue
        if slug in matched or slug in near:
            continue
        ev = _closest(indication, answers)
        if ev is None:
            continue
        disease_met = any(
            r.name == "disease" and r.outcome is Outcome.MET for r in ev.results
        )
        only_unknown = all(r.outcome is Outcome.UNKNOWN for r in ev.misses)
        if disease_met and (len(ev.misses) == 1 or only_unknown):
            near[slug] = NearMiss(
                therapy=indication.therapy,
                indication=indication,
                regulator=indication.regulator,
                abroad=indication.regulator != home,
                missing=tuple(r.text for r in ev.misses),
                unsure=only_unknown,
                evaluation=ev,
            )
    therapies = tuple(
        replace(m, also_approved_by=tuple(r for r in approvals[s] if r != m.regulator))
        for s, m in matched.items()
    )
    not_yet = tuple(n for s, n in near.items() if s not in matched)
    return therapies, not_yet


def _applies(rules, answers: Answers, language: str | None) -> tuple[str, ...] | None:
    """The reasons of the first met rule; () when there are no rules; None when none is met."""
    if not rules:
        return ()
    for rule in rules:
        if rule.criteria.matches(answers):
            return met_reasons(rule.criteria, answers, language)
    return None


def questions_apply(question: QuestionInfo, answers: Answers) -> bool:
    if question.diseases and answers.disease not in question.diseases:
        return False
    # Whether, not why: no reasons are written for a question.
    return not question.rules or any(
        rule.criteria.matches(answers) for rule in question.rules
    )


def eligibility_questions(
    answers: Answers, catalog: Catalog
) -> tuple[QuestionInfo, ...]:
    """The staff-managed questions the intake shows for these answers: none
    for someone recovering from CAR T (they are asked before treatment)."""
    if answers.recovering:
        return ()
    return tuple(q for q in catalog.questions if questions_apply(q, answers))


def _fit(answers: Answers, catalog: Catalog, therapies, not_yet) -> Fit:
    if any(not m.abroad for m in therapies):
        return Fit.FITS
    if answers.disease == DiseaseCode.UNSURE or any(n.unsure for n in not_yet):
        return Fit.UNKNOWN
    if therapies:
        return Fit.ELSEWHERE
    if answers.disease not in catalog.indications_by_disease:
        return Fit.NOT_COVERED
    return Fit.NONE


GENERAL_REASON = gettext_noop(
    "Worth raising for anyone getting ready to talk about CAR T."
)
NOTHING_FITS_REASON = gettext_noop(
    "No approved CAR T therapy has a label that fits your answers right now."
)
NO_DATA_REASON = gettext_noop(
    "We do not have approval information for your country yet, so trials may "
    "matter to you."
)
UNKNOWN_FIT_REASON = gettext_noop(
    "We cannot tell yet whether an approved CAR T fits you: an answer that "
    "decides it was “not sure”."
)
NOT_COVERED_REASON = gettext_noop(
    "We hold no CAR T approval for the kind of cancer you chose."
)
ELSEWHERE_REASON = gettext_noop(
    "No CAR T therapy approved in your country has a label that fits your "
    "answers right now."
)
# Why trials are raised, by what we know of a fit (no reason when one fits).
NO_FIT_REASONS = {
    Fit.UNKNOWN: UNKNOWN_FIT_REASON,
    Fit.ELSEWHERE: ELSEWHERE_REASON,
    Fit.NOT_COVERED: NOT_COVERED_REASON,
    Fit.NONE: NOTHING_FITS_REASON,
}
ELIGIBILITY_REASON = gettext_noop("You answered “%(answer)s” to: %(question)s")
ANSWER_WORDS = {
    "yes": gettext_noop("yes"),
    "no": gettext_noop("no"),
    "unsure": gettext_noop("not sure"),
}


def _no_fit_reason(fit: Fit, answers: Answers, home) -> str | None:
    """Why a topic kept for "when no therapy fits" is raised; None when not."""
    if fit is Fit.FITS or answers.recovering:  # recovering: not now
        return None
    return NO_FIT_REASONS[fit] if home else NO_DATA_REASON


def _topics(
    answers: Answers, catalog: Catalog, questions, *, fit: Fit, home
) -> tuple[TopicMatch, ...]:
    reasons: dict[str, tuple[str, ...]] = {}
    language = get_language()
    general = (cached_gettext(GENERAL_REASON, language),)
    no_fit = _no_fit_reason(fit, answers, home)
    for topic in catalog.topics.values():
        met = _applies(topic.rules, answers, language)
        if met is None and topic.when_no_therapy_fits and no_fit:
            met = (cached_gettext(no_fit, language),)
        if met is None:
            continue
        reasons[topic.slug] = met or general
    for question in questions:
        answer = answers.eligibility.get(question.slug)
        slug = question.topic_for(answer) if answer else None
        if slug and slug in catalog.topics:
            why = cached_gettext(ELIGIBILITY_REASON, language) % {
                "answer": cached_gettext(ANSWER_WORDS[answer], language),
                "question": question.text,
            }
            earlier = reasons.get(slug, general)
            reasons[slug] = (why,) if earlier == general else (*earlier, why)
    ordered = sorted(reasons, key=catalog.topic_ranks.get)
    return tuple(TopicMatch(catalog.topics[s], reasons[s]) for s in ordered)


def _centers(
    answers: Answers, catalog: Catalog, therapy_slugs: set[str]
) -> tuple[CenterInfo, ...]:
    chosen = [
        c
        for c in catalog.centers
        if c.country == answers.country
        or (answers.travel_abroad == "yes" and c.accepts_international is not False)
    ]
    chosen.sort(
        key=lambda c: (
            c.country != answers.country,
            not (set(c.therapies) & therapy_slugs),
            c.country,
            c.name,
        )
    )
    return tuple(chosen)


def _prices(answers: Answers, catalog: Catalog, therapy_slugs: list[str]):
    order = {slug: n for n, slug in enumerate(therapy_slugs)}
    wanted = [
        p
        for p in catalog.prices
        if p.therapy in order
        and (p.country == answers.country or answers.travel_abroad == "yes")
    ]
    wanted.sort(
        key=lambda p: (
            order[p.therapy],
            p.country != answers.country,
            p.low_usd is None,
            p.low_usd or 0,
            p.country,
        )
    )
    trials = tuple(
        p
        for p in catalog.prices
        if p.therapy is None
        and (p.country == answers.country or answers.travel_abroad == "yes")
    )
    return tuple(wanted), trials


def suggest(answers: Answers, catalog: Catalog) -> Suggestions:
    # Asked but left out (an answers file, or a draft from before a question
    # existed): not known, so the rules that need it are unknown, as for "not sure".
    answers = answers.applicable().unknowns_as_unsure()
    regulator = catalog.regulator_for(answers.country)
    home = regulator.code if regulator else None
    therapies, not_yet = _match_therapies(answers, catalog, home)
    questions = eligibility_questions(answers, catalog)
    slugs = [m.therapy.slug for m in therapies]
    prices, trial_prices = _prices(answers, catalog, slugs)
    fit = _fit(answers, catalog, therapies, not_yet)
    return Suggestions(
        answers=answers,
        urgent=answers.urgent,
        home_regulator=home,
        therapies=therapies,
        not_yet=not_yet,
        topics=_topics(answers, catalog, questions, fit=fit, home=home),
        eligibility_questions=questions,
        centers=_centers(answers, catalog, set(slugs)),
        prices=prices,
        trial_prices=trial_prices,
        fit=fit,
        home=regulator,
        catalog_release=catalog.release,
        cost_note=catalog.cost_note_for(answers.country),
    )
