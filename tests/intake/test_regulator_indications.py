"""Every labelled indication of every regulator, through the engine: a patient
in that regulator's country who meets a route of the label, and one who just
misses it. The cases are built from the seed files (a rule's own boundaries),
so a new approval is tested as soon as it is seeded; the hand-written cases
below pin one boundary per regulator in words a reader can check against the
label."""

import pytest

from intake.answers import parse_answers
from intake.suggestions import suggest
from therapies.loader import read_catalog

SEED = read_catalog()
FIRST_COUNTRY = {r["code"]: sorted(r["countries"])[0] for r in SEED["regulator"]}
RELAPSED = ["refractory", "early_relapse", "late_relapse"]
# Statuses a patient past first-line treatment can give, relapsed or not.
AFTER_TREATMENT = [*RELAPSED, "remission", "in_treatment"]


def base_patient(country: str, disease: str) -> dict:
    return {
        "recent_infusion": "no",
        "disease": disease,
        "country": country,
        "travel_abroad": "no",
        "caregiver": "yes",
        "prior_car_t": "none",
        "transplant_eligible": "no",
        "lenalidomide_refractory": "no",
        "lbcl_subtype": "dlbcl",
    }


def meeting(indication: dict, rule: dict) -> dict:
    """A patient at the rule's own boundaries (its lowest age and line count)."""
    patient = base_patient(
        FIRST_COUNTRY[indication["regulator"]], indication["disease"]
    )
    patient["age"] = rule.get("min_age", rule.get("max_age", 40))
    patient["prior_lines"] = rule.get("min_prior_lines", rule.get("max_prior_lines", 2))
    patient["relapse_status"] = rule.get("relapse_statuses", RELAPSED)[0]
    therapies = list(rule.get("prior_therapies_all", []))
    patient["prior_therapies"] = therapies or ["chemoimmunotherapy"]
    if indication["disease"] == "mm" and not therapies:
        patient["prior_therapies"] = ["pi"]
    for name, field in (
        ("lbcl_subtypes", "lbcl_subtype"),
        ("transplant_eligible", "transplant_eligible"),
        ("lenalidomide_refractory", "lenalidomide_refractory"),
        ("prior_car_t", "prior_car_t"),
    ):
        if rule.get(name):
            patient[field] = rule[name][0]
    return patient


def tweaks(rule: dict, patient: dict):
    """Patients who each differ from `patient` in one answer, just outside the rule."""
    if "min_age" in rule:
        yield "age", {**patient, "age": rule["min_age"] - 1}
    if "max_age" in rule:
        yield "age", {**patient, "age": rule["max_age"] + 1}
    if rule.get("min_prior_lines"):
        yield "prior_lines", {**patient, "prior_lines": rule["min_prior_lines"] - 1}
    if "max_prior_lines" in rule:
        yield "prior_lines", {**patient, "prior_lines": rule["max_prior_lines"] + 1}
    accepted = rule.get("relapse_statuses", AFTER_TREATMENT)
    outside = [s for s in AFTER_TREATMENT if s not in accepted]
    if outside:
        yield "relapse_status", {**patient, "relapse_status": outside[0]}
    if rule.get("prior_therapies_all"):
        kept = rule["prior_therapies_all"][1:] or ["chemoimmunotherapy"]
        if patient["disease"] == "mm" and kept == ["chemoimmunotherapy"]:
            kept = ["radiation"]
        yield "prior_therapies", {**patient, "prior_therapies": kept}
    if rule.get("lbcl_subtypes"):
        other = [
            s
            for s in ("dlbcl", "hgbcl", "pmbcl", "tfl", "fl3b")
            if s not in rule["lbcl_subtypes"]
        ]
        if other:
            yield "lbcl_subtype", {**patient, "lbcl_subtype": other[0]}
    if rule.get("transplant_eligible") == ["no"]:
        yield "transplant_eligible", {**patient, "transplant_eligible": "yes"}


CASES = [
    pytest.param(indication, rule, id=f"{indication['slug']}-{n}")
    for indication in SEED["indication"]
    for n, rule in enumerate(indication.get("rules", []))
]


def result_for(catalog, patient):
    return suggest(parse_answers(patient), catalog)


