"""Pick what the benchmark requests, in the benchmark database: `python -m bench.fixtures`.

Prints one JSON document: the coordinator's session cookie and, for every
endpoint, its method, paths (rotated through by the load generator so that
each request reads a different row), body and whether it needs the session.
The same list drives the HTTP load (run_bench.py) and the query counts
(queries.py), so both measure the same pages.
"""

from __future__ import annotations

import random
from urllib.parse import urlencode

from bench import _django

DRAFTS = 64
ROWS = 100
STEP = "about"
STEP_BODY = "age=61&country=US"
DEEP_FILTER = {"status": "contacted", "disease": "mm", "waiting": "7"}
DEPTH = 0.9  # the deep page starts 90% of the way down its filtered queue
# The worklists a coordinator's morning starts from (issue 18), first pages:
# report.py gives their p95 one by one.
WORKLIST_ENDPOINTS = [
    {"name": f"queue_worklist_{name}", "paths": [f"/review/?{query}"], "auth": True}
    for name, query in (
        ("first_contact", "worklist=first_contact"),
        ("urgent_untouched", "worklist=urgent_untouched"),
        ("my_follow_ups", "worklist=my_follow_ups"),
        ("follow_ups", "worklist=follow_ups"),
        ("waiting_7d", "waiting=7"),
        ("waiting_30d_new", "waiting=30&status=new"),
    )
]


def _sample(queryset, field: str, n: int, rng: random.Random) -> list[str]:
    """n values of `field` from rows spread over the table, without ORDER BY random()."""
    ids = list(queryset.order_by("id").values_list("id", flat=True)[:1])
    last = list(queryset.order_by("-id").values_list("id", flat=True)[:1])
    if not ids:
        return []
    picks = {rng.randint(ids[0], last[0]) for _ in range(n * 4)}
    found = list(queryset.filter(id__in=picks).values_list(field, flat=True)[:n])
    return found or list(queryset.values_list(field, flat=True)[:n])


def deep_cursor(filters: dict, user, depth: float = DEPTH) -> str:
    """The keyset cursor of the row `depth` of the way down the filtered queue.

    A queue too short for that (the tiny database) gets a cursor of its own
    making, so the page still runs the query with the cursor condition.
    """
    import datetime

    from django.http import QueryDict
    from django.utils import timezone

    from intake.models import Submission
    from intake.review.forms import QueueFilterForm
    from intake.review.queries import Cursor

    given = {name: value for name, value in filters.items() if value}
    form = QueueFilterForm(QueryDict(urlencode(given)))
    assert form.is_valid(), form.errors
    queryset = Submission.objects.queue().filtered(user=user, **form.applied())
    total = queryset.count()
    if total >= 2:
        row = queryset.values_list("urgent", "contact_requested_at", "pk")[
            min(int(total * depth), total - 1)
        ]
        return Cursor(*row).encode()
    return Cursor(False, timezone.now() - datetime.timedelta(days=30), 1).encode()


def build() -> dict:
    from django.contrib.auth import get_user_model
    from django.templatetags.static import static
    from django.utils.http import urlencode

    from intake import services
    from intake.models import Submission

    rng = random.Random(2026)
    user = get_user_model().objects.get(username="coordinator")
    client = _django.coordinator_client()
    submitted = Submission.objects.filter(stage=Submission.Stage.SUBMITTED)
    drafts = [
        services.draft_create(
            step="safety",
            values={"recent_infusion": "no", "symptoms": []},
            language="en",
        ).token
        for _ in range(DRAFTS)
    ]
    results = _sample(submitted, "token", ROWS, rng)
    # Contacted requests: the detail page with all its parts (the referral
    # form and its centre list come only at that status), so both sizes
    # count the same page.
    contacted = submitted.filter(contact_requested=True, review_status="contacted")
    details = _sample(contacted, "reference", ROWS, rng)
    deep_filtered = urlencode({**DEEP_FILTER, "after": deep_cursor(DEEP_FILTER, user)})
    endpoints = [
        {"name": "bare", "paths": ["/__bench__/bare"]},
        {"name": "home", "paths": ["/"]},
        {"name": "static_css", "paths": [static("css/site.css")], "gzip": True},
        {"name": "step_get", "paths": [f"/i/{t}/{STEP}/" for t in drafts]},
        {
            "name": "step_post",
            "method": "POST",
            "paths": [f"/i/{t}/{STEP}/" for t in drafts],
            "body": STEP_BODY,
            "expect": 302,
        },
        {"name": "results", "paths": [f"/i/{t}/results/" for t in results]},
        {"name": "queue_first", "paths": ["/review/"], "auth": True},
        {
            "name": "queue_deep_filtered",
            "paths": [f"/review/?{deep_filtered}"],
            "auth": True,
        },
        {
            "name": "queue_deep",
            "paths": [f"/review/?{urlencode({'after': deep_cursor({}, user)})}"],
            "auth": True,
        },
        *WORKLIST_ENDPOINTS,
        {"name": "detail", "paths": [f"/review/{r}/" for r in details], "auth": True},
        {
            "name": "export",
            "paths": ["/review/export.csv?status=all"],
            "auth": True,
            "big": True,
        },
    ]
    for endpoint in endpoints:
        endpoint.setdefault("method", "GET")
        endpoint.setdefault("expect", 200)
        endpoint.setdefault("auth", False)
    return {
        "session": client.cookies["sessionid"].value,
        "endpoints": endpoints,
        "rows": {
            "submissions": Submission.objects.count(),
            "submitted": submitted.count(),
            "in_queue": Submission.objects.visible_to_coordinators().count(),
        },
    }


if __name__ == "__main__":
    _django.setup()
    _django.emit(build())
