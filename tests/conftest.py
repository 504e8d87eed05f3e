import pytest

from intake import services
from intake.answers import parse_answers

COMPLETE = {
    "recent_infusion": "no",
    "disease": "lbcl",
    "lbcl_subtype": "dlbcl",
    "age": 61,
    "country": "US",
    "prior_lines": 2,
    "relapse_status": "refractory",
    "prior_therapies": ["chemoimmunotherapy"],
    "transplant_eligible": "no",
    "caregiver": "yes",
    "travel_abroad": "no",
}
ALL_STEPS = [
    "safety",
    "disease",
    "about",
    "history",
    "car-t",
    "eligibility",
    "practical",
]


@pytest.fixture
def make_submission(catalog):
    """A draft (or a submitted one) holding `answers`, made through the services."""

    def make(answers=None, *, submitted=False, steps=ALL_STEPS):
        answers = parse_answers({**COMPLETE, **(answers or {})})
        submission = services.draft_create(step=steps[0], values={}, language="en")
        for step in steps[1:]:
            submission = services.draft_save_step(
                submission=submission, step=step, values={}, language="en"
            )
        submission.answers = answers.to_json()
        submission.save()
        if submitted:
            submission = services.submission_submit(submission=submission)
        return submission

    return make
