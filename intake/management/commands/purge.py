from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from intake.retention import Retention, data_purge

# Finished background tasks (their rows hold ids, never addresses) are kept
# this long for a look at what ran, failed ones longer.
TASK_RESULTS_DAYS = 14
FAILED_TASK_RESULTS_DAYS = 30

WHAT = {
    "drafts": "abandoned drafts deleted",
    "unreachable": "submissions whose link expired (no contact request) deleted",
    "closed": "closed or spam requests past their retention deleted",
    "audit_addresses": "audit records of deleted submissions cleared of their address",
    "link_emails": "unsent link emails forgotten",
}


class Command(BaseCommand):
    help = (
        "Apply the retention rules (run daily from cron): delete abandoned drafts, "
        "expired submissions and old closed requests; clear old audit addresses. "
        "See intake/retention.py and the *_DAYS settings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be removed."
        )

    def handle(self, *args, dry_run, **options):
        counts = data_purge(retention=Retention.from_settings(), dry_run=dry_run)
        prefix = "Would be removed: " if dry_run else ""
        for kind, label in WHAT.items():
            self.stdout.write(f"{prefix}{counts[kind]} {label}.")
        if isinstance(task_backends["default"], DatabaseBackend):
            call_command(
                "prune_db_task_results",
                min_age_days=TASK_RESULTS_DAYS,
                failed_min_age_days=FAILED_TASK_RESULTS_DAYS,
                dry_run=dry_run,
                stdout=self.stdout,
            )
