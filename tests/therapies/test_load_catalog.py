import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from therapies import models as m
from therapies.loader import load_catalog, read_catalog
from therapies.snapshot import get_catalog

CONTRACT_THERAPIES = {
    "kymriah",
    "yescarta",
    "tecartus",
    "breyanzi",
    "abecma",
    "carvykti",
    "aucatzyl",
    "fucaso",
    "nexcar19",
}


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            m.Source,
            m.Disease,
            m.Therapy,
            m.Indication,
            m.DiscussionTopic,
            m.EligibilityQuestion,
            m.Rule,
            m.TreatmentCenter,
            m.Price,
            m.EmergencyNumber,
        )
    }


def test_loading_twice_leaves_the_same_rows(db):
    before = row_counts()  # the suite's database was loaded once already
    report = load_catalog()
    assert row_counts() == before
    assert not report.created and not report.updated


def test_loading_an_empty_database_creates_everything_and_a_second_run_changes_nothing(
    db,
):
    for model in (
        m.EmergencyNumber,
        m.Price,
        m.TreatmentCenter,
        m.Rule,
        m.Indication,
        m.EligibilityQuestion,
        m.DiscussionTopic,
        m.Therapy,
        m.Disease,
        m.Source,
    ):
        model.objects.all().delete()
    first = load_catalog()
    counts = row_counts()
    second = load_catalog()
    assert first.created and not second.created and not second.updated
    assert row_counts() == counts
    assert CONTRACT_THERAPIES <= set(m.Therapy.objects.values_list("slug", flat=True))


