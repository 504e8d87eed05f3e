"""The cost section of the results page: who pays in the patient's country,
and prices that each say whose they are."""

import pytest

from intake.answers import parse_answers
from intake.suggestions import suggest
from tests.conftest import COMPLETE
from tests.i18n.pages import visible_text


def cost_section(client, make_submission, answers, language="") -> str:
    submission = make_submission(answers, submitted=True)
    prefix = f"/{language}" if language else ""
    html = client.get(f"{prefix}/i/{submission.token}/results/").content.decode()
    start = html.index('id="cost"')
    return visible_text(html[start : html.index("</details>", start)])


def test_a_uk_patient_reads_about_the_nhs_and_nice_not_medicare(
    client, make_submission
):
    submission = make_submission({"country": "GB"}, submitted=True)
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    text = visible_text(html)
    assert "Cost and coverage in the United Kingdom" in text
    assert "Cancer Drugs Fund" in text and "NICE" in text
    assert "people aged 26 and over (TA1116)" in text
    assert "Medicare" not in html


def test_a_us_patient_reads_about_medicare_and_prior_authorization(
    client, make_submission
):
    text = cost_section(client, make_submission, {"country": "US"})
    assert "Cost and coverage in the United States" in text
    assert "Medicare has covered CAR T for cancer since August 7, 2019" in text
    assert "10 days to 4 weeks" in text
    assert "NICE" not in text


def test_a_medical_travel_estimate_is_labelled_as_that_companys_estimate(
    client, make_submission
):
    text = cost_section(client, make_submission, {"country": "US"})
    assert "Estimate from a medical-travel company (CancerFax)" in text
    assert "$500,000 – $800,000" in text


def test_a_chinese_patient_sees_yuan_beside_us_dollars(client, make_submission):
    text = cost_section(
        client, make_submission, {"country": "CN", "travel_abroad": "yes"}
    )
    assert "Cost and coverage in China" in text
    assert "RMB 1,200,000" in text
    assert "$500,000 – $800,000" in text
    assert "Price reported in the news (Times Weekly (时代周报))" in text


def test_a_chinese_page_gives_the_price_in_yuan_in_chinese(client, make_submission):
    text = cost_section(client, make_submission, {"country": "CN"}, "zh-hans")
    assert "奕凯达120万元" in text
    assert "惠民保" in text


def test_an_indian_patient_sees_rupees_beside_us_dollars(client, make_submission):
    text = cost_section(client, make_submission, {"country": "IN"})
    assert "Cost and coverage in India" in text
    assert "₹4,000,000 – ₹4,500,000" in text
    assert "$60,000" in text
    assert "₹30–40 lakh" in text


def test_a_patient_where_we_have_no_note_is_told_so_plainly(client, make_submission):
    text = cost_section(client, make_submission, {"country": "BR"})
    assert "Cost and coverage in your country" in text
    assert (
        "We do not have information about the cost of CAR T, or about who pays "
        "for it, in your country." in text
    )
    assert "Ask your treatment centre, your health insurer" in text
    assert "Medicare" not in text and "NICE" not in text


def test_a_trial_price_is_never_shown_as_a_treatment_price(
    client, make_submission, catalog
):
    answers = parse_answers({**COMPLETE, "country": "CN"})
    suggestions = suggest(answers, catalog)
    assert suggestions.trial_prices
    assert all(p.trial_cost and p.therapy is None for p in suggestions.trial_prices)
    assert not any(p.trial_cost for p in suggestions.prices)
    assert all(p["therapy"] for p in suggestions.to_contract()["prices"])
    text = cost_section(client, make_submission, {"country": "CN"})
    table = text[: text.index("Cost of joining a clinical trial")]
    assert "clinical trials in China" not in table
    trials = text[text.index("Cost of joining a clinical trial (CancerFax) · China") :]
    assert trials.index("CAR T clinical trials in China") < trials.index(
        "$75,000 – $90,000 This is not the price of a treatment."
    )


@pytest.mark.parametrize("country", ["FR", "DE", "IT"])
def test_patients_in_the_eu_read_that_each_country_decides_who_pays(
    client, make_submission, country
):
    text = cost_section(client, make_submission, {"country": country})
    assert "Cost and coverage in the European Union" in text
    assert "Each country sets the price of a medicine" in text
