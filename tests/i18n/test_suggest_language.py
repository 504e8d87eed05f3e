import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ANSWERS = {
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


def suggest(tmp_path, *extra):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(ANSWERS), encoding="utf-8")
    out = io.StringIO()
    call_command("suggest", "--answers", str(path), *extra, stdout=out)
    return json.loads(out.getvalue())


def test_suggest_in_spanish_prints_spanish_reasons_and_titles(catalog, tmp_path):
    result = suggest(tmp_path, "--language", "es")
    yescarta = result["therapies"][0]
    assert yescarta["brand_name"] == "Yescarta"
    assert yescarta["generic_name"] == "axicabtagene ciloleucel"
    assert (
        "Tiene 58 años: esto se aplica a adultos (18 años o más)."
        in yescarta["reasons"]
    )
    titles = {t["slug"]: t["title"] for t in result["topics"]}
    assert titles["second-line-car-t"] == (
        "La CAR T como segundo tratamiento para el linfoma de células B grandes"
    )
    questions = {q["slug"]: q["text"] for q in result["eligibility_questions"]}
    assert questions["insurance"] == (
        "¿Tiene seguro médico u otra forma de pago que cubra la CAR T?"
    )


def test_suggest_in_chinese_prints_chinese_texts(catalog, tmp_path):
    result = suggest(tmp_path, "--language", "zh-hans")
    assert "年龄58岁：此项面向成人（18岁及以上）。" in result["therapies"][0]["reasons"]
    titles = {t["slug"]: t["title"] for t in result["topics"]}
    assert titles["how-car-t-works"] == "CAR T细胞治疗如何进行：一步一步了解"


def test_suggest_gives_the_same_suggestions_in_every_language(catalog, tmp_path):
    def shape(result):
        return (
            [t["slug"] for t in result["therapies"]],
            [t["slug"] for t in result["topics"]],
            result["prices"],
        )

    english = shape(suggest(tmp_path))
    assert shape(suggest(tmp_path, "--language", "es")) == english
    assert shape(suggest(tmp_path, "--language", "zh-Hans")) == english


def test_suggest_refuses_a_language_the_site_does_not_have(catalog, tmp_path):
    with pytest.raises(CommandError, match="unknown language 'fr'") as error:
        suggest(tmp_path, "--language", "fr")
    assert error.value.returncode == 2
