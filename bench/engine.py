"""The suggestion engine alone: `python -m bench.engine [PATIENTS]`.

Random valid patients (codes drawn from the vocabulary, then validated by
`intake.answers.parse_answers`, as the intake does) go through `suggest()` with
today's catalog and with one ten times larger, built in memory from the same
snapshot with `dataclasses.replace`: every therapy, indication, topic,
eligibility question, centre and price copied nine times under suffixed slugs,
the copies pointing at each other, so matching, topics, questions, centres and
prices all do ten times the work. No database after the catalog is read.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from dataclasses import replace

from bench import _django

COPIES = 10
SEED = 2026


def _suffix(slug: str | None, k: int) -> str | None:
    return slug if (k == 0 or slug is None) else f"{slug}-x{k}"


def tenfold(catalog):
    """The catalog with every entry ten times, slugs suffixed -x1 .. -x9."""
    therapies, indications, topics = {}, [], {}
    questions, centers, prices = [], [], []
    for k in range(COPIES):
        copies = {
            slug: replace(t, slug=_suffix(slug, k))
            for slug, t in catalog.therapies.items()
        }
        therapies.update({t.slug: t for t in copies.values()})
        indications += [
            replace(i, slug=_suffix(i.slug, k), therapy=copies[i.therapy.slug])
            for i in catalog.indications
        ]
        topics.update(
            {
                _suffix(slug, k): replace(t, slug=_suffix(slug, k))
                for slug, t in catalog.topics.items()
            }
        )
        questions += [
            replace(
                q,
                slug=_suffix(q.slug, k),
                topic_if={a: _suffix(s, k) for a, s in q.topic_if.items()},
            )
            for q in catalog.questions
        ]
        centers += [
            replace(
                c,
                slug=_suffix(c.slug, k),
                therapies=tuple(_suffix(s, k) for s in c.therapies),
            )
            for c in catalog.centers
        ]
        prices += [replace(p, therapy=_suffix(p.therapy, k)) for p in catalog.prices]
    return replace(
        catalog,
        version=("tenfold", catalog.version),
        therapies=therapies,
        indications=tuple(indications),
        topics=topics,
        questions=tuple(questions),
        centers=tuple(centers),
        prices=tuple(prices),
    )


def random_answers(rng: random.Random, catalog, countries: list[str]):
    from intake.answers import parse_answers
    from therapies.vocabulary import (
        DiseaseCode,
        PriorCarT,
        RelapseStatus,
        Symptom,
        YesNo,
        YesNoUnsure,
        prior_therapies_for,
    )

    def yes_no_unsure():
        return rng.choice(YesNoUnsure.values)

    disease = rng.choice(DiseaseCode.values)
    prior_lines = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 7])
    data = {
        "disease": disease,
        "age": rng.randint(2, 90),
        "prior_lines": prior_lines,
        "relapse_status": rng.choice(RelapseStatus.values),
        "prior_therapies": rng.sample(
            prior_therapies_for(disease), k=min(prior_lines, 4)
        ),
        "lenalidomide_refractory": yes_no_unsure(),
        "transplant_eligible": yes_no_unsure(),
        "prior_car_t": rng.choice(PriorCarT.values),
        "antigen_loss": yes_no_unsure(),
        "country": rng.choice(countries),
        "travel_abroad": yes_no_unsure(),
        "caregiver": yes_no_unsure(),
        "recent_infusion": rng.choice([YesNo.NO] * 9 + [YesNo.YES]),
        "symptoms": rng.sample(Symptom.values[:-1], k=rng.randint(0, 2)) or ["none"],
        "eligibility": {
            q.slug: yes_no_unsure()
            for q in catalog.questions
            if q.slug and rng.random() < 0.6
        },
    }
    return parse_answers(data, catalog.question_slugs)


def time_engine(catalog, patients: int) -> dict:
    from django_countries import countries as all_countries

    from intake.suggestions import suggest

    rng = random.Random(SEED)
    # Half the patients live where the catalog has centres or prices, half anywhere.
    listed = sorted({c.country for c in catalog.centers} | {"US", "CN", "IN", "DE"})
    anywhere = [code for code, _name in all_countries]
    answers = [
        random_answers(rng, catalog, listed if i % 2 else anywhere)
        for i in range(patients)
    ]
    for a in answers[:50]:  # warm up
        suggest(a, catalog)
    per_call = []
    suggested = 0
    start = time.perf_counter()
    for a in answers:
        t0 = time.perf_counter()
        result = suggest(a, catalog)
        per_call.append(time.perf_counter() - t0)
        suggested += len(result.therapies)
    total = time.perf_counter() - start
    per_call.sort()
    return {
        "patients": patients,
        "indications": len(catalog.indications),
        "topics": len(catalog.topics),
        "questions": len(catalog.questions),
        "centers": len(catalog.centers),
        "prices": len(catalog.prices),
        "seconds": round(total, 3),
        "patients_per_s": round(patients / total, 1),
        "ms_per_patient": round(1000 * total / patients, 3),
        "p50_ms": round(1000 * statistics.median(per_call), 3),
        "p99_ms": round(1000 * per_call[int(0.99 * (len(per_call) - 1))], 3),
        "therapies_suggested_per_patient": round(suggested / patients, 2),
    }


def run(patients: int) -> dict:
    from therapies.snapshot import get_catalog

    catalog = get_catalog()
    big = tenfold(catalog)
    return {
        "today": time_engine(catalog, patients),
        "tenfold": time_engine(big, max(patients // 4, 200)),
    }


if __name__ == "__main__":
    _django.setup()
    _django.emit(run(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
