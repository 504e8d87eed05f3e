"""An immutable, in-process copy of the catalog for the suggestion engine.

Built with a fixed number of queries whatever the catalog's size, and kept per
process. Each request costs one query: reading `CatalogVersion`, which every
catalog change bumps, so no worker on any server serves stale rules.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass

from django.db.models import Prefetch

from . import models as m
from .criteria import Criteria


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
    name: str
    description: str


@dataclass(frozen=True)
class TherapyInfo:
    slug: str
    brand_name: str
    generic_name: str
    short_name: str
    maker: str
    target: str
    summary: str
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
    label: str
    approved_on: datetime.date | None
    approval_note: str
    approval_kind: str
    last_reviewed: datetime.date
    sources: tuple[SourceInfo, ...]
    rules: tuple[RuleInfo, ...]


@dataclass(frozen=True)
class TopicInfo:
    slug: str
    title: str
    body: str
    question: str
    priority: int
    last_reviewed: datetime.date
    sources: tuple[SourceInfo, ...]
    rules: tuple[RuleInfo, ...]


@dataclass(frozen=True)
class QuestionInfo:
    slug: str
    text: str
    help_text: str
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
    label: str
    country: str
    low_usd: int
    high_usd: int
    as_of: datetime.date
    note: str
    sources: tuple[SourceInfo, ...]


@dataclass(frozen=True)
class Catalog:
    version: tuple
    diseases: dict[str, DiseaseInfo]
    therapies: dict[str, TherapyInfo]
    indications: tuple[IndicationInfo, ...]
    topics: dict[str, TopicInfo]
    questions: tuple[QuestionInfo, ...]
    centers: tuple[CenterInfo, ...]
    prices: tuple[PriceInfo, ...]
    last_reviewed: datetime.date | None

    @property
    def question_slugs(self) -> frozenset[str]:
        return frozenset(q.slug for q in self.questions)


def _sources(obj) -> tuple[SourceInfo, ...]:
    return tuple(
        SourceInfo(s.key, s.title, s.publisher, s.url, s.published)
        for s in sorted(obj.sources.all(), key=lambda s: s.title)
    )


def _rules(obj, disease_code=None) -> tuple[RuleInfo, ...]:
    return tuple(RuleInfo(r.note, r.criteria(disease_code)) for r in obj.rules.all())


def build_catalog(version: tuple) -> Catalog:
    sources = Prefetch("sources", queryset=m.Source.objects.all())
    rules = Prefetch("rules", queryset=m.Rule.objects.order_by("id"))
    diseases = {
        d.code: DiseaseInfo(d.code, d.name, d.description)
        for d in m.Disease.objects.all()
    }
    therapies = {
        t.slug: TherapyInfo(
            t.slug,
            t.brand_name,
            t.generic_name,
            t.short_name,
            t.maker,
            t.target,
            t.summary,
            t.order,
            t.last_reviewed,
            _sources(t),
        )
        for t in m.Therapy.objects.prefetch_related(sources)
    }
    indications = tuple(
        IndicationInfo(
            i.slug,
            therapies[i.therapy.slug],
            i.disease.code,
            i.regulator,
            i.label,
            i.approved_on,
            i.approval_note,
            i.approval_kind,
            i.last_reviewed,
            _sources(i),
            _rules(i, i.disease.code),
        )
        for i in m.Indication.objects.select_related("therapy", "disease")
        .prefetch_related(sources, rules)
        .order_by("therapy__order", "therapy__slug", "approved_on", "slug")
    )
    topics = {
        t.slug: TopicInfo(
            t.slug,
            t.title,
            t.body,
            t.question,
            t.priority,
            t.last_reviewed,
            _sources(t),
            _rules(t),
        )
        for t in m.DiscussionTopic.objects.prefetch_related(sources, rules)
    }
    questions = tuple(
        QuestionInfo(
            q.slug,
            q.text,
            q.help_text,
            tuple(sorted(d.code for d in q.diseases.all())),
            {
                answer: topic.slug
                for answer, topic in (
                    ("yes", q.topic_if_yes),
                    ("no", q.topic_if_no),
                    ("unsure", q.topic_if_unsure),
                )
                if topic is not None
            },
            q.last_reviewed,
            _rules(q),
        )
        for q in m.EligibilityQuestion.objects.select_related(
            "topic_if_yes", "topic_if_no", "topic_if_unsure"
        )
        .prefetch_related("diseases", rules)
        .order_by("order", "slug")
    )
    centers = tuple(
        CenterInfo(
            c.slug,
            c.name,
            c.city,
            c.country,
            tuple(sorted(t.slug for t in c.therapies.all())),
            c.products_verified,
            c.accepts_international,
            c.trials,
            c.contact,
            c.website,
        )
        for c in m.TreatmentCenter.objects.prefetch_related("therapies").order_by(
            "country", "name"
        )
    )
    prices = tuple(
        PriceInfo(
            p.therapy.slug if p.therapy_id else None,
            p.therapy.brand_name if p.therapy_id else p.label,
            p.label,
            p.country,
            p.low_usd,
            p.high_usd,
            p.as_of,
            p.note,
            _sources(p),
        )
        for p in m.Price.objects.select_related("therapy")
        .prefetch_related(sources)
        .order_by("therapy__order", "country")
    )
    reviewed = [
        *(t.last_reviewed for t in therapies.values()),
        *(i.last_reviewed for i in indications),
        *(t.last_reviewed for t in topics.values()),
    ]
    return Catalog(
        version=version,
        diseases=diseases,
        therapies=therapies,
        indications=indications,
        topics=topics,
        questions=questions,
        centers=centers,
        prices=prices,
        last_reviewed=min(reviewed) if reviewed else None,
    )


_lock = threading.Lock()
_cached: Catalog | None = None


def get_catalog() -> Catalog:
    """The current catalog: one query to check the version, a rebuild only when it moved."""
    global _cached
    version = m.CatalogVersion.current()
    cached = _cached
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        if _cached is None or _cached.version != version:
            _cached = build_catalog(version)
        return _cached


def clear_cache() -> None:
    global _cached
    _cached = None
