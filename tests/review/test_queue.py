import csv
import datetime
import io

import pytest
import time_machine
from django.utils import timezone, translation

from intake.models import AuditEvent, Submission
from intake.review.queries import queue_page
from intake.review.rows import queue_rows
from intake.review.services import forget_status_counts
from tests.factories import (
    URGENT_ANSWERS,
    CoordinatorFactory,
    SubmissionFactory,
    sign_in_verified,
)
from tests.review.conftest import login_redirect

URL = "/review/"


def references(response) -> list[str]:
    return [s.reference for s in response.context["rows"]]


def test_it_sends_anonymous_users_to_the_login_page(client, submission):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == login_redirect(URL)


def test_it_refuses_staff_who_are_not_coordinators(staff_client, submission):
    response = staff_client.get(URL)
    assert response.status_code == 403
    assert submission.reference not in response.content.decode()


def test_it_shows_the_queue_to_coordinators(coordinator_client, submission):
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    assert submission.reference in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_it_shows_the_queue_to_superusers(client, django_user_model, submission):
    sign_in_verified(
        client,
        django_user_model.objects.create_superuser("root", "root@example.org", "pw"),
    )
    assert client.get(URL).status_code == 200


def test_it_refuses_post(coordinator_client):
    assert coordinator_client.post(URL).status_code == 405


def test_it_lists_only_submitted_requests_to_be_contacted(coordinator_client):
    shown = SubmissionFactory()
    SubmissionFactory(stage=Submission.Stage.DRAFT)
    SubmissionFactory(contact_requested=False, contact_requested_at=None)
    assert references(coordinator_client.get(URL)) == [shown.reference]


def test_it_puts_urgent_requests_first_then_the_oldest(coordinator_client):
    now = timezone.now()
    newer = SubmissionFactory(contact_requested_at=now - datetime.timedelta(days=1))
    older = SubmissionFactory(contact_requested_at=now - datetime.timedelta(days=5))
    urgent = SubmissionFactory(
        answer_overrides=URGENT_ANSWERS, contact_requested_at=now
    )
    assert references(coordinator_client.get(URL)) == [
        urgent.reference,
        older.reference,
        newer.reference,
    ]


def test_it_shows_what_a_row_needs(coordinator_client, coordinator):
    SubmissionFactory(assignee=coordinator, answer_overrides=URGENT_ANSWERS)
    html = coordinator_client.get(URL).content.decode()
    for text in (
        "Large B-cell lymphoma",
        "Refractory",
        "Urgent",
        "Nora Navigator",
    ):
        assert text in html
    assert "{#" not in html and "{%" not in html, "template syntax shown as text"


def test_it_hides_closed_requests_unless_asked(coordinator_client):
    open_one = SubmissionFactory()
    closed = SubmissionFactory(review_status="closed", close_reason="Not reachable")
    assert references(coordinator_client.get(URL)) == [open_one.reference]
    assert references(coordinator_client.get(URL, {"status": "closed"})) == [
        closed.reference
    ]
    assert len(references(coordinator_client.get(URL, {"status": "all"}))) == 2


def test_it_filters_by_disease_urgency_and_waiting_time(coordinator_client):
    now = timezone.now()
    lbcl = SubmissionFactory(contact_requested_at=now - datetime.timedelta(days=10))
    mm = SubmissionFactory(
        answer_overrides={"disease": "mm", "transplant_eligible": ""},
        contact_requested_at=now,
    )
    urgent = SubmissionFactory(answer_overrides=URGENT_ANSWERS)
    assert references(coordinator_client.get(URL, {"disease": "mm"})) == [mm.reference]
    assert references(coordinator_client.get(URL, {"urgent": "yes"})) == [
        urgent.reference
    ]
    assert urgent.reference not in references(
        coordinator_client.get(URL, {"urgent": "no"})
    )
    assert references(coordinator_client.get(URL, {"waiting": "7"})) == [lbcl.reference]