@pytest.mark.parametrize("indication,rule", CASES)
def test_a_patient_who_meets_a_route_of_the_label_is_offered_the_product_under_that_regulator(
    catalog, indication, rule
):
    result = result_for(catalog, meeting(indication, rule))
    matches = {m.therapy.slug: m for m in result.therapies}
    assert indication["therapy"] in matches
    match = matches[indication["therapy"]]
    assert match.regulator == indication["regulator"]
    assert not match.abroad
    assert match.reasons


def indication_met(catalog, slug, patient) -> bool:
    answers = parse_answers(patient).applicable().unknowns_as_unsure()
    indication = next(i for i in catalog.indications if i.slug == slug)
    return any(rule.criteria.matches(answers) for rule in indication.rules)


@pytest.mark.parametrize("indication,rule", CASES)
def test_a_patient_just_outside_a_route_of_the_label_is_not_offered_it_by_that_route(
    catalog, indication, rule
):
    patient = meeting(indication, rule)
    missed_somewhere = False
    for _field, outside in tweaks(rule, patient):
        if indication_met(catalog, indication["slug"], outside):
            continue  # another route of the same label takes this patient
        missed_somewhere = True
        result = result_for(catalog, outside)
        others = [
            i
            for i in catalog.indications
            if i.therapy.slug == indication["therapy"]
            and i.regulator == indication["regulator"]
            and i.slug != indication["slug"]
            and indication_met(catalog, i.slug, outside)
        ]
        matched = {m.therapy.slug for m in result.therapies}
        if not others:
            assert indication["therapy"] not in matched
    # Every route has a boundary: a rule no one can miss would be a rule with
    # no conditions, and our seed has none.
    assert missed_somewhere


# One boundary per regulator, written out.
COUNTRY_LINES = {
    "lbcl_3l": dict(disease="lbcl", age=60, prior_lines=2, relapse_status="refractory"),
}


def patient(country, **answers):
    data = base_patient(country, answers.pop("disease"))
    data["prior_therapies"] = ["chemoimmunotherapy"]
    data.update(answers)
    return data


def offered(catalog, data):
    return {m.therapy.slug: m.regulator for m in result_for(catalog, data).therapies}


def test_in_the_eu_tecartus_for_all_starts_at_26(catalog):
    at_26 = offered(
        catalog,
        patient(
            "FR", disease="b_all", age=26, prior_lines=1, relapse_status="refractory"
        ),
    )
    at_25 = offered(
        catalog,
        patient(
            "FR", disease="b_all", age=25, prior_lines=1, relapse_status="refractory"
        ),
    )
    assert at_26["tecartus"] == "EMA" and at_26["aucatzyl"] == "EMA"
    assert "tecartus" not in at_25 and "aucatzyl" not in at_25
    assert at_25["kymriah"] == "EMA"


def test_in_the_eu_second_line_car_t_needs_a_relapse_within_12_months(catalog):
    early = offered(
        catalog,
        patient(
            "DE", disease="lbcl", age=60, prior_lines=1, relapse_status="early_relapse"
        ),
    )
    late = offered(
        catalog,
        patient(
            "DE", disease="lbcl", age=60, prior_lines=1, relapse_status="late_relapse"
        ),
    )
    assert early == {"yescarta": "EMA", "breyanzi": "EMA"}
    assert late == {}


def test_in_the_eu_yescarta_second_line_leaves_out_primary_mediastinal_lymphoma(
    catalog,
):
    pmbcl = offered(
        catalog,
        patient(
            "IT",
            disease="lbcl",
            age=50,
            prior_lines=1,
            relapse_status="refractory",
            lbcl_subtype="pmbcl",
        ),
    )
    assert "yescarta" not in pmbcl
    assert pmbcl["breyanzi"] == "EMA"


def test_in_the_uk_kymriah_for_all_stops_at_25(catalog):
    young = offered(
        catalog,
        patient(
            "GB", disease="b_all", age=25, prior_lines=1, relapse_status="refractory"
        ),
    )
    older = offered(
        catalog,
        patient(
            "GB", disease="b_all", age=26, prior_lines=1, relapse_status="refractory"
        ),
    )
    assert young["kymriah"] == "MHRA"
    assert "kymriah" not in older
    assert older["tecartus"] == "MHRA"


def test_in_canada_kymriah_for_all_starts_at_age_3(catalog):
    three = offered(
        catalog,
        patient(
            "CA", disease="b_all", age=3, prior_lines=1, relapse_status="refractory"
        ),
    )
    two = offered(
        catalog,
        patient(
            "CA", disease="b_all", age=2, prior_lines=1, relapse_status="refractory"
        ),
    )
    assert three == {"kymriah": "Health Canada"}
    assert two == {}


