"""A content editor reads the reference patients and mistypes one's answers."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.factories import AuthenticatorAppFactory, CatalogEditorFactory, app_code
from therapies.models import ReferencePatient

PASSWORD = "correct horse battery staple"
NAME = "child B-ALL, second relapse, US"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


def sign_in(page, site):
    app = AuthenticatorAppFactory(
        user=CatalogEditorFactory(username="editor", password=PASSWORD)
    )
    page.goto(f"{site}/admin/")
    page.get_by_label("Username:").fill("editor")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(app_code(app))
    page.get_by_role("button", name="Continue").click()


def test_an_editor_who_breaks_a_reference_patients_answers_is_told_what_is_wrong(
    page, site
):
    sign_in(page, site)
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
