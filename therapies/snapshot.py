"""An immutable, in-process copy of the catalog for the suggestion engine.

Built with a fixed number of queries whatever the catalog's size, and kept per
process, one copy per language, each built the first time a page in that
language asks. Each request costs one query: reading `CatalogVersion`, which
every catalog change bumps, so no worker on any server serves stale rules.

Staff-translated texts (therapies/translation.py) come as `Text`: the text in
the language asked for, or the English text marked `english_only` when nobody
has translated it yet, so a page can say so instead of showing an empty box.
Product names come as plain strings, the English one unmarked.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from . import models as m
from .criteria import Criteria
from .snapshot_json import catalog_from_json, to_json

SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


class Text(str):
    """A catalog text; `english_only` when it is the English fallback on a
    page in another language."""

    english_only: bool

    def __new__(cls, value: str = "", *, english_only: bool = False) -> Text:
        text = super().__new__(cls, value)
        text.english_only = english_only
        return text

    def to_json(self) -> list:
        return [str(self), self.english_only]

    @classmethod
    def from_json(cls, value: list) -> Text:
        text, english_only = value
        return cls(text, english_only=english_only)


def translated_text(obj, name: str, language: str) -> Text:
    """`obj`'s field `name` in `language`, else its English text marked as such."""
    # Migration 0002 copied every row's text into its English column.
    english = getattr(obj, build_localized_fieldname(name, SOURCE_LANGUAGE), None) or ""
    if language == SOURCE_LANGUAGE:
        return Text(english)
    value = getattr(obj, build_localized_fieldname(name, language), None)
    if value:
        return Text(value)
    return Text(english, english_only=bool(english))


def translated_name(obj, name: str, language: str) -> str:
    """A name (translation.NAMES) in `language`, else in English, unmarked: a
    brand name in Latin letters is normal on a page in any language."""
    return str(translated_text(obj, name, language))


def catalog_language(language: str | None = None) -> str:
    """One of the site's language codes for `language` (default: the active one)."""
    try:
        return translation.get_supported_language_variant(
            language or translation.get_language() or settings.LANGUAGE_CODE
        )
    except LookupError:
        return settings.LANGUAGE_CODE


@dataclass(frozen=True)
class SourceInfo:
    key: str
    title: str
    publisher: str
    url: str
    published: str


@dataclass(frozen=True)
class DiseaseInfo:
    code: str
    name: Text
    description: Text


@dataclass(frozen=True)
class RegulatorInfo:
    code: str
    name: Text
    countries: tuple[str, ...]
    coverage: str
    approvals_checked: datetime.date
    order: int
    last_reviewed: datetime.date


@dataclass(frozen=True)
class TherapyInfo:
    slug: str
    brand_name: str
    generic_name: str
    short_name: str
    maker: str
    target: str
    summary: Text
    order: int
    last_reviewed: datetime.date
    sources: tuple[SourceInfo, ...]


@dataclass(frozen=True)
class RuleInfo:
    note: str
    criteria: Criteria


@dataclass(frozen=True)
class IndicationInfo:
    slug: str
    therapy: TherapyInfo
    disease: str
    regulator: str
    label: Text
    approved_on: datetime.date | None
    approval_note: Text
    approval_kind: str
    last_reviewed: datetime.date
    sources: tuple[SourceInfo, ...]
    rules: tuple[RuleInfo, ...]
    wording_confirmed: bool = True


@dataclass(frozen=True)
class TopicInfo:
    slug: str
    title: Text
    body: Text
    question: Text
    priority: int
    last_reviewed: datetime.date
    sources: tuple[SourceInfo, ...]
    rules: tuple[RuleInfo, ...]
    when_no_therapy_fits: bool = False


@dataclass(frozen=True)
class QuestionInfo:
    slug: str
    text: Text
    help_text: Text
    diseases: tuple[str, ...]
    topic_if: dict
    last_reviewed: datetime.date
    rules: tuple[RuleInfo, ...]

    def topic_for(self, answer: str) -> str | None:
        return self.topic_if.get(answer)


