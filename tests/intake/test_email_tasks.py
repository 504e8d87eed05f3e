"""Every email goes through the task queue: retried when mail is down, sent
when it comes back without the patient doing anything, recorded for
coordinators when it keeps failing, and a patient's address forgotten."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks import default_task_backend

from intake import services, tasks
from intake.models import LinkEmail, Submission, UndeliveredEmail
from tests.factories import (
    URGENT_ANSWERS,
    CoordinatorFactory,
    SubmissionFactory,
    sign_in_verified,
)
from tests.mailbackends import SlowEmailBackend

DOWN = "tests.mailbackends.DownEmailBackend"
UP = "django.core.mail.backends.locmem.EmailBackend"
CONTACT = dict(
    name="Pat Example",
    email="pat@example.org",
    phone="",
    preferred_language="en",
    preferred_time="",
)


@pytest.fixture
def queued(settings):
    """Tasks are kept, not run: the test runs them, as a worker would."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def run_due(backend) -> list:
    """Run every kept task whose time has come, as the worker does; the
    results of the runs (a return value, or the EmailNotSent raised)."""
    due = [
        r
        for r in backend.results
        if r.task.run_after is None or r.task.run_after <= timezone.now()
    ]
    backend.results[:] = [r for r in backend.results if r not in due]
    outcomes = []
    for result in due:
        try:
            outcomes.append(result.task.call(*result.args, **result.kwargs))
        except tasks.EmailNotSent as error:
            outcomes.append(error)
    return outcomes


def later(seconds: int):
    return time_machine.travel(
        timezone.now() + datetime.timedelta(seconds=seconds), tick=False
    )


def test_the_patients_request_only_enqueues_the_urgent_alert(queued, make_submission):
    CoordinatorFactory(email="nurse@example.org")
    submission = make_submission(URGENT_ANSWERS, submitted=True)
    services.submission_request_contact(submission=submission, **CONTACT)
    assert not mail.outbox
    # 15 seconds later (a burst joins one email), and a second look at 5 minutes
    waits = [
        round((r.task.run_after - timezone.now()).total_seconds())
        for r in queued.results
    ]
    assert [r.task.name for r in queued.results] == ["send_urgent_alerts"] * 2
    assert waits == [15, 300]


def test_an_urgent_alert_goes_out_when_mail_comes_back_without_the_patient(
    queued, make_submission, settings
):
    CoordinatorFactory(email="nurse@example.org")
    submission = make_submission(URGENT_ANSWERS, submitted=True)
    services.submission_request_contact(submission=submission, **CONTACT)
    settings.EMAIL_BACKEND = DOWN
    with later(20):
        assert isinstance(run_due(queued)[0], tasks.EmailNotSent)
    with later(40):
        assert run_due(queued) == []  # the retry waits a minute
    settings.EMAIL_BACKEND = UP
    with later(90):
        assert run_due(queued) == [1]
    assert [m.to for m in mail.outbox] == [["nurse@example.org"]]
    submission.refresh_from_db()
    assert submission.urgent_alerted_at is not None
    assert not UndeliveredEmail.objects.urgent_alert_open().exists()


def test_the_second_look_sends_what_a_dead_worker_left(
    queued, make_submission, settings
):
    CoordinatorFactory(email="nurse@example.org")
    submission = make_submission(URGENT_ANSWERS, submitted=True)
    services.submission_request_contact(submission=submission, **CONTACT)
    queued.results.pop(0)  # its worker died while running it
    with later(301):
        assert run_due(queued) == [1]
    assert len(mail.outbox) == 1


def test_retries_wait_longer_each_time_up_to_a_limit(settings):
    settings.EMAIL_RETRY_MAX_DELAY = 600
    waits = [tasks.retry_delay(n).total_seconds() for n in range(1, 7)]
    assert waits == [60, 120, 240, 480, 600, 600]


def test_coordinators_see_an_alert_that_keeps_failing_until_it_goes_out(
    queued, make_submission, settings, client
):
    settings.EMAIL_ATTEMPTS = 3
    settings.EMAIL_BACKEND = DOWN
    coordinator = CoordinatorFactory(email="nurse@example.org")
    submission = make_submission(URGENT_ANSWERS, submitted=True)
    services.submission_request_contact(submission=submission, **CONTACT)
    for minutes in (1, 3, 7):
        with later(minutes * 60):
            run_due(queued)
    assert UndeliveredEmail.objects.dead().count() == 1
    sign_in_verified(client, coordinator)
    page = client.get("/review/").content.decode()
    assert "1 urgent request has no alert email" in page
    listed = client.get("/review/undelivered/").content.decode()
    assert "ConnectError" in listed or "SMTPConnectError" in listed
    settings.EMAIL_BACKEND = UP
    with later(30 * 60):
        assert run_due(queued) == [1]
    assert not UndeliveredEmail.objects.dead().exists()
    page = client.get("/review/undelivered/").content.decode()
    assert "has no alert email" not in page
    assert "Every email went out." in page


