"""The fast paths of the criteria say exactly what `evaluate` says."""

from hypothesis import given, settings
from hypothesis import strategies as st

from intake.answers import parse_answers
from tests.strategies import answers_strategy
from therapies.criteria import Criteria, evaluate, met_reasons
from therapies.vocabulary import (
    DiseaseCode,
    PriorCarT,
    PriorTherapy,
    RelapseStatus,
    YesNoUnsure,
)

# "" is the answer to a question that was not asked.
choices = st.lists(st.sampled_from([*YesNoUnsure.values, ""]), unique=True).map(tuple)
criteria_strategy = st.builds(
    Criteria,
    diseases=st.lists(st.sampled_from(DiseaseCode.values), unique=True).map(tuple),
    min_age=st.none() | st.integers(0, 120),
    max_age=st.none() | st.integers(0, 120),
    min_prior_lines=st.none() | st.integers(0, 15),
    max_prior_lines=st.none() | st.integers(0, 15),
    relapse_statuses=st.lists(st.sampled_from(RelapseStatus.values), unique=True).map(
        tuple
    ),
    prior_therapies_all=st.lists(
        st.sampled_from(PriorTherapy.values), max_size=3, unique=True
    ).map(tuple),
    lenalidomide_refractory=choices,
    transplant_eligible=choices,
    prior_car_t=st.lists(st.sampled_from(PriorCarT.values), unique=True).map(tuple),
    antigen_loss=choices,
    caregiver=choices,
    travel_abroad=choices,
    recent_infusion=st.lists(st.sampled_from(["yes", "no"]), unique=True).map(tuple),
    urgent=st.none() | st.booleans(),
)


@settings(max_examples=600, deadline=None)
@given(criteria=criteria_strategy, data=answers_strategy, asked_only=st.booleans())
def test_matches_and_met_reasons_agree_with_evaluate(criteria, data, asked_only):
    answers = parse_answers(data)
    if asked_only:
        answers = answers.applicable()
    evaluation = evaluate(criteria, answers)
    assert criteria.matches(answers) == evaluation.met
    if evaluation.met:
        assert met_reasons(criteria, answers, "en") == tuple(evaluation.reasons)


def test_the_same_criteria_hash_alike_and_equal():
    a = Criteria(diseases=("lbcl",), min_prior_lines=2)
    b = Criteria(diseases=("lbcl",), min_prior_lines=2)
    hash(a)  # remembered on a, not yet on b
    assert a == b
    assert hash(a) == hash(b)
    assert {a: 1}[b] == 1
    assert Criteria(diseases=("lbcl",), min_prior_lines=3) != a


def test_remembered_reasons_follow_the_patient_s_language():
    from django.utils import translation

    criteria = Criteria(diseases=("lbcl",), min_prior_lines=2)
    answers = parse_answers({"disease": "lbcl", "prior_lines": 3})
    english = met_reasons(criteria, answers, "en")
    with translation.override("es"):
        spanish = met_reasons(criteria, answers, "es")
    assert english == tuple(evaluate(criteria, answers).reasons)
    assert spanish != english
    assert "3 prior lines of therapy" in " ".join(english)
    assert "3" in " ".join(spanish)
    # And back again: the English sentences are not replaced by the Spanish ones.
    assert met_reasons(criteria, answers, "en") == english
