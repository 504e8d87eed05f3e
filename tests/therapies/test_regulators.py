"""Regulators are catalog data: which countries each one covers, and how much
of its approvals we hold, come from the table staff keep, not from code."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from intake.answers import parse_answers
from intake.suggestions import suggest
from tests.factories import IndicationFactory, RuleFactory, TherapyFactory
from tests.releases import publish_working_copy
from therapies.loader import load_catalog
from therapies.models import CatalogVersion, Regulator
from therapies.snapshot import get_catalog

THIRD_LINE_LBCL = {
    "recent_infusion": "no",
    "disease": "lbcl",
    "age": 60,
    "prior_lines": 2,
    "relapse_status": "late_relapse",
    "travel_abroad": "no",
    "caregiver": "yes",
    "prior_car_t": "none",
}


def suggestions_for(country, **more):
    answers = parse_answers({**THIRD_LINE_LBCL, "country": country, **more})
    return suggest(answers, get_catalog())


def test_a_regulator_staff_add_for_a_new_country_decides_what_its_patients_see(
    catalog,
):
    before = suggestions_for("ZW")
    assert before.coverage["status"] == "no_data"
    zw = Regulator.objects.create(
        code="MCAZ",
        name="Medicines Control Authority of Zimbabwe",
        countries=["ZW"],
        approvals_checked=datetime.date(2026, 12, 1),
        coverage=Regulator.Coverage.COMPLETE,
        last_reviewed=datetime.date(2026, 12, 1),
    )
    therapy = TherapyFactory(brand_name="Zimcel")
    indication = IndicationFactory(therapy=therapy, regulator=zw)
    RuleFactory(indication=indication, min_prior_lines=2)
    CatalogVersion.bump()
    publish_working_copy()

    after = suggestions_for("ZW")
    assert after.coverage == {
        "country": "ZW",
        "regulator": "MCAZ",
        "status": "complete",
        "checked": "2026-12-01",
    }
    assert [m.therapy.brand_name for m in after.therapies] == ["Zimcel"]
    assert not after.therapies[0].abroad


def test_moving_a_country_to_another_regulator_changes_its_patients_list(catalog):
    fda = Regulator.objects.get(code="FDA")
    fda.countries = ["US", "PR"]
    fda.save()
    CatalogVersion.bump()
    publish_working_copy()
    result = suggestions_for("PR")
    assert result.coverage["regulator"] == "FDA"
    assert {m.regulator for m in result.therapies} == {"FDA"}


@pytest.mark.parametrize(
    "country,regulator,status,checked",
    [
        ("US", "FDA", "complete", "2026-11-22"),
        ("DE", "EMA", "partial", "2026-12-05"),
        ("PT", "EMA", "partial", "2026-12-05"),
        ("GB", "MHRA", "partial", "2026-12-05"),
        ("CA", "Health Canada", "partial", "2026-12-05"),
        ("AU", "TGA", "partial", "2026-12-05"),
        ("JP", "PMDA", "partial", "2026-12-05"),
        ("KR", "MFDS", "partial", "2026-12-05"),
        ("CH", "Swissmedic", "partial", "2026-12-05"),
        ("SG", "HSA", "partial", "2026-12-05"),
        ("BR", "ANVISA", "partial", "2026-12-05"),
        ("CN", "NMPA", "partial", "2026-11-22"),
        ("AQ", None, "no_data", None),
    ],
)
def test_the_coverage_answer_comes_from_the_regulator_table(
    catalog, country, regulator, status, checked
):
    coverage = suggestions_for(country).coverage
    assert coverage == {
        "country": country,
        "regulator": regulator,
        "status": status,
        "checked": checked,
    }


def test_a_country_without_a_regulator_shows_approvals_elsewhere_as_options(catalog):
    result = suggestions_for("AQ")
    assert result.therapies
    assert all(m.abroad and m.regulator for m in result.therapies)


def test_a_country_cannot_belong_to_two_regulators(catalog):
    clash = Regulator(
        code="XX",
        name="Another regulator",
        countries=["DE", "CH"],
        approvals_checked=datetime.date(2026, 12, 1),
        last_reviewed=datetime.date(2026, 12, 1),
    )
    with pytest.raises(ValidationError, match="DE \\(EMA\\)"):
        clash.full_clean()


def test_the_regulators_the_migration_made_take_their_seed_on_the_next_load(
    catalog,
):
    # The migration creates FDA, EMA, NMPA and CDSCO for existing indications;
    # the first load fills them from regulators.toml rather than keeping them
    # as if staff had edited them.
    fda = Regulator.objects.get(code="FDA")
    assert fda.name_es.startswith("Administración")
    report = load_catalog()
    assert not [k for k in report.kept_staff_edits if k.startswith("regulator")]


def test_a_regulator_name_is_translated(catalog):
    assert get_catalog("es").regulators["EMA"].name.startswith("Agencia Europea")
    assert not get_catalog("zh-hans").regulators["FDA"].name.english_only
