import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from intake.answers import AnswerError, parse_answers
from intake.suggestions import suggest
from therapies.snapshot import get_catalog


class Command(BaseCommand):
    help = "Print the suggestions for an answers file (JSON, per the intake contract) as JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "--answers",
            required=True,
            help="Path to a JSON answers file, or - for standard input.",
        )
        parser.add_argument(
            "--language", default="en", help="Language of the texts: en, es or zh-hans."
        )

    def handle(self, *args, answers, language, **options):
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
            catalog = get_catalog()
            try:
                parsed = parse_answers(data, question_slugs=catalog.question_slugs)
            except AnswerError as exc:
                raise CommandError(str(exc), returncode=2) from exc
            result = suggest(parsed, catalog).to_contract()
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
