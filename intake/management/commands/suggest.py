import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import translation

from intake.answers import AnswerError, parse_answers
from intake.suggestions import suggest
from therapies.snapshot import get_catalog, release_catalog, working_catalog


class Command(BaseCommand):
    help = "Print the suggestions for an answers file (JSON, per the intake contract) as JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "--answers",
            required=True,
            help="Path to a JSON answers file, or - for standard input.",
        )
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--release",
            type=int,
            metavar="N",
            help="Use published release N (default: the latest release).",
        )
        which.add_argument(
            "--working-copy",
            action="store_true",
            help="Use the working copy staff are editing, not yet published "
            '("catalog_release" is then null).',
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            help="Language of the texts: "
            + ", ".join(code for code, _name in settings.LANGUAGES)
            + ".",
        )

    def handle(self, *args, answers, language, release, working_copy, **options):
        codes = [code for code, _name in settings.LANGUAGES]
        if language.lower() not in codes:
            raise CommandError(
                f"unknown language {language!r}: use one of {', '.join(codes)}",
                returncode=2,
            )
        language = language.lower()
        try:
            if answers == "-":
                raw = sys.stdin.read()
            else:
                with open(answers, encoding="utf-8") as fh:
                    raw = fh.read()
        except OSError as exc:
            raise CommandError(
                f"cannot read answers file {answers!r}: {exc.strerror}", returncode=2
            ) from exc
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(
                f"answers file is not valid JSON: {exc}", returncode=2
            ) from exc
        with translation.override(language):
            catalog = self._catalog(language, release, working_copy)
            try:
                parsed = parse_answers(data, question_slugs=catalog.question_slugs)
            except AnswerError as exc:
                raise CommandError(str(exc), returncode=2) from exc
            result = suggest(parsed, catalog).to_contract()
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _catalog(self, language, release, working_copy):
        try:
            if working_copy:
                return working_catalog(language)
            if release is None:
                catalog = get_catalog(language)
                if catalog.release is None:
                    raise CommandError(
                        "no catalog release is published: run "
                        "`python manage.py load_catalog` first"
                    )
                return catalog
            catalog = release_catalog(release, language)
        except DatabaseError as exc:
            raise CommandError(
                "the database holds no catalog: run `python manage.py migrate` "
                "and `python manage.py load_catalog` first"
            ) from exc
        if catalog is None:
            raise CommandError(f"there is no catalog release {release}", returncode=2)
        return catalog
