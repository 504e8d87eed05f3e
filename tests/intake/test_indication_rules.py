"""Every labelled indication in the fact sheet, through the engine: a patient who
meets it and a patient who just misses it (age, lines, relapse timing, prior
therapy, transplant route)."""

import pytest

from intake.answers import parse_answers
from intake.suggestions import suggest


def patient(**overrides):
    answers = {
        "recent_infusion": "no",
        "country": "US",
        "travel_abroad": "no",
        "caregiver": "yes",
        "prior_car_t": "none",
    }
    answers.update(overrides)
    return answers


def suggested(catalog, answers):
    result = suggest(parse_answers(answers), catalog)
    return {m.therapy.slug: m for m in result.therapies}, {
        n.therapy.slug: n for n in result.not_yet
    }


# DLBCL: the one kind of large B-cell lymphoma every label names.
LBCL_2L = dict(
    disease="lbcl",
    lbcl_subtype="dlbcl",
    age=60,
    prior_lines=1,
    prior_therapies=["chemoimmunotherapy"],
)
LBCL_3L = dict(
    disease="lbcl",
    lbcl_subtype="dlbcl",
    age=60,
    prior_lines=2,
    relapse_status="late_relapse",
)
MM = dict(disease="mm", age=64)

MEETS = [
    # Kymriah B-ALL: up to 25, refractory or second or later relapse
    (
        "kymriah",
        dict(disease="b_all", age=12, prior_lines=1, relapse_status="refractory"),
    ),
    (
        "kymriah",
        dict(disease="b_all", age=25, prior_lines=2, relapse_status="late_relapse"),
    ),
    # Kymriah, Yescarta, Breyanzi: LBCL after two or more lines
    ("kymriah", LBCL_3L),
    ("yescarta", LBCL_3L),
    ("breyanzi", LBCL_3L),
    # FL after two or more lines
    ("kymriah", dict(disease="fl", age=50, prior_lines=2, relapse_status="refractory")),
    (
        "yescarta",
        dict(disease="fl", age=50, prior_lines=3, relapse_status="early_relapse"),
    ),
    (
        "breyanzi",
        dict(disease="fl", age=50, prior_lines=2, relapse_status="late_relapse"),
    ),
    # Second-line LBCL: refractory or relapse within 12 months
    (
        "yescarta",
        dict(LBCL_2L, relapse_status="early_relapse", transplant_eligible="yes"),
    ),
    ("yescarta", dict(LBCL_2L, relapse_status="refractory", transplant_eligible="no")),
    (
        "breyanzi",
        dict(LBCL_2L, relapse_status="early_relapse", transplant_eligible="yes"),
    ),
    # Breyanzi's transplant-ineligible second-line route: any relapse timing
    (
        "breyanzi",
        dict(LBCL_2L, relapse_status="late_relapse", transplant_eligible="no"),
    ),
    # Tecartus: adult r/r MCL, adult r/r B-ALL
    (
        "tecartus",
        dict(disease="mcl", age=70, prior_lines=1, relapse_status="early_relapse"),
    ),
    (
        "tecartus",
        dict(disease="b_all", age=18, prior_lines=1, relapse_status="early_relapse"),
    ),
    # Aucatzyl: adult r/r B-ALL
    (
        "aucatzyl",
        dict(disease="b_all", age=40, prior_lines=1, relapse_status="refractory"),
    ),
    # Breyanzi CLL: 2+ lines with BTKi and BCL-2i
    (
        "breyanzi",
        dict(
            disease="cll",
            age=68,
            prior_lines=2,
            relapse_status="refractory",
            prior_therapies=["btki", "bcl2i"],
        ),
    ),
    # Breyanzi MCL: 2+ lines with BTKi
    (
        "breyanzi",
        dict(
            disease="mcl",
            age=66,
            prior_lines=2,
            relapse_status="late_relapse",
            prior_therapies=["btki"],
        ),
    ),
    # Breyanzi MZL: 2+ lines (December 2025)
    (
        "breyanzi",
        dict(disease="mzl", age=61, prior_lines=2, relapse_status="refractory"),
    ),
    # Abecma: 2+ lines with IMiD, PI, anti-CD38
    (
        "abecma",
        dict(
            MM,
            prior_lines=2,
            relapse_status="refractory",
            prior_therapies=["imid", "pi", "anti_cd38"],
            lenalidomide_refractory="no",
        ),
    ),
    # Carvykti: 1+ line with PI and IMiD, lenalidomide-refractory
    (
        "carvykti",
        dict(
            MM,
            prior_lines=1,
            relapse_status="refractory",
            prior_therapies=["imid", "pi"],
            lenalidomide_refractory="yes",
        ),
    ),
]

