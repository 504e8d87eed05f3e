"""Two app servers, one database, one Redis: what they must share.

After the load, with both gunicorn servers up:

- **Catalog change.** A staff user edits a discussion topic's title in the
  admin through server A and publishes it as a release (the soak runs as a
  one-person deployment); server B's very next request for a results page
  that shows the topic must show the new title (each worker keeps its own
  copy of the catalog and reloads it when a newer release is published).
- **Flood and shared limit.** One client address sends FLOOD_STARTS intake
  starts, alternately to A and B, from a few threads at once, while a second
  address goes through a whole intake. Exactly RATE_LIMIT_STARTS_PER_HOUR of
  the flood may be accepted in all (the counters live in Redis, shared by
  every worker of both servers; per-process counters would let each of the
  workers accept that many), every other start gets 429, and the second
  client is not slowed down or refused.

Redis is the one at REDIS_URL; the soak's keys carry a prefix of their own
(soak_settings.py), removed at the end, so other users of that Redis are
left alone.
"""

from __future__ import annotations

import html
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import redis
from soak_checks import Report
from soak_faults import Context
from soak_http import Client, forms_of, page_form
from soak_patients import Patient, Plan

FLOOD_STARTS = 200
FLOOD_THREADS = 4
FLOOD_ADDRESS = "203.0.113.66"
OTHER_ADDRESS = "203.0.113.77"
ALONE_ADDRESS = "203.0.113.88"
EDIT_MARK = " (edited by the soak)"


def redis_check(url: str) -> str:
    """Redis's version, or SystemExit when it does not answer."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        return client.info("server")["redis_version"]
    except redis.RedisError as error:
        raise SystemExit(
            f"The soak needs Redis at {url} (REDIS_URL): {type(error).__name__}"
        ) from error


def redis_forget(url: str, prefix: str) -> int:
    """Delete the soak's own keys; how many there were."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
    if keys:
        client.delete(*keys)
    return len(keys)


# Catalog change ---------------------------------------------------------------


def _shown_topic(ctx: Context, conn, tokens: list[str]):
    """(token, topic id, English title) of a results page that shows a topic."""
    topics = conn.execute(
        "SELECT id, title_en FROM therapies_discussiontopic ORDER BY id"
    ).fetchall()
    reader = Client(ctx.host, ctx.ports[1], ctx.recorder, "probe")
    for token in tokens[:10]:
        page = reader.get(f"/i/{token}/results/")
        if page.status != 200:
            continue
        for topic_id, title in topics:
            if title and html.escape(title) in page.body:
                return token, topic_id, title
    return None


def check_catalog_change(ctx: Context, editor, conn, tokens, report: Report) -> None:
    found = _shown_topic(ctx, conn, tokens)
    if not report.check(found, "a results page shows a discussion topic to edit"):
        return
    token, topic_id, title = found
    on_b = Client(ctx.host, ctx.ports[1], ctx.recorder, "probe")
    results = f"/i/{token}/results/"
    for _ in range(6):  # every worker of B renders (and keeps) the page
        on_b.get(results)

    path = f"/admin/therapies/discussiontopic/{topic_id}/change/"
    page = editor.client.get(path)
    form = next((f for f in forms_of(page.body) if "title_en" in f.names()), None)
    if not report.check(
        page.status == 200 and form, "the editor opened the topic in the admin on A"
    ):
        return
    new_title = title + EDIT_MARK
    edits = {"title_en": new_title, "change_reason": "soak: a title edited"}
    data = [(k, edits.get(k, v)) for k, v in form.submission()]
    saved = editor.client.post(path, [*data, ("_save", "Save")])
    if not report.check(
        saved.status == 302,
        "the admin on server A saved the change",
        f"{saved.status}: " + " ".join(saved.body.split("errorlist")[1:2])[:300],
    ):
        return
    if not _publish(editor, report):
        return
    changed_at = ctx.recorder.now()
    first = on_b.get(results)
    first_ms = (ctx.recorder.now() - changed_at) * 1000
    later = [on_b.get(results) for _ in range(6)]
    shows = [html.escape(new_title) in r.body for r in [first, *later]]
    report.figure(
        f"catalog change: a topic's title edited in the admin through server A; "
        f"server B's next request ({first_ms:.0f} ms later) "
        f"{'showed' if shows[0] else 'did NOT show'} the new title; "
        f"{sum(shows)} of {len(shows)} requests to B showed it",
        order=7,
    )
    report.check(
        all(shows),
        "a catalog change made through server A is served by server B on its "
        "next request (and by every worker after)",
        f"{shows}",
    )


