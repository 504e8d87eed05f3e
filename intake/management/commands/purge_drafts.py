import datetime
import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from intake.models import Submission

DURATION = re.compile(r"^(\d+)([dh])$")


def parse_duration(text: str) -> datetime.timedelta:
    match = DURATION.match(text.strip())
    if not match or int(match.group(1)) == 0:
        raise CommandError(
            f"--older-than must look like 30d or 12h, not {text!r}", returncode=2
        )
    amount, unit = int(match.group(1)), match.group(2)
    return (
        datetime.timedelta(days=amount)
        if unit == "d"
        else datetime.timedelta(hours=amount)
    )


class Command(BaseCommand):
    help = "Delete drafts nobody submitted and nobody touched for a while (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            default=f"{settings.DRAFT_RETENTION_DAYS}d",
            help="Age of the last change, e.g. 30d or 12h (default: DRAFT_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, older_than, dry_run, **options):
        drafts = Submission.objects.abandoned_drafts(parse_duration(older_than))
        if dry_run:
            self.stdout.write(f"{drafts.count()} abandoned drafts would be deleted.")
            return
        deleted, _ = drafts.delete()
        self.stdout.write(f"Deleted {deleted} abandoned drafts.")
