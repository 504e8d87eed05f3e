"""The call-now page: the patient's own emergency number, whatever the infusion
answer, and a way to pick the country when it is not known yet."""

from tests.therapies.pages import page_text


def urgent_url(submission):
    return f"/i/{submission.token}/urgent/"


def test_a_patient_in_the_uk_is_shown_999_to_tap(client, make_submission):
    submission = make_submission(
        {"recent_infusion": "yes", "symptoms": ["fever"], "country": "GB"}
    )
    response = client.get(urgent_url(submission))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="tel:999"' in html
    assert "911" not in html
    assert "Call your treatment team now" in html
    assert "wallet card" in html


def test_the_patients_country_wins_over_the_browser_language(client, make_submission):
    submission = make_submission({"country": "GB"})
    html = client.get(
        urgent_url(submission), HTTP_ACCEPT_LANGUAGE="zh-CN"
    ).content.decode()
    assert 'href="tel:999"' in html and 'href="tel:120"' not in html


def test_before_the_country_is_asked_the_browser_language_gives_a_guess(
    client, make_submission
):
    submission = make_submission({"country": ""}, steps=["safety"])
    html = client.get(
        urgent_url(submission), HTTP_ACCEPT_LANGUAGE="en-AU,en;q=0.8"
    ).content.decode()
    assert 'href="tel:000"' in html
    assert "We guessed your country" in html


def test_the_patient_can_pick_their_country_on_the_page(client, make_submission):
    submission = make_submission({"country": ""}, steps=["safety"])
    response = client.get(urgent_url(submission), {"country": "IN"})
    html = response.content.decode()
    assert 'href="tel:112"' in html and 'href="tel:108"' in html
    assert "For an ambulance, you can also call" in page_text(response)


def test_a_bad_country_in_the_picker_is_a_400_that_still_says_whom_to_call(
    client, make_submission
):
    submission = make_submission({"country": "GB"})
    response = client.get(urgent_url(submission), {"country": "nowhere"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Call your treatment team now" in html
    assert 'href="tel:999"' in html, "the patient's own country still shows"


def test_the_message_does_not_assume_an_infusion_happened(client, make_submission):
    submission = make_submission({"recent_infusion": "no", "symptoms": ["breathing"]})
    text = page_text(client.get(urgent_url(submission)))
    assert "The symptoms you ticked can be serious" in text
    assert "You had a CAR T-cell infusion" not in text


def test_the_urgent_page_is_never_cached(client, make_submission):
    submission = make_submission({"country": "GB"})
    response = client.get(urgent_url(submission))
    assert "no-store" in response["Cache-Control"]


def test_the_contact_form_says_it_is_not_for_emergencies(client, make_submission):
    submission = make_submission(submitted=True)
    html = client.get(f"/i/{submission.token}/contact/").content.decode()
    assert "This form is not for emergencies." in html
    assert 'href="/help/unwell/"' in html


def test_urgent_results_show_the_emergency_number_of_the_patients_country(
    client, make_submission
):
    submission = make_submission(
        {"recent_infusion": "yes", "symptoms": ["fever"], "country": "GB"},
        submitted=True,
    )
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    assert 'href="tel:999"' in html
    assert "tel:911" not in html


def test_urgent_results_without_a_known_number_link_to_the_help_page(
    client, make_submission
):
    submission = make_submission(
        {"recent_infusion": "yes", "symptoms": ["fever"], "country": "AQ"},
        submitted=True,
    )
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    assert "We do not have the emergency number for Antarctica yet" in html
