"""The coordinators' reads: the queue's keyset pages and its capped status
counts. The queue's filters and order are `Submission.objects.queue()`,
`.filtered(...)` and `.after(cursor)` (intake/models.py); the metrics
dashboard's aggregates are in metrics.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..models import Submission

Status = Submission.ReviewStatus
PAGE_SIZE = 50
COUNT_CAP = 1000


@dataclass(frozen=True)
class Cursor:
    """A position in the queue's order (urgent first, then oldest, then id).

    Keyset pagination: the next page is "rows after this one", found through
    the `queue_order` index (or the filter's own partial index) whatever the
    page number, with no OFFSET to skip and no COUNT(*) of the table. A page
    that starts among the urgent rows also reads the first other rows, with a
    second query (see `SubmissionQuerySet.after`).
    """

    urgent: bool
    at: datetime.datetime
    pk: int

    EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

    @classmethod
    def of(cls, submission: Submission) -> Cursor:
        """The position of a submission in the queue."""
        return cls(submission.urgent, submission.contact_requested_at, submission.pk)

    def encode(self) -> str:
        micros = (self.at - self.EPOCH) // datetime.timedelta(microseconds=1)
        return f"{int(self.urgent)}_{micros}_{self.pk}"

    @classmethod
    def decode(cls, raw: str) -> Cursor:
        """The cursor `encode` wrote; ValueError or OverflowError for anything else."""
        urgent, micros, pk = (int(part) for part in raw.split("_"))
        if urgent not in (0, 1) or not 0 < pk < 2**63:
            raise ValueError(raw)
        return cls(
            bool(urgent), cls.EPOCH + datetime.timedelta(microseconds=micros), pk
        )


def queue_page(
    filters: dict, user, cursor: Cursor | None = None
) -> tuple[list[Submission], Cursor | None]:
    """One page of the queue (after `cursor`, if any) and the next page's cursor.

    `filters` are the filter form's (`QueueFilterForm.applied()`). With a range
    on the request time (waiting more than N days), which an index can only
    use with `urgent` fixed, the first page reads urgent and other rows in two
    queries, as a page after a cursor does. In one, PostgreSQL would walk every
    urgent request newer than the range before the first older one (40 ms at a
    million rows). With the urgency filtered too, only that urgency is read.
    """
    queue = Submission.objects.queue().filtered(user=user, **filters)
    wanted = PAGE_SIZE + 1  # one more than shown, to know whether a next page exists
    urgency = filters.get("urgent")  # "yes", "no" or None (either)
    if cursor is None and "waiting" in filters:
        # Before every row of the first urgency the page shows.
        cursor = Cursor(urgency != "no", Cursor.EPOCH, 0)
    if cursor is None:
        rows = list(queue[:wanted])
    else:
        rows = list(queue.after(cursor)[:wanted])
        if cursor.urgent and urgency != "yes":
            # Only as many other rows as the page still needs, but at least
            # one, even when the urgent rows fill it: a page then runs the
            # same queries with ten requests or a million.
            others = queue.filter(urgent=False)[: max(1, wanted - len(rows))]
            rows = [*rows, *others][:wanted]
    if len(rows) <= PAGE_SIZE:
        return rows, None
    rows = rows[:PAGE_SIZE]
    return rows, Cursor.of(rows[-1])


def status_counts() -> dict[str, int]:
    """Requests per status, each counted only up to COUNT_CAP (+1 to know it was).

    One COUNT over a LIMITed index range per status, which costs the same at a
    thousand rows or a million, where one GROUP BY would read every closed
    request ever made. Past the cap the page says "1000+".
    """
    queue = Submission.objects.visible_to_coordinators().order_by()
    return {
        code: queue.filter(review_status=code).values("pk")[: COUNT_CAP + 1].count()
        for code in Status.values
    }


def shown_count(n: int) -> str:
    return f"{COUNT_CAP}+" if n > COUNT_CAP else str(n)


def open_count(counts: dict[str, int]) -> str:
    """All open requests (neither closed nor spam): the sum of the open
    statuses' counts, "+" when capped."""
    open_counts = [n for code, n in counts.items() if code not in Submission.FINISHED]
    total = sum(min(n, COUNT_CAP) for n in open_counts)
    return f"{total}+" if any(n > COUNT_CAP for n in open_counts) else str(total)
