"""Prices that say whose they are, amounts in a local currency, and the
cost and coverage notes per country: model rules, loader, releases, admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import (
    CatalogEditorFactory,
    PriceFactory,
    TherapyFactory,
    sign_in_verified,
)
from tests.releases import publish_working_copy
from therapies import models as m
from therapies.loader import load_catalog
from therapies.money import amount, amount_range
from therapies.snapshot import get_catalog, working_catalog

BACKEND = "intake.backends.CoordinatorAwareBackend"


@pytest.mark.django_db
def test_a_trial_cost_cannot_name_a_product():
    price = PriceFactory.build(therapy=TherapyFactory(), kind="trial_cost")
    with pytest.raises(ValidationError, match="never shown as a product"):
        price.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"currency": "cny", "low_local": 1, "high_local": 2},
        {"currency": "XYZ", "low_local": 1, "high_local": 2},
        {"currency": "CNY"},
        {"low_local": 5, "high_local": 6},
        {"currency": "CNY", "low_local": 9, "high_local": 8},
        {"low_usd": None, "high_usd": None},
        {"high_usd": None},
    ],
    ids=[
        "lower case",
        "unknown",
        "no amounts",
        "no currency",
        "swapped",
        "none",
        "one US dollar end",
    ],
)
def test_a_price_needs_a_known_currency_for_its_local_amounts(changes):
    price = PriceFactory.build(therapy=TherapyFactory(), **changes)
    with pytest.raises(ValidationError):
        price.full_clean()


@pytest.mark.django_db
def test_a_price_may_be_in_the_local_currency_only():
    price = PriceFactory.build(
        therapy=TherapyFactory(),
        low_usd=None,
        high_usd=None,
        currency="CNY",
        low_local=1_200_000,
        high_local=1_200_000,
    )
    price.full_clean()
    assert str(price).endswith("CNY 1,200,000–1,200,000")


def test_amounts_are_written_for_the_page_language(settings):
    from django.utils import translation

    assert amount_range(400_000, 500_000) == "$400,000 – $500,000"
    assert amount(1_200_000, "CNY") == "RMB 1,200,000"
    assert amount(3_000_000, "INR") == "₹3,000,000"
    assert amount_range(60_000, 60_000) == "$60,000"
    assert amount(None) == "" and amount_range(None, None, "GBP") == ""
    with translation.override("zh-hans"):
        assert "120万" in amount(1_200_000, "CNY")


def test_the_catalog_holds_a_note_per_country_and_a_general_one(catalog):
    assert catalog.cost_note_for("GB").slug == "united-kingdom"
    assert catalog.cost_note_for("US").slug == "united-states"
    assert catalog.cost_note_for("FR").slug == "european-union"
    assert catalog.cost_note_for("CN").slug == "china"
    assert catalog.cost_note_for("IN").slug == "india"
    assert catalog.cost_note_for("BR").slug == "general"
    assert catalog.cost_note_for(None).slug == "general"
    general = catalog.cost_note_for("BR")
    assert general.countries == ()
    assert all(note.sources for note in catalog.cost_notes if note.countries)


@pytest.mark.parametrize("language", ["es", "zh-hans"])
def test_every_cost_note_is_translated(catalog, language):
    notes = get_catalog(language).cost_notes
    assert notes
    assert not [n.slug for n in notes if n.title.english_only or n.body.english_only]


def test_chinese_cost_notes_give_yuan_as_chinese_readers_write_them(catalog):
    china = get_catalog("zh-hans").cost_note_for("CN")
    assert "100万元人民币" in china.body and "120万元" in china.body


def test_loading_again_changes_nothing_and_keeps_local_amounts(catalog):
    report = load_catalog()
    assert not report.created and not report.updated
    yikaida = m.Price.objects.get(therapy__slug="yikaida", country="CN")
    assert (yikaida.currency, yikaida.low_local, yikaida.low_usd) == (
        "CNY",
        1_200_000,
        None,
    )
    assert yikaida.kind == "reported"
    trial = m.Price.objects.get(therapy__isnull=True, country="CN")
    assert (trial.kind, trial.estimated_by) == ("trial_cost", "CancerFax")


def test_a_price_seeded_before_its_kind_existed_takes_the_new_seed(catalog):
    # A row loaded before this change: the new fields at their defaults and
    # the seed hash of the older seed, which lacked them.
    price = m.Price.objects.get(therapy__isnull=True, country="CN")
    m.Price.objects.filter(pk=price.pk).update(kind="travel_estimate", estimated_by="")
    from therapies.loader import KINDS, _hash, _row_state

    kind = next(k for k in KINDS if k.name == "price")
    price.refresh_from_db()
    older = {k: v for k, v in _row_state(kind, price).items() if k not in kind.added}
    m.Price.objects.filter(pk=price.pk).update(seed_hash=_hash(older))
    report = load_catalog()
    assert any("CAR T clinical trials in China" in label for label in report.updated)
    price.refresh_from_db()
    assert price.kind == "trial_cost"


def test_a_release_keeps_the_cost_notes_and_local_prices(catalog):
    note = m.CostNote.objects.get(slug="united-kingdom")
    note.title_en = "Paying for CAR T in the UK"
    note.save()
    m.CatalogVersion.bump()
    assert get_catalog().cost_note_for("GB").title != "Paying for CAR T in the UK"
    publish_working_copy()
    released = get_catalog()
    assert released.release and released.cost_note_for("GB").title == (
        "Paying for CAR T in the UK"
    )
    yikaida = next(p for p in released.prices if p.therapy == "yikaida")
    assert (yikaida.currency, yikaida.low_local) == ("CNY", 1_200_000)
    assert working_catalog().cost_note_for("GB") == released.cost_note_for("GB")


def test_a_second_general_note_is_refused(catalog):
    note = m.CostNote(
        slug="another-general",
        title="Elsewhere",
        body="No data.",
        last_reviewed=datetime.date(2026, 12, 1),
    )
    with pytest.raises(ValidationError):
        note.full_clean()


def test_two_notes_cannot_name_the_same_country(catalog):
    note = m.CostNote(
        slug="britain-again",
        countries=["GB"],
        title="UK",
        body="Text.",
        last_reviewed=datetime.date(2026, 12, 1),
    )
    with pytest.raises(ValidationError, match="GB \\(united-kingdom\\)"):
        note.full_clean()


@pytest.fixture
def editor_client(client, catalog):
    sign_in_verified(client, CatalogEditorFactory(), backend=BACKEND)
    return client


def test_an_editor_changes_a_cost_note_with_a_reason_kept_in_history(editor_client):
    note = m.CostNote.objects.get(slug="india")
    before = m.CatalogVersion.current()[0]
    url = reverse("admin:therapies_costnote_change", args=[note.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url,
        {
            "slug": "india",
            "countries": ["IN"],
            "title_en": "Cost and coverage in India",
            "title_es": note.title_es,
            "title_zh_hans": note.title_zh_hans,
            "body_en": "New text about India.",
            "body_es": note.body_es,
            "body_zh_hans": note.body_zh_hans,
            "sources": list(note.sources.values_list("pk", flat=True)),
            "last_reviewed": "2026-12-11",
            "change_reason": "Checked the price with the maker",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    note.refresh_from_db()
    assert note.body_en == "New text about India."
    assert note.history.first().history_change_reason == (
        "Checked the price with the maker"
    )
    assert m.CatalogVersion.current()[0] > before


def test_an_editor_cannot_save_a_cost_note_without_a_reason(editor_client):
    note = m.CostNote.objects.get(slug="india")
    url = reverse("admin:therapies_costnote_change", args=[note.pk])
    response = editor_client.post(
        url,
        {
            "slug": "india",
            "countries": ["IN"],
            "title_en": note.title_en,
            "body_en": "Changed without saying why.",
            "last_reviewed": "2026-12-11",
        },
    )
    assert response.status_code == 200
    note.refresh_from_db()
    assert note.body_en != "Changed without saying why."


def test_an_editor_adds_a_price_in_a_local_currency_with_a_reason(editor_client):
    therapy = m.Therapy.objects.get(slug="fucaso")
    response = editor_client.post(
        reverse("admin:therapies_price_add"),
        {
            "therapy": therapy.pk,
            "country": "SG",
            "kind": "list_price",
            "estimated_by": "Test maker",
            "currency": "CNY",
            "low_local": "1000000",
            "high_local": "1100000",
            "as_of": "2026-12-01",
            "last_reviewed": "2026-12-11",
            "change_reason": "Price list from the maker",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    price = m.Price.objects.get(therapy=therapy, country="SG")
    assert (price.low_usd, price.currency) == (None, "CNY")
    assert price.history.first().history_change_reason == "Price list from the maker"