MISSES = [
    # Kymriah B-ALL: age 26 is over the limit; a first relapse is not enough
    (
        "kymriah",
        dict(disease="b_all", age=26, prior_lines=1, relapse_status="refractory"),
        "age",
    ),
    (
        "kymriah",
        dict(disease="b_all", age=15, prior_lines=1, relapse_status="early_relapse"),
        "prior_lines",
    ),
    # Kymriah has no second-line LBCL approval
    (
        "kymriah",
        dict(LBCL_2L, relapse_status="early_relapse", transplant_eligible="yes"),
        "prior_lines",
    ),
    # Kymriah LBCL: adults only
    ("kymriah", dict(LBCL_3L, age=17), "age"),
    # Second line: a relapse after 12 months is not covered (transplant possible)
    (
        "yescarta",
        dict(LBCL_2L, relapse_status="late_relapse", transplant_eligible="yes"),
        "relapse_status",
    ),
    (
        "breyanzi",
        dict(LBCL_2L, relapse_status="late_relapse", transplant_eligible="yes"),
        "transplant_eligible",
    ),
    # FL after only one line
    (
        "yescarta",
        dict(disease="fl", age=50, prior_lines=1, relapse_status="refractory"),
        "prior_lines",
    ),
    (
        "kymriah",
        dict(disease="fl", age=50, prior_lines=1, relapse_status="refractory"),
        "prior_lines",
    ),
    (
        "breyanzi",
        dict(disease="fl", age=50, prior_lines=1, relapse_status="refractory"),
        "prior_lines",
    ),
    # Tecartus B-ALL: adults only
    (
        "tecartus",
        dict(disease="b_all", age=17, prior_lines=2, relapse_status="early_relapse"),
        "age",
    ),
    (
        "aucatzyl",
        dict(disease="b_all", age=17, prior_lines=2, relapse_status="early_relapse"),
        "age",
    ),
    # Tecartus MCL: must be relapsed or refractory
    (
        "tecartus",
        dict(disease="mcl", age=70, prior_lines=1, relapse_status="remission"),
        "relapse_status",
    ),
    # Breyanzi CLL: both a BTKi and a BCL-2i
    (
        "breyanzi",
        dict(
            disease="cll",
            age=68,
            prior_lines=3,
            relapse_status="refractory",
            prior_therapies=["btki"],
        ),
        "prior_therapies",
    ),
    (
        "breyanzi",
        dict(
            disease="cll",
            age=68,
            prior_lines=1,
            relapse_status="refractory",
            prior_therapies=["btki", "bcl2i"],
        ),
        "prior_lines",
    ),
    # Breyanzi MCL: needs a BTKi
    (
        "breyanzi",
        dict(
            disease="mcl",
            age=66,
            prior_lines=2,
            relapse_status="late_relapse",
            prior_therapies=["chemoimmunotherapy"],
        ),
        "prior_therapies",
    ),
    # Breyanzi MZL: only one line
    (
        "breyanzi",
        dict(disease="mzl", age=61, prior_lines=1, relapse_status="refractory"),
        "prior_lines",
    ),
    # Abecma: anti-CD38 missing; only one line
    (
        "abecma",
        dict(
            MM,
            prior_lines=3,
            relapse_status="refractory",
            prior_therapies=["imid", "pi"],
            lenalidomide_refractory="no",
        ),
        "prior_therapies",
    ),
    (
        "abecma",
        dict(
            MM,
            prior_lines=1,
            relapse_status="refractory",
            prior_therapies=["imid", "pi", "anti_cd38"],
            lenalidomide_refractory="no",
        ),
        "prior_lines",
    ),
    # Carvykti: not lenalidomide-refractory; PI missing
    (
        "carvykti",
        dict(
            MM,
            prior_lines=2,
            relapse_status="refractory",
            prior_therapies=["imid", "pi"],
            lenalidomide_refractory="no",
        ),
        "lenalidomide_refractory",
    ),
    (
        "carvykti",
        dict(
            MM,
            prior_lines=2,
            relapse_status="refractory",
            prior_therapies=["imid"],
            lenalidomide_refractory="yes",
        ),
        "prior_therapies",
    ),
]


@pytest.mark.parametrize("slug,case", MEETS)
def test_a_patient_who_meets_the_label_gets_the_therapy_with_reasons(
    catalog, slug, case
):
    therapies, _ = suggested(catalog, patient(**case))
    assert slug in therapies
    match = therapies[slug]
    assert match.regulator == "FDA"
    assert not match.abroad
    assert match.reasons, "every suggested therapy says why"