@dataclass(frozen=True)
class CenterInfo:
    slug: str
    name: str
    city: str
    country: str
    therapies: tuple[str, ...]
    products_verified: bool
    accepts_international: bool | None
    trials: str
    contact: str
    website: str


@dataclass(frozen=True)
class PriceInfo:
    therapy: str | None
    therapy_name: str
    label: Text
    country: str
    low_usd: int | None
    high_usd: int | None
    as_of: datetime.date
    note: Text
    sources: tuple[SourceInfo, ...]
    # Who gives the price (models.PriceKind) and their name, such as CancerFax.
    kind: str = "travel_estimate"
    estimated_by: str = ""
    # The amounts in the local currency, when the source gives them.
    currency: str = ""
    low_local: int | None = None
    high_local: int | None = None

    @property
    def trial_cost(self) -> bool:
        return self.kind == m.PriceKind.TRIAL_COST

    @property
    def kind_label(self) -> str:
        """Whose price this is, in the page's language."""
        return str(m.PriceKind(self.kind).label)


@dataclass(frozen=True)
class CostNoteInfo:
    """Cost and coverage in some countries; no countries: the general note."""

    slug: str
    countries: tuple[str, ...]
    title: Text
    body: Text
    last_reviewed: datetime.date
    sources: tuple[SourceInfo, ...]


@dataclass(frozen=True)
class TrialInfo:
    """A pivotal trial's results for the patients of one disease. A rate is
    None when no source confirms it: pages then show no number."""

    slug: str
    therapy: str
    disease: str
    trial: str
    population: Text
    patients: int | None
    results: Text
    severe_crs: str | None
    crs_grade: str  # how the source counts severe, in the page's language
    severe_neuro: str | None
    neuro_grade: str
    note: Text
    last_reviewed: datetime.date
    sources: tuple[SourceInfo, ...]

    @property
    def has_rates(self) -> bool:
        return self.severe_crs is not None or self.severe_neuro is not None


@dataclass(frozen=True)
class ReferencePatientInfo:
    """A reference patient (intake/reference.py runs them); plain values only,
    so a release can store it as JSON."""

    name: str
    answers: dict
    must_show_therapies: tuple[str, ...]
    must_not_show_therapies: tuple[str, ...]
    must_show_topics: tuple[str, ...]
    must_not_show_topics: tuple[str, ...]
    expect_urgent: bool | None
    note: str


@dataclass(frozen=True)
class Catalog:
    version: tuple
    language: str
    diseases: dict[str, DiseaseInfo]
    regulators: dict[str, RegulatorInfo]
    # {country code: regulator code}; a country is in at most one regulator.
    country_regulators: dict[str, str]
    therapies: dict[str, TherapyInfo]
    indications: tuple[IndicationInfo, ...]
    topics: dict[str, TopicInfo]
    questions: tuple[QuestionInfo, ...]
    centers: tuple[CenterInfo, ...]
    prices: tuple[PriceInfo, ...]
    last_reviewed: datetime.date | None
    reference_patients: tuple[ReferencePatientInfo, ...] = ()
    # Releases published before trial results existed read back with none.
    trials: tuple[TrialInfo, ...] = ()
    cost_notes: tuple[CostNoteInfo, ...] = ()
    # The published release this copy was read from; None for the working copy.
    release: int | None = None
    released_at: datetime.datetime | None = None

    @property
    def question_slugs(self) -> frozenset[str]:
        return frozenset(q.slug for q in self.questions)

    def trials_for(self, therapy: str, disease: str) -> tuple[TrialInfo, ...]:
        """The trials of `therapy` whose patients had `disease`, and no other."""
        return tuple(
            t for t in self.trials if t.therapy == therapy and t.disease == disease
        )

    # Worked out once per copy of the catalog (the copy never changes) rather
    # than by the engine for every patient.
    @cached_property
    def indications_by_disease(self) -> dict[str, tuple[IndicationInfo, ...]]:
        """Each disease's indications, in catalog order: an indication's rules
        all name its disease, so a patient's are the only ones that can fit."""
        by_disease: dict[str, list[IndicationInfo]] = {}
        for indication in self.indications:
            by_disease.setdefault(indication.disease, []).append(indication)
        return {disease: tuple(found) for disease, found in by_disease.items()}

    @cached_property
    def topic_ranks(self) -> dict[str, int]:
        """Each topic's place on a page: highest priority first, then by title
        (topics alike in both share a rank)."""
        keys = sorted({(-t.priority, t.title) for t in self.topics.values()})
        rank = {key: n for n, key in enumerate(keys)}
        return {slug: rank[(-t.priority, t.title)] for slug, t in self.topics.items()}

    def regulator_for(self, country: str) -> RegulatorInfo | None:
        """The regulator whose approvals apply in `country`, or None when the
        catalog has none there."""
        code = self.country_regulators.get(country)
        return self.regulators[code] if code else None

    def cost_note_for(self, country: str | None) -> CostNoteInfo | None:
        """The cost and coverage note naming `country`, else the general one."""
        named = next((n for n in self.cost_notes if country in n.countries), None)
        general = next((n for n in self.cost_notes if not n.countries), None)
        return named or general


