"""Pivotal trial results: seeded per product and disease, loaded once, kept
in releases, and each rate cited or left out."""

import pytest
from django.urls import reverse

from tests.releases import publish_working_copy
from therapies.loader import load_catalog
from therapies.models import CatalogVersion, Indication, TrialResult
from therapies.snapshot import (
    Catalog,
    clear_cache,
    get_catalog,
    release_catalog,
    working_catalog,
)
from therapies.snapshot_json import catalog_from_json, to_json


def test_loading_the_seed_again_leaves_every_trial_as_it_was(catalog):
    report = load_catalog()
    touched = report.created + report.updated + report.kept_staff_edits
    assert not [label for label in touched if label.startswith("trial ")]
    zuma_5 = TrialResult.objects.get(slug="yescarta-zuma-5")
    assert (zuma_5.severe_crs, zuma_5.severe_neuro, zuma_5.patients) == (8, 21, 81)
    assert zuma_5.disease.code == "fl"
    assert zuma_5.population_es and zuma_5.population_zh_hans


def test_a_rate_is_read_the_way_the_seed_writes_it(catalog):
    felix = working_catalog().trials_for("aucatzyl", "b_all")
    assert [(t.trial, t.severe_crs, t.severe_neuro) for t in felix] == [
        ("FELIX", "2.4", "7.1")
    ]
    (zuma_1,) = [t for t in working_catalog().trials if t.slug == "yescarta-zuma-1"]
    assert zuma_1.severe_crs == "13" and zuma_1.severe_neuro is None


def test_every_trial_is_for_a_disease_its_product_is_approved_for(catalog):
    approved = set(Indication.objects.values_list("therapy__slug", "disease__code"))
    for trial in TrialResult.objects.select_related("therapy", "disease"):
        assert (trial.therapy.slug, trial.disease.code) in approved, trial.slug


def test_every_trial_has_sources_and_every_language(catalog):
    for trial in TrialResult.objects.prefetch_related("sources"):
        assert trial.sources.exists(), trial.slug
        for name in ("population", "results", "note"):
            english = getattr(trial, f"{name}_en")
            for language in ("es", "zh_hans"):
                assert bool(getattr(trial, f"{name}_{language}")) == bool(english), (
                    trial.slug,
                    name,
                    language,
                )


def test_the_snapshot_gives_a_product_s_trials_for_one_disease_only(catalog):
    snapshot = get_catalog()
    lbcl = {t.trial for t in snapshot.trials_for("yescarta", "lbcl")}
    fl = {t.trial for t in snapshot.trials_for("yescarta", "fl")}
    assert lbcl == {"ZUMA-1", "ZUMA-7"}
    assert fl == {"ZUMA-5"}


def test_a_release_keeps_the_trials_and_reads_them_back(catalog):
    TrialResult.objects.filter(slug="carvykti-cartitude-1").update(severe_neuro=12)
    CatalogVersion.bump()
    publish_working_copy()
    clear_cache()

    first, second = release_catalog(1), release_catalog(2)

    def neuro(snapshot):
        (trial,) = [t for t in snapshot.trials if t.slug == "carvykti-cartitude-1"]
        return trial.severe_neuro

    assert first.trials and neuro(first) == "11" and neuro(second) == "12"
    assert release_catalog(2, "es").trials == working_catalog("es").trials


def test_a_release_published_before_trials_existed_reads_back_with_none(catalog):
    data = to_json(working_catalog())
    del data["trials"]
    assert catalog_from_json(Catalog, data).trials == ()


def test_a_retired_trial_is_not_shown(catalog):
    TrialResult.objects.filter(slug="yescarta-zuma-7").update(retired_on="2026-12-01")
    CatalogVersion.bump()
    assert {t.trial for t in working_catalog().trials_for("yescarta", "lbcl")} == {
        "ZUMA-1"
    }


def test_the_product_page_shows_each_trial_under_its_disease(client, catalog):
    html = client.get(
        reverse("therapies:therapy_detail", args=["yescarta"])
    ).content.decode()
    section = html[html.index('id="trials-title"') :]
    assert section.index("Follicular lymphoma") < section.index("ZUMA-5")
    assert "Severe neurologic events (grade 3 or higher): 21% of patients" in section


@pytest.mark.parametrize("slug", ["yescarta", "kymriah", "breyanzi", "carvykti"])
def test_no_side_effects_text_quotes_a_trial_rate(catalog, slug):
    from therapies.models import Therapy

    therapy = Therapy.objects.get(slug=slug)
    for language in ("en", "es", "zh_hans"):
        assert "%" not in getattr(therapy, f"side_effects_{language}")
