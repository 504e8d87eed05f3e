"""The patient flow in Spanish and in Chinese, in a real browser, with axe.

Fields are found by their names and values, the contract's codes, which are
the same in every language; buttons by their role in the form.
"""

import pytest
from playwright.sync_api import expect

from intake.models import Submission

LANGUAGES = {
    "es": {
        "safety": "Control de seguridad",
        "eligibility": "Preguntas que hacen los centros",
        "review": "Revise sus respuestas",
        "results": "Sus preguntas para el médico",
        "print": "Preguntas para mi oncólogo",
        "switch_to": "zh-hans",
        "switched_heading": "您要问医生的问题",
    },
    "zh-hans": {
        "safety": "安全检查",
        "eligibility": "治疗中心会问的问题",
        "review": "核对您的回答",
        "results": "您要问医生的问题",
        "print": "要问肿瘤科医生的问题",
        "switch_to": "es",
        "switched_heading": "Sus preguntas para el médico",
    },
}


def answer(page, name, value):
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def save(page):
    page.locator('main form button[type="submit"].btn-primary').click()


def heading(page, text):
    expect(page.get_by_role("heading", name=text, exact=True).first).to_be_visible()


def walk_in(page, site, language, axe_check):
    words = LANGUAGES[language]
    page.goto(f"{site}/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    axe_check(page)
    page.locator("a.home-start").click()
    heading(page, words["safety"])
    axe_check(page)
    answer(page, "recent_infusion", "no")
    save(page)
    answer(page, "disease", "lbcl")
    answer(page, "lbcl_subtype", "dlbcl")
    axe_check(page)
    save(page)
    page.locator('input[name="age"]').fill("58")
    page.locator('select[name="country"]').select_option("US")
    axe_check(page)
    save(page)
    page.locator('select[name="prior_lines"]').select_option("1")
    answer(page, "relapse_status", "early_relapse")
    answer(page, "prior_therapies", "chemoimmunotherapy")
    answer(page, "transplant_eligible", "yes")
    axe_check(page)
    save(page)
    heading(page, words["eligibility"])
    for group in page.locator("main fieldset").all():
        group.locator('input[value="unsure"]').check()
    axe_check(page)
    save(page)
    answer(page, "caregiver", "no")
    answer(page, "travel_abroad", "yes")
    axe_check(page)
    save(page)
    heading(page, words["review"])
    axe_check(page)
    save(page)
    heading(page, words["results"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_patient_does_the_whole_intake_in_their_language(
    page, site, axe_check, language
):
    words = LANGUAGES[language]
    walk_in(page, site, language, axe_check)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("article.card-therapy").first).to_contain_text("Yescarta")
    axe_check(page)
    page.locator('a[href$="/print/"]').first.click()
    heading(page, words["print"])
    axe_check(page)
    submission = Submission.objects.get()
    assert submission.stage == "submitted"
    assert submission.language == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_switcher_keeps_the_patient_on_their_page(
    page, site, axe_check, language
):
    words = LANGUAGES[language]
    walk_in(page, site, language, axe_check)
    results = page.url
    page.locator(f'.language-switcher a[hreflang="{words["switch_to"]}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", words["switch_to"])
    heading(page, words["switched_heading"])
    assert page.url == results.replace(f"/{language}/", f"/{words['switch_to']}/")
    axe_check(page)


def test_chinese_pages_render_on_a_desktop_screen(browser, site, axe_check):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for path in (
        "/zh-hans/therapies/",
        "/zh-hans/therapies/carvykti/",
        "/zh-hans/centres/",
    ):
        page.goto(f"{site}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        axe_check(page)
    context.close()
