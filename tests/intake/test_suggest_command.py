import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run_suggest(tmp_path, data, *extra):
    path = tmp_path / "answers.json"
    path.write_text(
        data if isinstance(data, str) else json.dumps(data), encoding="utf-8"
    )
    out = io.StringIO()
    call_command("suggest", "--answers", str(path), *extra, stdout=out)
    return json.loads(out.getvalue())


SECOND_LINE = {
    "disease": "lbcl",
    "age": 58,
    "prior_lines": 1,
    "relapse_status": "refractory",
    "prior_therapies": ["chemoimmunotherapy"],
    "transplant_eligible": "yes",
    "prior_car_t": "none",
    "country": "US",
    "travel_abroad": "no",
    "caregiver": "yes",
    "recent_infusion": "no",
}


def test_it_prints_the_contract_json(catalog, tmp_path):
    result = run_suggest(tmp_path, SECOND_LINE)
    assert set(result) >= {
        "urgent",
        "therapies",
        "topics",
        "eligibility_questions",
        "centers",
        "prices",
    }
    assert result["urgent"] is False
    slugs = [t["slug"] for t in result["therapies"]]
    assert slugs == ["yescarta", "breyanzi"]
    yescarta = result["therapies"][0]
    assert yescarta["generic_name"] == "axicabtagene ciloleucel"
    assert yescarta["target"] == "CD19"
    assert yescarta["regulator"] == "FDA"
    assert yescarta["reasons"]
    assert "second-line-car-t" in [t["slug"] for t in result["topics"]]
    assert {p["therapy"] for p in result["prices"]} == {"yescarta", "breyanzi"}
    assert all(p["country"] == "US" for p in result["prices"])


def test_it_reads_standard_input(catalog, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(SECOND_LINE)))
    out = io.StringIO()
    call_command("suggest", "--answers", "-", stdout=out)
    assert json.loads(out.getvalue())["therapies"]


def test_urgent_symptoms_put_the_urgent_topic_first(catalog, tmp_path):
    result = run_suggest(
        tmp_path, {**SECOND_LINE, "recent_infusion": "yes", "symptoms": ["fever"]}
    )
    assert result["urgent"] is True
    assert result["topics"][0]["slug"] == "urgent-symptoms"


@pytest.mark.parametrize(
    "data,message",
    [
        ({**SECOND_LINE, "favourite": 1}, "favourite: unknown key"),
        ({**SECOND_LINE, "disease": "dlbcl"}, "disease: unknown code"),
        ({**SECOND_LINE, "age": 200}, "age: out of range"),
        ({**SECOND_LINE, "age": "old"}, "age: expected a whole number"),
        (
            {**SECOND_LINE, "prior_therapies": ["chemo"]},
            "prior_therapies: unknown code",
        ),
        (
            {**SECOND_LINE, "eligibility": {"no-such-question": "yes"}},
            "eligibility.no-such-question: unknown question slug",
        ),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "answers: expected a JSON object"),
    ],
)
def test_bad_input_exits_with_status_2_naming_the_field_and_value(
    catalog, tmp_path, data, message
):
    with pytest.raises(CommandError) as info:
        run_suggest(tmp_path, data)
    assert info.value.returncode == 2
    assert message in str(info.value)


def test_a_missing_file_exits_with_status_2(catalog, tmp_path):
    with pytest.raises(CommandError) as info:
        call_command(
            "suggest", "--answers", str(tmp_path / "nope.json"), stdout=io.StringIO()
        )
    assert info.value.returncode == 2


MYELOMA_AFTER_ONE = {
    "disease": "mm",
    "age": 64,
    "prior_lines": 1,
    "relapse_status": "refractory",
    "prior_therapies": ["pi", "imid"],
    "lenalidomide_refractory": "yes",
    "country": "US",
    "caregiver": "yes",
    "travel_abroad": "no",
    "recent_infusion": "no",
}


