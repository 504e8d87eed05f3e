"""The coordinators' queries: the queue's filters and keyset pages, and the
capped status counts. The metrics dashboard's aggregates are in
review_metrics.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, router
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from navigator.statements import Statement, as_datetime

from .models import Submission
from .review_services import STATUS_COUNTS_KEY

Status = Submission.ReviewStatus
PAGE_SIZE = 50


def _filtered(queryset: QuerySet, filters: dict, user, now=None) -> QuerySet:
    status = filters.get("status", "")
    if status == "" and not filters.get("q"):
        queryset = queryset.exclude(review_status=Status.CLOSED)
    elif status not in ("", "all"):
        queryset = queryset.filter(review_status=status)
    if "disease" in filters:
        queryset = queryset.filter(disease=filters["disease"])
    if "urgent" in filters:
        queryset = queryset.filter(urgent=filters["urgent"] == "yes")
    if filters.get("assigned") == "me":
        queryset = queryset.filter(assignee=user)
    elif filters.get("assigned") == "none":
        queryset = queryset.filter(assignee__isnull=True)
    if "waiting" in filters:
        since = (now or timezone.now()) - datetime.timedelta(days=filters["waiting"])
        queryset = queryset.filter(contact_requested_at__lt=since)
    if "q" in filters:
        queryset = queryset.filter(reference=filters["q"])
    return queryset


@dataclass(frozen=True)
class Cursor:
    """A position in the queue's order (urgent first, then oldest, then id).

    Keyset pagination: the next page is "rows after this one", found through
    the `queue_order` index (or the filter's own partial index) whatever the
    page number, with no OFFSET to skip and no COUNT(*) of the table. Because
    `urgent` is a boolean, "after" is an equality on it plus a range on
    (contact_requested_at, id), which the index serves as an index condition.
    An "(...) OR NOT urgent" in the same query would not be: PostgreSQL would
    walk and discard every urgent row before the cursor. So a page that runs
    past the last urgent row takes its remaining rows with a second query.
    """

    urgent: bool
    at: datetime.datetime
    pk: int

    EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

    @classmethod
    def of(cls, row) -> Cursor:
        """The position of a submission or a queue row."""
        return cls(row.urgent, row.contact_requested_at, row.pk)

    def encode(self) -> str:
        micros = (self.at - self.EPOCH) // datetime.timedelta(microseconds=1)
        return f"{int(self.urgent)}_{micros}_{self.pk}"

    @classmethod
    def decode(cls, raw: str) -> Cursor:
        urgent, micros, pk = (int(part) for part in raw.split("_"))
        if urgent not in (0, 1) or not 0 < pk < 2**63:
            raise ValueError(raw)
        return cls(
            bool(urgent), cls.EPOCH + datetime.timedelta(microseconds=micros), pk
        )


def _later(urgent: bool, at, at_again, pk) -> Q:
    """The rows after a cursor, with its urgency (see Cursor). `at` is given
    twice because a compiled statement puts each value in one place."""
    return Q(urgent=urgent, contact_requested_at__gte=at) & (
        Q(contact_requested_at__gt=at_again) | Q(pk__gt=pk)
    )


@dataclass(frozen=True, slots=True)
class QueueRow:
    """What a queue row shows, read as plain values: building 50 submissions
    and 50 users as model instances cost more than the query itself."""

    pk: int
    reference: str
    urgent: bool
    disease: str
    prior_lines: int | None
    relapse_status: str
    contact_requested_at: datetime.datetime | None
    review_status: str
    assignee_username: str | None
    assignee_first_name: str | None
    assignee_last_name: str | None

    FIELDS = (
        "pk",
        "reference",
        "urgent",
        "disease",
        "prior_lines",
        "relapse_status",
        "contact_requested_at",
        "review_status",
        "assignee__username",
        "assignee__first_name",
        "assignee__last_name",
    )

    @property
    def assignee_name(self) -> str:
        """As `User.get_full_name()`, else the username; "" when unassigned."""
        full = f"{self.assignee_first_name or ''} {self.assignee_last_name or ''}"
        return full.strip() or self.assignee_username or ""


# The queue page's queries, compiled once per process for each shape of
# filters: which filters are set, and where the page starts. Building and
# compiling the ORM query took longer than PostgreSQL took to answer it (see
# navigator/statements.py); the values (a disease, a day, a cursor) change on
# every page, the shapes are few (a few hundred at most). The export builds
# the same query with `_filtered`, so both read the same rows.
_STAND_INS = {
    "status": "stand-in-status",
    "disease": "stand-in-disease",
    "q": "STAND-IN-REFERENCE",
    "user": -7_340_293,  # ids no database holds
    "pk": -7_340_294,
    "since": datetime.datetime(1970, 1, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC),
    "at": datetime.datetime(1970, 1, 4, 5, 6, 7, 890123, tzinfo=datetime.UTC),
    "at_again": datetime.datetime(1970, 1, 5, 6, 7, 8, 901234, tzinfo=datetime.UTC),
}
_TIMES = ("since", "at", "at_again")  # datetimes, adapted as the ORM adapts them
_ROWS: dict[tuple, Statement] = {}


def _rows_query(
    shape: dict, urgent, rest: bool, limit: int, alias: str, **stand_ins
) -> QuerySet:
    """The rows query for filters of this shape, with stand-ins for the values."""
    filters = {
        name: stand_ins.get(name, value)
        if name in ("status", "disease", "q")
        else value
        for name, value in shape.items()
    }
    user = get_user_model()(pk=stand_ins.get("user"))
    queryset = _filtered(
        Submission.objects.db_manager(alias).queue(),
        filters,
        user,
        now=stand_ins.get("since"),
    )
    if urgent is not None:
        queryset = queryset.filter(
            _later(urgent, stand_ins["at"], stand_ins["at_again"], stand_ins["pk"])
        )
    if rest:
        queryset = queryset.filter(urgent=False)
    return queryset.values_list(*QueueRow.FIELDS)[:limit]


def _rows(filters: dict, user, cursor: Cursor | None = None, *, rest: bool = False):
    """Up to a page and one rows of the queue: the first ones, or those after
    the cursor with its urgency, or (`rest`) the first ones not urgent."""
    shape, values = {}, {}
    for name, value in filters.items():
        if name in ("disease", "q") or (name == "status" and value != "all"):
            shape[name] = _STAND_INS[name]
            values[name] = value
        elif name == "waiting":
            shape[name] = 0  # days before the stand-in "since"
            values["since"] = timezone.now() - datetime.timedelta(days=value)
        else:  # urgent: yes / no, assigned: me / none, status: all
            shape[name] = value
    if filters.get("assigned") == "me":
        values["user"] = user.pk
    if cursor is not None:
        values.update(at=cursor.at, at_again=cursor.at, pk=cursor.pk)
    urgent = None if cursor is None else cursor.urgent
    limit = PAGE_SIZE + 1
    key = (tuple(sorted(shape.items())), urgent, rest, limit)
    statement = _ROWS.get(key)
    if statement is None:
        statement = _ROWS[key] = Statement(
            partial(_rows_query, shape, urgent, rest, limit),
            prepare={name: as_datetime for name in values if name in _TIMES},
            **{name: _STAND_INS[name] for name in values},
        )
    alias = router.db_for_read(Submission)
    return [QueueRow(*row) for row in statement.rows(alias, **values)]


def _page(filters: dict, user, raw_cursor: str, request) -> tuple[list, str | None]:
    """One page of the queue after the cursor, and the next page's cursor.

    With a range on the request time (waiting more than N days), which the
    index can only use with `urgent` fixed, the first page reads urgent and
    other rows in two queries, as a page after a cursor does. In one,
    PostgreSQL would walk every urgent request newer than the range before the
    first older one (40 ms at a million rows). With the urgency filtered too,
    only that urgency is read.
    """
    wanted = PAGE_SIZE + 1  # one more than shown, to know whether a next page exists
    cursor = None
    if raw_cursor:
        try:
            cursor = Cursor.decode(raw_cursor)
        except (ValueError, OverflowError):
            messages.warning(
                request, _("That page link was not valid: here is the first page.")
            )
    urgency = filters.get("urgent")  # "yes", "no" or None (either)
    if cursor is None and "waiting" in filters:
        # Before every row of the first urgency the page shows.
        cursor = Cursor(urgency != "no", Cursor.EPOCH, 0)
    if cursor is None:
        rows = _rows(filters, user)
    else:
        rows = _rows(filters, user, cursor)
        if cursor.urgent and len(rows) < wanted and urgency != "yes":
            rows += _rows(filters, user, rest=True)[: wanted - len(rows)]
    if len(rows) <= PAGE_SIZE:
        return rows, None
    rows = rows[:PAGE_SIZE]
    return rows, Cursor.of(rows[-1]).encode()


COUNT_CAP = 1000
COUNTS_TTL = 10


def _status_counts() -> dict[str, int]:
    """Requests per status, each counted only up to COUNT_CAP (+1 to know it was).

    One COUNT over a LIMITed index range per status, which costs the same at a
    thousand rows or a million, where one GROUP BY would read every closed
    request ever made. Past the cap the page says "1000+". The five counts are
    scalar subqueries of one statement: one round trip instead of five.

    They are the same for every coordinator, and each page of the queue shows
    them, so a process keeps them COUNTS_TTL seconds; a status change made in
    this process drops them (`forget_status_counts`).
    """
    counts = cache.get(STATUS_COUNTS_KEY)
    if counts is None:
        counts = _count_statuses()
        cache.set(STATUS_COUNTS_KEY, counts, COUNTS_TTL)
    return counts


def _count_statuses() -> dict[str, int]:
    queue = Submission.objects.visible_to_coordinators().order_by()
    parts, params = [], []
    for code in Status.values:
        capped = queue.filter(review_status=code).values("pk")[: COUNT_CAP + 1]
        sql, sql_params = capped.query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(Status.values, cursor.fetchone(), strict=True))


def _shown_count(n: int) -> str:
    return f"{COUNT_CAP}+" if n > COUNT_CAP else str(n)


def _open_count(counts: dict[str, int]) -> str:
    open_counts = [n for code, n in counts.items() if code != Status.CLOSED]
    total = sum(min(n, COUNT_CAP) for n in open_counts)
    return f"{total}+" if any(n > COUNT_CAP for n in open_counts) else str(total)
