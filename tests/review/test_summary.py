"""The one-page referral summary of a request: on screen and as a PDF."""

import datetime
import logging
import re
import zlib

import pytest
from django.utils import timezone

from intake.models import AuditEvent, ReviewEvent
from intake.review.services import (
    submission_add_note,
    submission_log_call,
    submission_refer,
)
from intake.review.summary import StaticFilesOnly
from tests.factories import (
    CoordinatorFactory,
    ReviewEventFactory,
    SubmissionFactory,
    TreatmentCenterFactory,
)
from tests.review.conftest import login_redirect

# Every step answered, every follow-up question asked: the longest summary.
FULLY_ANSWERED = {
    "recent_infusion": "no",
    "symptoms": ["none"],
    "disease": "lbcl",
    "lbcl_subtype": "tfl",
    "age": 67,
    "country": "US",
    "prior_lines": 3,
    "relapse_status": "early_relapse",
    "prior_therapies": [
        "chemoimmunotherapy",
        "stem_cell_transplant",
        "bispecific",
        "car_t",
        "radiation",
    ],
    "transplant_eligible": "unsure",
    "prior_car_t": "relapse_late",
    "antigen_loss": "unsure",
    "eligibility": {
        "backup-caregiver": "yes",
        "stay-near-centre": "unsure",
        "active-infection": "no",
        "brain-involvement": "no",
        "daily-activity": "yes",
        "insurance": "unsure",
    },
    "caregiver": "yes",
    "travel_abroad": "yes",
}
NOTES = [
    "Spoke with her daughter, who helps with appointments. Scan results are "
    "expected on Friday; the oncologist wants to discuss options after that.",
    "Patient prefers calls after 10 am. Insurance is a Medicare Advantage plan; "
    "she asked whether travel costs are covered for a stay near the centre.",
    "The local haematologist is happy to send records once a centre is chosen.",
]
CALL_NOTE = "Reached the patient: she would like a referral to a centre within "
CALL_NOTE += "two hours' drive, and her daughter will come to the first visit."


def url(submission, suffix="summary/") -> str:
    return f"/review/{submission.reference}/{suffix}"


def pdf_url(submission) -> str:
    return url(submission, "summary.pdf")


