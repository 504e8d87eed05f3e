"""The discussion topics the engine raises for the situations in the seeds."""

import pytest

from intake.answers import parse_answers
from intake.suggestions import suggest

CONTRACT_TOPICS = {
    "how-car-t-works",
    "is-car-t-an-option-now",
    "second-line-car-t",
    "bridging-therapy",
    "side-effects-crs-icans",
    "infections-and-b-cell-aplasia",
    "caregiver-and-proximity",
    "cost-and-coverage",
    "treatment-abroad",
    "clinical-trials",
    "second-car-t-infusion",
    "antigen-escape",
    "different-target-car-t",
    "allogeneic-transplant",
    "bispecific-antibodies",
    "solid-tumor-car-t",
    "urgent-symptoms",
    "long-term-follow-up",
    "low-blood-counts",
    "fertility-and-pregnancy",
    "vaccinations",
    "after-infusion-practicalities",
    "referral-timing",
    "emotional-and-practical-support",
    "earlier-same-target-therapy",
}

BASE = {
    "age": 55,
    "country": "US",
    "travel_abroad": "no",
    "caregiver": "yes",
    "recent_infusion": "no",
}


def topics(catalog, **answers):
    result = suggest(parse_answers({**BASE, **answers}), catalog)
    return [t.topic.slug for t in result.topics]


def test_the_catalog_carries_every_contract_topic(catalog):
    assert CONTRACT_TOPICS <= set(catalog.topics)


def test_every_topic_has_a_body_a_question_and_sources(catalog):
    for topic in catalog.topics.values():
        assert len(topic.body) > 200, topic.slug
        assert topic.question, topic.slug
        assert topic.sources, topic.slug


def test_first_line_patients_hear_where_car_t_fits_not_second_line_or_failure_topics(
    catalog,
):
    slugs = topics(
        catalog, disease="lbcl", prior_lines=0, relapse_status="newly_diagnosed"
    )
    assert "is-car-t-an-option-now" in slugs
    assert "how-car-t-works" in slugs
    assert "second-line-car-t" not in slugs
    assert "second-car-t-infusion" not in slugs
    assert "bridging-therapy" not in slugs


@pytest.mark.parametrize("status", ["early_relapse", "refractory"])
def test_early_relapse_or_refractory_lbcl_after_one_line_raises_second_line_car_t(
    catalog, status
):
    slugs = topics(
        catalog,
        disease="lbcl",
        prior_lines=1,
        relapse_status=status,
        transplant_eligible="yes",
    )
    assert "second-line-car-t" in slugs
    assert "bridging-therapy" in slugs
    assert slugs.index("second-line-car-t") < slugs.index("how-car-t-works")


def test_late_relapse_lbcl_with_a_transplant_option_does_not_raise_second_line_car_t(
    catalog,
):
    slugs = topics(
        catalog,
        disease="lbcl",
        prior_lines=1,
        relapse_status="late_relapse",
        transplant_eligible="yes",
    )
    assert "second-line-car-t" not in slugs


def test_late_relapse_lbcl_without_a_transplant_option_raises_second_line_car_t(
    catalog,
):
    slugs = topics(
        catalog,
        disease="lbcl",
        prior_lines=1,
        relapse_status="late_relapse",
        transplant_eligible="no",
    )
    assert "second-line-car-t" in slugs


AFTER_CAR_T = dict(
    disease="lbcl",
    prior_lines=3,
    relapse_status="early_relapse",
    prior_therapies=["chemoimmunotherapy", "car_t"],
)


def test_relapse_after_car_t_without_target_loss_raises_a_second_infusion_and_other_options(
    catalog,
):
    slugs = topics(
        catalog, **AFTER_CAR_T, prior_car_t="relapse_late", antigen_loss="no"
    )
    for slug in (
        "second-car-t-infusion",
        "allogeneic-transplant",
        "bispecific-antibodies",
        "clinical-trials",
        "long-term-follow-up",
    ):
        assert slug in slugs
    assert "antigen-escape" not in slugs
    assert "different-target-car-t" not in slugs


def test_relapse_after_car_t_with_target_loss_raises_antigen_escape_and_a_different_target(
    catalog,
):
    slugs = topics(
        catalog, **AFTER_CAR_T, prior_car_t="relapse_early", antigen_loss="yes"
    )
    assert "antigen-escape" in slugs
    assert "different-target-car-t" in slugs
    assert "second-car-t-infusion" not in slugs, (
        "a second infusion against a lost target is not raised"
    )


