"""Wording the reviews of the seeded topics asked for, in every language."""

import re

import pytest

from therapies.models import DiscussionTopic

LANGUAGES = ["en", "es", "zh_hans"]


def topic_texts(language):
    for topic in DiscussionTopic.objects.all():
        for field in ("title", "body", "question"):
            text = getattr(topic, f"{field}_{language}") or ""
            yield f"{topic.slug} {field}_{language}", text


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_topic_names_a_us_only_emergency_number(catalog, language):
    assert not [name for name, text in topic_texts(language) if "911" in text]


def test_the_urgent_topic_says_to_call_the_local_emergency_number(catalog):
    topic = DiscussionTopic.objects.get(slug="urgent-symptoms")
    assert "your local emergency number" in topic.body_en
    assert "número de emergencias local" in topic.body_es
    assert "当地的急救电话" in topic.body_zh_hans


@pytest.mark.parametrize(
    "language, false_claim",
    [
        ("en", r"no car t.{0,30} approved for solid tumors"),
        ("es", r"no hay ninguna.{0,30}aprobada para tumores sólidos"),
        ("zh_hans", r"还没有CAR T.{0,10}获批用于实体瘤"),
    ],
)
def test_no_topic_says_no_car_t_is_approved_for_solid_tumors(
    catalog, language, false_claim
):
    said = [
        name
        for name, text in topic_texts(language)
        if re.search(false_claim, text, re.IGNORECASE)
    ]
    assert not said


def test_the_solid_tumor_topics_name_the_approval_in_china_only(catalog):
    for slug in ("solid-tumor-car-t", "is-car-t-an-option-now"):
        topic = DiscussionTopic.objects.get(slug=slug)
        assert "satri-cel" in topic.body_en and "China" in topic.body_en
        assert "satri-cel" in topic.body_es and "China" in topic.body_es
        assert "舒瑞基奥仑赛" in topic.body_zh_hans


def test_spanish_topics_call_icans_neurological_problems(catalog):
    nerves = [
        name for name, text in topic_texts("es") if "problemas de los nervios" in text
    ]
    assert not nerves
    topic = DiscussionTopic.objects.get(slug="side-effects-crs-icans")
    assert "problemas neurológicos" in topic.title_es


def test_spanish_says_feeling_faint_not_fainting(catalog):
    topic = DiscussionTopic.objects.get(slug="urgent-symptoms")
    assert "sentir que se va a desmayar" in topic.body_es


def test_chinese_topics_use_one_word_for_infusion(catalog):
    assert not [name for name, text in topic_texts("zh_hans") if "输注" in text]


@pytest.mark.parametrize("language", LANGUAGES)
def test_temperatures_give_celsius_first(catalog, language):
    fahrenheit_first = [
        name
        for name, text in topic_texts(language)
        for match in re.finditer(r"°F", text)
        if "°C" not in text[: match.start()]
    ]
    assert not fahrenheit_first


def test_chinese_lists_use_the_enumeration_comma(catalog):
    # An English comma between two Chinese words is a list joined the English way.
    english_commas = [
        name
        for name, text in topic_texts("zh_hans")
        if re.search(r"[\u4e00-\u9fff], ?[\u4e00-\u9fff]", text)
    ]
    assert not english_commas