def _publish(editor, report: Report) -> bool:
    """Publish the working copy as a release through server A's admin page."""
    path = "/admin/therapies/catalogrelease/publish/"
    page = editor.client.get(path)
    form = next((f for f in forms_of(page.body) if "note" in f.names()), None)
    if not report.check(page.status == 200 and form, "the publish page opened on A"):
        return False
    data = [(k, "soak: publish" if k == "note" else v) for k, v in form.submission()]
    published = editor.client.post(path, data)
    return report.check(
        published.status == 302,
        "the edit was published as a release through server A",
        f"{published.status}",
    )


# Flood and the shared rate limit ----------------------------------------------


def _flood(ctx: Context) -> tuple[Counter, float]:
    """FLOOD_STARTS start POSTs from one address, alternately to A and B."""
    first = Client(ctx.host, ctx.ports[0], ctx.recorder, "flood", FLOOD_ADDRESS)
    form = page_form(first.get("/start/").body)
    token = form.hidden()["csrfmiddlewaretoken"] if form else ""
    clients = []
    for port in ctx.ports:
        client = first.clone()
        client.port = port
        clients.append(client)
    data = {"csrfmiddlewaretoken": token, "recent_infusion": "no"}
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def post(i: int) -> None:
        server = i % len(clients)
        status = clients[server].post("/start/", data, retry=False).status
        with lock:
            outcomes["AB"[server], status] += 1

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=FLOOD_THREADS) as pool:
        list(pool.map(post, range(FLOOD_STARTS)))
    return outcomes, time.monotonic() - started


def check_flood(ctx: Context, limit: int, report: Report) -> None:
    other = Patient(
        ctx,
        Plan(n=1, think=(0.0, 0.0), address=OTHER_ADDRESS),  # n=1: server B
        random.Random(1),
    )
    finished: list = []
    thread = threading.Thread(target=lambda: finished.append(other.run()))
    thread.start()
    outcomes, seconds = _flood(ctx)
    thread.join(timeout=120)
    log = finished[0] if finished else None
    # The same intake from a third address with no flood: the time to compare.
    alone = Patient(
        ctx, Plan(n=1, think=(0.0, 0.0), address=ALONE_ADDRESS), random.Random(1)
    ).run()

    accepted = sum(n for (_s, status), n in outcomes.items() if status == 302)
    refused = sum(n for (_s, status), n in outcomes.items() if status == 429)
    per_server = "; ".join(
        f"server {s}: {outcomes[s, 302]} accepted, {outcomes[s, 429]} refused"
        for s in "AB"[: len(ctx.ports)]
    )
    report.figure(
        f"flood: {FLOOD_STARTS} intake starts from one address in {seconds:.1f}s "
        f"({FLOOD_THREADS} at a time, alternately to servers A and B): "
        f"{accepted} accepted, {refused} refused with 429 ({per_server}); "
        f"limit {limit} an hour per address",
        order=7,
    )
    report.check(
        accepted == limit and refused == FLOOD_STARTS - limit,
        f"the flood got exactly {limit} starts through, counted once across both "
        "servers and all their workers; the rest 429",
        f"{dict(outcomes)}",
    )
    if log is None:
        report.check(False, "the other address finished its intake during the flood")
        return
    took = log.finished_at - log.started_at
    report.figure(
        f"meanwhile another address went through the whole intake on server B "
        f"({len(log.acked)} steps, no pauses) in {took:.2f}s: "
        f"{'reached its results' if log.reached_results else log.gave_up}; "
        f"the same intake after the flood, alone: "
        f"{alone.finished_at - alone.started_at:.2f}s",
        order=7,
    )
    report.check(
        log.reached_results and not log.gave_up,
        "another address finished an intake during the flood, never refused",
        log.gave_up,
    )