def test_the_command_reports_what_it_did(db):
    out = io.StringIO()
    call_command("load_catalog", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()


def test_a_staff_edit_is_kept_unless_forced(db):
    topic = m.DiscussionTopic.objects.get(slug="cost-and-coverage")
    topic.title = "Paying for treatment"
    topic.save()
    report = load_catalog()
    assert "topic cost-and-coverage" in report.kept_staff_edits
    assert (
        m.DiscussionTopic.objects.get(slug="cost-and-coverage").title
        == "Paying for treatment"
    )
    load_catalog(force=True)
    assert (
        m.DiscussionTopic.objects.get(slug="cost-and-coverage").title
        != "Paying for treatment"
    )


def test_a_changed_seed_updates_rows_staff_did_not_touch(db):
    data = read_catalog()
    topic = next(t for t in data["topic"] if t["slug"] == "bridging-therapy")
    topic["priority"] = 71
    report = load_catalog(data=data)
    assert report.updated == ["topic bridging-therapy"]
    assert m.DiscussionTopic.objects.get(slug="bridging-therapy").priority == 71


def _as_seeded_before_the_flag_existed(slug: str, **edits) -> None:
    """The row as an older release left it: hashed without the newer field."""
    from therapies.loader import KINDS, _hash, _row_state

    kind = next(k for k in KINDS if k.name == "topic")
    topic = m.DiscussionTopic.objects.get(slug=slug)
    topic.when_no_therapy_fits = False
    old = {
        k: v for k, v in _row_state(kind, topic).items() if k != "when_no_therapy_fits"
    }
    topic.seed_hash = _hash(old)
    for name, value in edits.items():
        setattr(topic, name, value)
    topic.save()


def test_an_upgrade_gives_untouched_rows_a_field_added_to_the_seed(db):
    _as_seeded_before_the_flag_existed("clinical-trials")
    report = load_catalog()
    assert report.updated == ["topic clinical-trials"]
    assert m.DiscussionTopic.objects.get(slug="clinical-trials").when_no_therapy_fits


def test_an_upgrade_keeps_a_staff_edit_made_before_the_field_existed(db):
    _as_seeded_before_the_flag_existed("clinical-trials")
    m.DiscussionTopic.objects.filter(slug="clinical-trials").update(
        title_en="Research studies"
    )
    report = load_catalog()
    assert "topic clinical-trials" in report.kept_staff_edits
    topic = m.DiscussionTopic.objects.get(slug="clinical-trials")
    assert topic.title_en == "Research studies"
    assert not topic.when_no_therapy_fits


def test_loading_bumps_the_catalog_version_only_when_something_changed(db):
    before = m.CatalogVersion.current()
    load_catalog()
    assert m.CatalogVersion.current() == before


def test_every_indication_carries_sources_rules_and_a_review_date(catalog):
    for indication in catalog.indications:
        assert indication.sources, indication.slug
        assert indication.rules, indication.slug
        assert indication.last_reviewed, indication.slug


def test_there_is_no_unverified_anito_cel_or_tcr_product(catalog):
    assert not {"anito-cel", "tecelra", "anitocabtagene"} & set(catalog.therapies)


def test_every_fda_product_has_the_2025_rems_change_in_how_it_is_given(db):
    for slug in ("kymriah", "yescarta", "tecartus", "breyanzi", "abecma", "carvykti"):
        text = m.Therapy.objects.get(slug=slug).how_given
        assert "2 weeks" in text, slug


def test_the_price_table_is_held_as_an_estimate(catalog):
    # The medical-travel site's table; other prices come from other sources.
    by_key = {
        (p.therapy, p.country): p
        for p in catalog.prices
        if p.estimated_by == "CancerFax"
    }
    assert all(p.kind == "travel_estimate" for p in by_key.values() if p.therapy)
    assert (by_key[("kymriah", "US")].low_usd, by_key[("kymriah", "US")].high_usd) == (
        500_000,
        800_000,
    )
    assert (
        by_key[("carvykti", "CN")].low_usd,
        by_key[("carvykti", "CN")].high_usd,
    ) == (250_000, 300_000)
    assert by_key[("nexcar19", "IN")].low_usd == 60_000
    assert all(p.note for p in catalog.prices)
    assert get_catalog() is catalog


def test_the_emergency_numbers_load_once_with_their_sources(db):
    m.EmergencyNumber.objects.all().delete()
    first = load_catalog()
    second = load_catalog()
    assert "emergency_number GB" in first.created
    assert not any(label.startswith("emergency_number") for label in second.created)
    assert not second.updated
    gb = m.EmergencyNumber.objects.get(country="GB")
    assert (gb.number, gb.second_number) == ("999", "112")
    assert gb.sources.exists() and gb.last_reviewed
    assert m.EmergencyNumber.objects.get(country="US").number == "911"
    eu_and_eea = "AT BE DE ES FR IT NL PL SE IS LI".split()
    assert set(
        m.EmergencyNumber.objects.filter(country__in=eu_and_eea).values_list(
            "number", flat=True
        )
    ) == {"112"}


def test_a_staff_edit_to_an_emergency_number_is_kept(db):
    number = m.EmergencyNumber.objects.get(country="NZ")
    number.second_number, number.second_number_use = "112", "mobile"
    number.save()
    report = load_catalog()
    assert "emergency_number NZ" in report.kept_staff_edits
    number.refresh_from_db()
    assert number.second_number == "112"


def _as_seeded_before_the_subtype_condition_existed(
    slug: str, added: tuple = ("lbcl_subtypes", "no_limit_on", "to_check")
) -> None:
    """The topic as the release before lymphoma subtypes left it: its rules
    hashed without the `lbcl_subtypes` key (nor those added later: `added`)."""
    from therapies.loader import KINDS, _hash, _row_state

    kind = next(k for k in KINDS if k.name == "topic")
    topic = m.DiscussionTopic.objects.get(slug=slug)
    old = _row_state(kind, topic)
    old["rules"] = [
        {k: v for k, v in rule.items() if k not in added} for rule in old["rules"]
    ]
    topic.seed_hash = _hash(old)
    topic.save()


@pytest.mark.parametrize(
    "added",
    [("lbcl_subtypes", "no_limit_on", "to_check"), ("to_check",)],
    ids=["before-subtypes", "before-answers-to-check"],
)
def test_a_changed_seed_reaches_rules_seeded_before_a_condition_was_added(db, added):
    _as_seeded_before_the_subtype_condition_existed("bridging-therapy", added)
    assert m.Rule.objects.filter(topic__slug="bridging-therapy").exists()
    data = read_catalog()
    topic = next(t for t in data["topic"] if t["slug"] == "bridging-therapy")
    topic["priority"] = 71
    report = load_catalog(data=data)
    assert report.updated == ["topic bridging-therapy"]
    assert m.DiscussionTopic.objects.get(slug="bridging-therapy").priority == 71


def test_a_rule_condition_staff_set_is_not_taken_for_an_older_seed(db):
    _as_seeded_before_the_subtype_condition_existed("bridging-therapy")
    m.Rule.objects.filter(topic__slug="bridging-therapy").update(
        lbcl_subtypes=["dlbcl"]
    )
    data = read_catalog()
    topic = next(t for t in data["topic"] if t["slug"] == "bridging-therapy")
    topic["priority"] = 71
    report = load_catalog(data=data)
    assert "topic bridging-therapy" in report.kept_staff_edits
    assert m.DiscussionTopic.objects.get(slug="bridging-therapy").priority != 71


def test_no_seeded_record_says_it_was_reviewed_after_today(catalog):
    today = datetime.date.today()
    reviewed = [
        model
        for model in apps.get_app_config("therapies").get_models()
        if "last_reviewed" in {f.name for f in model._meta.get_fields()}
        and not model.__name__.startswith("Historical")
    ]
    assert m.Source in reviewed and m.Price in reviewed
    future = [
        f"{model.__name__} {pk}"
        for model in reviewed
        for pk in model.objects.filter(last_reviewed__gt=today).values_list(
            "pk", flat=True
        )
    ]
    assert future == []