def test_it_filters_by_assignee(coordinator_client, coordinator):
    mine = SubmissionFactory(assignee=coordinator)
    theirs = SubmissionFactory(assignee=CoordinatorFactory())
    nobodys = SubmissionFactory()
    assert references(coordinator_client.get(URL, {"assigned": "me"})) == [
        mine.reference
    ]
    assert references(coordinator_client.get(URL, {"assigned": "none"})) == [
        nobodys.reference
    ]
    assert len(references(coordinator_client.get(URL))) == 3
    assert theirs.reference in references(coordinator_client.get(URL))


def test_it_finds_a_request_by_reference_in_any_case_and_status(coordinator_client):
    wanted = SubmissionFactory(review_status="closed", close_reason="Done")
    SubmissionFactory()
    response = coordinator_client.get(URL, {"q": f"  {wanted.reference.lower()} "})
    assert references(response) == [wanted.reference]


def test_it_counts_requests_per_status(coordinator_client):
    SubmissionFactory.create_batch(2)
    SubmissionFactory(review_status="contacted")
    counts = {
        code: n
        for code, _label, n in coordinator_client.get(URL).context["status_counts"]
    }
    assert counts == {
        "new": "2",
        "in_review": "0",
        "contacted": "1",
        "referred": "0",
        "closed": "0",
        "spam": "0",
    }


def test_it_caps_the_counts_so_they_stay_cheap(coordinator_client, monkeypatch):
    monkeypatch.setattr("intake.review.queries.COUNT_CAP", 2)
    SubmissionFactory.create_batch(3)
    SubmissionFactory(review_status="contacted")
    response = coordinator_client.get(URL)
    counts = {code: n for code, _label, n in response.context["status_counts"]}
    assert (counts["new"], counts["contacted"]) == ("2+", "1")
    assert response.context["open_count"] == "3+"


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"disease": "flu"},
        {"urgent": "maybe"},
        {"assigned": "you"},
        {"waiting": "soon"},
        {"waiting": "-3"},
        {"waiting": "99999999999999999999"},
        {"q": "x" * 500},
        {"after": "garbage"},
        {"after": "1_99999999999999999999999_1"},
        {"after": "7_1_1"},
        {"after": "0_1_99999999999999999999"},
    ],
)
def test_it_explains_filters_it_cannot_use_instead_of_failing(
    coordinator_client, submission, params
):
    response = coordinator_client.get(URL, params)
    assert response.status_code == 200
    assert submission.reference in references(response)
    assert list(response.context["messages"])