def _sources(obj) -> tuple[SourceInfo, ...]:
    return tuple(
        SourceInfo(s.key, s.title, s.publisher, s.url, s.published)
        for s in sorted(obj.sources.all(), key=lambda s: s.title)
    )


def _rules(obj, disease_code=None) -> tuple[RuleInfo, ...]:
    return tuple(RuleInfo(r.note, r.criteria(disease_code)) for r in obj.rules.all())


def build_catalog(version: tuple, language: str = SOURCE_LANGUAGE) -> Catalog:
    """The catalog with its texts in `language`; the same queries for every language."""
    with translation.override(language):
        # Querysets order by the active language's columns (modeltranslation).
        return _build(version, language)


def _sources_prefetch() -> Prefetch:
    return Prefetch("sources", queryset=m.Source.objects.all())


def _rules_prefetch() -> Prefetch:
    return Prefetch("rules", queryset=m.Rule.objects.order_by("id"))


def _build(version: tuple, language: str) -> Catalog:
    therapies = _therapies(language)
    indications = _indications(language, therapies)
    topics = _topics(language)
    regulators = _regulators(language)
    trials = _trials(language)
    reviewed = [
        *(t.last_reviewed for t in therapies.values()),
        *(i.last_reviewed for i in indications),
        *(t.last_reviewed for t in topics.values()),
        *(t.last_reviewed for t in trials),
    ]
    return Catalog(
        version=version,
        language=language,
        diseases=_diseases(language),
        regulators=regulators,
        country_regulators={
            country: r.code
            for r in reversed(regulators.values())
            for country in r.countries
        },
        therapies=therapies,
        indications=indications,
        topics=topics,
        questions=_questions(language),
        centers=_centers(),
        prices=_prices(language),
        last_reviewed=min(reviewed) if reviewed else None,
        reference_patients=_reference_patients(),
        trials=trials,
        cost_notes=_cost_notes(language),
    )


def _diseases(language: str) -> dict[str, DiseaseInfo]:
    return {
        d.code: DiseaseInfo(
            d.code,
            translated_text(d, "name", language),
            translated_text(d, "description", language),
        )
        for d in m.Disease.objects.all()
    }


def _regulators(language: str) -> dict[str, RegulatorInfo]:
    return {
        r.code: RegulatorInfo(
            r.code,
            translated_text(r, "name", language),
            tuple(country.code for country in r.countries),
            r.coverage,
            r.approvals_checked,
            r.order,
            r.last_reviewed,
        )
        for r in m.Regulator.objects.order_by("order", "code")
    }


def _therapies(language: str) -> dict[str, TherapyInfo]:
    return {
        t.slug: TherapyInfo(
            t.slug,
            translated_name(t, "brand_name", language),
            translated_name(t, "generic_name", language),
            t.short_name,
            t.maker,
            t.target,
            translated_text(t, "summary", language),
            t.order,
            t.last_reviewed,
            _sources(t),
        )
        for t in m.Therapy.objects.current().prefetch_related(_sources_prefetch())
    }


