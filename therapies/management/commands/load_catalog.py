from django.core.management.base import BaseCommand, CommandError

from therapies.loader import CatalogError, load_catalog


class Command(BaseCommand):
    help = "Load the seeded therapy catalog. Safe to run again; keeps staff edits unless --force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite rows that staff edited with the seed files.",
        )

    def handle(self, *args, force=False, **options):
        try:
            report = load_catalog(force=force)
        except CatalogError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Catalog: {len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged."
        )
        if report.kept_staff_edits:
            self.stdout.write(
                self.style.WARNING(
                    "Kept staff edits (use --force to overwrite): "
                    + ", ".join(report.kept_staff_edits)
                )
            )