@pytest.mark.parametrize("page_size", [1, 2, 3, 50])
def test_it_pages_through_the_queue_by_keyset(
    coordinator_client, monkeypatch, page_size
):
    monkeypatch.setattr("intake.review.queries.PAGE_SIZE", page_size)
    now = timezone.now()

    def made(hours_ago, **kwargs):
        return SubmissionFactory(
            contact_requested_at=now - datetime.timedelta(hours=hours_ago), **kwargs
        )

    urgent = [made(h, answer_overrides=URGENT_ANSWERS) for h in (3, 3, 1)]
    others = [made(h) for h in (5, 4, 4, 1)]
    SubmissionFactory(review_status="closed", close_reason="Done")
    # Urgent first, then oldest; rows that share a time are ordered by id.
    expected = [s.reference for s in urgent + others]
    seen, pages = [], 0
    response = coordinator_client.get(URL, {"disease": "lbcl"})
    while True:
        pages += 1
        assert len(references(response)) <= page_size
        seen += references(response)
        if not response.context["next_url"]:
            break
        assert "disease=lbcl" in response.context["next_url"]
        response = coordinator_client.get(URL + response.context["next_url"])
    assert seen == expected
    assert pages == -(-len(expected) // page_size)
    assert (response.context["first_url"] is not None) == (pages > 1)


@pytest.mark.parametrize("count", [1, 200])
def test_its_query_count_does_not_grow_with_the_queue(
    coordinator_client, coordinator, django_assert_num_queries, count
):
    SubmissionFactory.create_batch(count, assignee=coordinator)
    coordinator_client.get(URL)  # the first request starts the session clocks
    forget_status_counts()
    # session, user with their review permission, second-factor device, one
    # page of rows, and one capped count per status (six)
    with django_assert_num_queries(10):
        response = coordinator_client.get(URL)
    assert len(response.context["rows"]) == min(count, 50)


def test_looking_at_the_queue_writes_no_audit_record(coordinator_client, submission):
    coordinator_client.get(URL)
    assert AuditEvent.objects.count() == 0


def test_a_page_past_the_last_urgent_row_takes_one_more_query(
    coordinator_client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("intake.review.queries.PAGE_SIZE", 2)
    SubmissionFactory.create_batch(3, answer_overrides=URGENT_ANSWERS)
    SubmissionFactory.create_batch(3)
    first = coordinator_client.get(URL)  # also starts the session clocks
    # The status counts were counted by the first page and are kept. Each page:
    # session, user and permission, second-factor device, then its rows.
    with django_assert_num_queries(5):
        crossing = coordinator_client.get(URL + first.context["next_url"])
    assert [s.urgent for s in crossing.context["rows"]] == [True, False]
    with django_assert_num_queries(4):
        coordinator_client.get(URL + crossing.context["next_url"])


def test_the_status_counts_are_counted_once_for_a_few_seconds(
    coordinator_client, django_assert_num_queries
):
    SubmissionFactory.create_batch(2)
    coordinator_client.get(URL)
    SubmissionFactory()  # a request that arrives meanwhile, in another process
    # session, user and permission, second-factor device, rows
    with django_assert_num_queries(4):
        response = coordinator_client.get(URL)
    assert len(response.context["rows"]) == 3
    assert response.context["open_count"] == "2"
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=11)):
        response = coordinator_client.get(URL)
    assert response.context["open_count"] == "3"


def test_a_status_change_shows_in_the_counts_at_once(
    coordinator_client, django_capture_on_commit_callbacks
):
    submission = SubmissionFactory()
    coordinator_client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            f"/review/{submission.reference}/status/",
            {"to_status": "in_review", "revision": submission.revision},
        )
    assert response.status_code == 302
    counts = {
        code: n
        for code, _label, n in coordinator_client.get(URL).context["status_counts"]
    }
    assert (counts["new"], counts["in_review"]) == ("0", "1")


