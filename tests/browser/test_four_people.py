"""The four people of issue 17 on a 390 px phone, each in a real browser.

Each walk (people.py) runs axe on every page it reaches, in the walk's
language; the checks below look at what each person was shown. English,
Spanish and Chinese are each walked by at least one person, and the urgent
path by the wife in all three.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from intake.answers import answers_from_stored
from intake.forms import ANSWER_THIS_OR_UNSURE
from intake.models import Submission
from intake.suggestions import suggest
from tests.browser.conftest import PHONE
from tests.browser.people import (
    LOCALES,
    PEOPLE,
    Walk,
    daughter_for_her_father_in_shanghai,
    wife_ten_days_after_car_t,
    woman_in_texas,
    young_man_in_the_uk,
)
from therapies.models import DiscussionTopic
from therapies.snapshot import get_catalog

SCREEN = PHONE["height"]
NO_THERAPY_FITS = (
    "No approved CAR T therapy has a label that fits your answers right now."
)
NO_DATA_FOR_COUNTRY = (
    "We do not have approval information for your country yet, so we cannot say "
    "which CAR T therapies are approved there."
)
PARTIAL_LIST = (
    "Our list of %(regulator)s approvals may be incomplete: ask your doctor what is "
    "approved where you live."
)
# The emergency number the urgent page offers, guessed from the phone's
# language settings (LOCALES) before the country has been asked, and the
# number of the country she then gives (people.HOMES).
EMERGENCY = {"en": "911", "es": "112", "zh-hans": "120"}


def in_language(language, text):
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture
def phone(browser):
    """A new phone in the given language's region (en-US, es-ES, zh-CN)."""
    contexts = []

    def open_phone(language):
        context = browser.new_context(viewport=PHONE, locale=LOCALES[language])
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


def walk_with_axe(phone, site, axe_check, language, checks=None):
    """A walk that runs axe on every page, and `checks[name]` on the page `name`."""
    checks = checks or {}

    def visit(page, name):
        axe_check(page)
        if name in checks:
            checks[name](page)

    return Walk(phone(language), site, language, visit=visit)


def closed_height(page) -> float:
    """The document's height with every <details> closed, as they arrive."""
    expect(page.locator("details[open]")).to_have_count(0)
    return page.evaluate("document.documentElement.scrollHeight")


def page_text(page) -> str:
    """All the text of the page's main part, closed sections included."""
    return page.locator("main").text_content()


def test_the_woman_in_texas_sees_her_short_list_within_two_phone_screens(
    phone, site, axe_check
):
    walk = walk_with_axe(phone, site, axe_check, "en")
    woman_in_texas(walk)
    page = walk.page
    shortlist = page.locator("section.shortlist")
    expect(shortlist.locator(".therapy-lines")).to_contain_text("Yescarta")
    expect(shortlist.locator(".therapy-lines")).to_contain_text("Breyanzi")
    questions = shortlist.locator("ol.shortlist-questions > li")
    assert 1 <= questions.count() <= 8
    bottom = questions.last.evaluate(
        "li => li.getBoundingClientRect().bottom + window.scrollY"
    )
    assert bottom <= 2 * SCREEN, f"the short list ends at {bottom} px"
    height = closed_height(page)
    assert height <= 5 * SCREEN, f"the closed page is {height / SCREEN:.1f} screens"
    assert NO_THERAPY_FITS not in page_text(page)


def test_the_daughter_is_asked_again_for_the_lines_and_not_told_nothing_fits(
    phone, site, axe_check
):
    language = "zh-hans"
    asked_again = in_language(language, str(ANSWER_THIS_OR_UNSURE))

    def nothing_prefilled(page):
        expect(page.locator('select[name="prior_lines"]')).to_have_value("")

    def asked_again_plainly(page):
        lines = page.locator('select[name="prior_lines"]')
        expect(lines).to_have_attribute("aria-invalid", "true")
        expect(lines).to_have_accessible_description(re.compile(re.escape(asked_again)))
        # What she did answer is still there.
        expect(
            page.locator('input[name="relapse_status"][value="late_relapse"]')
        ).to_be_checked()

    walk = walk_with_axe(
        phone,
        site,
        axe_check,
        language,
        checks={
            "history": nothing_prefilled,
            "history (asked again)": asked_again_plainly,
        },
    )
    daughter_for_her_father_in_shanghai(walk)
    page = walk.page
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert Submission.objects.get().answers["prior_lines"] == "unsure"
    text = page_text(page)
    # The approvals that need a line count are there, to check with the doctor.
    assert "Fucaso" in text
    for claim in (NO_THERAPY_FITS, in_language(language, NO_THERAPY_FITS)):
        assert claim not in text, "told that nothing fits while the lines are unknown"