def test_in_canada_yescarta_for_follicular_lymphoma_needs_two_lines(catalog):
    two = offered(
        catalog,
        patient(
            "CA", disease="fl", age=60, prior_lines=2, relapse_status="late_relapse"
        ),
    )
    one = offered(
        catalog,
        patient(
            "CA", disease="fl", age=60, prior_lines=1, relapse_status="late_relapse"
        ),
    )
    assert two == {"yescarta": "Health Canada"}
    assert one == {}


def test_in_australia_lbcl_car_t_needs_two_lines(catalog):
    two = offered(catalog, patient("AU", **COUNTRY_LINES["lbcl_3l"]))
    one = offered(
        catalog, patient("AU", **{**COUNTRY_LINES["lbcl_3l"], "prior_lines": 1})
    )
    assert two == {"kymriah": "TGA", "yescarta": "TGA"}
    assert one == {}


def test_in_japan_yescarta_after_two_lines_is_for_people_who_cannot_have_a_transplant(
    catalog,
):
    cannot = offered(
        catalog, patient("JP", **COUNTRY_LINES["lbcl_3l"], transplant_eligible="no")
    )
    can = offered(
        catalog, patient("JP", **COUNTRY_LINES["lbcl_3l"], transplant_eligible="yes")
    )
    assert cannot["yescarta"] == "PMDA"
    assert "yescarta" not in can


def test_in_switzerland_breyanzi_leaves_out_high_grade_lymphoma(catalog):
    dlbcl = offered(catalog, patient("CH", **COUNTRY_LINES["lbcl_3l"]))
    hgbcl = offered(
        catalog, patient("CH", **COUNTRY_LINES["lbcl_3l"], lbcl_subtype="hgbcl")
    )
    assert dlbcl["breyanzi"] == "Swissmedic"
    assert "breyanzi" not in hgbcl


def test_in_korea_kymriah_for_all_stops_at_25(catalog):
    young = offered(
        catalog,
        patient(
            "KR", disease="b_all", age=25, prior_lines=1, relapse_status="refractory"
        ),
    )
    older = offered(
        catalog,
        patient(
            "KR", disease="b_all", age=26, prior_lines=1, relapse_status="refractory"
        ),
    )
    assert young == {"kymriah": "MFDS"}
    assert older == {}


@pytest.mark.parametrize(
    "country,regulator,expected",
    [
        ("GB", "MHRA", {"kymriah", "yescarta"}),
        ("CA", "Health Canada", {"kymriah", "yescarta", "breyanzi"}),
        ("AU", "TGA", {"kymriah", "yescarta"}),
        ("JP", "PMDA", {"kymriah", "yescarta", "breyanzi"}),
        ("DE", "EMA", {"kymriah", "yescarta", "breyanzi"}),
        ("PT", "EMA", {"kymriah", "yescarta", "breyanzi"}),
        ("SG", "HSA", {"kymriah"}),
        ("BR", "ANVISA", {"kymriah"}),
    ],
)
def test_a_patient_with_lbcl_after_two_lines_sees_what_their_country_approved(
    client, make_submission, catalog, country, regulator, expected
):
    data = patient(country, **COUNTRY_LINES["lbcl_3l"])
    assert offered(catalog, data) == dict.fromkeys(expected, regulator)
    submission = make_submission(
        {"country": country, "lbcl_subtype": "dlbcl"}, submitted=True
    )
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    assert "No approved CAR T therapy has a label that fits" not in html
    for slug in expected:
        brand = catalog.therapies[slug].brand_name
        assert f"<strong>{brand}</strong>" in html
    assert f"approved by {regulator}" in html


@pytest.mark.parametrize("language", ["en", "es", "zh-hans"])
def test_a_country_without_data_is_told_so_plainly_in_every_language(
    client, make_submission, language
):
    from django.utils import translation

    submission = make_submission({"country": "ZA"}, submitted=True)
    prefix = "" if language == "en" else f"/{language}"
    html = client.get(f"{prefix}/i/{submission.token}/results/").content.decode()
    with translation.override(language):
        no_data = translation.gettext(
            "We do not have approval information for your country yet, so we "
            "cannot say which CAR T therapies are approved there."
        )
        nothing_fits = translation.gettext(
            "No approved CAR T therapy has a label that fits your answers right now."
        )
    assert no_data in html
    assert nothing_fits.split(".")[0] not in html
