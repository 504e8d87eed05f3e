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
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish what changed as a new release at once, without a "
            "clinical reviewer (the first load always publishes release 1).",
        )

    def handle(self, *args, force=False, publish=False, **options):
        try:
            report = load_catalog(force=force, publish=publish)
        except CatalogError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Catalog: {len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged."
        )
        if report.published:
            self.stdout.write(f"Published release {report.published}.")
        elif report.changed:
            self.stdout.write(
                "The changes are in the working copy: a clinical reviewer "
                "publishes them in the admin (or run again with --publish)."
            )
        if report.kept_staff_edits:
            self.stdout.write(
                self.style.WARNING(
                    "Kept staff edits (use --force to overwrite): "
                    + ", ".join(report.kept_staff_edits)
                )
            )
