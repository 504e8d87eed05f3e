"""The metrics dashboard's aggregates: the last 12 weeks of submissions,
counted in the database, and the geometry of its two bar charts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Submission
from .forms import DISEASE_SHORT

WEEKS = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    part: int  # the part that asked to be contacted (weekly chart only)
    x: int
    y: int
    width: int
    height: int
    part_y: int
    part_height: int


def _bars(items, *, horizontal: bool) -> list[Bar]:
    """Geometry for a small SVG bar chart (viewBox 600 x 240); the template draws it."""
    top = max((value for _label, value, _part in items), default=0) or 1
    bars = []
    for index, (label, value, part) in enumerate(items):
        if horizontal:
            length = round(360 * value / top)
            bars.append(Bar(label, value, part, 200, 8 + index * 24, length, 18, 0, 0))
        else:
            height = round(180 * value / top)
            part_height = round(180 * part / top)
            x = 20 + index * 48
            bars.append(
                Bar(
                    label,
                    value,
                    part,
                    x,
                    200 - height,
                    36,
                    height,
                    200 - part_height,
                    part_height,
                )
            )
    return bars


def dashboard() -> dict:
    """The last 12 weeks, aggregated in the database: four queries at any size."""
    now = timezone.now()
    this_week = (now - datetime.timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    since = this_week - datetime.timedelta(weeks=WEEKS - 1)
    submitted = Submission.objects.filter(
        stage=Submission.Stage.SUBMITTED, submitted_at__gte=since
    )
    per_week = {
        row["week"].date(): row
        for row in submitted.annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(
            total=Count("id"), contact=Count("id", filter=Q(contact_requested=True))
        )
        .order_by("week")
    }
    weeks = []
    for offset in range(WEEKS):
        start = (since + datetime.timedelta(weeks=offset)).date()
        row = per_week.get(start, {"total": 0, "contact": 0})
        weeks.append((date_format(start, "M j"), row["total"], row["contact"]))
    diseases = [
        (str(DISEASE_SHORT.get(code, code or _("Not answered"))), n, 0)
        for code, n in submitted.order_by()
        .values_list("disease")
        .annotate(n=Count("id"))
        .order_by("-n", "disease")
    ]
    contacted = submitted.filter(
        contact_requested=True, first_contacted_at__isnull=False
    )
    totals = submitted.aggregate(
        submitted=Count("id"),
        urgent_submitted=Count("id", filter=Q(urgent=True)),
        asked=Count("id", filter=Q(contact_requested=True)),
        urgent_asked=Count("id", filter=Q(urgent=True, contact_requested=True)),
        contacted=Count(
            "id", filter=Q(contact_requested=True, first_contacted_at__isnull=False)
        ),
        spam=Count(
            "id",
            filter=Q(
                contact_requested=True,
                review_status=Submission.ReviewStatus.SPAM,
            ),
        ),
    )
    # The median without a database-specific aggregate: the one or two middle
    # waits, found by ordering on the wait and slicing at the known count.
    n = totals["contacted"]
    middle = list(
        contacted.annotate(
            wait=ExpressionWrapper(
                F("first_contacted_at") - F("contact_requested_at"),
                output_field=DurationField(),
            )
        )
        .order_by("wait")
        .values_list("wait", flat=True)[max(0, (n - 1) // 2) : n // 2 + 1]
    )
    median_days = (
        sum(middle, datetime.timedelta()) / len(middle) / datetime.timedelta(days=1)
        if middle
        else None
    )
    return {
        "since": since,
        "weeks": _bars(weeks, horizontal=False),
        "diseases": _bars(diseases, horizontal=True),
        "disease_chart_height": 16 + 24 * len(diseases),
        "totals": totals,
        "median_days": median_days,
    }
