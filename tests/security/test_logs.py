"""What a patient types stays out of logs, audit records and error reports.

A made-up name, email, phone and free-text answer go in through the patient's
pages, a coordinator then reads, changes and exports the request, and none of
it may show up in any log record (every logger, at DEBUG) or audit field.
"""

import logging
import socket
import sys
from unittest import mock

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django.utils.http import urlencode
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from intake.models import AuditEvent, Submission
from tests.clients import BrowserClient, sent_by_a_person
from tests.factories import CoordinatorFactory, sign_in_verified

NAME = "Quillon Sentinelberg"
EMAIL = "quillon.sentinel@example.org"
PHONE = "+1 (202) 555-0147"
FREE_TEXT = "Thursdays after harp-sentinel rehearsal"
NOTE = "Sentinel note: left a voicemail zx81"
REASON = "Sentinel reason qv42"
SENTINELS = (NAME, EMAIL, PHONE, FREE_TEXT, NOTE, REASON)

# The intake's answers by field; the eligibility questions are all "yes".
ANSWERS = {
    "recent_infusion": "no",
    "symptoms": [],
    "disease": "lbcl",
    "lbcl_subtype": "dlbcl",
    "age": "58",
    "country": "US",
    "prior_lines": "2",
    "relapse_status": "refractory",
    "prior_therapies": "chemoimmunotherapy",
    "transplant_eligible": "no",
    "caregiver": "yes",
    "travel_abroad": "no",
}
CONTACT = sent_by_a_person(
    {
        "name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "preferred_language": "en",
        "preferred_time": FREE_TEXT,
        "consent": "on",
    }
)


def everything_logged(records) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(
        formatter.format(record) + " " + repr(record.__dict__) for record in records
    )


def walk_the_intake(client) -> Submission:
    response = client.get("/start/")
    while "form" in (response.context or {}):
        fields = response.context["form"].fields
        data = {name: ANSWERS.get(name, "yes") for name in fields}
        response = client.post(response.wsgi_request.path, data, follow=True)
        assert response.status_code == 200
    submission = Submission.objects.get()
    client.post(f"/i/{submission.token}/review/")
    return submission


def post_through_runserver(path: str, data: dict) -> int:
    """POST as a browser would to `manage.py runserver`'s request handler (the
    one that logs to django.server), in this thread so it sees the test's data."""
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(WSGIHandler())
    csrf = get_random_string(32)
    body = urlencode({"csrfmiddlewaretoken": csrf, **data}).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: csrftoken={csrf}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    # As the test client does: a request's end must not close the connection
    # that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with socket.create_connection(server.server_address, timeout=10) as browser:
            browser.sendall(head.encode() + body)
            server.handle_request()
            reply = browser.recv(64)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        server.server_close()
    return int(reply.split()[1])


def test_nothing_a_patient_types_reaches_the_logs_or_the_audit_trail(catalog, caplog):
    caplog.set_level(logging.DEBUG)
    patient = BrowserClient()
    submission = walk_the_intake(patient)
    contact_url = f"/i/{submission.token}/contact/"
    refused = patient.post(contact_url, {**CONTACT, "phone": f"call {NAME}"})
    assert refused.status_code == 400
    assert patient.post(contact_url, CONTACT).status_code == 302
    assert post_through_runserver("/start/", {"recent_infusion": NAME}) == 400
    assert post_through_runserver(contact_url, {**CONTACT, "email": NAME}) == 400

    coordinator = CoordinatorFactory()
    client = BrowserClient()
    sign_in_verified(client, coordinator)
    detail = f"/review/{submission.reference}/"
    assert NAME in client.get(detail).content.decode()

    def revision():
        return Submission.objects.get(pk=submission.pk).revision

    client.post(
        detail + "assign/", {"assignee": coordinator.pk, "revision": revision()}
    )
    for status in ("in_review", "contacted", "referred"):
        client.post(detail + "status/", {"to_status": status, "revision": revision()})
    client.post(detail + "notes/", {"text": NOTE, "revision": revision()})
    client.post(
        detail + "status/",
        {"to_status": "closed", "reason": REASON, "revision": revision()},
    )
    export = client.get("/review/export.csv", {"status": "all"})
    assert EMAIL in b"".join(export.streaming_content).decode()
    assert Submission.objects.get(pk=submission.pk).review_status == "closed"

    logged = everything_logged(caplog.records)
    assert "Bad Request: /start/" in logged  # django.request saw the 400s
    assert '"POST /start/ HTTP/1.1" 400' in logged  # and so did django.server
    audit = [
        str(value)
        for row in AuditEvent.objects.values()
        for value in row.values()
        if value is not None
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert actions == {"view", "change", "export"}
    for sentinel in SENTINELS:
        assert sentinel not in logged
        assert not [value for value in audit if sentinel in value]


@pytest.mark.parametrize(
    "view, url, data",
    [
        ("start", "/start/", {"recent_infusion": NAME}),
        ("step", "/i/{token}/about/", {"age": PHONE, "country": EMAIL}),
        ("contact", "/i/{token}/contact/", CONTACT),
    ],
)
def test_a_crash_in_an_intake_form_keeps_the_typed_values_out_of_the_report(
    make_submission, view, url, data
):
    submission = make_submission(submitted=True)
    crashed = []

    def keep(sender, request, **kwargs):
        crashed.append((request, sys.exc_info()))

    got_request_exception.connect(keep)
    # The steps fail before the form is read, the contact request after: its
    # validated values are then in the view's local variables too.
    target = {
        "start": "intake.views.get_catalog",
        "step": "intake.views.get_catalog",
        "contact": "intake.views.services.submission_request_contact",
    }[view]
    try:
        with mock.patch(target, side_effect=RuntimeError("crafted")):
            response = BrowserClient(raise_request_exception=False).post(
                url.format(token=submission.token), data
            )
    finally:
        got_request_exception.disconnect(keep)

    assert response.status_code == 500
    [(request, exc_info)] = crashed
    posted = SafeExceptionReporterFilter().get_post_parameters(request)
    assert set(posted) >= set(data)
    assert all(set(value) == {"*"} for value in posted.values())
    report = ExceptionReporter(request, *exc_info).get_traceback_text()
    for value in data.values():
        if value not in ("en", "on"):
            assert value not in report