def test_one_outage_keeps_one_chain_of_retries(queued, make_submission, settings):
    settings.EMAIL_BACKEND = DOWN
    CoordinatorFactory(email="nurse@example.org")
    for _ in range(3):
        submission = make_submission(URGENT_ANSWERS, submitted=True)
        services.submission_request_contact(submission=submission, **CONTACT)
    with later(20):
        assert len(run_due(queued)) == 3
    # one retry, not three (and each request's second look, at 5 minutes)
    assert len(queued.results) == 1 + 3
    settings.EMAIL_BACKEND = UP
    with later(120):
        assert run_due(queued) == [3]
    assert len(mail.outbox) == 1


def send_waiting_for_the_lock() -> int:
    """The alert task, as a worker runs it. SQLite's test database lives in
    memory, where a writer that finds it locked fails at once instead of
    waiting (the file database waits up to its timeout): wait here the same
    way. PostgreSQL skips the locked rows and never gets here."""
    for _ in range(200):
        try:
            return tasks.send_urgent_alerts.call()
        except (OperationalError, tasks.EmailNotSent) as error:
            if "locked" not in str(error) and "OperationalError" not in str(error):
                raise
            threading.Event().wait(0.05)
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_urgent_alert_exactly_once(catalog, settings):
    """Two workers run the alert task at the same moment: the first holds the
    requests while its email goes out; the second sends nothing for them."""
    settings.EMAIL_BACKEND = "tests.mailbackends.SlowEmailBackend"
    SlowEmailBackend.sending.clear()
    CoordinatorFactory(email="nurse@example.org")
    urgent = [SubmissionFactory(answer_overrides=URGENT_ANSWERS) for _ in range(4)]
    outcomes = []

    def worker(first: bool):
        try:
            if not first:
                SlowEmailBackend.sending.wait(5)
            outcomes.append(send_waiting_for_the_lock())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f,)) for f in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == [0, 4]
    assert len(mail.outbox) == 1
    for submission in urgent:
        assert submission.reference in mail.outbox[0].body
    assert not Submission.objects.urgent_not_alerted().exists()


def test_the_link_email_forgets_the_address_once_sent(queued, make_submission):
    submission = make_submission()
    row = services.submission_email_link(
        submission=submission,
        email="someone@example.org",
        site="https://navigator.example.org",
        language="en",
    )
    (result,) = queued.results
    assert result.args == [row.pk]  # the queue holds an id, never the address
    assert "someone@example.org" not in repr(result.args) + repr(result.kwargs)
    assert run_due(queued) == [True]
    assert mail.outbox[0].to == ["someone@example.org"]
    assert f"https://navigator.example.org/i/{submission.token}/" in mail.outbox[0].body
    assert not LinkEmail.objects.exists()


def test_a_failed_link_email_is_retried_then_given_up_and_forgotten(
    queued, make_submission, settings
):
    settings.EMAIL_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "tests.mailbackends.RecipientRefusedBackend"
    submission = make_submission()
    services.submission_email_link(
        submission=submission, email="someone@example.org", site="", language="en"
    )
    (failure,) = run_due(queued)
    assert "someone@example.org" not in str(failure)
    assert LinkEmail.objects.get().attempts == 1
    with later(90):
        run_due(queued)
    assert not LinkEmail.objects.exists()
    record = UndeliveredEmail.objects.dead().get()
    assert record.kind == UndeliveredEmail.Kind.PATIENT_LINK
    assert record.reference == submission.reference
    assert record.error == "SMTPRecipientsRefused"


def test_deleting_the_answers_deletes_a_pending_link_email(queued, make_submission):
    submission = make_submission()
    services.submission_email_link(
        submission=submission, email="someone@example.org", site="", language="es"
    )
    services.submission_delete(submission=submission, ip_address=None)
    assert not LinkEmail.objects.exists()
    assert run_due(queued) == [False]
    assert not mail.outbox