@pytest.mark.parametrize("slug,case,criterion", MISSES)
def test_a_patient_who_just_misses_the_label_gets_a_not_yet_item(
    catalog, slug, case, criterion
):
    therapies, not_yet = suggested(catalog, patient(**case))
    assert slug not in therapies
    assert slug in not_yet, "one missed condition is shown as a 'not yet' item"
    assert len(not_yet[slug].missing) == 1


def test_second_line_lbcl_late_relapse_with_transplant_option_has_no_car_t_on_label(
    catalog,
):
    therapies, _ = suggested(
        catalog,
        patient(**LBCL_2L, relapse_status="late_relapse", transplant_eligible="yes"),
    )
    assert therapies == {}


def test_no_car_t_is_suggested_for_a_solid_tumor_or_before_any_treatment(catalog):
    assert (
        suggested(
            catalog,
            patient(
                disease="solid", age=50, prior_lines=3, relapse_status="refractory"
            ),
        )[0]
        == {}
    )
    assert (
        suggested(
            catalog,
            patient(
                disease="lbcl", age=50, prior_lines=0, relapse_status="newly_diagnosed"
            ),
        )[0]
        == {}
    )


def test_children_with_lymphoma_get_no_car_t(catalog):
    therapies, _ = suggested(catalog, patient(**dict(LBCL_3L, age=16)))
    assert therapies == {}


def test_a_young_adult_with_relapsed_all_can_match_all_three_all_products(catalog):
    therapies, _ = suggested(
        catalog,
        patient(disease="b_all", age=22, prior_lines=2, relapse_status="early_relapse"),
    )
    assert {"kymriah", "tecartus", "aucatzyl"} <= set(therapies)


def test_carvykti_and_abecma_both_fit_triple_exposed_lenalidomide_refractory_myeloma(
    catalog,
):
    therapies, _ = suggested(
        catalog,
        patient(
            **MM,
            prior_lines=3,
            relapse_status="refractory",
            prior_therapies=["imid", "pi", "anti_cd38"],
            lenalidomide_refractory="yes",
        ),
    )
    assert {"abecma", "carvykti"} <= set(therapies)


def test_not_sure_about_lenalidomide_is_a_point_to_check_not_a_match(catalog):
    therapies, not_yet = suggested(
        catalog,
        patient(
            **MM,
            prior_lines=1,
            relapse_status="refractory",
            prior_therapies=["imid", "pi"],
            lenalidomide_refractory="unsure",
        ),
    )
    assert "carvykti" not in therapies
    assert not_yet["carvykti"].unsure


@pytest.mark.parametrize(
    "country,regulator,slugs",
    [
        ("CN", "NMPA", {"yikaida", "carteyva"}),
        ("IN", "CDSCO", {"nexcar19", "qartemi"}),
        ("DE", "EMA", {"kymriah", "yescarta", "breyanzi"}),
    ],
)
def test_patients_outside_the_us_get_their_own_regulators_approvals(
    catalog, country, regulator, slugs
):
    therapies, _ = suggested(catalog, patient(**LBCL_3L, country=country))
    assert set(therapies) == slugs
    assert {m.regulator for m in therapies.values()} == {regulator}


def test_other_countries_approvals_appear_only_when_travel_abroad_is_yes(catalog):
    at_home, _ = suggested(
        catalog, patient(**LBCL_3L, country="CN", travel_abroad="no")
    )
    abroad, _ = suggested(
        catalog, patient(**LBCL_3L, country="CN", travel_abroad="yes")
    )
    assert "breyanzi" not in at_home
    assert abroad["breyanzi"].regulator == "FDA"
    assert abroad["breyanzi"].abroad
    assert abroad["yikaida"].regulator == "NMPA"
    assert not abroad["yikaida"].abroad


def test_a_us_patient_who_travels_sees_each_product_once_under_the_fda(catalog):
    therapies, _ = suggested(catalog, patient(**LBCL_3L, travel_abroad="yes"))
    assert therapies["yescarta"].regulator == "FDA"
    assert "EMA" in therapies["yescarta"].also_approved_by
    assert therapies["yikaida"].abroad


