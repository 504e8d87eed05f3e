"""A coordinator chooses Spanish on their preferences page, in a real browser."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.factories import (
    AuthenticatorAppFactory,
    CoordinatorFactory,
    SubmissionFactory,
    app_code,
)

PASSWORD = "correct horse battery staple"
# Set to a folder to keep screenshots of the pages (to look at them).
SHOTS = os.environ.get("NAVIGATOR_SCREENSHOTS", "")


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


def shoot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_a_coordinator_chooses_spanish_and_works_in_it(page, site, axe_check):
    nora = CoordinatorFactory(username="nora", password=PASSWORD)
    app = AuthenticatorAppFactory(user=nora)
    SubmissionFactory()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill("nora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(app_code(app))
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("link", name="Preferences").click()
    expect(
        page.get_by_role("heading", name="Your preferences: language and time zone")
    ).to_be_visible()
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("la exportación CSV están en español")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    axe_check(page)
    shoot(page, "preferences-es")

    page.get_by_role("link", name="Cola").click()
    expect(
        page.get_by_role("heading", name="Pacientes que pidieron que los contacten")
    ).to_be_visible()
    axe_check(page)
    shoot(page, "queue-es")
