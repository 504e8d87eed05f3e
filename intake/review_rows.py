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
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from .models import Submission
from .review_forms import DISEASE_SHORT, RELAPSE_SHORT

ROW = (
    "<tr{}>"
    '<th scope="row" class="text-nowrap"><a href="{}">{}</a></th>'
    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
    "</tr>"
)
ASKED = '<time datetime="{}" title="{} UTC">{}</time>'


def queue_rows(rows: list[Submission], now: datetime.datetime) -> list[SafeString]:
    """One `<tr>` for each submission of a queue page, cells escaped."""
    urgent = f'<span class="badge text-bg-danger">{escape(_("Urgent"))}</span>'
    not_urgent = f'<span class="visually-hidden">{escape(_("No"))}</span>'
    nobody = f'<span class="text-muted">{escape(_("Nobody yet"))}</span>'
    ago = _("%(age)s ago")
    diseases = {code: escape(str(label)) for code, label in DISEASE_SHORT.items()}
    relapses = {code: escape(str(label)) for code, label in RELAPSE_SHORT.items()}
    statuses = {
        code: escape(str(label)) for code, label in Submission.ReviewStatus.choices
    }
    # One reverse for the page; references are letters, digits and hyphens.
    detail = reverse("review:detail", args=["REFERENCE"])
    html = []
    for s in rows:
        at = s.contact_requested_at
        asked = (
            ASKED.format(
                at.isoformat(),
                f"{at:%Y-%m-%d %H:%M}",
                escape(ago % {"age": timesince(at, now)}),
            )
            if at
            else "—"
        )
        assignee = s.assignee
        reference = escape(s.reference)
        html.append(
            mark_safe(  # every cell below is escaped or one of our constants
                ROW.format(
                    ' class="table-danger"' if s.urgent else "",
                    escape(detail.replace("REFERENCE", s.reference)),
                    reference,
                    urgent if s.urgent else not_urgent,
                    diseases.get(s.disease) or escape(s.disease or "—"),
                    "—" if s.prior_lines is None else int(s.prior_lines),
                    relapses.get(s.relapse_status) or escape(s.relapse_status or "—"),
                    asked,
                    statuses.get(s.review_status) or escape(s.review_status),
                    escape(assignee.get_full_name() or assignee.get_username())
                    if assignee
                    else nobody,
                )
            )
        )
    return html
