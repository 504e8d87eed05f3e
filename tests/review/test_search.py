"""Finding anyone from the queue's search box: reference, name, email or phone."""

import logging

import pytest

from intake import services
from intake.models import AuditEvent
from intake.review.services import forget_status_counts
from tests.factories import SubmissionFactory
from tests.review.conftest import login_redirect

URL = "/review/"


def found(response) -> list[str]:
    return [s.reference for s in response.context["rows"]]


def test_it_sends_anonymous_users_to_the_login_page(client, db):
    response = client.get(URL, {"q": "Maria"})
    assert response.url.startswith(login_redirect(URL))
    assert AuditEvent.objects.count() == 0


def test_it_refuses_staff_who_are_not_coordinators(staff_client):
    assert staff_client.get(URL, {"q": "Maria"}).status_code == 403
    assert AuditEvent.objects.count() == 0


def test_it_finds_a_patient_by_part_of_their_name_in_any_case(coordinator_client):
    maria = SubmissionFactory(contact_name="María Gómez Ortega")
    SubmissionFactory(contact_name="Peter Smith")
    assert found(coordinator_client.get(URL, {"q": "gómez"})) == [maria.reference]
    assert found(coordinator_client.get(URL, {"q": "ORTEGA"})) == [maria.reference]


def test_it_finds_a_patient_by_part_of_their_email(coordinator_client):
    wanted = SubmissionFactory(contact_email="j.doe@hospital.example")
    SubmissionFactory(contact_email="someone@example.org")
    response = coordinator_client.get(URL, {"q": "J.DOE@HOSPITAL"})
    assert found(response) == [wanted.reference]


@pytest.mark.parametrize(
    "typed", ["+1 (202) 555-0147", "202 555 0147", "2025550147", "555-0147"]
)
def test_it_finds_a_phone_number_however_it_is_typed(coordinator_client, typed):
    wanted = SubmissionFactory(contact_phone="+1 202-555-0147")
    SubmissionFactory(contact_phone="+1 202 555 0100")
    assert found(coordinator_client.get(URL, {"q": typed})) == [wanted.reference]


def test_a_long_international_phone_number_is_not_cut(coordinator_client):
    number = "+44 (0) 20 7946 0958 ext 1234"
    wanted = SubmissionFactory(contact_phone=number)
    SubmissionFactory(contact_phone="+44 20 7946 0000")
    response = coordinator_client.get(URL, {"q": number})
    assert response.context["form"]["q"].value() == number
    assert found(response) == [wanted.reference]


def test_the_phone_digits_are_kept_when_the_patient_asks_to_be_contacted(
    make_submission,
):
    submission = services.submission_request_contact(
        submission=make_submission(submitted=True),
        name="A Patient",
        email="",
        phone="+34 (91) 123-45-67",
        preferred_language="es",
        preferred_time="",
    )
    submission.refresh_from_db()
    assert submission.contact_phone_digits == "34911234567"
    assert submission.last_action_at == submission.contact_requested_at


def test_a_few_digits_are_no_phone_search(coordinator_client):
    SubmissionFactory(contact_phone="+1 202 555 0100")
    assert found(coordinator_client.get(URL, {"q": "20"})) == []


def test_it_finds_a_reference_in_any_case_and_closed_requests_too(
    coordinator_client,
):
    closed = SubmissionFactory(review_status="closed", close_reason="Done")
    SubmissionFactory(contact_name="Closed Twin")
    response = coordinator_client.get(URL, {"q": f" {closed.reference.lower()} "})
    assert found(response) == [closed.reference]
    named = SubmissionFactory(
        contact_name="Ann Closed", review_status="closed", close_reason="Done"
    )
    assert named.reference in found(coordinator_client.get(URL, {"q": "ann closed"}))


def test_every_search_is_audited_with_its_kind_and_count_never_its_text(
    coordinator_client, coordinator, caplog
):
    caplog.set_level(logging.DEBUG)
    SubmissionFactory(contact_name="Maria Lopez", contact_phone="+1 202 555 0147")
    SubmissionFactory(contact_name="Mariana Ruiz")
    coordinator_client.get(URL, {"q": "maria"}, REMOTE_ADDR="203.0.113.9")
    coordinator_client.get(URL, {"q": "202 555 0147"})
    coordinator_client.get(URL, {"q": "CT-ABCDEFGH"})
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.detail for e in events] == [
        "kind=text results=2",
        "kind=phone results=1",
        "kind=reference results=0",
    ]
    assert all(e.action == AuditEvent.Action.SEARCH for e in events)
    assert events[0].user == coordinator
    assert events[0].ip_address == "203.0.113.9"
    assert events[0].submission_id is None
    for secret in ("maria", "Maria", "0147", "ABCDEFGH"):
        assert all(secret not in e.detail + e.reference for e in events)
        assert secret not in caplog.text


def test_browsing_the_queue_without_a_search_is_not_audited(coordinator_client):
    SubmissionFactory()
    coordinator_client.get(URL, {"urgent": "yes"})
    assert AuditEvent.objects.count() == 0


def test_a_search_with_more_results_than_a_page_says_so(
    coordinator_client, monkeypatch
):
    monkeypatch.setattr("intake.review.queries.PAGE_SIZE", 2)
    SubmissionFactory.create_batch(3, contact_name="Same Name")
    response = coordinator_client.get(URL, {"q": "same name"})
    assert len(found(response)) == 2
    assert response.context["next_url"]
    assert AuditEvent.objects.get().detail == "kind=text results=2+"


@pytest.mark.parametrize("count", [10, 200])
def test_its_query_count_does_not_grow_with_the_queue(
    coordinator_client, django_assert_num_queries, count
):
    SubmissionFactory.create_batch(count, contact_name="Demo Person")
    coordinator_client.get(URL)  # the first request starts the session clocks
    forget_status_counts()
    # session, user with their review permission, second-factor device, one
    # page of rows, the audit record, and one capped count per status (six)
    with django_assert_num_queries(11):
        response = coordinator_client.get(URL, {"q": "demo person"})
    assert len(response.context["rows"]) == min(count, 50)


def test_an_export_of_a_search_audits_its_kind_not_its_text(coordinator_client):
    SubmissionFactory(contact_name="Maria Lopez")
    response = coordinator_client.get(
        "/review/export.csv",
        {"q": "maria lopez", "status": ["new", "in_review"]},
    )
    assert "Maria Lopez" in b"".join(response.streaming_content).decode()
    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert event.detail == "search=text&status=new&status=in_review"
