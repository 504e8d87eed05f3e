"""The fast paths of the criteria say exactly what `evaluate` says."""

from hypothesis import given, settings
from hypothesis import strategies as st

from intake.answers import parse_answers
from tests.strategies import answers_strategy, answers_v2_strategy
from therapies.conditions import CODES_TO_CHECK, CONDITIONS, Match
from therapies.criteria import Criteria, Outcome, evaluate, met_reasons


def condition_values(condition, name):
    """Any value a rule may hold for one of `condition`'s fields."""
    if condition.takes_codes:
        codes = [code for code, _label in condition.choices]
        if condition.vocabulary == "yes_no_unsure":
            codes.append("")  # the answer to a question that was not asked
        return st.lists(st.sampled_from(codes), max_size=4, unique=True).map(tuple)
    if condition.match is Match.RANGE:
        return st.none() | st.integers(*condition.bounds)
    return st.none() | st.booleans()


# Built from the conditions table: a new condition is covered as soon as it exists.
criteria_strategy = st.builds(
    Criteria,
    **{
        name: condition_values(condition, name)
        for condition in CONDITIONS
        for name in condition.fields
    },
    to_check=st.lists(st.sampled_from(sorted(CODES_TO_CHECK)), max_size=3).map(tuple),
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


@settings(max_examples=600, deadline=None)
@given(criteria=criteria_strategy, data=answers_v2_strategy)
def test_matches_agrees_with_evaluate_for_unsure_lines_and_lymphoma_subtypes(
    criteria, data
):
    answers = parse_answers(data).unknowns_as_unsure()
    evaluation = evaluate(criteria, answers)
    assert criteria.matches(answers) == evaluation.met
    assert [r.name for r in evaluation.results] == list(criteria.reads())
    for result in evaluation.results:
        assert result.text  # every outcome has its sentence
    if answers.prior_lines == "unsure" and (
        criteria.min_prior_lines is not None or criteria.max_prior_lines is not None
    ):
        assert not criteria.matches(answers)


def _outcome(criteria, answers, name):
    return next(r for r in evaluate(criteria, answers).results if r.name == name)


def test_a_lymphoma_subtype_rule_is_met_missed_or_unknown_with_a_sentence():
    criteria = Criteria(diseases=("lbcl",), lbcl_subtypes=("dlbcl", "hgbcl"))
    met = parse_answers({"disease": "lbcl", "lbcl_subtype": "hgbcl"})
    missed = parse_answers({"disease": "lbcl", "lbcl_subtype": "pmbcl"})
    unsure = parse_answers({"disease": "lbcl", "lbcl_subtype": "unsure"})
    not_given = parse_answers({"disease": "lbcl"})
    assert criteria.matches(met)
    assert "High-grade B-cell lymphoma" in _outcome(criteria, met, "lbcl_subtype").text
    result = _outcome(criteria, missed, "lbcl_subtype")
    assert result.outcome is Outcome.MISSED
    assert "Primary mediastinal" in result.text
    for answers in (unsure, not_given):
        assert not criteria.matches(answers)
        assert _outcome(criteria, answers, "lbcl_subtype").outcome is Outcome.UNKNOWN


def test_another_kind_of_large_b_cell_lymphoma_is_a_point_to_check_not_a_miss():
    criteria = Criteria(diseases=("lbcl",), lbcl_subtypes=("dlbcl", "tfl"))
    other = parse_answers({"disease": "lbcl", "lbcl_subtype": "other"})
    assert not criteria.matches(other)
    result = _outcome(criteria, other, "lbcl_subtype")
    assert result.outcome is Outcome.UNKNOWN
    assert "Another kind" in result.text
    assert Criteria(lbcl_subtypes=("other",)).matches(other)


def test_lines_not_known_and_a_question_not_asked_leave_a_condition_unknown():
    criteria = Criteria(min_prior_lines=2, transplant_eligible=("no",))
    answers = parse_answers({"disease": "lbcl", "prior_lines": "unsure"})
    assert answers.transplant_eligible == ""
    assert not criteria.matches(answers)
    results = evaluate(criteria, answers).results
    assert [r.outcome for r in results] == [Outcome.UNKNOWN, Outcome.UNKNOWN]
    assert "not sure how many lines" in results[0].text


def test_a_rule_that_accepts_not_sure_is_met_by_not_sure():
    criteria = Criteria(caregiver=("no", "unsure"))
    assert criteria.matches(parse_answers({"caregiver": "unsure"}))
    assert not criteria.matches(parse_answers({"caregiver": "yes"}))


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


def test_no_caller_can_leave_sentences_in_another_language_in_the_memo():
    from django.utils import translation

    from therapies.criteria import _met_reasons, cached_gettext

    cached_gettext.cache_clear()
    _met_reasons.cache_clear()
    criteria = Criteria(diseases=("mm",), min_age=40)
    answers = parse_answers({"disease": "mm", "age": 41})
    # Asked for Spanish while English is active: the answer is Spanish anyway,
    with translation.override("en"):
        spanish = met_reasons(criteria, answers, "es")
        assert cached_gettext("yes", "es") == "sí"
    # and asked for English while Spanish is active, English.
    with translation.override("es"):
        english = met_reasons(criteria, answers, "en")
        assert cached_gettext("yes", "en") == "yes"
    assert english == (
        "Diagnosis: Multiple myeloma.",
        "Age 41: this is for people aged 40 and older.",
    )
    assert spanish[0].startswith("Diagnóstico")
    with translation.override("es"):
        assert met_reasons(criteria, answers, "es") == spanish


def test_an_answer_a_rule_leaves_to_check_is_unknown_with_its_own_sentence():
    criteria = Criteria(
        relapse_statuses=("refractory", "early_relapse"), to_check=("late_relapse",)
    )
    late = parse_answers({"relapse_status": "late_relapse"})
    result = _outcome(criteria, late, "relapse_status")
    assert result.outcome is Outcome.UNKNOWN
    assert "point to check with your care team" in result.text
    assert not criteria.matches(late)
    remission = parse_answers({"relapse_status": "remission"})
    assert _outcome(criteria, remission, "relapse_status").outcome is Outcome.MISSED
    early = parse_answers({"relapse_status": "early_relapse"})
    assert criteria.matches(early)


def test_without_answers_to_check_a_rule_misses_the_same_answer():
    criteria = Criteria(relapse_statuses=("refractory", "early_relapse"))
    late = parse_answers({"relapse_status": "late_relapse"})
    assert _outcome(criteria, late, "relapse_status").outcome is Outcome.MISSED
    assert criteria != Criteria(
        relapse_statuses=("refractory", "early_relapse"), to_check=("late_relapse",)
    )
