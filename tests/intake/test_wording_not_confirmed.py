"""An approval whose exact wording we could not confirm is shown with a
caution to check with the care team, never as a plain match."""

from intake.answers import parse_answers
from intake.suggestions import suggest

INDIA_LBCL = {
    "recent_infusion": "no",
    "disease": "lbcl",
    "age": 50,
    "country": "IN",
    "prior_lines": 2,
    "relapse_status": "refractory",
    "prior_therapies": ["chemoimmunotherapy"],
    "transplant_eligible": "no",
    "prior_car_t": "none",
    "caregiver": "yes",
    "travel_abroad": "no",
}


def match_for(catalog, answers, slug):
    result = suggest(parse_answers(answers), catalog)
    return {m.therapy.slug: m for m in result.therapies}[slug]


def test_an_approval_with_unconfirmed_wording_comes_with_a_caution(catalog):
    match = match_for(catalog, INDIA_LBCL, "nexcar19")
    assert not match.indication.wording_confirmed
    assert any("could not confirm the exact wording" in c for c in match.cautions)
    assert any("CDSCO" in c for c in match.cautions)


def test_an_approval_with_confirmed_wording_has_no_such_caution(catalog):
    answers = {**INDIA_LBCL, "country": "US"}
    match = match_for(catalog, answers, "yescarta")
    assert match.indication.wording_confirmed
    assert not any("could not confirm" in c for c in match.cautions)


def test_the_results_page_shows_the_caution_on_the_card_and_in_the_short_list(
    client, make_submission
):
    submission = make_submission(
        {"country": "IN", "prior_lines": 2, "age": 50}, submitted=True
    )
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    assert "NexCAR19" in html
    assert "exact approval not confirmed: check with your team" in html
    assert "could not confirm the exact wording of the CDSCO approval" in html
