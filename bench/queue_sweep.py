"""The coordinator queue under many filters, in process: `python -m bench.queue_sweep`.

"Any filter" is a big space, so this times a spread of it before the load run:
every single filter value, plus combinations drawn with a fixed seed, each as a
first page and as a deep page (a keyset cursor 90% of the way down that
filtered queue). Each page is requested through the test Client (one warm-up,
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

from bench import _django

STATUSES = ["", "new", "in_review", "contacted", "referred", "closed", "all"]
DISEASES = ["", "lbcl", "mm", "b_all", "fl", "mcl", "cll", "mzl", "solid", "unsure"]
URGENT = ["", "yes", "no"]
ASSIGNED = ["", "me", "none"]
WAITING = ["", "0", "7", "30", "60", "3650"]
SAMPLED = 24
EXPLAINED = 4
RUNS = 3


def combos(reference: str) -> list[dict]:
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
        {
            k: v
            for k, v in zip(
                ("status", "disease", "urgent", "assigned", "waiting"),
                rng.choice(space),
                strict=True,
            )
            if v
        }
        for _ in range(SAMPLED)
    ]
    # The deep page of the load run's filter, and a filter that matches nothing.
    drawn += [
        {"status": "contacted", "disease": "mm", "waiting": "7"},
        {"status": "new", "disease": "mzl", "urgent": "yes", "waiting": "3650"},
    ]
    seen, out = set(), []
    for combo in [c for c in singles + drawn if c]:
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
    pages = []
    for combo in combos(reference):
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