def test_the_young_man_in_the_uk_sees_what_the_mhra_approved_and_that_the_list_may_be_incomplete(
    phone, site, axe_check
):
    language = "es"
    walk = walk_with_axe(phone, site, axe_check, language)
    young_man_in_the_uk(walk)
    page = walk.page
    shortlist = page.locator("section.shortlist")
    partial = in_language(language, PARTIAL_LIST) % {"regulator": "MHRA"}
    expect(shortlist).to_contain_text(partial)
    answers = answers_from_stored(Submission.objects.get().answers)
    found = suggest(answers, get_catalog()).therapies
    assert {m.therapy.slug: m.regulator for m in found}.get("kymriah") == "MHRA"
    lines = shortlist.locator(".therapy-lines > li")
    expect(lines).to_have_count(len(found))
    for match in found:
        line = lines.filter(has_text=match.therapy.brand_name)
        expect(line).to_contain_text(match.regulator)
    text = page_text(page)
    for claim in (NO_THERAPY_FITS, in_language(language, NO_THERAPY_FITS)):
        assert claim not in text
    for claim in (NO_DATA_FOR_COUNTRY, in_language(language, NO_DATA_FOR_COUNTRY)):
        assert claim not in text


@pytest.mark.parametrize("language", ["en", "es", "zh-hans"])
def test_the_wife_reaches_the_urgent_page_in_one_tap_then_a_recovery_page(
    phone, site, axe_check, language
):
    def nothing_preselected(page):
        if walk.pages.count("safety") == 1:  # later, her own answers are kept
            expect(page.locator("main input:checked")).to_have_count(0)

    def call_now(page):
        number = EMERGENCY[language]
        call = page.locator(f'main a[href="tel:{number}"]').first
        expect(call).to_be_visible()
        expect(call).to_contain_text(number)
        answers = Submission.objects.get().answers
        assert answers["symptoms"] == ["fever", "confusion"]

    walk = walk_with_axe(
        phone,
        site,
        axe_check,
        language,
        checks={"safety": nothing_preselected, "urgent": call_now},
    )
    wife_ten_days_after_car_t(walk)
    # Start, two ticks and one press of the button: the call-now page.
    assert walk.pages[:3] == ["home", "safety", "urgent"]
    page = walk.page
    # The results still open with the call-now message, for her country.
    call = page.locator(f'main a[href="tel:{EMERGENCY[language]}"]').first
    expect(call).to_be_visible()
    recovery = in_language(language, "Your recovery after CAR T")
    expect(page.get_by_role("heading", level=1, name=recovery)).to_be_visible()
    second_infusion = DiscussionTopic.objects.get(slug="second-car-t-infusion")
    with translation.override(language):
        unwanted = [second_infusion.title, second_infusion.question]
    text = page_text(page)
    for words in unwanted:
        assert words not in text


# What "about 5 minutes" allows. A person needs about 8 seconds to read a
# question and answer it, and about 5 seconds to take in a new page; 25
# answers and 9 pages come to 25 * 8 + 9 * 5 = 245 seconds, about 4 minutes,
# which leaves a minute for reading help texts slowly or in a second language.
# 9 pages: the 8 steps a patient can meet (safety, diagnosis, about you,
# treatment so far, CAR T, centres' questions, practical, check) and one
# asked again. The call-now page asks nothing and is not a step, but its
# reading time counts in the estimate.
MAX_STEP_PAGES = 9
MAX_ANSWERS = 25
FIVE_MINUTES = 300


@pytest.mark.parametrize("person", PEOPLE)
def test_a_typical_patient_finishes_the_intake_in_about_five_minutes(
    page, site, person
):
    walk = Walk(page, site)
    PEOPLE[person](walk)
    steps = [name for name in walk.intake_pages if name != "urgent"]
    assert len(steps) <= MAX_STEP_PAGES, steps
    assert walk.answers <= MAX_ANSWERS
    assert walk.estimated_seconds <= FIVE_MINUTES
