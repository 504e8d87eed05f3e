"""A coordinator prints a request, takes its referral summary as a PDF, and
is warned before the idle sign-out, in a real browser."""

import re
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django_otp.plugins.otp_static.models import StaticDevice
from playwright.sync_api import expect

from intake.middleware import LAST_SEEN_AT
from tests.browser.conftest import DESKTOP
from tests.browser.test_coordinator import PASSWORD, sign_in_with_recovery_code
from tests.factories import CoordinatorFactory, SubmissionFactory
from tests.review.test_summary import NOTES, page_count, worked_request


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


@pytest.fixture
def nora(db):
    nora = CoordinatorFactory(
        username="nora", first_name="Nora", last_name="Navigator", password=PASSWORD
    )
    recovery = StaticDevice.objects.create(user=nora, name="Recovery codes")
    recovery.token_set.create(token="abcd2345")
    recovery.token_set.create(token="efgh6723")
    return nora


def idle_for(seconds: int) -> None:
    """Every session's last activity moved back, as if that long had passed."""
    for key in Session.objects.values_list("session_key", flat=True):
        session = SessionStore(session_key=key)
        session[LAST_SEEN_AT] = int(time.time()) - seconds
        session.save()


def last_seen_ago() -> float:
    key = Session.objects.values_list("session_key", flat=True).get()
    return time.time() - SessionStore(session_key=key)[LAST_SEEN_AT]


def test_a_request_prints_on_two_pages_and_its_summary_on_one(page, site, nora):
    worked = worked_request(nora)
    page.goto(f"{site}/review/{worked.reference}/")
    sign_in_with_recovery_code(page, "abcd2345")
    expect(page.get_by_role("heading", name=worked.reference)).to_be_visible()

    page.emulate_media(media="print")
    for button in ("Log the call", "Add note", "Open the summary", "Sign out"):
        expect(page.get_by_role("button", name=button)).to_be_hidden()
    expect(page.get_by_role("heading", name="The patient's answers")).to_be_visible()
    assert page_count(page.pdf(format="A4")) <= 2
    page.emulate_media(media="screen")

    page.get_by_label(re.compile(re.escape(NOTES[0][:30]))).check()
    page.get_by_role("button", name="Open the summary").click()
    expect(
        page.get_by_role("heading", name=f"Referral summary · {worked.reference}")
    ).to_be_visible()
    expect(page.locator(".summary-sheet")).to_contain_text(NOTES[0])
    expect(page.locator(".summary-sheet")).not_to_contain_text(NOTES[1])
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as PDF").click()
    assert download.value.suggested_filename == (
        f"referral-summary-{worked.reference}.pdf"
    )
    with open(download.value.path(), "rb") as pdf:
        assert page_count(pdf.read()) == 1


def test_the_idle_warning_keeps_a_coordinator_signed_in_or_says_they_were_not(
    page, site, nora
):
    submission = SubmissionFactory()
    page.clock.install()
    page.goto(f"{site}/review/{submission.reference}/")
    sign_in_with_recovery_code(page, "abcd2345")
    expect(page.get_by_role("heading", name=submission.reference)).to_be_visible()
    page.wait_for_load_state("load")
    stay = page.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_hidden()
    note = "Spoke with her son; he will call back after the scan."
    page.get_by_role("textbox", name="Note", exact=True).fill(note)

    # Twenty-eight and a half minutes pass while the note is typed.
    idle_for(28 * 60 + 30)
    page.clock.fast_forward("28:30")
    expect(page.get_by_text("You will be signed out in 2 minutes")).to_be_visible()
    stay.click()
    expect(stay).to_be_hidden()
    assert last_seen_ago() < 60

    # Then thirty-one minutes without a click: the page says so.
    idle_for(31 * 60)
    page.clock.fast_forward("31:00")
    expect(page.get_by_text("You were signed out after a time")).to_be_visible()
    page.get_by_role("link", name="Sign in again").click()
    sign_in_with_recovery_code(page, "efgh6723")
    expect(page).to_have_url(re.compile(rf"/review/{submission.reference}/$"))
    expect(page.get_by_role("textbox", name="Note", exact=True)).to_have_value(note)
