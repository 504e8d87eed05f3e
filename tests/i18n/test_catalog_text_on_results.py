"""A patient reading the results page in Spanish or Chinese never meets a
catalog text in English unless it is marked "English only"."""

import re

import pytest

from tests.releases import publish_working_copy
from therapies import models as m
from therapies.snapshot import get_catalog

from .pages import visible_text

LANGUAGES = ["es", "zh-hans"]
ENGLISH_ONLY_NOTE = {"es": "Solo en inglés", "zh-hans": "仅有英文"}
# Long enough that finding one on the page is no accident.
MIN_WORDS = 5

# Patients in the US, the EU, China and India, each willing to travel, so
# their page also lists approvals, prices and centres in other countries.
PATIENTS = {
    "US": {"country": "US", "travel_abroad": "yes"},
    "DE": {
        "country": "DE",
        "prior_lines": 1,
        "relapse_status": "early_relapse",
        "lbcl_subtype": "dlbcl",
        "transplant_eligible": "yes",
        "travel_abroad": "yes",
    },
    "CN": {
        "country": "CN",
        "disease": "mm",
        "prior_lines": 3,
        "prior_therapies": ["pi", "imid", "anti_cd38"],
        "travel_abroad": "yes",
    },
    "IN": {"country": "IN", "travel_abroad": "yes"},
}


def english_sentences() -> set[str]:
    """Every sentence of the catalog's patient-facing texts, in English."""
    catalog = get_catalog("en")
    texts = [
        *(i.label for i in catalog.indications),
        *(i.approval_note for i in catalog.indications),
        *(p.label for p in catalog.prices),
        *(p.note for p in catalog.prices),
        *(
            text
            for t in catalog.therapies.values()
            for text in (t.summary, *therapy_texts(t.slug))
        ),
        *(text for t in catalog.topics.values() for text in (t.title, t.body)),
        *(t.question for t in catalog.topics.values()),
        *(text for q in catalog.questions for text in (q.text, q.help_text)),
        *(text for d in catalog.diseases.values() for text in (d.name, d.description)),
        *(text for t in catalog.trials for text in (t.population, t.results, t.note)),
    ]
    sentences = set()
    for text in texts:
        for sentence in re.split(r"(?<=[.:;?])\s+|\n+", text or ""):
            sentence = sentence.strip()
            if len(sentence.split()) >= MIN_WORDS:
                sentences.add(sentence)
    return sentences


def therapy_texts(slug: str) -> tuple[str, ...]:
    therapy = m.Therapy.objects.get(slug=slug)
    return (therapy.how_given_en, therapy.key_results_en, therapy.side_effects_en)


def english_left(html: str, sentences: set[str]) -> list[str]:
    text = visible_text(html)
    return sorted(s for s in sentences if s in text)


@pytest.fixture
def results_pages(client, make_submission):
    """(patient, language) -> the results page's HTML."""

    def pages():
        for patient, answers in PATIENTS.items():
            submission = make_submission(answers, submitted=True)
            for language in LANGUAGES:
                url = f"/{language}/i/{submission.token}/results/"
                response = client.get(url)
                assert response.status_code == 200
                yield patient, language, response.content.decode()

    return pages


def test_no_results_page_shows_english_catalog_text_unmarked(results_pages):
    sentences = english_sentences()
    left = {
        (patient, language): english_left(html, sentences)
        for patient, language, html in results_pages()
    }
    assert not {page: found for page, found in left.items() if found}


def test_the_check_catches_a_catalog_text_shown_in_english_unmarked(
    results_pages,
):
    """The check above is not blind: an English label set as the Spanish text
    (so not marked) is found on the page."""
    english = m.Indication.objects.get(slug="kymriah-fda-lbcl").label_en
    m.Indication.objects.filter(slug="kymriah-fda-lbcl").update(label_es=english)
    m.CatalogVersion.bump()
    publish_working_copy()
    spanish_us = next(
        html
        for patient, language, html in results_pages()
        if (patient, language) == ("US", "es")
    )
    assert english_left(spanish_us, english_sentences())


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_untranslated_label_is_shown_with_the_english_only_note(
    client, make_submission, language
):
    column = {"es": "label_es", "zh-hans": "label_zh_hans"}[language]
    m.Indication.objects.filter(slug="kymriah-fda-lbcl").update(**{column: ""})
    m.CatalogVersion.bump()
    publish_working_copy()
    submission = make_submission(PATIENTS["US"], submitted=True)
    html = client.get(f"/{language}/i/{submission.token}/results/").content.decode()
    card = next(b for b in html.split("<article")[1:] if "Kymriah" in b)
    assert '<span lang="en">Adults with large B-cell lymphoma' in card
    assert ENGLISH_ONLY_NOTE[language] in card
    assert not english_left(html, english_sentences())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_patient_sees_the_approved_use_in_their_language(
    client, make_submission, language
):
    submission = make_submission(PATIENTS["DE"], submitted=True)
    html = client.get(f"/{language}/i/{submission.token}/results/").content.decode()
    expected = {
        "es": "Adultos con linfoma difuso de células B grandes",
        "zh-hans": "弥漫大B细胞淋巴瘤",
    }[language]
    assert expected in visible_text(html)
    assert ENGLISH_ONLY_NOTE[language] not in html


def test_trial_prices_name_the_country_in_the_page_language(client, make_submission):
    submission = make_submission(PATIENTS["CN"], submitted=True)
    html = client.get(f"/zh-hans/i/{submission.token}/results/").content.decode()
    trials = visible_text(html[html.index('id="prices-heading"') :])
    assert "中国的CAR T临床试验" in trials
    assert "CN" not in trials and "参加临床试验的费用 (CancerFax) · 中国" in trials


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_seeded_catalog_text_is_english_only(catalog, language):
    snapshot = get_catalog(language)
    texts = {
        **{
            f"{i.slug} {name}": getattr(i, name)
            for i in snapshot.indications
            for name in ("label", "approval_note")
        },
        **{
            f"price {p.therapy_name} {p.country} {name}": getattr(p, name)
            for p in snapshot.prices
            for name in ("label", "note")
        },
        **{f"{t.slug} summary": t.summary for t in snapshot.therapies.values()},
        **{
            f"{t.slug} {name}": getattr(t, name)
            for t in snapshot.topics.values()
            for name in ("title", "body", "question")
        },
        **{f"{r.code} name": r.name for r in snapshot.regulators.values()},
        **{
            f"{t.slug} {name}": getattr(t, name)
            for t in snapshot.trials
            for name in ("population", "results", "note")
        },
    }
    assert [where for where, text in texts.items() if text.english_only] == []
    assert any("Adultos con" in text or "成人患者" in text for text in texts.values())
