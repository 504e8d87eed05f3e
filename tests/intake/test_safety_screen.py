"""The safety screen fails safe: a symptom ticked in a hurry is never dropped."""

import re

import pytest

from intake.answers import answers_from_stored
from intake.models import Submission


def checked(html: str) -> list[tuple[str, str]]:
    """(name, value) of every checked radio or checkbox on the page."""
    found = []
    for tag in re.findall(r"<input\b[^>]*>", html):
        if re.search(r"\schecked\b", tag):
            name = re.search(r'name="([^"]*)"', tag).group(1)
            value = re.search(r'value="([^"]*)"', tag).group(1)
            found.append((name, value))
    return found


def test_nothing_is_pre_selected_on_the_safety_screen(client, catalog):
    html = client.get("/start/").content.decode()
    assert 'name="recent_infusion"' in html
    assert checked(html) == []


@pytest.mark.parametrize("infusion", ["", "no", "yes"])
def test_a_ticked_symptom_leads_to_the_urgent_page_whatever_the_infusion_answer(
    client, catalog, infusion
):
    data = {"symptoms": ["fever", "confusion"]}
    if infusion:
        data["recent_infusion"] = infusion
    response = client.post("/start/", data)
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response.url == f"/i/{submission.token}/urgent/"
    answers = answers_from_stored(submission.answers)
    assert answers.symptoms == ("fever", "confusion")
    assert answers.urgent


def test_an_unanswered_infusion_question_is_asked_again_after_the_urgent_page(
    client, catalog
):
    client.post("/start/", {"symptoms": ["fever"]})
    submission = Submission.objects.get()
    response = client.post(f"/i/{submission.token}/urgent/")
    assert response.url == f"/i/{submission.token}/safety/"
    page = client.get(response.url).content.decode()
    # The symptom stays ticked; the infusion question still has no answer.
    assert checked(page) == [("symptoms", "fever")]


def test_no_answer_at_all_is_asked_again_in_plain_words(client, catalog):
    response = client.post("/start/", {})
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    assert not Submission.objects.exists()


def test_a_recent_infusion_without_symptoms_answered_asks_for_them(client, catalog):
    response = client.post("/start/", {"recent_infusion": "yes"})
    assert response.status_code == 400
    assert "None of these" in response.content.decode()


def test_none_of_these_with_a_symptom_is_refused(client, catalog):
    response = client.post(
        "/start/", {"recent_infusion": "yes", "symptoms": ["none", "fever"]}
    )
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_no_infusion_and_no_symptoms_goes_on_to_the_diagnosis(client, catalog):
    response = client.post("/start/", {"recent_infusion": "no"})
    submission = Submission.objects.get()
    assert response.url == f"/i/{submission.token}/disease/"
    assert not answers_from_stored(submission.answers).urgent
