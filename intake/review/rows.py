"""The queue's table rows, one `format_html` each, as Django's admin writes its
change list rows: the fixed words of a page are translated once, not once a
row, and every value goes through `format_html`'s escaping. Times are in the
coordinator's time zone (the active one, intake.review.timezones).

The labels of the codes a row shows (status, disease, relapse) and the
cells that are the same on every row of their kind are translated and escaped
once a page too: `get_review_status_display()` and the lazy labels ran gettext
about a dozen times a row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from ..models import Submission
from .forms import DISEASE_SHORT, RELAPSE_SHORT, person_name
from .response_time import Standing, deadline, standing

ROW = (
    '<tr class="{}">'
    '<th scope="row" class="text-nowrap"><a href="{}">{}</a></th>'
    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
    "<td>{}</td></tr>"
)
ASKED = '<time datetime="{}" title="{} {}">{}</time>'
# A word and a colour (never the colour alone); Bootstrap's badges keep a 4.5:1
# contrast between their text and background.
BADGE = '<span class="badge {}">{}</span>'
WITH_TIME = '{} <span class="small">{}</span>'
PLAIN = '<span class="small text-body-secondary">{}</span>'
NOT_ANSWERED = "—"


def _asked(at: datetime.datetime | None, now: datetime.datetime, words: dict) -> str:
    if at is None:
        return NOT_ANSWERED
    # How long it waited, in its largest unit: "3 days", "5 hours".
    age = timesince(at, now, depth=1)
    local = timezone.localtime(at)
    return format_html(
        ASKED,
        local.isoformat(),
        f"{local:%Y-%m-%d %H:%M}",
        words["zone"],
        words["ago"] % {"age": age},
    )


def _response(s: Submission, now: datetime.datetime, words: dict) -> str:
    state = standing(s, now)
    if state in (Standing.ON_TIME, Standing.DUE_SOON):
        left = words["left"] % {"time": timeuntil(deadline(s), now, depth=1)}
        return format_html(WITH_TIME, words[state], left)
    if state == Standing.OVERDUE:
        late = words["late"] % {"time": timesince(deadline(s), now, depth=1)}
        return format_html(WITH_TIME, words[state], late)
    if state == Standing.NOT_WAITING:
        return NOT_ANSWERED
    return words[state]


def _cells(s: Submission, now: datetime.datetime, words: dict) -> tuple:
    return (
        "table-danger" if s.urgent else "",
        reverse("review:detail", args=[s.reference]),
        s.reference,
        words["urgent"] if s.urgent else words["not_urgent"],
        words["disease"].get(s.disease) or s.disease or NOT_ANSWERED,
        NOT_ANSWERED if s.prior_lines is None else s.prior_lines,
        words["relapse"].get(s.relapse_status) or s.relapse_status or NOT_ANSWERED,
        _asked(s.contact_requested_at, now, words),
        _response(s, now, words),
        words["status"].get(s.review_status, s.review_status),
        person_name(s.assignee) if s.assignee else words["nobody"],
    )


def _labels(choices) -> dict[str, SafeString]:
    """A code's label in the active language, escaped, for every code of `choices`."""
    return {str(code): conditional_escape(label) for code, label in choices}


def _words() -> dict:
    return {
        "status": _labels(Submission.ReviewStatus.choices),
        "disease": _labels(DISEASE_SHORT.items()),
        "relapse": _labels(RELAPSE_SHORT.items()),
        "urgent": format_html(
            '<span class="badge text-bg-danger">{}</span>', _("Urgent")
        ),
        "not_urgent": format_html('<span class="visually-hidden">{}</span>', _("No")),
        "nobody": format_html('<span class="text-muted">{}</span>', _("Nobody yet")),
        "ago": _("%(age)s ago"),
        "zone": conditional_escape(timezone.get_current_timezone_name()),
        Standing.ON_TIME: format_html(BADGE, "text-bg-success", _("On time")),
        Standing.DUE_SOON: format_html(BADGE, "text-bg-warning", _("Due soon")),
        Standing.OVERDUE: format_html(BADGE, "text-bg-danger", _("Overdue")),
        Standing.ANSWERED_IN_TIME: format_html(PLAIN, _("Answered in time")),
        Standing.ANSWERED_LATE: format_html(PLAIN, _("Answered late")),
        # "3 hours left", "2 days late": the time to or past the target.
        "left": _("%(time)s left"),
        "late": _("%(time)s late"),
    }


def queue_rows(submissions: Iterable[Submission], now: datetime.datetime) -> SafeString:
    """The `<tr>` of each submission of a queue page, in the active language."""
    words = _words()
    return format_html_join("\n", ROW, (_cells(s, now, words) for s in submissions))
