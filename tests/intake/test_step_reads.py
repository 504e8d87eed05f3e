"""Which steps a changed answer reopens follows from what the steps read."""

from hypothesis import HealthCheck, assume, given, settings

from intake import services
from intake.answers import parse_answers
from intake.steps import BY_SLUG, INVALIDATES, STEPS, stored_answers
from intake.suggestions import eligibility_questions
from tests.strategies import answers_v2_strategy
from therapies.conditions import CONDITIONS

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def what_the_patient_sees(step, answers, catalog):
    """Whether the step is shown, and each question it asks with its choices."""
    if step.slug == "eligibility":
        questions = eligibility_questions(answers, catalog)
        form = step.form_class(answers=answers, questions=questions)
    else:
        form = step.form_class(answers=answers)
    return step.applies(answers, catalog), [
        (name, [str(c) for c in getattr(field, "choices", ())], str(field.help_text))
        for name, field in form.fields.items()
    ]


def _holds_what_a_step_reads(step, catalog, one, other):
    """Two patients who agree on every answer `step` reads see the same step."""
    first = parse_answers(one)
    second = parse_answers({**other, **{k: one[k] for k in step.reads if k in one}})
    assume(all(getattr(first, k) == getattr(second, k) for k in step.reads))
    assert what_the_patient_sees(step, first, catalog) == what_the_patient_sees(
        step, second, catalog
    )


@SETTINGS
@given(one=answers_v2_strategy, other=answers_v2_strategy)
def test_the_history_step_depends_only_on_the_answers_it_declares(catalog, one, other):
    _holds_what_a_step_reads(BY_SLUG["history"], catalog, one, other)


@SETTINGS
@given(one=answers_v2_strategy, other=answers_v2_strategy)
def test_the_car_t_step_depends_only_on_the_answers_it_declares(catalog, one, other):
    _holds_what_a_step_reads(BY_SLUG["car-t"], catalog, one, other)


@SETTINGS
@given(one=answers_v2_strategy, other=answers_v2_strategy)
def test_the_questions_centres_ask_depend_only_on_the_answers_rules_read(
    catalog, one, other
):
    _holds_what_a_step_reads(BY_SLUG["eligibility"], catalog, one, other)


def test_a_step_answering_what_a_rule_reads_reopens_the_questions_centres_ask():
    order = [step.slug for step in STEPS]
    for condition in CONDITIONS:
        for answer in stored_answers([condition.answer]):
            step = next(s for s in STEPS if answer in s.sets)
            if order.index(step.slug) < order.index("eligibility"):
                assert "eligibility" in INVALIDATES[step.slug], condition.name


def test_no_step_reopens_an_earlier_one_or_one_that_reads_none_of_its_answers():
    order = [step.slug for step in STEPS]
    for slug, reopened in INVALIDATES.items():
        for later in reopened:
            if later == "urgent-seen":
                continue
            assert order.index(later) > order.index(slug)
            assert BY_SLUG[later].reads & BY_SLUG[slug].sets


def test_changing_the_age_reopens_the_questions_centres_ask_but_not_the_history(
    make_submission,
):
    submission = make_submission()
    submission = services.draft_save_step(
        submission=submission, step="about", values={"age": 30}, language="en"
    )
    assert "eligibility" not in submission.completed_steps
    assert {"history", "car-t", "practical", "about"} <= set(submission.completed_steps)


def test_changing_the_disease_reopens_the_history_but_not_the_car_t_step(
    make_submission,
):
    submission = make_submission(
        {"prior_therapies": ["car_t"], "prior_car_t": "relapse_late"}
    )
    submission = services.draft_save_step(
        submission=submission,
        step="disease",
        values={"disease": "mcl", "lbcl_subtype": ""},
        language="en",
    )
    assert "history" not in submission.completed_steps
    assert "eligibility" not in submission.completed_steps
    assert "car-t" in submission.completed_steps
