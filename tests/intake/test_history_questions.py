"""The treatment-history step: nothing pre-filled, 'not sure' for the line count,
and answers that cannot both be true asked about on the step."""

import re

import pytest

from intake.answers import answers_from_stored
from tests.intake.test_safety_screen import checked

VALID = {
    "prior_lines": "2",
    "relapse_status": "refractory",
    "prior_therapies": ["chemoimmunotherapy"],
    "transplant_eligible": "no",
}


@pytest.fixture
def lymphoma_draft(make_submission):
    return make_submission({"disease": "lbcl"}, steps=["safety", "disease", "about"])


def selected_lines(html: str) -> list[str]:
    select = re.search(r'<select name="prior_lines".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)


def test_a_new_history_step_has_no_answer_chosen(client, catalog):
    client.post("/start/", {"recent_infusion": "no"})
    from intake.models import Submission

    submission = Submission.objects.get()
    client.post(f"/i/{submission.token}/disease/", {"disease": "mm"})
    client.post(f"/i/{submission.token}/about/", {"age": "70", "country": "US"})
    html = client.get(f"/i/{submission.token}/history/").content.decode()
    assert selected_lines(html) in ([], [""])
    assert checked(html) == []
    assert 'value="unsure"' in html  # "I am not sure" is offered for lines


def test_skipping_the_number_of_lines_asks_again(client, lymphoma_draft):
    data = {**VALID}
    del data["prior_lines"]
    response = client.post(f"/i/{lymphoma_draft.token}/history/", data)
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()


def test_not_sure_how_many_lines_is_saved_as_unsure(client, lymphoma_draft):
    response = client.post(
        f"/i/{lymphoma_draft.token}/history/", {**VALID, "prior_lines": "unsure"}
    )
    assert response.status_code == 302
    lymphoma_draft.refresh_from_db()
    assert answers_from_stored(lymphoma_draft.answers).prior_lines == "unsure"


def test_the_line_examples_fit_the_disease(client, make_submission):
    myeloma = make_submission({"disease": "mm"}, steps=["safety", "disease", "about"])
    html = client.get(f"/i/{myeloma.token}/history/").content.decode()
    assert "VRd" in html
    assert "R-CHOP" not in html


@pytest.mark.parametrize(
    "change,message",
    [
        ({"prior_lines": "0"}, "also that you have had no treatment"),
        ({"relapse_status": "newly_diagnosed"}, "newly diagnosed with no treatment"),
        (
            {"prior_lines": "0", "relapse_status": "in_treatment"},
            "also said you have had none",
        ),
    ],
)
def test_contradicting_answers_are_asked_about(client, lymphoma_draft, change, message):
    response = client.post(f"/i/{lymphoma_draft.token}/history/", {**VALID, **change})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_recent_infusion_without_car_t_ticked_is_asked_about(client, make_submission):
    draft = make_submission(
        {"disease": "lbcl", "recent_infusion": "yes", "symptoms": ["none"]},
        steps=["safety", "disease", "about"],
    )
    response = client.post(f"/i/{draft.token}/history/", VALID)
    assert response.status_code == 400
    assert "CAR T-cell infusion in the last 8 weeks" in response.content.decode()


def test_large_b_cell_lymphoma_asks_which_kind(client, make_submission):
    draft = make_submission(steps=["safety"])
    response = client.post(f"/i/{draft.token}/disease/", {"disease": "lbcl"})
    assert response.status_code == 400
    response = client.post(
        f"/i/{draft.token}/disease/", {"disease": "lbcl", "lbcl_subtype": "pmbcl"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert answers_from_stored(draft.answers).lbcl_subtype == "pmbcl"


def test_too_early_to_tell_needs_no_target_loss_answer(client, make_submission):
    draft = make_submission(
        {"prior_therapies": ["chemoimmunotherapy", "car_t"]},
        steps=["safety", "disease", "about", "history"],
    )
    response = client.post(f"/i/{draft.token}/car-t/", {"prior_car_t": "too_early"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert answers_from_stored(draft.answers).prior_car_t == "too_early"
    response = client.post(f"/i/{draft.token}/car-t/", {"prior_car_t": "no_response"})
    assert response.status_code == 400
