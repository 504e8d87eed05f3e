"""An editor changes an age limit; a clinical reviewer publishes it (issue 15).

The patient's page does not change with the edit; the reviewer sees the change
and the reference patient it breaks; the editor cannot publish; the editor
updates the reference patient's expectation, the reviewer publishes, and the
patient's next page load shows the new rule. The navigator she asked to call
her still sees what she was shown under release 1, and what release 2 changed.
"""

import pytest
from playwright.sync_api import expect

from intake import services
from tests.browser.conftest import DESKTOP
from tests.browser.staff import PASSWORD, sign_in_to_admin
from tests.factories import (
    AuthenticatorAppFactory,
    ClinicalReviewerFactory,
    CoordinatorFactory,
    app_code,
)
from therapies.models import CatalogRelease, Indication, ReferencePatient

PUBLISH = "/admin/therapies/catalogrelease/publish/"
REFERENCE = "young adult B-ALL, refractory, US"
YOUNG_ADULT_B_ALL = {
    "disease": "b_all",
    "age": 23,
    "prior_lines": 1,
    "relapse_status": "refractory",
    "prior_therapies": ["other"],
}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


def shortlist(page):
    return page.locator("#shortlist-heading").locator("..")


def test_an_age_limit_reaches_patients_only_once_a_second_person_publishes_it(
    page, browser, site, make_submission
):
    submission = make_submission(YOUNG_ADULT_B_ALL, submitted=True)
    asked = services.submission_request_contact(
        submission=submission,
        name="Young Adult",
        email="young@example.org",
        phone="",
        preferred_language="en",
        preferred_time="",
    )
    nora = AuthenticatorAppFactory(
        user=CoordinatorFactory(username="nora", password=PASSWORD)
    )
    results = f"{site}/i/{submission.token}/results/"
    page.goto(results)
    expect(shortlist(page)).to_contain_text("Kymriah")

    editor = page.context.new_page()
    sign_in_to_admin(editor, site)
    indication = Indication.objects.get(slug="kymriah-fda-b-all")
    editor.goto(f"{site}/admin/therapies/indication/{indication.pk}/change/")
    editor.locator("#id_rules-0-max_age").fill("21")
    editor.get_by_label("Reason for change:").fill("Label check: up to 21")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(results)
    expect(shortlist(page)).to_contain_text("Kymriah")  # still release 1

    editor.goto(f"{site}{PUBLISH}")
    expect(editor.locator("#content-main")).to_contain_text(
        "Only a clinical reviewer can publish"
    )

    reviewing = browser.new_context(viewport=DESKTOP)
    reviewer = reviewing.new_page()
    sign_in_to_admin(reviewer, site, ClinicalReviewerFactory, "reviewer")
    reviewer.goto(f"{site}{PUBLISH}")
    main = reviewer.locator("#content-main")
    expect(main).to_contain_text("kymriah-fda-b-all")
    expect(main).to_contain_text(f"{REFERENCE}: expected kymriah, not shown")
    expect(main).to_contain_text("Publishing waits until every reference patient")
    expect(reviewer.get_by_role("button", name="Publish this release")).to_have_count(0)

    # The editor accepts the new limit: the reference patient's expectation too.
    patient = ReferencePatient.objects.get(name=REFERENCE)
    editor.goto(f"{site}/admin/therapies/referencepatient/{patient.pk}/change/")
    editor.locator('input[name="must_show_therapies"][value="kymriah"]').uncheck()
    editor.get_by_label("Reason for change:").fill("Kymriah's label: up to 21")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    reviewer.goto(f"{site}{PUBLISH}")
    expect(main).to_contain_text("reference patients pass")
    reviewer.get_by_label("Note for this release:").fill("Kymriah B-ALL: up to 21")
    reviewer.get_by_role("button", name="Publish this release").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("Release 2 is published")
    assert CatalogRelease.objects.latest_version()[0] == 2

    page.goto(results)
    expect(shortlist(page)).not_to_contain_text("Kymriah")
    reviewing.close()

    # The navigator she asked to call her sees what she was shown: release 1.
    coordinator = page.context.new_page()
    coordinator.goto(f"{site}/accounts/login/")
    coordinator.get_by_label("Username").fill("nora")
    coordinator.get_by_label("Password").fill(PASSWORD)
    coordinator.get_by_role("button", name="Sign in").click()
    coordinator.get_by_label("Code").fill(app_code(nora))
    coordinator.get_by_role("button", name="Continue").click()
    coordinator.goto(f"{site}/review/{asked.reference}/")
    shown = coordinator.locator("#suggestions-heading").locator("..")
    expect(shown).to_contain_text("Computed with catalog release 1")
    expect(shown).to_contain_text("Kymriah")
    expect(shown).to_contain_text("release 2 shows this patient something else")
    expect(shown).to_contain_text("No longer shown: Kymriah (FDA)")
