"""The metrics dashboard's aggregates: the last 12 weeks of submissions,
counted in the database, and the geometry of its two bar charts; then what a
team lead reads (`team_figures`): time to first contact (median and 90th
percentile, urgent separately), the open backlog by age, open requests per
coordinator and referrals per centre, each a table.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Referral, Submission
from .forms import DISEASE_SHORT, person_name

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
    """The last 12 weeks, aggregated in the database: four queries at any size.

    Weeks are UTC weeks whatever the coordinator's time zone: the dashboard
    is counted once for everyone (views.metrics caches it).
    """
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
        for row in submitted.annotate(
            week=TruncWeek("submitted_at", tzinfo=datetime.UTC)
        )
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
        urgent_contacted=Count(
            "id",
            filter=Q(
                contact_requested=True, first_contacted_at__isnull=False, urgent=True
            ),
        ),
    )
    team = team_figures(
        since=since,
        now=now,
        contacted=contacted,
        counts={"all": totals["contacted"], "urgent": totals["urgent_contacted"]},
    )
    median = team["response_times"][0].median
    median_days = median / datetime.timedelta(days=1) if median is not None else None
    return {
        "since": since,
        "weeks": _bars(weeks, horizontal=False),
        "diseases": _bars(diseases, horizontal=True),
        "disease_chart_height": 16 + 24 * len(diseases),
        "totals": totals,
        "median_days": median_days,
        **team,
    }


def _waits(contacted: QuerySet) -> QuerySet:
    return (
        contacted.annotate(
            wait=ExpressionWrapper(
                F("first_contacted_at") - F("contact_requested_at"),
                output_field=DurationField(),
            )
        )
        .order_by("wait")
        .values_list("wait", flat=True)
    )


def _median_wait(contacted: QuerySet, n: int) -> datetime.timedelta | None:
    """The median without a database-specific aggregate: the one or two middle
    waits, found by ordering on the wait and slicing at the known count."""
    if not n:
        return None
    middle = list(_waits(contacted)[max(0, (n - 1) // 2) : n // 2 + 1])
    return sum(middle, datetime.timedelta()) / len(middle) if middle else None


def _percentile_wait(
    contacted: QuerySet, n: int, fraction: float
) -> datetime.timedelta | None:
    """The nearest-rank percentile: the wait that `fraction` of waits are at
    most, one row read at its rank."""
    if not n:
        return None
    rank = max(1, math.ceil(fraction * n))
    return _waits(contacted)[rank - 1]


def wait_words(wait: datetime.timedelta | None) -> str:
    """A wait in the unit a team lead reads it in: hours up to two days (an
    urgent request's target is hours), days beyond."""
    if wait is None:
        return ""
    hours = wait / datetime.timedelta(hours=1)
    if hours < 48:
        return _("%(hours)s hours") % {"hours": number_format(round(hours, 1), 1)}
    return _("%(days)s days") % {"days": number_format(round(hours / 24, 1), 1)}


@dataclass(frozen=True)
class ResponseTime:
    label: str
    contacted: int
    median: datetime.timedelta | None
    p90: datetime.timedelta | None

    @property
    def median_words(self) -> str:
        return wait_words(self.median)

    @property
    def p90_words(self) -> str:
        return wait_words(self.p90)


# The open backlog's age bands, in days since the request: (from, to, label).
BACKLOG_BANDS = (
    (0, 1, gettext_lazy("Under a day")),
    (1, 3, gettext_lazy("1 to 3 days")),
    (3, 7, gettext_lazy("3 to 7 days")),
    (7, 14, gettext_lazy("1 to 2 weeks")),
    (14, 30, gettext_lazy("2 weeks to a month")),
    (30, None, gettext_lazy("Over a month")),
)


def _backlog_by_age(open_requests: QuerySet, now: datetime.datetime) -> list:
    """Open requests per age band, counted in one query."""
    counts = {}
    for index, (start, end, _label) in enumerate(BACKLOG_BANDS):
        band = Q(contact_requested_at__lte=now - datetime.timedelta(days=start))
        if end is not None:
            band &= Q(contact_requested_at__gt=now - datetime.timedelta(days=end))
        counts[f"band{index}"] = Count("id", filter=band)
    row = open_requests.aggregate(**counts)
    return [
        (str(label), row[f"band{index}"])
        for index, (_start, _end, label) in enumerate(BACKLOG_BANDS)
    ]


def _open_per_coordinator(open_requests: QuerySet) -> list:
    """Open requests per assignee, most first; named as everywhere else."""
    rows = (
        open_requests.order_by()
        .values(
            "assignee",
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
        )
        .annotate(n=Count("id"))
        .order_by("-n", "assignee__username")
    )
    User = get_user_model()
    return [
        (
            person_name(
                User(
                    username=row["assignee__username"],
                    first_name=row["assignee__first_name"],
                    last_name=row["assignee__last_name"],
                )
            )
            if row["assignee"]
            else _("Nobody yet"),
            row["n"],
        )
        for row in rows
    ]


def _referrals_per_centre(since: datetime.datetime) -> list:
    rows = (
        Referral.objects.filter(created_at__gte=since)
        .values("center", "center__name", "center__city", "center_name")
        .annotate(n=Count("id"))
        .order_by("-n", "center__name", "center_name")
    )
    return [
        (
            f"{row['center__name']}, {row['center__city']}"
            if row["center"]
            else _("%(name)s (not in the catalog)") % {"name": row["center_name"]},
            row["n"],
        )
        for row in rows
    ]


def team_figures(
    *,
    since: datetime.datetime,
    now: datetime.datetime,
    contacted: QuerySet,
    counts: dict[str, int],
) -> dict:
    """What a team lead reads, each as a table: seven queries at any size
    (three when nobody was contacted yet: no waits to read).

    `contacted` are the requests first contacted, `counts` how many of them
    there are ("all") and how many were urgent ("urgent").
    """
    urgent = contacted.filter(urgent=True)
    response_times = [
        ResponseTime(
            str(label),
            counts[key],
            _median_wait(queryset, counts[key]),
            _percentile_wait(queryset, counts[key], 0.9),
        )
        for key, label, queryset in (
            ("all", _("All requests"), contacted),
            ("urgent", _("Urgent requests"), urgent),
        )
    ]
    open_requests = Submission.objects.visible_to_coordinators().still_open()
    return {
        "response_times": response_times,
        "backlog": _backlog_by_age(open_requests, now),
        "per_coordinator": _open_per_coordinator(open_requests),
        "per_centre": _referrals_per_centre(since),
    }
