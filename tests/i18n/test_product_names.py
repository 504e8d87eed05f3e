"""Products by the names patients know in their language (issue 14): 奕凯达 on
a Chinese page, the English name elsewhere and wherever no other is seeded,
never marked "English only"; slugs stay the stable keys."""

import pytest

from tests.releases import publish_working_copy
from therapies import models as m
from therapies.loader import KINDS, _hash, _row_state, load_catalog
from therapies.snapshot import get_catalog

from .pages import visible_text

ENGLISH_ONLY_NOTE = {"es": "Solo en inglés", "zh-hans": "仅有英文"}


def test_the_chinese_snapshot_names_yikaida_as_on_its_chinese_label(catalog):
    yikaida = get_catalog("zh-hans").therapies["yikaida"]
    assert (yikaida.brand_name, yikaida.generic_name) == ("奕凯达", "阿基仑赛注射液")
    assert yikaida.slug == "yikaida"


@pytest.mark.parametrize("language", ["en", "es"])
def test_other_languages_keep_the_english_name(catalog, language):
    yikaida = get_catalog(language).therapies["yikaida"]
    assert (yikaida.brand_name, yikaida.generic_name) == (
        "Yikaida",
        "axicabtagene ciloleucel",
    )


def test_a_name_without_a_translation_is_the_english_one_unmarked(catalog):
    kymriah = get_catalog("zh-hans").therapies["kymriah"]
    assert kymriah.brand_name == "Kymriah"
    assert not getattr(kymriah.brand_name, "english_only", False)


def test_a_price_names_the_product_in_the_page_language(catalog):
    m.Therapy.objects.filter(slug="carvykti").update(brand_name_zh_hans="测试名")
    m.CatalogVersion.bump()
    publish_working_copy()
    names = {p.therapy: p.therapy_name for p in get_catalog("zh-hans").prices}
    assert names["carvykti"] == "测试名"
    assert "Carvykti" in [p.therapy_name for p in get_catalog("en").prices]
    # A price without a product reads back from the release as plain text.
    assert all(isinstance(p.therapy_name, str) for p in get_catalog("en").prices)
    assert "中国的CAR T临床试验（多家公司）" in names.values()


@pytest.mark.parametrize("language", ["es", "zh-hans"])
def test_the_product_pages_show_names_without_an_english_only_note(
    client, catalog, language
):
    html = client.get(f"/{language}/therapies/").content.decode()
    text = visible_text(html)
    assert ("奕凯达" in text) == (language == "zh-hans")
    assert "Kymriah" in text
    detail = client.get(f"/{language}/therapies/kymriah/").content.decode()
    header = detail[: detail.index('id="summary-title"')]
    assert "Kymriah" in header and ENGLISH_ONLY_NOTE[language] not in header


def test_a_chinese_results_page_names_the_china_approved_product(
    client, make_submission
):
    submission = make_submission(
        {
            "country": "CN",
            "prior_lines": 2,
            "relapse_status": "refractory",
            "lbcl_subtype": "dlbcl",
        },
        submitted=True,
    )
    publish_working_copy()
    html = client.get(f"/zh-hans/i/{submission.token}/results/").content.decode()
    assert "奕凯达" in visible_text(html)
    english = client.get(f"/i/{submission.token}/results/").content.decode()
    assert "奕凯达" not in english and "Yikaida" in english


def test_an_upgrade_gives_untouched_therapies_their_seeded_names(db):
    """A row seeded before names were translated takes the Chinese name."""
    kind = next(k for k in KINDS if k.name == "therapy")
    therapy = m.Therapy.objects.get(slug="yikaida")
    therapy.brand_name_zh_hans = therapy.generic_name_zh_hans = None
    old = {
        k: v
        for k, v in _row_state(kind, therapy).items()
        if k not in kind.translations_added
    }
    therapy.seed_hash = _hash(old)
    therapy.save()
    report = load_catalog()
    assert "therapy yikaida" in report.updated
    assert m.Therapy.objects.get(slug="yikaida").brand_name_zh_hans == "奕凯达"


def test_a_staff_edit_made_before_names_were_translated_is_kept(db):
    kind = next(k for k in KINDS if k.name == "therapy")
    therapy = m.Therapy.objects.get(slug="yikaida")
    therapy.brand_name_zh_hans = therapy.generic_name_zh_hans = None
    old = {
        k: v
        for k, v in _row_state(kind, therapy).items()
        if k not in kind.translations_added
    }
    therapy.seed_hash = _hash(old)
    therapy.maker = "Fosun Kite Biotechnology"
    therapy.save()
    report = load_catalog()
    assert "therapy yikaida" in report.kept_staff_edits
    assert not m.Therapy.objects.get(slug="yikaida").brand_name_zh_hans
