from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from intake.reference import run_reference_patients
from therapies.snapshot import get_catalog, working_catalog


class Command(BaseCommand):
    help = (
        "Run the reference patients against the catalog patients are shown (or "
        "the working copy); exit status 1 when any of them fails."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--working-copy",
            action="store_true",
            help="Check the working copy staff are editing instead.",
        )

    def handle(self, *args, working_copy, **options):
        try:
            catalog = working_catalog() if working_copy else get_catalog()
        except DatabaseError as exc:
            raise CommandError(
                "the database holds no catalog: run `python manage.py migrate` "
                "and `python manage.py load_catalog` first"
            ) from exc
        results = run_reference_patients(catalog)
        failed = [r for r in results if not r.passed]
        for result in failed:
            self.stdout.write(f"{result.name}: {'; '.join(result.differences)}")
        passed = len(results) - len(failed)
        self.stdout.write(f"reference patients: {passed}/{len(results)} passed")
        if failed:
            raise CommandError(
                f"{len(failed)} reference patient(s) failed", returncode=1
            )