def test_no_response_to_car_t_with_unknown_target_raises_testing_for_it(catalog):
    slugs = topics(
        catalog, **AFTER_CAR_T, prior_car_t="no_response", antigen_loss="unsure"
    )
    assert {"antigen-escape", "second-car-t-infusion", "different-target-car-t"} <= set(
        slugs
    )


def test_a_left_out_target_answer_after_car_t_is_taken_as_not_known(catalog):
    slugs = topics(catalog, **AFTER_CAR_T, prior_car_t="relapse_late")
    assert {"antigen-escape", "second-car-t-infusion", "different-target-car-t"} <= set(
        slugs
    )


def test_a_solid_tumor_raises_solid_tumor_car_t_and_trials(catalog):
    slugs = topics(catalog, disease="solid", prior_lines=2, relapse_status="refractory")
    assert {"solid-tumor-car-t", "clinical-trials"} <= set(slugs)
    assert "second-line-car-t" not in slugs
    assert "bridging-therapy" not in slugs


@pytest.mark.parametrize("caregiver", ["no", "unsure"])
def test_no_caregiver_raises_caregiver_and_proximity(catalog, caregiver):
    slugs = topics(
        catalog,
        disease="mm",
        prior_lines=2,
        relapse_status="refractory",
        caregiver=caregiver,
    )
    assert "caregiver-and-proximity" in slugs


def test_a_caregiver_in_place_does_not_raise_it(catalog):
    assert "caregiver-and-proximity" not in topics(
        catalog, disease="mm", prior_lines=2, relapse_status="refractory"
    )


def test_travel_abroad_raises_treatment_abroad(catalog):
    assert "treatment-abroad" in topics(
        catalog,
        disease="fl",
        prior_lines=2,
        relapse_status="refractory",
        travel_abroad="yes",
    )
    assert "treatment-abroad" not in topics(
        catalog, disease="fl", prior_lines=2, relapse_status="refractory"
    )


def test_urgent_symptoms_come_first(catalog):
    slugs = topics(
        catalog,
        disease="lbcl",
        prior_lines=3,
        relapse_status="refractory",
        recent_infusion="yes",
        symptoms=["confusion"],
    )
    assert slugs[0] == "urgent-symptoms"


def test_topics_come_most_important_first(catalog):
    result = suggest(
        parse_answers(
            {**BASE, **AFTER_CAR_T, "prior_car_t": "relapse_late", "antigen_loss": "no"}
        ),
        catalog,
    )
    priorities = [t.topic.priority for t in result.topics]
    assert priorities == sorted(priorities, reverse=True)


def test_an_eligibility_answer_raises_its_topic_with_the_reason(catalog):
    question = next(q for q in catalog.questions if q.topic_for("no"))
    answers = {
        **BASE,
        "disease": "mm",
        "prior_lines": 2,
        "relapse_status": "refractory",
        "eligibility": {question.slug: "no"},
    }
    result = suggest(parse_answers(answers), catalog)
    raised = {t.topic.slug: t for t in result.topics}
    assert question.topic_for("no") in raised
    assert any(question.text in r for r in raised[question.topic_for("no")].reasons)


def test_trials_are_raised_when_no_approved_label_fits(catalog):
    # No US CAR T is approved for a child's large B-cell lymphoma.
    answers = parse_answers(
        {
            **BASE,
            "age": 10,
            "disease": "lbcl",
            "prior_lines": 2,
            "relapse_status": "refractory",
            "prior_therapies": ["chemoimmunotherapy"],
            "transplant_eligible": "no",
        }
    )
    result = suggest(answers, catalog)
    assert not result.therapies
    trials = {t.topic.slug: t for t in result.topics}["clinical-trials"]
    assert trials.reasons == (
        "No approved CAR T therapy has a label that fits your answers right now.",
    )


def test_trials_are_not_raised_for_that_reason_when_a_label_fits(catalog):
    slugs = topics(
        catalog,
        disease="lbcl",
        prior_lines=2,
        relapse_status="refractory",
        prior_therapies=["chemoimmunotherapy"],
        transplant_eligible="no",
    )
    assert "clinical-trials" not in slugs


