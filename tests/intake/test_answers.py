import pytest

from intake.answers import AnswerError, Answers, parse_answers


def test_missing_keys_take_the_not_asked_defaults():
    answers = parse_answers({"disease": "lbcl", "age": 50, "country": "us"})
    assert answers.country == "US"
    # No answer is assumed: lines not given are not known, never 0.
    assert answers.prior_lines == "unsure"
    assert answers.prior_car_t == "none"
    assert answers.recent_infusion == ""
    assert not answers.urgent


@pytest.mark.parametrize(
    "data,field",
    [
        ({"colour": "blue"}, "colour"),
        ({"disease": "lymphoma"}, "disease"),
        ({"age": 121}, "age"),
        ({"age": -1}, "age"),
        ({"age": "60"}, "age"),
        ({"age": True}, "age"),
        ({"prior_lines": 16}, "prior_lines"),
        ({"prior_lines": 1.5}, "prior_lines"),
        ({"relapse_status": "relapsed"}, "relapse_status"),
        ({"prior_therapies": "btki"}, "prior_therapies"),
        ({"prior_therapies": ["btki", "aspirin"]}, "prior_therapies"),
        ({"country": "XX"}, "country"),
        ({"country": 1}, "country"),
        ({"caregiver": "maybe"}, "caregiver"),
        ({"recent_infusion": "unsure"}, "recent_infusion"),
        ({"symptoms": ["headache"]}, "symptoms"),
        ({"eligibility": ["insurance"]}, "eligibility"),
        ({"eligibility": {"insurance": "perhaps"}}, "eligibility.insurance"),
    ],
)
def test_a_bad_answer_is_an_error_naming_the_field(data, field):
    with pytest.raises(AnswerError) as info:
        parse_answers(data, question_slugs=frozenset({"insurance"}))
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}:")


def test_an_unknown_eligibility_question_is_an_error_when_the_catalog_is_known():
    with pytest.raises(AnswerError) as info:
        parse_answers(
            {"eligibility": {"made-up": "yes"}}, question_slugs=frozenset({"insurance"})
        )
    assert info.value.field == "eligibility.made-up"


def test_a_non_object_is_an_error():
    with pytest.raises(AnswerError):
        parse_answers(["disease", "lbcl"])


def test_answers_that_are_not_asked_are_reset():
    answers = parse_answers(
        {
            "disease": "lbcl",
            "prior_lines": 0,
            "prior_therapies": ["chemoimmunotherapy"],
            "lenalidomide_refractory": "yes",
            "transplant_eligible": "no",
            "lbcl_subtype": "dlbcl",
        }
    )
    assert answers.prior_therapies == ()
    assert answers.lenalidomide_refractory == ""
    assert answers.transplant_eligible == ""
    assert answers.lbcl_subtype == "dlbcl"
    assert parse_answers({"disease": "fl", "lbcl_subtype": "fl3b"}).lbcl_subtype == ""


def test_a_symptom_is_kept_and_urgent_whatever_the_infusion_answer():
    for infusion in ("yes", "no", ""):
        answers = parse_answers({"recent_infusion": infusion, "symptoms": ["fever"]})
        assert answers.symptoms == ("fever",)
        assert answers.urgent


def test_an_unknown_number_of_lines_still_asks_about_treatments():
    answers = parse_answers(
        {
            "disease": "mm",
            "prior_lines": "unsure",
            "prior_therapies": ["pi", "car_t"],
            "lenalidomide_refractory": "yes",
            "prior_car_t": "too_early",
        }
    )
    assert answers.prior_lines == "unsure"
    assert answers.prior_car_t == "too_early"
    # Lenalidomide-refractory implies an immunomodulatory drug was given.
    assert answers.prior_therapies == ("pi", "imid", "car_t")


def test_prior_lines_takes_a_number_or_unsure_and_names_both_when_wrong():
    with pytest.raises(AnswerError) as error:
        parse_answers({"prior_lines": "some"})
    assert error.value.field == "prior_lines"
    assert "unsure" in str(error.value)


def test_lenalidomide_is_only_kept_for_treated_myeloma():
    kept = parse_answers(
        {"disease": "mm", "prior_lines": 1, "lenalidomide_refractory": "yes"}
    )
    dropped = parse_answers(
        {"disease": "fl", "prior_lines": 1, "lenalidomide_refractory": "yes"}
    )
    assert kept.lenalidomide_refractory == "yes"
    assert dropped.lenalidomide_refractory == ""


def test_a_reported_car_t_outcome_implies_a_car_t_was_given():
    answers = parse_answers(
        {
            "disease": "lbcl",
            "prior_lines": 3,
            "prior_car_t": "relapse_late",
            "antigen_loss": "no",
        }
    )
    assert "car_t" in answers.prior_therapies
    assert answers.prior_car_t == "relapse_late"
    assert answers.antigen_loss == "no"


def test_target_loss_is_not_kept_without_a_prior_car_t():
    answers = parse_answers(
        {"disease": "lbcl", "prior_lines": 2, "antigen_loss": "yes"}
    )
    assert answers.antigen_loss == ""


@pytest.mark.parametrize(
    "infusion,symptoms,urgent",
    [
        ("yes", ["fever"], True),
        ("yes", ["confusion", "seizure"], True),
        ("yes", ["none"], False),
        ("no", ["fever"], True),
        ("no", ["none"], False),
        ("yes", [], False),
    ],
)
def test_urgent_means_any_symptom_reported(infusion, symptoms, urgent):
    assert (
        parse_answers({"recent_infusion": infusion, "symptoms": symptoms}).urgent
        is urgent
    )


def test_answers_round_trip_through_json():
    answers = parse_answers(
        {
            "disease": "mm",
            "age": 60,
            "prior_lines": 2,
            "prior_therapies": ["pi", "imid"],
        }
    )
    assert parse_answers(answers.to_json()) == answers
    assert Answers().to_json()["prior_therapies"] == []


def test_parsing_its_own_output_changes_nothing_when_a_car_t_is_implied():
    answers = parse_answers(
        {
            "disease": "lbcl",
            "prior_lines": 3,
            "prior_therapies": ["radiation"],
            "prior_car_t": "relapse_late",
        }
    )
    assert answers.prior_therapies == ("car_t", "radiation")
    assert parse_answers(answers.to_json()) == answers
