"""The catalog in each language: seeded translations, the engine's per-language
snapshot, and the English fallback marked as such."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.releases import publish_working_copy
from therapies import models as m
from therapies.loader import load_catalog, read_catalog
from therapies.snapshot import build_catalog, get_catalog
from therapies.translation import NAMES, TRANSLATED_FIELDS

OTHER_LANGUAGES = ["es", "zh_hans"]


@pytest.mark.parametrize("model", TRANSLATED_FIELDS, ids=lambda model: model.__name__)
def test_every_seeded_text_has_a_spanish_and_a_chinese_translation(catalog, model):
    """Names excepted: a product keeps its English name where it has no other."""
    texts = [f for f in TRANSLATED_FIELDS[model] if f not in NAMES.get(model, ())]
    for obj in model.objects.all():
        for field in texts:
            english = getattr(obj, f"{field}_en")
            for language in OTHER_LANGUAGES:
                translated = getattr(obj, f"{field}_{language}")
                if english:
                    assert translated, f"{model.__name__} {obj.pk} {field}_{language}"
                if any(c.isalpha() for c in english or ""):  # not a bare year
                    assert translated != english


def test_seed_translations_keep_every_number_of_the_english(catalog):
    """A translation states the same facts: the same figures, in any order."""
    import re

    def numbers(text):
        digits = re.sub(r"(?<=\d)[,\u00a0](?=\d{3})", "", text)
        return sorted(re.findall(r"\d+(?:\.\d+)?", digits))

    def chinese(text):
        # 40万 is 400,000; 2022年12月22日 names its month with a number.
        text = re.sub(
            r"(\d+(?:\.\d+)?)万",
            lambda mo: str(round(float(mo.group(1)) * 10_000)),
            text,
        )
        text = re.sub(r"(\d{4})年\d{1,2}月(\d{1,2})日", r"\1 \2", text)
        return re.sub(r"(\d{4})年\d{1,2}月", r"\1", text)

    for model, fields in TRANSLATED_FIELDS.items():
        for obj in model.objects.all():
            for field in (f for f in fields if f not in NAMES.get(model, ())):
                english = numbers(getattr(obj, f"{field}_en") or "")
                where = f"{obj} {field}"
                assert numbers(getattr(obj, f"{field}_es") or "") == english, where
                assert (
                    numbers(chinese(getattr(obj, f"{field}_zh_hans") or "")) == english
                ), where


def test_loading_the_translated_seed_twice_changes_nothing(catalog):
    report = load_catalog()
    assert (report.created, report.updated) == ([], [])


def test_rows_loaded_before_translations_existed_take_them(catalog):
    """A database seeded by the English-only loader gets the translations on
    its next load_catalog, as long as nobody edited the row since."""
    from therapies.loader import KINDS, _hash, _row_state

    kind = next(k for k in KINDS if k.name == "topic")
    topic = m.DiscussionTopic.objects.get(slug="bridging-therapy")
    for language in OTHER_LANGUAGES:
        for field in ("title", "body", "question"):
            setattr(topic, f"{field}_{language}", "")
    state = _row_state(kind, topic)
    legacy = {k: v for k, v in state.items() if k not in kind.translations}
    topic.seed_hash = _hash(legacy)
    topic.save()
    report = load_catalog()
    assert report.updated == ["topic bridging-therapy"]
    topic.refresh_from_db()
    assert topic.title_es == "Tratamiento mientras se fabrican sus células"


def test_a_translation_staff_edited_is_kept(catalog):
    topic = m.DiscussionTopic.objects.get(slug="cost-and-coverage")
    topic.title_es = "Cuánto cuesta y quién paga"
    topic.save()
    report = load_catalog()
    assert "topic cost-and-coverage" in report.kept_staff_edits
    topic.refresh_from_db()
    assert topic.title_es == "Cuánto cuesta y quién paga"


def test_a_seed_file_with_an_unknown_language_is_refused(catalog):
    from therapies.loader import CatalogError

    data = read_catalog()
    data["topic"][0]["title_fr"] = "Symptômes"
    with pytest.raises(CatalogError, match="title_fr"):
        load_catalog(data=data)


def test_the_loader_writes_english_whatever_language_is_active(catalog):
    with translation.override("es"):
        load_catalog(force=True)
    topic = m.DiscussionTopic.objects.get(slug="how-car-t-works")
    assert topic.__dict__["title"] == "How CAR T-cell therapy works, step by step"
    assert topic.title_en == "How CAR T-cell therapy works, step by step"


def test_each_language_has_its_own_snapshot(catalog):
    spanish = get_catalog("es")
    chinese = get_catalog("zh-hans")
    assert catalog.topics["how-car-t-works"].title == (
        "How CAR T-cell therapy works, step by step"
    )
    assert spanish.topics["how-car-t-works"].title == (
        "Cómo funciona la terapia de células CAR T, paso a paso"
    )
    assert (
        chinese.topics["how-car-t-works"].title == "CAR T细胞治疗如何进行：一步一步了解"
    )
    assert chinese.diseases["mm"].name == "多发性骨髓瘤"
    assert spanish.therapies["kymriah"].summary.startswith("Kymriah es una terapia")
    assert get_catalog("es") is spanish
    assert not spanish.topics["how-car-t-works"].title.english_only


def test_the_active_language_picks_the_snapshot(catalog):
    with translation.override("es"):
        assert get_catalog().language == "es"
    with translation.override("es-mx"):
        assert get_catalog().language == "es"
    with translation.override("fr"):
        assert get_catalog().language == "en"


def test_a_language_snapshot_costs_one_query_once_built(
    catalog, django_assert_num_queries
):
    spanish = get_catalog("es")
    with django_assert_num_queries(1):
        assert get_catalog("es") is spanish


def test_every_language_is_built_with_the_same_queries(catalog):
    counts = {}
    for language in ("en", "es", "zh-hans"):
        with CaptureQueriesContext(connection) as ctx:
            build_catalog((0, None), language)
        counts[language] = len(ctx.captured_queries)
    assert len(set(counts.values())) == 1, counts


def test_a_catalog_change_rebuilds_every_language(catalog):
    spanish = get_catalog("es")
    topic = m.DiscussionTopic.objects.get(slug="how-car-t-works")
    topic.title_es = "Cómo funciona la CAR T"
    topic.save()
    m.CatalogVersion.bump()
    publish_working_copy()
    assert get_catalog("es") is not spanish
    assert get_catalog("es").topics["how-car-t-works"].title == "Cómo funciona la CAR T"


def test_a_missing_translation_falls_back_to_english_and_says_so(catalog):
    m.Disease.objects.filter(code="fl").update(description_zh_hans="")
    m.EligibilityQuestion.objects.filter(slug="insurance").update(help_text_es=None)
    m.CatalogVersion.bump()
    publish_working_copy()
    chinese = get_catalog("zh-hans")
    description = chinese.diseases["fl"].description
    assert description.startswith("A slow-growing lymphoma of B cells.")
    assert description.english_only
    assert not chinese.diseases["fl"].name.english_only
    spanish = get_catalog("es")
    question = next(q for q in spanish.questions if q.slug == "insurance")
    assert question.help_text.startswith("CAR T costs a lot. Who pays depends")
    assert question.help_text.english_only
    assert not question.text.english_only
    english = get_catalog("en")
    assert not next(
        q for q in english.questions if q.slug == "insurance"
    ).help_text.english_only


def test_approved_uses_come_in_the_page_language(catalog):
    spanish = get_catalog("es")
    label = next(i.label for i in spanish.indications if i.slug == "kymriah-fda-fl")
    assert label.startswith("Adultos con linfoma folicular")
    assert not label.english_only
    m.Indication.objects.filter(slug="kymriah-fda-fl").update(label_es="")
    m.CatalogVersion.bump()
    publish_working_copy()
    label = next(
        i.label for i in get_catalog("es").indications if i.slug == "kymriah-fda-fl"
    )
    assert label.startswith("Adults with follicular lymphoma")
    assert label.english_only
    assert not any(i.label.english_only for i in catalog.indications)
