"""The coordinator queue under many filters, in process: `python -m bench.queue_sweep`.

"Any filter" is a big space (4,158 combinations of the five filters), so this
first times the rows query of every combination's first page, as the view runs
it, and keeps the slowest (a sample had missed the combinations that match
nothing, the slowest of all). Those, every single filter value and
combinations drawn with a fixed seed are then requested each as a first page
and as a deep page (a keyset cursor 90% of the way down that filtered queue). Each page is requested through the test Client (one warm-up,
then the median of three), and the slowest SQL statement of the slowest pages
is shown with EXPLAIN (ANALYZE, BUFFERS). run_bench.py then puts the slowest
filters under HTTP load too. Printed as JSON.
"""

from __future__ import annotations

import itertools
import random
import statistics
import sys
import time
from urllib.parse import urlencode

from bench import _django

STATUSES = ["", "new", "in_review", "contacted", "referred", "closed", "all"]
DISEASES = [
    *("", "lbcl", "mm", "b_all", "fl", "mcl", "cll", "mzl"),
    *("other_blood", "solid", "unsure"),
]
URGENT = ["", "yes", "no"]
ASSIGNED = ["", "me", "none"]
WAITING = ["", "0", "7", "30", "60", "3650"]
SAMPLED = 24
SLOWEST_OF_ALL = 12
FIELDS = ("status", "disease", "urgent", "assigned", "waiting")
EXPLAINED = 4
RUNS = 3


def every_combination(user) -> tuple[list[dict], dict]:
    """Each combination's first page rows query timed (best of two), slowest
    first, and a summary of all of them."""
    from django.http import QueryDict

    from intake.review.forms import QueueFilterForm
    from intake.review.queries import queue_page

    timed = []
    for values in itertools.product(STATUSES, DISEASES, URGENT, ASSIGNED, WAITING):
        combo = {k: v for k, v in zip(FIELDS, values, strict=True) if v}
        # As a browser sends it: status may be given more than once.
        form = QueueFilterForm(QueryDict(urlencode(combo)))
        assert form.is_valid(), (combo, form.errors)
        filters = form.applied()
        best = None
        for _ in range(2):
            start = time.perf_counter()
            queue_page(filters, user)
            took = time.perf_counter() - start
            best = took if best is None else min(best, took)
        timed.append((best, combo))
    timed.sort(key=lambda item: -item[0])
    ms = [1000 * seconds for seconds, _ in timed]
    summary = {
        "combinations": len(timed),
        "median_ms": round(statistics.median(ms), 2),
        "p99_ms": round(ms[len(ms) // 100], 2),
        "max_ms": round(ms[0], 2),
        "slowest": [
            {"filters": combo, "ms": round(1000 * seconds, 2)}
            for seconds, combo in timed[:SLOWEST_OF_ALL]
        ],
    }
    return [combo for _, combo in timed[:SLOWEST_OF_ALL]], summary


def combos(reference: str, slowest: list[dict]) -> list[dict]:
    singles = [{"status": s} for s in STATUSES] + [
        {name: value}
        for name, values in (
            ("disease", DISEASES),
            ("urgent", URGENT),
            ("assigned", ASSIGNED),
            ("waiting", WAITING),
        )
        for value in values
        if value
    ]
    singles.append({"q": reference})
    rng = random.Random(2026)
    space = list(itertools.product(STATUSES, DISEASES, URGENT, ASSIGNED, WAITING))
    drawn = [
        {k: v for k, v in zip(FIELDS, rng.choice(space), strict=True) if v}
        for _ in range(SAMPLED)
    ]
    # The deep page of the load run's filter, and a filter that matches nothing.
    drawn += [
        {"status": "contacted", "disease": "mm", "waiting": "7"},
        {"status": "new", "disease": "mzl", "urgent": "yes", "waiting": "3650"},
    ]
    seen, out = set(), []
    for combo in [c for c in slowest + singles + drawn if c]:
        key = tuple(sorted(combo.items()))
        if key not in seen:
            seen.add(key)
            out.append(combo)
    return out


def _time_page(client, path: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    seconds = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(path)
            seconds.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    return statistics.median(seconds), len(captured), slowest


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def run() -> dict:
    from django.contrib.auth import get_user_model
    from django.utils.http import urlencode

    from bench.fixtures import deep_cursor
    from intake.models import Submission

    user = get_user_model().objects.get(username="coordinator")
    client = _django.coordinator_client()
    reference = (
        Submission.objects.visible_to_coordinators()
        .order_by("-id")
        .values_list("reference", flat=True)
        .first()
        or "CT-NONE"
    )
    slowest, every = every_combination(user)
    pages = []
    for combo in combos(reference, slowest):
        for depth in ("first", "deep"):
            query = dict(combo)
            if depth == "deep":
                query["after"] = deep_cursor(combo, user)
            path = "/review/?" + urlencode(query)
            seconds, count, slowest = _time_page(client, path)
            pages.append(
                {
                    "filters": combo,
                    "page": depth,
                    "path": path,
                    "ms": round(1000 * seconds, 2),
                    "queries": count,
                    "slowest_sql_ms": round(1000 * float(slowest["time"]), 2),
                    "slowest_sql": slowest["sql"],
                }
            )
    pages.sort(key=lambda p: -p["ms"])
    for page in pages[:EXPLAINED]:
        page["explain"] = explain(page["slowest_sql"])
    for page in pages[EXPLAINED:]:
        page.pop("slowest_sql")
    ms = [p["ms"] for p in pages]
    return {
        "every_combination": every,
        "pages": len(pages),
        "median_ms": round(statistics.median(ms), 2),
        "max_ms": max(ms),
        "query_counts": sorted({p["queries"] for p in pages}),
        "slowest": pages[:10],
        "all": [
            {k: p[k] for k in ("filters", "page", "ms", "queries", "slowest_sql_ms")}
            for p in pages
        ],
    }


if __name__ == "__main__":
    _django.setup()
    result = run()
    if "--print" in sys.argv:
        for p in result["slowest"]:
            print(p["ms"], p["queries"], p["slowest_sql_ms"], p["path"])
            print(p.get("explain", ""))
    else:
        _django.emit(result)
