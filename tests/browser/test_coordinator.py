"""A coordinator signs in and works a request from new to closed, in a real browser."""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from intake.middleware import LAST_SEEN_AT
from intake.models import Submission
from tests.browser.conftest import DESKTOP
from tests.factories import (
    URGENT_ANSWERS,
    AuthenticatorAppFactory,
    CoordinatorFactory,
    SubmissionFactory,
    app_code,
)

PASSWORD = "correct horse battery staple"


@pytest.fixture
def browser_context_args(browser_context_args):
    # Coordinators work at a desk; the patient pages are tested on a phone.
    return {**browser_context_args, "viewport": DESKTOP}


def move_to(page, status):
    page.get_by_role("button", name=f"Move to “{status}”").click()
    expect(page.get_by_text(f"Status is now “{status}”.")).to_be_visible()


def test_a_coordinator_signs_in_and_works_a_request_to_closed(page, site, axe_check):
    nora = CoordinatorFactory(
        username="nora", first_name="Nora", last_name="Navigator", password=PASSWORD
    )
    app = AuthenticatorAppFactory(user=nora)
    submission = SubmissionFactory()
    SubmissionFactory(answer_overrides=URGENT_ANSWERS)  # the queue's urgent styling

    page.goto(f"{site}/accounts/login/")
    axe_check(page)
    page.get_by_label("Username").fill("nora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    axe_check(page)
    page.get_by_label("Code").fill(app_code(app))
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("heading", name="Patients who asked to be contacted")
    ).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name=submission.reference).click()
    expect(page.get_by_role("heading", name=submission.reference)).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_text("Assigned to Nora Navigator.")).to_be_visible()
    for status in ("In review", "Contacted"):
        move_to(page, status)
    page.get_by_label("Or a centre not listed").fill("Riverside Cancer Centre")
    page.get_by_role("button", name="Refer…").click()
    expect(page.get_by_role("heading", name="Confirm the referral")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Confirm the referral").click()
    expect(page.get_by_text("Referred to Riverside Cancer Centre.")).to_be_visible()
    page.get_by_role("textbox", name="Note", exact=True).fill(
        "Left a voicemail; will call back on Monday."
    )
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Note added.")).to_be_visible()
    page.get_by_label("Reason for closing").fill("Referred to the centre.")
    page.get_by_role("button", name="Close the request").click()
    expect(page.get_by_text("Status is now “Closed”.")).to_be_visible()

    timeline = page.locator("#timeline-heading + ol > li")
    expect(timeline).to_have_count(7)
    for step, text in enumerate(
        [
            "The patient asked to be contacted.",
            "assigned to Nora Navigator",
            "status New → In review",
            "status In review → Contacted",
            "referred to Riverside Cancer Centre",
            "Left a voicemail; will call back on Monday.",
            "status Referred → Closed: Referred to the centre.",
        ]
    ):
        expect(timeline.nth(step)).to_contain_text(text)
    axe_check(page)
    submission.refresh_from_db()
    assert submission.review_status == Submission.ReviewStatus.CLOSED

    page.get_by_role("link", name="Metrics").click()
    expect(page).to_have_url(re.compile(r"/review/metrics/$"))
    axe_check(page)


def test_a_new_coordinator_sets_up_the_authenticator_app(page, site, axe_check):
    CoordinatorFactory(username="ines", password=PASSWORD)

    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("heading", name="Set up your authenticator app")
    ).to_be_visible()
    expect(page.get_by_role("img", name="QR code")).to_be_visible()
    axe_check(page)

    app = TOTPDevice.objects.get(user__username="ines", confirmed=False)
    page.get_by_label("Code").fill(app_code(app))
    page.get_by_role("button", name="Check the code").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    axe_check(page)
    page.get_by_role("link", name="I have saved them: continue").click()
    expect(
        page.get_by_role("heading", name="Patients who asked to be contacted")
    ).to_be_visible()


def sign_in_with_recovery_code(page, code):
    page.get_by_label("Username").fill("nora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # A recovery code each time: an app code works once per 30-second window.
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    # After a recovery code the site says how many are left, then goes on.
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    page.get_by_role("link", name="Continue").click()


def test_a_note_typed_when_the_idle_sign_out_comes_is_kept(page, site):
    nora = CoordinatorFactory(username="nora", password=PASSWORD)
    recovery = StaticDevice.objects.create(user=nora, name="Recovery codes")
    recovery.token_set.create(token="abcd2345")
    recovery.token_set.create(token="efgh6723")
    submission = SubmissionFactory()
    page.goto(f"{site}/review/{submission.reference}/")
    sign_in_with_recovery_code(page, "abcd2345")
    expect(page.get_by_role("heading", name=submission.reference)).to_be_visible()

    note = "Spoke with her daughter; scan results expected on Friday."
    # The page's script keeps what is typed: let it load before typing.
    page.wait_for_load_state("load")
    page.get_by_role("textbox", name="Note", exact=True).fill(note)
    # Thirty-one minutes pass while the note is typed.
    for key in Session.objects.values_list("session_key", flat=True):
        session = SessionStore(session_key=key)
        session[LAST_SEEN_AT] -= 31 * 60
        session.save()
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("You were signed out after 30 minutes")).to_be_visible()
    sign_in_with_recovery_code(page, "efgh6723")

    expect(page.get_by_role("heading", name=submission.reference)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/review/{submission.reference}/$"))
    kept = page.get_by_role("textbox", name="Note", exact=True)
    expect(kept).to_have_value(note)
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Note added.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Note", exact=True)).to_have_value("")
    expect(page.locator("#timeline-heading + ol")).to_contain_text(note)
