"""A content editor reads the reference patients and mistypes one's answers."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.browser.staff import sign_in_to_admin
from therapies.models import ReferencePatient

NAME = "child B-ALL, second relapse, US"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


def test_an_editor_who_breaks_a_reference_patients_answers_is_told_what_is_wrong(
    page, site
):
    sign_in_to_admin(page, site)
    page.get_by_role("link", name="Reference patients").first.click()
    row = page.locator("#result_list tr", has_text=NAME)
    expect(row).to_contain_text("tecartus, aucatzyl")
    row.get_by_role("link", name=NAME).click()
    expect(page.get_by_label("Kymriah (kymriah)").first).to_be_checked()

    page.get_by_label("Answers:").fill('{"disease": "all", "age": 12}')
    page.get_by_label("Reason for change:").fill("Age corrected")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("These answers are not valid")
    expect(page.locator(".errorlist")).to_contain_text("disease")
    assert ReferencePatient.objects.get(name=NAME).answers["disease"] == "b_all"
