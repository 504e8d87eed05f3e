"""Hypothesis throws thousands of bad inputs at every patient form and at
`suggest`: never a 500, always a field error or a valid save, and whatever was
typed comes back escaped."""

import io
import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import QueryDict
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake import forms, services
from intake.answers import AnswerError, answers_from_stored, parse_answers
from intake.models import Submission
from intake.suggestions import suggest
from tests.clients import sent_by_a_person

# Forms and the answers parser see 1,000 inputs each; the HTTP round trips
# (same forms, plus rendering and saving) see fewer, to keep the suite fast.
EXAMPLES = int(os.environ.get("NAVIGATOR_FUZZ_EXAMPLES", "1000"))
HTTP_EXAMPLES = max(EXAMPLES // 8, 50)
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=HEALTH)
FUZZ_HTTP = settings(
    max_examples=HTTP_EXAMPLES, deadline=None, suppress_health_check=HEALTH
)
MARKUP = "<script>alert(1)</script>"

nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "121",
            "1e9",
            "yes",
            "none",
            "lbcl",
            "US",
            MARKUP,
            "' OR 1=1 --",
            "\x00",
            "💉" * 50,
        ]
    ),
    st.sampled_from(["A" * 5000, "💉" * 3000, MARKUP * 300, "9" * 400]),
)
values = st.one_of(nasty_text, st.lists(nasty_text, max_size=5))

FIELDS = {
    "safety": ["recent_infusion", "symptoms"],
    "disease": ["disease", "lbcl_subtype"],
    "about": ["age", "country"],
    "history": [
        "prior_lines",
        "relapse_status",
        "prior_therapies",
        "transplant_eligible",
        "lenalidomide_refractory",
    ],
    "eligibility": [
        "backup-caregiver",
        "stay-near-centre",
        "active-infection",
        "brain-involvement",
        "daily-activity",
        "insurance",
    ],
    "practical": ["caregiver", "travel_abroad"],
    "contact": [
        "name",
        "email",
        "phone",
        "preferred_language",
        "preferred_time",
        "consent",
    ],
}


def form_data(step):
    known = st.fixed_dictionaries({}, optional={name: values for name in FIELDS[step]})
    extra = st.dictionaries(st.text(min_size=1, max_size=20), values, max_size=3)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


def post(client, url, data):
    flat = {
        k.replace("\x00", ""): (
            [v.replace("\x00", "") for v in val]
            if isinstance(val, list)
            else val.replace("\x00", "")
        )
        for k, val in data.items()
    }
    return client.post(url, flat)


@pytest.fixture(autouse=True)
def _no_rate_limits():
    """Hundreds of posts from one address: the limits (tests/intake/test_limits.py)
    would stop the fuzzing after a few."""
    with override_settings(
        RATE_LIMIT_STARTS_PER_HOUR=0,
        RATE_LIMIT_CONTACTS_PER_HOUR=0,
        RATE_LIMIT_LINK_EMAILS_PER_HOUR=0,
    ):
        yield


@pytest.fixture
def draft(make_submission):
    return make_submission(
        {
            "disease": "mm",
            "prior_lines": 2,
            "lenalidomide_refractory": "no",
            "transplant_eligible": "",
        }
    )


@pytest.mark.parametrize(
    "step", ["safety", "disease", "about", "history", "eligibility", "practical"]
)
def test_no_step_input_causes_a_500_or_saves_an_invalid_answer(client, draft, step):
    url = f"/i/{draft.token}/{step}/"

    @FUZZ_HTTP
    @given(data=form_data(step))
    def run(data):
        response = post(client, url, data)
        assert response.status_code in (302, 400), response.status_code
        if response.status_code == 400:
            assert MARKUP not in response.content.decode()
        stored = Submission.objects.get(pk=draft.pk).answers
        parse_answers(stored)  # what was saved is always a valid answer set

    run()


def test_no_start_input_causes_a_500(client, catalog):
    @FUZZ_HTTP
    @given(data=form_data("safety"))
    def run(data):
        response = post(client, "/start/", data)
        assert response.status_code in (302, 400)

    run()


def test_no_contact_input_causes_a_500_and_names_are_escaped(client, make_submission):
    submission = make_submission(submitted=True)
    url = f"/i/{submission.token}/contact/"

    @FUZZ_HTTP
    @given(data=form_data("contact"))
    def run(data):
        response = post(client, url, sent_by_a_person(data))
        assert response.status_code in (302, 400)
        assert MARKUP not in response.content.decode()

    run()
    client.post(
        url,
        sent_by_a_person(
            {
                "name": MARKUP,
                "email": "a@example.org",
                "preferred_language": "en",
                "consent": "on",
            }
        ),
    )
    assert MARKUP not in client.get(f"/i/{submission.token}/results/").content.decode()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | nasty_text,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)
answer_keys = st.sampled_from(
    [
        "disease",
        "age",
        "prior_lines",
        "relapse_status",
        "prior_therapies",
        "lenalidomide_refractory",
        "transplant_eligible",
        "prior_car_t",
        "antigen_loss",
        "country",
        "travel_abroad",
        "caregiver",
        "recent_infusion",
        "symptoms",
        "eligibility",
        "extra",
    ]
)


def test_no_suggest_input_crashes_the_command(catalog, tmp_path):
    path = tmp_path / "answers.json"

    @FUZZ_HTTP
    @given(
        data=st.one_of(
            st.dictionaries(answer_keys, json_values, max_size=8), json_values
        )
    )
    def run(data):
        path.write_text(json.dumps(data), encoding="utf-8")
        try:
            call_command("suggest", "--answers", str(path), stdout=io.StringIO())
        except CommandError as error:
            assert error.returncode == 2
            assert str(error)

    run()


STEP_FORMS = {
    "safety": forms.SafetyForm,
    "disease": forms.DiseaseForm,
    "about": forms.AboutForm,
    "history": forms.HistoryForm,
    "practical": forms.PracticalForm,
    "car-t": forms.CarTForm,
}


def as_query_dict(data):
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


@pytest.mark.parametrize("step", list(STEP_FORMS))
def test_every_step_form_gives_a_field_error_or_a_valid_answer_for_any_input(step):
    stored = {"disease": "mm", "prior_lines": 2}
    base = answers_from_stored(stored)
    form_class = STEP_FORMS[step]

    @FUZZ
    @given(
        data=form_data(step if step in FIELDS else "practical")
        | st.dictionaries(st.text(max_size=12), values, max_size=4)
    )
    def run(data):
        form = form_class(as_query_dict(data), answers=base)
        if form.is_valid():
            merged = answers_from_stored(services._merged(stored, form.values()))
            assert parse_answers(merged.to_json()) == merged
        else:
            assert form.errors

    run()


def test_the_contact_form_gives_a_field_error_or_clean_data_for_any_input():
    @FUZZ
    @given(data=form_data("contact"))
    def run(data):
        form = forms.ContactForm(as_query_dict(sent_by_a_person(data)))
        if form.is_valid():
            assert form.cleaned_data["consent"] is True
            assert form.cleaned_data["email"] or form.cleaned_data["phone"]
        else:
            assert form.errors

    run()


def test_the_answers_parser_and_engine_never_crash(catalog):
    @FUZZ
    @given(
        data=st.one_of(
            st.dictionaries(answer_keys, json_values, max_size=8), json_values
        )
    )
    def run(data):
        try:
            answers = parse_answers(data, question_slugs=catalog.question_slugs)
        except AnswerError as error:
            assert error.field is not None
            assert str(error)
            return
        json.dumps(suggest(answers, catalog).to_contract())

    run()
