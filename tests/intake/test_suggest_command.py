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
