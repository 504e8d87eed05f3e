"""`manage.py purge` removes what is past its retention time, and nothing else."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from intake.models import AuditEvent, LinkEmail, ReviewEvent, Submission
from intake.services import submission_delete
from tests.factories import ReviewEventFactory, SubmissionFactory


def age(submission, days):
    Submission.objects.filter(pk=submission.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=days)
    )


def purge(*args) -> str:
    out = io.StringIO()
    call_command("purge", *args, stdout=out)
    return out.getvalue()


def audit(submission, *, days_ago=0):
    return AuditEvent.objects.create(
        action=AuditEvent.Action.VIEW,
        submission_id=submission.pk,
        reference=submission.reference,
        ip_address="203.0.113.9",
        at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_it_removes_what_is_past_its_time_and_keeps_the_rest(make_submission, settings):
    settings.DRAFT_RETENTION_DAYS = 30
    settings.RESUME_LINK_IDLE_DAYS = 180
    settings.CLOSED_RETENTION_DAYS = 365
    old_draft, fresh_draft = make_submission(), make_submission()
    age(old_draft, 31)
    expired, recent = make_submission(submitted=True), make_submission(submitted=True)
    age(expired, 181)
    age(recent, 179)
    closed_long_ago = SubmissionFactory(review_status="closed")
    spam_long_ago = SubmissionFactory(review_status="spam")
    closed_lately = SubmissionFactory(review_status="closed")
    open_and_old = SubmissionFactory(review_status="contacted")
    for submission in (closed_long_ago, spam_long_ago, open_and_old):
        age(submission, 366)
    ReviewEventFactory(submission=closed_long_ago)
    out = purge()
    assert "1 abandoned drafts deleted" in out
    assert "1 submissions whose link expired" in out
    assert "2 closed or spam requests" in out
    assert set(Submission.objects.values_list("pk", flat=True)) == {
        fresh_draft.pk,
        recent.pk,
        closed_lately.pk,
        open_and_old.pk,
    }
    assert not ReviewEvent.objects.filter(submission_id=closed_long_ago.pk).exists()


def test_a_dry_run_counts_and_removes_nothing(make_submission):
    age(make_submission(), 60)
    out = purge("--dry-run")
    assert "Would be removed: 1 abandoned drafts deleted" in out
    assert Submission.objects.count() == 1


def test_audit_records_of_purged_requests_keep_no_address(db):
    closed = SubmissionFactory(review_status="closed")
    age(closed, 400)
    record = audit(closed)
    kept = audit(SubmissionFactory())
    purge()
    record.refresh_from_db()
    kept.refresh_from_db()
    assert record.reference == closed.reference
    assert record.ip_address is None
    assert kept.ip_address == "203.0.113.9"


def test_a_patients_own_deletion_keeps_its_address_until_the_retention_time(
    make_submission, settings
):
    settings.CLOSED_RETENTION_DAYS = 365
    submission = make_submission(submitted=True)
    submission_delete(submission=submission, ip_address="203.0.113.7")
    purge()
    assert AuditEvent.objects.get().ip_address == "203.0.113.7"
    AuditEvent.objects.update(at=timezone.now() - datetime.timedelta(days=366))
    purge()
    assert AuditEvent.objects.get().ip_address is None


def test_a_link_email_no_worker_sent_is_forgotten_after_a_day(make_submission):
    submission = make_submission()
    old = LinkEmail.objects.create(
        submission=submission, email="a@example.org", site="", language="en"
    )
    LinkEmail.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    new = LinkEmail.objects.create(
        submission=submission, email="b@example.org", site="", language="en"
    )
    purge()
    assert list(LinkEmail.objects.values_list("pk", flat=True)) == [new.pk]


def test_purge_drafts_still_works(make_submission):
    age(make_submission(), 40)
    out = io.StringIO()
    call_command("purge_drafts", stdout=out)
    assert "Deleted 1" in out.getvalue()


def test_it_prunes_old_finished_tasks_with_the_database_backend(db, settings, caplog):
    from intake.tasks import send_link_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_link_email.enqueue(0)  # waiting, not finished: kept
    with caplog.at_level("INFO"):
        purge()
    assert "Deleted 0 task result(s)" in caplog.text


def test_with_tasks_run_on_the_spot_there_is_nothing_to_prune(db, caplog):
    with caplog.at_level("INFO"):
        purge()
    assert "task result" not in caplog.text
