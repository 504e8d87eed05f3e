"""Someone unwell after CAR T on a phone: the call button within the first
screen, tap-to-call, no accessibility violations; the trust pages too."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE


@pytest.fixture
def browser_context_args(browser_context_args):
    # A phone set to British English: the site guesses the United Kingdom.
    return {**browser_context_args, "viewport": PHONE, "locale": "en-GB"}


def test_the_help_page_puts_the_guessed_emergency_number_in_the_first_screen(
    page, site, axe_check
):
    page.goto(f"{site}/")
    page.get_by_role(
        "link", name="Unwell after CAR T? Call your treatment team now"
    ).click()
    expect(page.locator("h1")).to_have_text("Call your treatment team now")
    call = page.get_by_role("link", name="Call 999", exact=True)
    expect(call).to_have_attribute("href", "tel:999")
    box = call.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], "below the first screen"
    axe_check(page)


def test_picking_another_country_without_javascript_shows_its_number(page, site):
    page.goto(f"{site}/help/unwell/")
    page.get_by_label("Your country").select_option("SG")
    page.get_by_role("button", name="Show the number").click()
    expect(page.get_by_role("link", name="Call 995", exact=True)).to_have_attribute(
        "href", "tel:995"
    )


@pytest.mark.parametrize("path", ["/about/", "/privacy/", "/contact/"])
def test_the_trust_pages_have_no_accessibility_violations(page, site, axe_check, path):
    page.goto(f"{site}{path}")
    expect(page.locator("h1")).to_be_visible()
    axe_check(page)
