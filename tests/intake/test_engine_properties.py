"""Property-based tests over random valid answers."""

from hypothesis import HealthCheck, given, settings

from intake.answers import parse_answers
from intake.suggestions import suggest
from tests.strategies import answers_strategy
from therapies.criteria import evaluate

SETTINGS = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(data=answers_strategy)
def test_every_suggested_therapy_meets_every_condition_of_one_route_of_its_indication(
    catalog, data
):
    answers = parse_answers(data)
    result = suggest(answers, catalog)
    for match in result.therapies:
        assert match.indication.disease == answers.disease
        assert any(
            evaluate(rule.criteria, answers).met for rule in match.indication.rules
        )
        assert match.reasons


@SETTINGS
@given(data=answers_strategy)
def test_no_therapy_from_another_regulator_appears_unless_the_patient_will_travel_or_we_hold_no_data(
    catalog, data
):
    answers = parse_answers(data)
    result = suggest(answers, catalog)
    home = catalog.country_regulators.get(answers.country)
    for match in result.therapies:
        if answers.travel_abroad != "yes" and home is not None:
            assert match.regulator == home
            assert not match.abroad
        assert match.abroad == (match.regulator != home)
    if home is None:
        assert result.coverage["status"] == "no_data"
        assert result.coverage["regulator"] is None


@SETTINGS
@given(data=answers_strategy)
def test_the_engine_is_consistent(catalog, data):
    answers = parse_answers(data)
    result = suggest(answers, catalog)
    assert result.urgent == answers.urgent
    topic_slugs = [t.topic.slug for t in result.topics]
    assert len(topic_slugs) == len(set(topic_slugs))
    if result.urgent:
        assert topic_slugs[0] == "urgent-symptoms"
    therapy_slugs = {m.therapy.slug for m in result.therapies}
    assert not therapy_slugs & {n.therapy.slug for n in result.not_yet}
    assert {p.therapy for p in result.prices} <= therapy_slugs
    for near in result.not_yet:
        # One condition missed, or only answers the patient was not sure of
        # (a label may need several: the kind of lymphoma and the relapse).
        assert len(near.missing) == 1 or near.unsure
    contract = result.to_contract()
    assert [t["slug"] for t in contract["therapies"]] == [
        m.therapy.slug for m in result.therapies
    ]
    if answers.age is not None and answers.age < 18 and answers.disease != "b_all":
        fda = {m.therapy.slug for m in result.therapies if m.regulator == "FDA"}
        assert not fda, "no US CAR T is approved for children except in B-ALL"