def page_count(pdf: bytes) -> int:
    """The PDF's page objects, counted in its plain parts and in its
    compressed streams (WeasyPrint packs objects into object streams)."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue  # not a compressed stream
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", p)) for p in parts)


@pytest.fixture
def worked(db, catalog, coordinator):
    return worked_request(coordinator)


def worked_request(coordinator):
    """A fully answered request, called, noted and referred to a centre."""
    submission = SubmissionFactory(
        answer_overrides=FULLY_ANSWERED,
        contact_name="Margaret Oyelaran-Whitfield",
        contact_email="margaret.oyelaran-whitfield@example.org",
        contact_time="Weekday mornings after 10, or Saturday before noon",
        contact_language="es",
    )
    for text in NOTES:
        submission_add_note(
            submission=submission,
            text=text,
            by=coordinator,
            revision=submission.revision,
            ip_address=None,
        )
    submission_log_call(
        submission=submission,
        outcome="reached",
        called_at=timezone.now(),
        note=CALL_NOTE,
        follow_up_on=None,
        by=coordinator,
        ip_address=None,
    )
    submission.refresh_from_db()
    submission_refer(
        submission=submission,
        center=TreatmentCenterFactory(name="Lakeside Cancer Center"),
        center_name="",
        referred_on=datetime.date(2026, 12, 3),
        by=coordinator,
        revision=submission.revision,
        ip_address=None,
    )
    submission.refresh_from_db()
    return submission


def written(submission) -> list[ReviewEvent]:
    return [e for e in ReviewEvent.objects.timeline(submission) if e.note_text]


def every_note(submission) -> dict:
    return {"note": [e.pk for e in written(submission)]}


def test_it_sends_anonymous_users_to_the_login_page(client, submission):
    for address in (url(submission), pdf_url(submission)):
        assert client.get(address).url == login_redirect(address)
    assert AuditEvent.objects.count() == 0


def test_it_refuses_staff_who_are_not_coordinators(staff_client, submission):
    for address in (url(submission), pdf_url(submission)):
        response = staff_client.get(address)
        assert response.status_code == 403
        assert submission.contact_name not in response.content.decode(errors="ignore")
    assert AuditEvent.objects.count() == 0


def test_it_refuses_post(coordinator_client, submission):
    assert coordinator_client.post(url(submission)).status_code == 405
    assert coordinator_client.post(pdf_url(submission)).status_code == 405


def test_it_is_a_404_for_drafts_tokens_and_unknown_references(
    coordinator_client, submission
):
    draft = SubmissionFactory(stage="draft")
    for address in (
        url(draft),
        pdf_url(draft),
        f"/review/{submission.token}/summary/",
        "/review/CT-ZZZZZZZZ/summary.pdf",
    ):
        assert coordinator_client.get(address).status_code == 404


def test_the_detail_page_offers_the_summary_with_a_box_per_note(
    coordinator_client, worked
):
    html = coordinator_client.get(f"/review/{worked.reference}/").content.decode()
    assert f'action="{url(worked)}"' in html
    assert f'formaction="{pdf_url(worked)}"' in html
    for event in written(worked):
        assert f'name="note" value="{event.pk}"' in html
    # A status change's text is not a note.
    assert html.count('name="note" value=') == len(NOTES) + 1


def test_the_summary_shows_answers_what_was_shown_contact_and_the_referral(
    coordinator_client, worked
):
    response = coordinator_client.get(url(worked))
    assert response.status_code == 200
    assert (
        response["Cache-Control"]
        == "max-age=0, no-cache, no-store, must-revalidate, private"
    )
    html = response.content.decode()
    for text in (
        "Referral summary",
        worked.contact_name,
        worked.contact_email,
        worked.contact_phone,
        "Weekday mornings after 10",
        "Spanish",  # the preferred language, in words
        "Transformed from follicular",  # an answer in plain words
        "Lines of treatment so far",
        "What the patient was shown",
        "Topics for the oncologist",
        "referred to Lakeside Cancer Center",
    ):
        assert text in html, text
    assert "lbcl" not in html.replace("lbcl_", "")


def test_notes_are_left_out_unless_ticked(coordinator_client, worked):
    html = coordinator_client.get(url(worked)).content.decode()
    assert "Coordinator's notes" not in html
    assert NOTES[0][:40] not in html.split('class="summary-sheet"')[1]
    chosen = written(worked)[0]
    html = coordinator_client.get(url(worked), {"note": chosen.pk}).content.decode()
    sheet = html.split('class="summary-sheet"')[1]
    assert NOTES[0][:40] in sheet
    assert NOTES[1][:40] not in sheet
    assert CALL_NOTE[:40] not in sheet


def test_a_note_of_another_request_is_refused_with_a_message(
    coordinator_client, worked
):
    elsewhere = ReviewEventFactory(text="Another patient's note")
    for address in (url(worked), pdf_url(worked)):
        response = coordinator_client.get(address, {"note": elsewhere.pk})
        assert response.status_code == 400
        html = response.content.decode()
        assert "not one of this request&#x27;s notes" in html
        assert "Another patient's note" not in html
    response = coordinator_client.get(url(worked), {"note": "first"})
    assert response.status_code == 400


def test_the_pdf_is_one_page_for_a_fully_answered_request_with_notes(
    coordinator_client, worked
):
    response = coordinator_client.get(pdf_url(worked), every_note(worked))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="referral-summary-{worked.reference}.pdf"'
    )
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    assert response.content.startswith(b"%PDF-")
    assert page_count(response.content) == 1


def test_the_pdf_uses_the_summary_stylesheet_and_fetches_nothing_else(
    coordinator_client, worked, caplog
):
    # WeasyPrint says so in its log when a stylesheet cannot be loaded.
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        coordinator_client.get(pdf_url(worked), every_note(worked))
    assert not [r for r in caplog.records if r.name == "weasyprint"]


@pytest.mark.parametrize(
    "address",
    [
        "https://example.org/static/css/summary.css",
        "http://testserver/media/upload.css",
        "http://testserver/static/../navigator/settings.py",
        "file:///etc/passwd",
        "http://testserver/static/css/missing.css",
    ],
)
def test_the_pdf_fetcher_serves_only_the_sites_own_static_files(address):
    if address.startswith("https://example.org/static/"):
        # A static path is read from disk, whatever the host: never fetched.
        assert b".summary-sheet" in StaticFilesOnly()(address).read()
        return
    with pytest.raises(ValueError):
        StaticFilesOnly()(address)


def test_each_look_and_download_is_audited_with_identifiers_only(
    coordinator_client, coordinator, worked, caplog
):
    AuditEvent.objects.all().delete()
    ticked = {"note": written(worked)[0].pk}
    with caplog.at_level(logging.DEBUG):
        coordinator_client.get(url(worked), ticked)
        coordinator_client.get(pdf_url(worked), every_note(worked))
    events = list(AuditEvent.objects.order_by("at", "id"))
    assert [(e.action, e.reference, e.user, e.detail) for e in events] == [
        ("view", worked.reference, coordinator, "referral summary notes=1"),
        ("view", worked.reference, coordinator, "referral summary pdf notes=4"),
    ]
    for text in (worked.contact_name, NOTES[0][:30], CALL_NOTE[:30]):
        assert text not in caplog.text


def test_its_query_count_does_not_grow_with_the_notes(
    coordinator_client, coordinator, django_assert_num_queries
):
    submission = SubmissionFactory()
    coordinator_client.get(url(submission))  # warm the catalog and the session
    # session, user with their review permission, second-factor device,
    # submission, timeline, audit insert, catalog version, referral
    for notes in (1, 20):
        while ReviewEvent.objects.filter(submission=submission).count() < notes:
            ReviewEventFactory(submission=submission, author=CoordinatorFactory())
        ticked = every_note(submission)
        with django_assert_num_queries(8):
            response = coordinator_client.get(url(submission), ticked)
        assert response.status_code == 200
