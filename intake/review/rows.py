"""The queue's table rows, one `format_html` each, as Django's admin writes its
change list rows: the fixed words of a page are translated once, not once a
row, and every value goes through `format_html`'s escaping.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from ..models import Submission
from .forms import DISEASE_SHORT, RELAPSE_SHORT, person_name

ROW = (
    '<tr class="{}">'
    '<th scope="row" class="text-nowrap"><a href="{}">{}</a></th>'
    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
    "</tr>"
)
ASKED = '<time datetime="{}" title="{} UTC">{}</time>'
NOT_ANSWERED = "—"


def _asked(at: datetime.datetime | None, now: datetime.datetime, ago: str) -> str:
    if at is None:
        return NOT_ANSWERED
    # How long it waited, in its largest unit: "3 days", "5 hours".
    age = timesince(at, now, depth=1)
    return format_html(
        ASKED, at.isoformat(), f"{at:%Y-%m-%d %H:%M}", ago % {"age": age}
    )


def _cells(s: Submission, now: datetime.datetime, words: dict) -> tuple:
    return (
        "table-danger" if s.urgent else "",
        reverse("review:detail", args=[s.reference]),
        s.reference,
        words["urgent"] if s.urgent else words["not_urgent"],
        DISEASE_SHORT.get(s.disease) or s.disease or NOT_ANSWERED,
        NOT_ANSWERED if s.prior_lines is None else s.prior_lines,
        RELAPSE_SHORT.get(s.relapse_status) or s.relapse_status or NOT_ANSWERED,
        _asked(s.contact_requested_at, now, words["ago"]),
        s.get_review_status_display(),
        person_name(s.assignee) if s.assignee else words["nobody"],
    )


def queue_rows(submissions: Iterable[Submission], now: datetime.datetime) -> SafeString:
    """The `<tr>` of each submission of a queue page, in the active language."""
    words = {
        "urgent": format_html(
            '<span class="badge text-bg-danger">{}</span>', _("Urgent")
        ),
        "not_urgent": format_html('<span class="visually-hidden">{}</span>', _("No")),
        "nobody": format_html('<span class="text-muted">{}</span>', _("Nobody yet")),
        "ago": _("%(age)s ago"),
    }
    return format_html_join("\n", ROW, (_cells(s, now, words) for s in submissions))
