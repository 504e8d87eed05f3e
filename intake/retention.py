"""How long patients' data is kept, applied by `manage.py purge` (run daily).

- Drafts nobody submitted or changed for DRAFT_RETENTION_DAYS are deleted.
- A private link stops working after RESUME_LINK_IDLE_DAYS without a change
  (intake/views.py); submitted answers without a contact request are then
  unreachable, and deleted.
- Requests coordinators closed or marked as spam are deleted
  CLOSED_RETENTION_DAYS after their last change, with their timeline.
- Audit records of deleted submissions keep identifiers, but lose the address
  they were made from: at once for those deleted here, and after
  CLOSED_RETENTION_DAYS for the ones patients deleted themselves.
- A link email never sent (no worker ran) is forgotten after a day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import AuditEvent, LinkEmail, Submission

UNSENT_LINK_EMAIL_MAX_AGE = datetime.timedelta(days=1)
BATCH = 500


@dataclass(frozen=True)
class Retention:
    drafts: datetime.timedelta
    link_idle: datetime.timedelta
    closed: datetime.timedelta

    @classmethod
    def from_settings(cls) -> Retention:
        return cls(
            drafts=datetime.timedelta(days=settings.DRAFT_RETENTION_DAYS),
            link_idle=datetime.timedelta(days=settings.RESUME_LINK_IDLE_DAYS),
            closed=datetime.timedelta(days=settings.CLOSED_RETENTION_DAYS),
        )


def _expired(retention: Retention) -> dict:
    """What is due now, by kind, as QuerySets."""
    now = timezone.now()
    deleted_long_ago = AuditEvent.objects.filter(
        at__lt=now - retention.closed, ip_address__isnull=False
    ).exclude(Exists(Submission.objects.filter(pk=OuterRef("submission_id"))))
    return {
        "drafts": Submission.objects.abandoned_drafts(retention.drafts),
        "unreachable": Submission.objects.unreachable(retention.link_idle),
        "closed": Submission.objects.finished_before(retention.closed),
        "audit_addresses": deleted_long_ago.filter(submission_id__isnull=False),
        "link_emails": LinkEmail.objects.filter(
            created_at__lt=now - UNSENT_LINK_EMAIL_MAX_AGE
        ),
    }


def _delete_submissions(queryset) -> int:
    """Delete in batches (a first run may find years of rows); their audit
    records stay, identifiers only, without the address."""
    deleted = 0
    while ids := list(queryset.values_list("pk", flat=True)[:BATCH]):
        Submission.objects.filter(pk__in=ids).delete()
        AuditEvent.objects.filter(submission_id__in=ids).update(ip_address=None)
        deleted += len(ids)
    return deleted


@transaction.atomic
def data_purge(*, retention: Retention, dry_run: bool = False) -> dict[str, int]:
    """Delete (or, with `dry_run`, count) everything kept past its time;
    returns how many of each kind."""
    due = _expired(retention)
    if dry_run:
        return {kind: queryset.count() for kind, queryset in due.items()}
    counts = {
        kind: _delete_submissions(due[kind])
        for kind in ("drafts", "unreachable", "closed")
    }
    counts["audit_addresses"] = due["audit_addresses"].update(ip_address=None)
    counts["link_emails"], _ = due["link_emails"].delete()
    return counts