@pytest.mark.parametrize(
    "change,therapies,not_yet,topics_in,topics_out,urgent",
    [
        # Lines not known: a line-count condition is unknown, never met.
        ({"prior_lines": "unsure"}, set(), {"carvykti"}, set(), set(), False),
        # Lenalidomide-refractory implies an IMiD, ticked or not.
        ({"prior_therapies": ["pi"]}, {"carvykti"}, set(), set(), set(), False),
        # A symptom counts as urgent whatever the infusion answer.
        (
            {"recent_infusion": "no", "symptoms": ["fever"]},
            {"carvykti"},
            set(),
            {"urgent-symptoms"},
            set(),
            True,
        ),
        (
            {"symptoms": ["breathing"], "recent_infusion": ""},
            {"carvykti"},
            set(),
            {"urgent-symptoms"},
            set(),
            True,
        ),
        # Just treated, too early to tell: no failure pathways.
        (
            {
                "prior_lines": 2,
                "prior_therapies": ["pi", "imid", "car_t"],
                "prior_car_t": "too_early",
            },
            {"carvykti"},
            set(),
            set(),
            {"second-car-t-infusion", "antigen-escape"},
            False,
        ),
    ],
)
def test_the_version_2_codes_give_the_contract_answer(
    catalog, tmp_path, change, therapies, not_yet, topics_in, topics_out, urgent
):
    result = run_suggest(tmp_path, {**MYELOMA_AFTER_ONE, **change})
    assert {t["slug"] for t in result["therapies"]} == therapies
    assert not_yet <= {t["slug"] for t in result["not_yet"]}
    slugs = [t["slug"] for t in result["topics"]]
    assert topics_in <= set(slugs)
    assert not topics_out & set(slugs)
    assert result["urgent"] is urgent
    if urgent:
        assert slugs[0] == "urgent-symptoms"


def test_a_country_without_data_never_says_nothing_fits(catalog, tmp_path):
    result = run_suggest(tmp_path, {**SECOND_LINE, "prior_lines": 2, "country": "ZA"})
    assert result["coverage"] == {
        "country": "ZA",
        "regulator": None,
        "status": "no_data",
        "checked": None,
    }
    # Options approved elsewhere, each marked with its regulator.
    assert result["therapies"]
    assert all(t["regulator"] and t["abroad"] for t in result["therapies"])
    reasons = " ".join(r for t in result["topics"] for r in t["reasons"])
    assert "No approved CAR T therapy has a label that fits" not in reasons


def test_the_coverage_names_the_regulator_of_the_country(catalog, tmp_path):
    us = run_suggest(tmp_path, SECOND_LINE)["coverage"]
    germany = run_suggest(tmp_path, {**SECOND_LINE, "country": "DE"})["coverage"]
    assert (us["regulator"], us["status"]) == ("FDA", "complete")
    assert (germany["regulator"], germany["status"]) == ("EMA", "partial")


def test_a_database_without_the_catalog_gets_a_message_not_a_traceback(
    tmp_path, transactional_db
):
    from django.db import connection

    path = tmp_path / "answers.json"
    path.write_text(json.dumps(SECOND_LINE), encoding="utf-8")
    with connection.schema_editor() as editor:
        from therapies.models import CatalogVersion

        editor.delete_model(CatalogVersion)
    try:
        with pytest.raises(CommandError, match="load_catalog"):
            call_command(
                "suggest",
                "--answers",
                str(path),
                "--working-copy",
                stdout=io.StringIO(),
            )
    finally:
        with connection.schema_editor() as editor:
            editor.create_model(CatalogVersion)


def test_a_database_with_no_published_release_says_so(tmp_path, catalog):
    from therapies.models import CatalogRelease

    CatalogRelease.objects.all().delete()
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(SECOND_LINE), encoding="utf-8")
    with pytest.raises(CommandError, match="no catalog release is published"):
        call_command("suggest", "--answers", str(path), stdout=io.StringIO())


NO_FIT_SENTENCE = "No approved CAR T therapy has a label that fits"


@pytest.mark.parametrize(
    "change,fit_reason",
    [
        # The line count is not known: we cannot tell, and say so.
        ({"prior_lines": "unsure", "country": "CN"}, "We cannot tell yet"),
        # Not sure of the cancer, or one the catalog holds no approval for:
        # the trials topic is raised by its own rules.
        ({"disease": "unsure"}, "Diagnosis: I am not sure"),
        ({"disease": "other_blood"}, "Diagnosis: Another blood cancer"),
    ],
)
def test_nothing_fits_is_never_said_where_the_truth_is_we_do_not_know(
    catalog, tmp_path, change, fit_reason
):
    result = run_suggest(tmp_path, {**MYELOMA_AFTER_ONE, **change})
    reasons = " ".join(r for t in result["topics"] for r in t["reasons"])
    assert NO_FIT_SENTENCE not in reasons
    trials = next(t for t in result["topics"] if t["slug"] == "clinical-trials")
    assert fit_reason in " ".join(trials["reasons"])


def test_an_unknown_line_count_lists_what_to_check(catalog, tmp_path):
    result = run_suggest(
        tmp_path, {**MYELOMA_AFTER_ONE, "prior_lines": "unsure", "country": "CN"}
    )
    assert not result["therapies"]
    assert {"fucaso", "zevor-cel"} <= {n["slug"] for n in result["not_yet"]}


def test_a_definite_no_still_says_so(catalog, tmp_path):
    result = run_suggest(
        tmp_path,
        {**MYELOMA_AFTER_ONE, "relapse_status": "remission", "prior_lines": 1},
    )
    assert not result["therapies"]
