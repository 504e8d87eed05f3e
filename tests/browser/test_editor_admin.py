"""An editor in the admin: a note-only rule is refused in words, the review due
page lists what to check. Screenshots go to $SCREENSHOT_DIR when it is set."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.browser.staff import sign_in_to_admin


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


def look(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_an_editor_is_told_why_a_note_only_rule_is_refused(page, site):
    sign_in_to_admin(page, site)
    look(page, "admin-index")
    page.goto(f"{site}/admin/therapies/indication/")
    look(page, "indication-list")
    page.get_by_role("link", name="Abecma").first.click()
    look(page, "indication-change")
    page.locator(".add-row a").click()
    page.locator("input[name$='-note']:not([name*='__prefix__'])").last.fill(
        "to fill in"
    )
    page.get_by_label("Reason for change:").fill("Trying a note-only rule")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("#content")).to_contain_text(
        "a rule with only a note lets every patient through"
    )
    look(page, "indication-refused")

    page.goto(f"{site}/admin/therapies/treatmentcenter/")
    look(page, "centre-list")
    page.goto(f"{site}/admin/therapies/treatmentcenter/add/")
    look(page, "centre-add")
    page.goto(f"{site}/admin/therapies/review-due/")
    expect(page.locator("#overdue")).to_be_visible()
    look(page, "review-due")


def test_an_editor_sees_which_answers_a_rule_leaves_to_check(page, site):
    sign_in_to_admin(page, site)
    page.goto(f"{site}/admin/therapies/indication/?q=carteyva-nmpa-fl")
    page.get_by_role("link", name="Carteyva").first.click()
    rule = page.locator(".inline-related").first
    expect(rule).to_contain_text("to check: It came back more than 12 months")
    expect(
        rule.locator("input[name$='-to_check'][value='late_relapse']")
    ).to_be_checked()
    expect(
        rule.locator("input[name$='-to_check'][value='early_relapse']")
    ).not_to_be_checked()
    look(page, "indication-to-check")