def _indications(
    language: str, therapies: dict[str, TherapyInfo]
) -> tuple[IndicationInfo, ...]:
    return tuple(
        IndicationInfo(
            i.slug,
            therapies[i.therapy.slug],
            i.disease.code,
            i.regulator_id,
            translated_text(i, "label", language),
            i.approved_on,
            translated_text(i, "approval_note", language),
            i.approval_kind,
            i.last_reviewed,
            _sources(i),
            _rules(i, i.disease.code),
            i.wording_confirmed,
        )
        for i in m.Indication.objects.current()
        .filter(therapy__retired_on__isnull=True)
        .select_related("therapy", "disease")
        .prefetch_related(_sources_prefetch(), _rules_prefetch())
        .order_by("therapy__order", "therapy__slug", "approved_on", "slug")
    )


def _topics(language: str) -> dict[str, TopicInfo]:
    return {
        t.slug: TopicInfo(
            t.slug,
            translated_text(t, "title", language),
            translated_text(t, "body", language),
            translated_text(t, "question", language),
            t.priority,
            t.last_reviewed,
            _sources(t),
            _rules(t),
            t.when_no_therapy_fits,
        )
        for t in m.DiscussionTopic.objects.current().prefetch_related(
            _sources_prefetch(), _rules_prefetch()
        )
    }


def _questions(language: str) -> tuple[QuestionInfo, ...]:
    return tuple(
        QuestionInfo(
            q.slug,
            translated_text(q, "text", language),
            translated_text(q, "help_text", language),
            tuple(sorted(d.code for d in q.diseases.all())),
            {
                answer: topic.slug
                for answer, topic in (
                    ("yes", q.topic_if_yes),
                    ("no", q.topic_if_no),
                    ("unsure", q.topic_if_unsure),
                )
                if topic is not None and topic.retired_on is None
            },
            q.last_reviewed,
            _rules(q),
        )
        for q in m.EligibilityQuestion.objects.current()
        .select_related("topic_if_yes", "topic_if_no", "topic_if_unsure")
        .prefetch_related("diseases", _rules_prefetch())
        .order_by("order", "slug")
    )


def _centers() -> tuple[CenterInfo, ...]:
    return tuple(
        CenterInfo(
            c.slug,
            c.name,
            c.city,
            c.country.code,
            tuple(sorted(t.slug for t in c.therapies.all())),
            c.products_verified,
            c.accepts_international,
            c.trials,
            c.contact,
            c.website,
        )
        for c in m.TreatmentCenter.objects.current()
        .prefetch_related(Prefetch("therapies", queryset=m.Therapy.objects.current()))
        .order_by("country", "name")
    )


def _prices(language: str) -> tuple[PriceInfo, ...]:
    return tuple(
        PriceInfo(
            p.therapy.slug if p.therapy_id else None,
            # A plain string either way: a `Text` here came back from a
            # release as a [text, english_only] list.
            translated_name(p.therapy, "brand_name", language)
            if p.therapy_id
            else translated_name(p, "label", language),
            translated_text(p, "label", language),
            p.country.code,
            p.low_usd,
            p.high_usd,
            p.as_of,
            translated_text(p, "note", language),
            _sources(p),
            p.kind,
            p.estimated_by,
            p.currency,
            p.low_local,
            p.high_local,
        )
        for p in m.Price.objects.current()
        .exclude(therapy__retired_on__isnull=False)
        .select_related("therapy")
        .prefetch_related(_sources_prefetch())
        .order_by("therapy__order", "country")
    )


def trial_info(t: m.TrialResult, language: str) -> TrialInfo:
    """One trial result as pages show it, in `language` (the active one
    already, for the grade's words)."""
    return TrialInfo(
        t.slug,
        t.therapy.slug,
        t.disease.code,
        t.trial,
        translated_text(t, "population", language),
        t.patients,
        translated_text(t, "results", language),
        m.rate_text(t.severe_crs),
        str(t.get_crs_grade_display()),
        m.rate_text(t.severe_neuro),
        str(t.get_neuro_grade_display()),
        translated_text(t, "note", language),
        t.last_reviewed,
        _sources(t),
    )


def _trials(language: str) -> tuple[TrialInfo, ...]:
    return tuple(trial_info(t, language) for t in m.TrialResult.objects.for_snapshot())