def test_myeloma_in_china_needs_three_lines_for_fucaso_and_zevor_cel(catalog):
    base = dict(
        MM,
        relapse_status="refractory",
        prior_therapies=["imid", "pi"],
        lenalidomide_refractory="no",
        country="CN",
    )
    three, _ = suggested(catalog, patient(**base, prior_lines=3))
    two, not_yet = suggested(catalog, patient(**base, prior_lines=2))
    assert {"fucaso", "zevor-cel"} <= set(three)
    assert "fucaso" not in two and "fucaso" in not_yet


def test_eu_kymriah_covers_all_that_relapsed_after_a_transplant(catalog):
    case = dict(
        disease="b_all",
        age=14,
        prior_lines=1,
        relapse_status="late_relapse",
        prior_therapies=["stem_cell_transplant"],
        country="FR",
    )
    therapies, _ = suggested(catalog, patient(**case))
    assert "kymriah" in therapies
    us, _ = suggested(catalog, patient(**dict(case, country="US")))
    assert "kymriah" not in us, "the US label has no post-transplant route"


def test_kymriah_is_not_shown_for_pmbcl_which_its_us_label_leaves_out(catalog):
    therapies, not_yet = suggested(
        catalog, patient(**{**LBCL_3L, "lbcl_subtype": "pmbcl"})
    )
    assert {"yescarta", "breyanzi"} <= set(therapies)
    assert "kymriah" not in therapies
    assert not not_yet["kymriah"].unsure


@pytest.mark.parametrize("country", ["US", "DE", "GB", "AU", "SG"])
@pytest.mark.parametrize("subtype", ["unsure", "other"])
def test_a_kind_of_lymphoma_not_known_or_not_listed_makes_kymriah_a_point_to_check(
    catalog, country, subtype
):
    answers = patient(**{**LBCL_3L, "lbcl_subtype": subtype}, country=country)
    therapies, not_yet = suggested(catalog, answers)
    assert "kymriah" not in therapies
    assert not_yet["kymriah"].unsure, "shown under “To check”, never left out"


def test_dlbcl_from_follicular_lymphoma_counts_as_dlbcl_for_eu_kymriah(catalog):
    answers = patient(**{**LBCL_3L, "lbcl_subtype": "tfl"}, country="DE")
    therapies, _ = suggested(catalog, answers)
    assert {"kymriah", "yescarta"} <= set(therapies)


@pytest.mark.parametrize("subtype", ["hgbcl", "tfl"])
def test_a_kind_a_dlbcl_label_does_not_name_is_a_point_to_check_in_europe(
    catalog, subtype
):
    # EU Breyanzi names DLBCL, PMBCL and FL grade 3B; high-grade and transformed
    # lymphoma were long classed as DLBCL: the team must say, never a silent no.
    answers = patient(**{**LBCL_3L, "lbcl_subtype": subtype}, country="DE")
    therapies, not_yet = suggested(catalog, answers)
    assert "breyanzi" not in therapies
    assert not_yet["breyanzi"].unsure, "shown under “To check”, never left out"


FL_3L_CN = dict(
    disease="fl",
    age=54,
    prior_lines=2,
    prior_therapies=["chemoimmunotherapy"],
    transplant_eligible="no",
    country="CN",
)


def test_a_late_relapse_of_follicular_lymphoma_in_china_makes_carteyva_a_point_to_check(
    catalog,
):
    # The NMPA label's line is 24 months; we ask only whether it was 12.
    result = suggest(
        parse_answers(patient(**FL_3L_CN, relapse_status="late_relapse")), catalog
    )
    assert "carteyva" not in {m.therapy.slug for m in result.therapies}
    assert [n.therapy.slug for n in result.to_check] == ["carteyva"]
    (missing,) = result.to_check[0].missing
    assert "point to check" in missing
    assert result.fit == "unknown"


@pytest.mark.parametrize(
    "status,fits", [("early_relapse", True), ("refractory", True), ("remission", False)]
)
def test_carteyva_for_follicular_lymphoma_still_fits_or_misses_the_other_answers(
    catalog, status, fits
):
    therapies, not_yet = suggested(catalog, patient(**FL_3L_CN, relapse_status=status))
    assert ("carteyva" in therapies) is fits
    if not fits:
        assert not not_yet["carteyva"].unsure, "a definite “not yet”"


def test_a_late_relapse_after_one_line_leaves_carteyva_out_of_the_points_to_check(
    catalog,
):
    # One line is a definite miss: the relapse left to check cannot save it.
    answers = patient(**{**FL_3L_CN, "prior_lines": 1}, relapse_status="late_relapse")
    result = suggest(parse_answers(answers), catalog)
    assert "carteyva" not in {m.therapy.slug for m in result.therapies}
    assert "carteyva" not in {n.therapy.slug for n in result.to_check}
