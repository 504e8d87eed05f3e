"""A patient walks the whole intake in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from intake.models import Submission


def answer_radio(page, name, value):
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def save(page):
    page.get_by_role("button", name="Save and continue").click()


def walk_to_results(page, site, axe_check=None):
    page.goto(f"{site}/")
    if axe_check:
        axe_check(page)
    page.get_by_role("main").get_by_role("link", name="Get ready for my visit").click()
    expect(page.get_by_role("heading", name="Safety check")).to_be_visible()
    if axe_check:
        axe_check(page)
    answer_radio(page, "recent_infusion", "no")
    save(page)
    answer_radio(page, "disease", "lbcl")
    answer_radio(page, "lbcl_subtype", "dlbcl")
    if axe_check:
        axe_check(page)
    save(page)
    page.get_by_label("How old are you?").fill("58")
    page.get_by_label("Which country do you live in?").select_option("US")
    if axe_check:
        axe_check(page)
    save(page)
    page.get_by_label("How many lines of treatment have you had?").select_option("1")
    answer_radio(page, "relapse_status", "early_relapse")
    page.locator('input[name="prior_therapies"][value="chemoimmunotherapy"]').check()
    answer_radio(page, "transplant_eligible", "yes")
    if axe_check:
        axe_check(page)
    save(page)
    expect(page.get_by_role("heading", name="Questions centres ask")).to_be_visible()
    for group in page.locator("fieldset").all():
        group.locator('input[value="yes"]').check()
    if axe_check:
        axe_check(page)
    save(page)
    answer_radio(page, "caregiver", "no")
    answer_radio(page, "travel_abroad", "no")
    if axe_check:
        axe_check(page)
    save(page)
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    if axe_check:
        axe_check(page)
    page.get_by_role("button", name="See my questions for the doctor").click()
    expect(
        page.get_by_role("heading", name="Your questions for the doctor")
    ).to_be_visible()


def test_a_patient_on_a_phone_goes_from_home_to_printed_questions(
    page, site, axe_check
):
    walk_to_results(page, site, axe_check)
    axe_check(page)
    short_list = page.locator(".shortlist")
    expect(short_list).to_contain_text("Yescarta")
    expect(short_list).to_contain_text("Breyanzi (lisocabtagene maraleucel)")
    expect(page.locator("details.section summary").first).to_be_visible()
    page.get_by_role("link", name="Print my list").click()
    expect(
        page.get_by_role("heading", name="Questions for my oncologist")
    ).to_be_visible()
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    assert Submission.objects.get().stage == "submitted"


def test_back_forward_and_resume_by_link_lose_nothing(page, site, browser):
    page.goto(f"{site}/start/")
    answer_radio(page, "recent_infusion", "no")
    save(page)
    answer_radio(page, "disease", "mm")
    save(page)
    # History moves are only safe once the saved step's page has arrived: a
    # back press during the POST's navigation races the browser itself.
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/disease/$"))
    expect(page.locator('input[name="disease"][value="mm"]')).to_be_checked()
    page.go_forward()
    expect(page).to_have_url(re.compile(r"/about/$"))
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    resume = page.locator("#resume-link").input_value()
    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    other = fresh.new_page()
    other.goto(resume)
    expect(other.get_by_role("heading", name="About you")).to_be_visible()
    fresh.close()


def test_the_urgent_path_shows_the_call_now_message_first(page, site, axe_check):
    page.goto(f"{site}/start/")
    answer_radio(page, "recent_infusion", "yes")
    page.locator('input[name="symptoms"][value="fever"]').check()
    save(page)
    expect(
        page.get_by_role("heading", name="Call your treatment team now")
    ).to_be_visible()
    axe_check(page)
    assert Submission.objects.get().answers["symptoms"] == ["fever"]


@pytest.fixture
def no_js_context(browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    yield context
    context.close()


def test_the_whole_flow_works_without_javascript(no_js_context, site):
    page = no_js_context.new_page()
    walk_to_results(page, site)
    expect(page.locator(".shortlist")).to_contain_text(
        "Yescarta (axicabtagene ciloleucel)"
    )


def test_the_flow_works_on_a_desktop_screen(browser, site, axe_check):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    walk_to_results(page, site)
    axe_check(page)
    context.close()


def test_answers_with_errors_are_marked_for_every_reader(page, site, axe_check):
    page.goto(f"{site}/start/")
    answer_radio(page, "recent_infusion", "yes")
    save(page)
    group = page.get_by_role("group", name="Do you have any of these now?")
    expect(group).to_have_accessible_description(
        re.compile(r"Pick all that apply\. .*Pick the symptoms you have now")
    )
    axe_check(page)
    page.locator('input[name="symptoms"][value="none"]').check()
    save(page)
    answer_radio(page, "disease", "lbcl")
    answer_radio(page, "lbcl_subtype", "dlbcl")
    save(page)
    page.get_by_label("How old are you?").fill("200")
    save(page)
    age = page.get_by_label("How old are you?")
    expect(age).to_have_attribute("aria-invalid", "true")
    expect(age).to_have_accessible_description(re.compile("less than or equal to 120"))
    axe_check(page)


def test_the_contact_form_with_errors_passes_axe(page, site, axe_check):
    walk_to_results(page, site)
    page.get_by_role("link", name="Ask a navigator to contact me").click()
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    axe_check(page)