def test_waiting_filter_keeps_urgent_first_across_pages(
    coordinator_client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("intake.review.queries.PAGE_SIZE", 2)
    now = timezone.now()

    def made(days_ago, **kwargs):
        at = now - datetime.timedelta(days=days_ago)
        return SubmissionFactory(contact_requested_at=at, **kwargs)

    old_urgent = made(9, answer_overrides=URGENT_ANSWERS)
    made(1, answer_overrides=URGENT_ANSWERS)  # not waiting long enough
    oldest, old = made(20), made(8)
    made(2)
    coordinator_client.get(URL)  # session clocks and status counts
    # session, user and permission, second-factor device, urgent rows, then
    # the others
    with django_assert_num_queries(5):
        first = coordinator_client.get(URL, {"waiting": "7"})
    assert references(first) == [old_urgent.reference, oldest.reference]
    second = coordinator_client.get(URL + first.context["next_url"])
    assert references(second) == [old.reference]


@pytest.mark.parametrize("urgent", ["yes", "no"])
def test_waiting_with_one_urgency_reads_only_that_urgency(
    coordinator_client, django_assert_num_queries, urgent
):
    now = timezone.now()
    shown = SubmissionFactory(
        contact_requested_at=now - datetime.timedelta(days=9),
        answer_overrides=URGENT_ANSWERS if urgent == "yes" else {},
    )
    SubmissionFactory(
        contact_requested_at=now - datetime.timedelta(days=9),
        answer_overrides={} if urgent == "yes" else URGENT_ANSWERS,
    )
    coordinator_client.get(URL)  # session clocks and status counts
    # session, user and permission, second-factor device, then the rows of
    # that urgency alone
    with django_assert_num_queries(4):
        response = coordinator_client.get(URL, {"waiting": "7", "urgent": urgent})
    assert references(response) == [shown.reference]


def test_it_escapes_what_a_row_shows(coordinator_client):
    sly = CoordinatorFactory(first_name='<script>alert("x")</script>', last_name="&")
    SubmissionFactory(assignee=sly)
    html = coordinator_client.get(URL).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in html


def test_the_filter_form_shows_the_filters_applied(coordinator_client):
    html = coordinator_client.get(
        URL, {"worklist": "first_contact", "status": ["new", "contacted"], "q": "A&B"}
    ).content.decode()
    assert '<option value="first_contact" selected>' in html
    assert '<option value="" selected>Any</option>' in html  # disease, not chosen
    assert 'value="new" id="id_status_0" checked>' in html
    assert 'value="in_review" id="id_status_1">' in html
    assert 'value="contacted" id="id_status_2" checked>' in html
    assert 'name="q" value="A&amp;B"' in html


def test_the_filter_form_marks_a_filter_it_could_not_use(coordinator_client):
    html = coordinator_client.get(URL, {"disease": "flu"}).content.decode()
    assert (
        'class="select form-select is-invalid" aria-invalid="true" '
        'aria-describedby="id_disease_error" id="id_disease">'
    ) in html
    assert '<div id="id_disease_error" class="invalid-feedback d-block">' in html
    assert " selected>" not in html.split('id="id_disease"')[1].split("</select>")[0]


FILTER_SHAPES = [
    {},
    {"status": "new"},
    {"status": "all"},
    {"status": "closed", "disease": "mm"},
    {"disease": "lbcl", "urgent": "yes"},
    {"urgent": "no", "assigned": "me"},
    {"assigned": "none", "waiting": "2"},
    {"status": "in_review", "assigned": "me", "waiting": "1"},
    {"disease": "lbcl", "urgent": "no", "assigned": "none", "waiting": "0"},
    {"status": "all", "urgent": "yes", "waiting": "3"},
]


@pytest.mark.parametrize("filters", FILTER_SHAPES, ids=lambda f: "&".join(f) or "open")
def test_every_kind_of_filter_pages_through_what_the_export_lists(
    coordinator_client, coordinator, monkeypatch, filters
):
    # The page reads keyset pages (after a cursor, urgent rows apart); the
    # export reads the filtered queue at once. A filter the two read
    # differently shows here.
    monkeypatch.setattr("intake.review.queries.PAGE_SIZE", 2)
    now = timezone.now()
    other = CoordinatorFactory(username="other")
    for n in range(14):
        SubmissionFactory(
            contact_requested_at=now - datetime.timedelta(days=n % 5, hours=n),
            answer_overrides={
                **(URGENT_ANSWERS if n % 3 == 0 else {}),
                **({"disease": "mm", "transplant_eligible": ""} if n % 4 == 1 else {}),
            },
            review_status=["new", "in_review", "closed"][n % 3],
            close_reason="Done" if n % 3 == 2 else "",
            assignee=[None, coordinator, other][n % 4 % 3],
        )
    exported = [
        row["Reference"]
        for row in csv.DictReader(
            io.StringIO(
                b"".join(
                    coordinator_client.get(
                        "/review/export.csv", filters
                    ).streaming_content
                ).decode()
            )
        )
    ]
    shown = []
    response = coordinator_client.get(URL, filters)
    while True:
        shown += references(response)
        if not response.context["next_url"]:
            break
        response = coordinator_client.get(URL + response.context["next_url"])
    assert shown == exported


def test_queue_rows_are_written_in_the_active_language(coordinator):
    # The rows' fixed words are translated for each page: each language gets its own.
    SubmissionFactory()
    rows, _next = queue_page({}, coordinator)
    now = timezone.now()
    with translation.override("es"):
        spanish = queue_rows(rows, now)
    english = queue_rows(rows, now)
    assert "Linfoma de células B grandes" in spanish
    assert "Nadie todavía" in spanish
    assert "Large B-cell lymphoma" not in spanish
    assert "Large B-cell lymphoma" in english
    assert "Nobody yet" in english
