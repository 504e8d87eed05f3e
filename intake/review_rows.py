"""The queue's table rows, written in Python as Django's admin writes its
change list rows.

Through the template, each of the 50 rows cost half a millisecond: a dozen
translated labels, two date formats, a `timesince` and a URL reverse, each
looked up anew, which made the queue the slowest page of the site. Here the
labels are translated once a page and each row is one format string. Cells are
escaped with the standard library's `html.escape`, which is what Django's
`escape` calls, without its check for lazy strings on every cell.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from html import escape

from django.urls import get_script_prefix, reverse
from django.utils.html import avoid_wrapping
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import TIME_STRINGS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import Submission
from .review_forms import DISEASE_SHORT, RELAPSE_SHORT
from .review_queries import QueueRow

ROW = (
    "<tr{}>"
    '<th scope="row" class="text-nowrap"><a href="{}">{}</a></th>'
    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
    "</tr>"
)
ASKED = '<time datetime="{}" title="{} UTC">{}</time>'
WAIT_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60))


def _wait(seconds: int) -> tuple[str, int]:
    unit, size = next(
        ((unit, size) for unit, size in WAIT_UNITS if seconds >= size), ("minute", 60)
    )
    return unit, seconds // size


def waited(since: datetime.datetime, now: datetime.datetime) -> str:
    """How long a request has waited, in its largest unit: "3 days", "5 hours".

    Django's own words (its `timesince` strings), without `timesince`'s second
    unit: coordinators read and filter the queue by days waited.
    """
    unit, num = _wait(max(int((now - since).total_seconds()), 0))
    return avoid_wrapping(TIME_STRINGS[unit] % {"num": num})


@dataclass(frozen=True)
class _Labels:
    urgent: str
    not_urgent: str
    nobody: str
    ago: str
    diseases: dict[str, str]
    relapses: dict[str, str]
    statuses: dict[str, str]
    detail: str


_LABELS: dict[tuple[str, str], _Labels] = {}


def _labels() -> _Labels:
    """The page's fixed cells, escaped, once per language (and URL prefix) and
    process: they are our constants and their translations, which do not
    change while the process runs, and looking up 26 of them cost 0.4 ms a
    page."""
    key = (get_language(), get_script_prefix())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = _Labels(
            urgent=f'<span class="badge text-bg-danger">{escape(_("Urgent"))}</span>',
            not_urgent=f'<span class="visually-hidden">{escape(_("No"))}</span>',
            nobody=f'<span class="text-muted">{escape(_("Nobody yet"))}</span>',
            ago=_("%(age)s ago"),
            diseases={
                code: escape(str(label)) for code, label in DISEASE_SHORT.items()
            },
            relapses={
                code: escape(str(label)) for code, label in RELAPSE_SHORT.items()
            },
            statuses={
                code: escape(str(label))
                for code, label in Submission.ReviewStatus.choices
            },
            # One reverse; references are letters, digits and hyphens.
            detail=reverse("review:detail", args=["REFERENCE"]),
        )
    return labels


def queue_rows(rows: list[QueueRow], now: datetime.datetime) -> SafeString:
    """The `<tr>` of each submission of a queue page, cells escaped, as one
    string (the template writes it at once instead of 50 times)."""
    labels = _labels()
    # Rows of a page mostly waited the same number of days: each wording is
    # translated (with its plural) once a page.
    ages: dict[tuple[str, int], str] = {}
    html = []
    for s in rows:
        at = s.contact_requested_at
        if at:
            wait = _wait(max(int((now - at).total_seconds()), 0))
            age = ages.get(wait)
            if age is None:
                unit, num = wait
                age = ages[wait] = escape(
                    labels.ago
                    % {"age": avoid_wrapping(TIME_STRINGS[unit] % {"num": num})}
                )
            asked = ASKED.format(at.isoformat(), f"{at:%Y-%m-%d %H:%M}", age)
        else:
            asked = "—"
        assignee = s.assignee_name
        reference = escape(s.reference)
        html.append(
            ROW.format(
                ' class="table-danger"' if s.urgent else "",
                escape(labels.detail.replace("REFERENCE", s.reference)),
                reference,
                labels.urgent if s.urgent else labels.not_urgent,
                labels.diseases.get(s.disease) or escape(s.disease or "—"),
                "—" if s.prior_lines is None else int(s.prior_lines),
                labels.relapses.get(s.relapse_status)
                or escape(s.relapse_status or "—"),
                asked,
                labels.statuses.get(s.review_status) or escape(s.review_status),
                escape(assignee) if assignee else labels.nobody,
            )
        )
    return mark_safe("\n".join(html))  # every cell is escaped or one of our constants
