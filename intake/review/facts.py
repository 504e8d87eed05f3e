"""What a coordinator reads about one submission, wherever it is shown: the
answers in plain words, what the patient was shown (the same engine as the
patient's results page, with the catalog release recorded with the request:
see shown.py) and the languages by name.

The detail page and the one-page referral summary both read these.
"""

from __future__ import annotations

from django.utils.translation import get_language_info

from ..answers import answers_from_stored
from ..models import Submission
from ..presentation import answer_rows
from .shown import shown_to_patient


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def submission_facts(submission: Submission) -> dict:
    answers = answers_from_stored(submission.answers)
    shown = shown_to_patient(submission, answers)
    catalog = shown.catalog
    return {
        "rows": answer_rows(answers, catalog),
        "suggestions": shown.suggestions,
        "shown": shown,
        "answers": answers,
        "catalog": catalog,
        "contact_language": language_name(submission.contact_language),
        "interface_language": language_name(submission.language),
    }
