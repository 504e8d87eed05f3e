"""A person in a real browser is never taken for a robot by the contact form's
traps (intake.forms.ContactForm): the hidden box stays empty and unreachable."""

from playwright.sync_api import expect


def test_a_person_who_fills_the_form_in_a_few_seconds_is_heard(
    page, site, axe_check, make_submission
):
    submission = make_submission(submitted=True)
    page.goto(f"{site}/i/{submission.token}/contact/")
    expect(page.get_by_role("textbox", name="Leave this box empty")).to_have_count(0)
    page.get_by_label("Your name").fill("Pat Example")
    page.keyboard.press("Tab")
    expect(page.locator("#id_email")).to_be_focused()
    page.locator("#id_email").fill("pat@example.org")
    page.locator("#id_consent").check()
    axe_check(page)
    page.wait_for_timeout(3200)  # settings.CONTACT_MIN_FILL_SECONDS is 3
    page.get_by_role("button", name="Send my request").click()
    expect(
        page.get_by_text("Thank you. A patient navigator will contact you.")
    ).to_be_visible()
    submission.refresh_from_db()
    assert submission.contact_requested
