"""The coordinators' writes: conditional on the revision, audited, logged without health data."""

import logging

import pytest

from intake.models import AuditEvent, ReviewEvent
from intake.review import services as rs
from tests.factories import (
    CatalogEditorFactory,
    CoordinatorFactory,
    SubmissionFactory,
)


def test_a_change_at_a_stale_revision_raises_and_writes_nothing(db):
    submission = SubmissionFactory(revision=3)
    coordinator = CoordinatorFactory()
    with pytest.raises(rs.SubmissionConflict):
        rs.submission_assign(
            submission=submission,
            assignee=coordinator,
            by=coordinator,
            revision=2,
            ip_address=None,
        )
    with pytest.raises(rs.SubmissionConflict):
        rs.submission_change_status(
            submission=submission,
            to_status="in_review",
            by=coordinator,
            revision=2,
            ip_address=None,
        )
    with pytest.raises(rs.SubmissionConflict):
        rs.submission_add_note(
            submission=submission,
            text="Hi",
            by=coordinator,
            revision=2,
            ip_address=None,
        )
    submission.refresh_from_db()
    assert (submission.revision, submission.assignee, submission.review_status) == (
        3,
        None,
        "new",
    )
    assert ReviewEvent.objects.count() == AuditEvent.objects.count() == 0


def test_a_race_between_reading_and_writing_is_caught_by_the_conditional_update(db):
    """The object in hand says revision 1, but the row moved on meanwhile."""
    submission = SubmissionFactory()
    coordinator = CoordinatorFactory()
    type(submission).objects.filter(pk=submission.pk).update(revision=2)
    with pytest.raises(rs.SubmissionConflict):
        rs.submission_change_status(
            submission=submission,
            to_status="in_review",
            by=coordinator,
            revision=1,
            ip_address=None,
        )
    submission.refresh_from_db()
    assert submission.review_status == "new"
    assert ReviewEvent.objects.count() == AuditEvent.objects.count() == 0


def test_only_coordinators_can_be_assigned(db):
    submission = SubmissionFactory()
    with pytest.raises(ValueError):
        rs.submission_assign(
            submission=submission,
            assignee=CatalogEditorFactory(),
            by=CoordinatorFactory(),
            revision=1,
            ip_address=None,
        )


def test_service_logs_hold_no_note_text(db, caplog):
    caplog.set_level(logging.DEBUG)
    submission = SubmissionFactory()
    coordinator = CoordinatorFactory()
    rs.submission_add_note(
        submission=submission,
        text="Has myeloma, call her son",
        by=coordinator,
        revision=1,
        ip_address=None,
    )
    assert "myeloma" not in caplog.text
