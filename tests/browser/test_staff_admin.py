"""A staff member changes a topic in the admin; patients see it once published."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.browser.staff import sign_in_to_admin
from tests.releases import publish_working_copy

OLD_TITLE = "Cost, insurance and help with expenses"
NEW_TITLE = "What CAR T costs and who can help pay"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


def topic_titles(page):
    return page.locator("details.topic summary")


def test_a_topic_changed_in_the_admin_shows_on_a_patients_results(
    page, site, make_submission
):
    submission = make_submission(submitted=True)
    results = f"{site}/i/{submission.token}/results/"
    # The server process caches the catalog now; the admin's save must reload it.
    page.goto(results)
    expect(topic_titles(page).filter(has_text=OLD_TITLE)).to_have_count(1)

    sign_in_to_admin(page, site)
    page.get_by_role("link", name="Discussion topics").first.click()
    page.get_by_role("link", name=OLD_TITLE).click()
    page.get_by_label("Title [en]:").fill(NEW_TITLE)
    page.get_by_label("Reason for change:").fill("Plainer title")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # The working copy changed; patients still see the published release.
    page.goto(results)
    expect(topic_titles(page).filter(has_text=OLD_TITLE)).to_have_count(1)

    publish_working_copy()  # a clinical reviewer's step (test_catalog_release.py)
    page.goto(results)
    expect(topic_titles(page).filter(has_text=NEW_TITLE)).to_have_count(1)
    expect(topic_titles(page).filter(has_text=OLD_TITLE)).to_have_count(0)