CAR_T_DISEASES = ["b_all", "lbcl", "fl", "mcl", "cll", "mzl", "mm"]
BEFORE_TREATMENT_TOPICS = {
    "long-term-follow-up",
    "low-blood-counts",
    "fertility-and-pregnancy",
    "vaccinations",
    "after-infusion-practicalities",
    "referral-timing",
    "emotional-and-practical-support",
}
RECOVERY_TOPICS = {
    "urgent-symptoms",
    "after-infusion-practicalities",
    "caregiver-and-proximity",
    "infections-and-b-cell-aplasia",
    "low-blood-counts",
    "vaccinations",
    "long-term-follow-up",
    "emotional-and-practical-support",
}
FAILURE_TOPICS = {
    "second-car-t-infusion",
    "antigen-escape",
    "different-target-car-t",
    "allogeneic-transplant",
    "bispecific-antibodies",
}
GETTING_CAR_T_TOPICS = {
    "is-car-t-an-option-now",
    "second-line-car-t",
    "bridging-therapy",
    "referral-timing",
    "treatment-abroad",
    "how-car-t-works",
    "earlier-same-target-therapy",
}
JUST_TREATED = dict(
    disease="lbcl",
    prior_lines=3,
    prior_therapies=["chemoimmunotherapy", "car_t"],
    prior_car_t="too_early",
    recent_infusion="yes",
)


@pytest.mark.parametrize("disease", CAR_T_DISEASES)
def test_a_patient_for_whom_car_t_is_possible_hears_the_before_treatment_topics(
    catalog, disease
):
    slugs = topics(catalog, disease=disease, prior_lines=0)
    assert BEFORE_TREATMENT_TOPICS <= set(slugs)


def test_a_solid_tumor_without_car_t_does_not_raise_the_before_treatment_topics(
    catalog,
):
    slugs = set(topics(catalog, disease="solid", prior_lines=2))
    assert not slugs & BEFORE_TREATMENT_TOPICS


def test_after_car_t_failed_the_before_treatment_topics_still_come_up(catalog):
    slugs = topics(catalog, **AFTER_CAR_T, prior_car_t="no_response", antigen_loss="no")
    assert BEFORE_TREATMENT_TOPICS <= set(slugs)


@pytest.mark.parametrize("relapse_status", ["unsure", "refractory", "early_relapse"])
@pytest.mark.parametrize("caregiver", ["yes", "no"])
@pytest.mark.parametrize("travel_abroad", ["no", "yes"])
def test_a_just_treated_patient_hears_about_recovery_not_failure_or_getting_car_t(
    catalog, relapse_status, caregiver, travel_abroad
):
    slugs = topics(
        catalog,
        **JUST_TREATED,
        relapse_status=relapse_status,
        caregiver=caregiver,
        travel_abroad=travel_abroad,
    )
    assert RECOVERY_TOPICS <= set(slugs)
    assert not set(slugs) & FAILURE_TOPICS
    assert not set(slugs) & GETTING_CAR_T_TOPICS
    assert slugs[0] == "urgent-symptoms"


def test_a_just_treated_patient_who_had_a_cd19_drug_hears_no_failure_topics(catalog):
    slugs = set(
        topics(
            catalog,
            **{
                **JUST_TREATED,
                "prior_therapies": ["chemoimmunotherapy", "cd19_directed", "car_t"],
            },
            antigen_loss="unsure",
        )
    )
    assert RECOVERY_TOPICS <= slugs
    assert not slugs & (FAILURE_TOPICS | GETTING_CAR_T_TOPICS)


def test_the_just_treated_first_read_whom_to_call_and_staying_close(catalog):
    slugs = topics(catalog, **JUST_TREATED, relapse_status="refractory")
    assert slugs[:3] == [
        "urgent-symptoms",
        "caregiver-and-proximity",
        "after-infusion-practicalities",
    ]


@pytest.mark.parametrize(
    "disease, earlier",
    [("lbcl", "cd19_directed"), ("b_all", "cd19_directed"), ("mm", "bcma_directed")],
)
def test_an_earlier_treatment_aimed_at_the_same_target_raises_its_topic(
    catalog, disease, earlier
):
    slugs = topics(
        catalog,
        disease=disease,
        prior_lines=2,
        relapse_status="refractory",
        prior_therapies=["chemoimmunotherapy", earlier],
    )
    assert "earlier-same-target-therapy" in slugs


def test_without_an_earlier_same_target_treatment_the_topic_stays_away(catalog):
    slugs = topics(
        catalog,
        disease="lbcl",
        prior_lines=2,
        relapse_status="refractory",
        prior_therapies=["chemoimmunotherapy"],
    )
    assert "earlier-same-target-therapy" not in slugs


def test_referral_timing_comes_right_after_where_car_t_fits(catalog):
    slugs = topics(catalog, disease="lbcl", prior_lines=1, relapse_status="refractory")
    assert slugs.index("is-car-t-an-option-now") < slugs.index("referral-timing")
    assert slugs.index("referral-timing") < slugs.index("how-car-t-works")