def _cost_notes(language: str) -> tuple[CostNoteInfo, ...]:
    return tuple(
        CostNoteInfo(
            n.slug,
            tuple(sorted(country.code for country in n.countries)),
            translated_text(n, "title", language),
            translated_text(n, "body", language),
            n.last_reviewed,
            _sources(n),
        )
        for n in m.CostNote.objects.for_snapshot()
    )


def _reference_patients() -> tuple[ReferencePatientInfo, ...]:
    return tuple(
        ReferencePatientInfo(
            p.name,
            p.answers,
            tuple(p.must_show_therapies),
            tuple(p.must_not_show_therapies),
            tuple(p.must_show_topics),
            tuple(p.must_not_show_topics),
            p.expect_urgent,
            p.note,
        )
        for p in m.ReferencePatient.objects.for_snapshot()
    )


_lock = threading.Lock()
_working: dict[str, Catalog] = {}
# {(number, published_at): {language: Catalog}}: the releases read lately,
# the latest for patients and a few older ones for coordinators.
_releases: OrderedDict[tuple, dict[str, Catalog]] = OrderedDict()
RELEASES_KEPT = 4


def working_catalog(
    language: str | None = None, *, version: tuple | None = None
) -> Catalog:
    """The working copy (what staff are editing) in `language` (default: the
    active language): one query to check the version, a rebuild only when it
    moved."""
    language = catalog_language(language)
    if version is None:
        version = m.CatalogVersion.current()
    cached = _working.get(language)
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        cached = _working.get(language)
        if cached is None or cached.version != version:
            # Other languages of an older version are rebuilt when next asked.
            for code in [c for c, cat in _working.items() if cat.version != version]:
                del _working[code]
            cached = _working[language] = build_catalog(version, language)
        return cached


def get_catalog(
    language: str | None = None, *, version: tuple | None = None
) -> Catalog:
    """What patients are shown: the latest published release, in `language`.

    One query reads the latest release's (number, published_at), unless the
    caller read it along with its own query (`version_columns()`); each
    release is read from the database once per process. Before the first
    release (a database `load_catalog` never ran on) it is the working copy.
    """
    if version is None:
        version = m.CatalogRelease.objects.latest_version()
    if not version[0]:
        return working_catalog(language)
    return _release_catalog(version, language)


def release_catalog(number: int, language: str | None = None) -> Catalog | None:
    """Release `number` in `language`, or None when no release has that number."""
    row = (
        m.CatalogRelease.objects.filter(number=number)
        .values_list("number", "published_at")
        .first()
    )
    return _release_catalog(m.version_pair(*row), language) if row else None


def _release_catalog(version: tuple, language: str | None) -> Catalog:
    language = catalog_language(language)
    with _lock:
        languages = _releases.get(version)
        if languages is None:
            languages = _releases[version] = _read_release(version)
            while len(_releases) > RELEASES_KEPT:
                _releases.popitem(last=False)
        _releases.move_to_end(version)
    return languages.get(language) or languages[SOURCE_LANGUAGE]


def _read_release(version: tuple) -> dict[str, Catalog]:
    number = version[0]
    published_at, data = m.CatalogRelease.objects.values_list(
        "published_at", "data"
    ).get(number=number)
    stored = {"version": version, "release": number, "released_at": published_at}
    return {
        language: catalog_from_json(Catalog, snapshot, **stored)
        for language, snapshot in data.items()
    }


def release_data() -> dict:
    """The working copy in every language, as a release stores it."""
    version = m.CatalogVersion.current()
    return {
        code: to_json(build_catalog(version, code))
        for code, _name in settings.LANGUAGES
    }


def version_columns() -> dict:
    """Annotations that read the latest release's (number, published_at) in
    another query: pass `read_version(row)` to `get_catalog(version=...)` to
    save it a query."""
    return m.CatalogRelease.objects.latest_version_columns()


def read_version(row) -> tuple:
    """The (number, published_at) pair from a row annotated with version_columns()."""
    return m.version_pair(row.release_number, row.release_published_at)


def clear_cache() -> None:
    _working.clear()
    _releases.clear()
