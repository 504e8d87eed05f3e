"""The faults the soak injects, and how long the app took to get over them.

Two watchers run through the whole load: one asks the app for a page that
needs the database ten times a second, the other asks PostgreSQL itself
twenty times a second. Recovery is read from them, not from when a command
returned: `pg_ctlcluster restart` returns well after the server is back.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass, field

from soak_http import Client, Recorder
from soak_infra import HOST, Cluster, Gunicorn

# When the faults happen, in seconds after the load starts.
T_DB_RESTART = 15.0
T_DB_OUTAGE = 27.0
DB_OUTAGE_SECONDS = 4.0
T_WORKER_KILL = 41.0
T_GUNICORN_RESTART = 53.0
RECOVERY_LIMIT = 5.0  # seconds from "database back" to the app's first 200
FAULT_GRACE = 10.0  # seconds after a fault in which 503s and cut-offs are fine


@dataclass
class Context:
    port: int  # server A's: the faults and the probe are its
    recorder: Recorder
    host: str = HOST
    ports: tuple[int, ...] = ()  # every app server's, A first
    faults: dict[str, float] = field(default_factory=dict)
    probes: list[tuple[float, int | None]] = field(default_factory=list)
    db_polls: list[tuple[float, bool]] = field(default_factory=list)
    gunicorn_restarted: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)

    def port_for(self, n: int) -> int:
        """Clients spread over the app servers by number: 0 is server A."""
        ports = self.ports or (self.port,)
        return ports[n % len(ports)]

    def sleep_until(self, t: float) -> None:
        delay = t - self.recorder.now()
        if delay > 0:
            self.stop.wait(delay)


def say(text: str) -> None:
    print(text, flush=True)


def probe_app(ctx: Context) -> None:
    """A page that needs the database (the catalog version), ten times a second."""
    client = Client(ctx.host, ctx.port, ctx.recorder, "probe")
    while not ctx.stop.is_set():
        response = client.get("/start/", retry=False)
        ctx.probes.append((ctx.recorder.now(), response.status))
        ctx.stop.wait(0.1)


def probe_database(ctx: Context, cluster: Cluster) -> None:
    while not ctx.stop.is_set():
        ok = cluster.accepting()
        ctx.db_polls.append((ctx.recorder.now(), ok))
        ctx.stop.wait(0.05)


def inject_faults(ctx: Context, cluster: Cluster, server: Gunicorn) -> None:
    f = ctx.faults
    now = ctx.recorder.now

    ctx.sleep_until(T_DB_RESTART)
    f["db_restart"] = now()
    say(f"  {f['db_restart']:5.1f}s  pg_ctlcluster restart (the soak cluster)")
    cluster.restart()
    f["db_restart_done"] = now()

    ctx.sleep_until(T_DB_OUTAGE)
    f["db_outage"] = now()
    say(
        f"  {f['db_outage']:5.1f}s  pg_ctlcluster stop; start {DB_OUTAGE_SECONDS:.0f}s later"
    )
    cluster.stop()
    time.sleep(DB_OUTAGE_SECONDS)
    cluster.start()
    f["db_outage_done"] = now()

    ctx.sleep_until(T_WORKER_KILL)
    before = server.worker_pids()
    deadline = time.monotonic() + 5
    busy: list[int] = []
    while not busy and time.monotonic() < deadline:
        busy = server.busy_workers()
    victim = busy[0] if busy else before[0]
    os.kill(victim, signal.SIGKILL)
    f["worker_kill"] = now()
    state = "in the middle of a request" if busy else "idle"
    say(f"  {f['worker_kill']:5.1f}s  SIGKILL gunicorn worker {victim} ({state})")
    f["worker_was_busy"] = 1.0 if busy else 0.0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = server.worker_pids()
        if len(pids) >= server.workers and set(pids) - set(before):
            f["worker_respawned"] = now()
            break
        time.sleep(0.02)

    ctx.sleep_until(T_GUNICORN_RESTART)
    f["gunicorn_stop"] = now()
    say(
        f"  {f['gunicorn_stop']:5.1f}s  gunicorn stopped (SIGTERM to master {server.pid})"
    )
    server.stop()
    server.start()
    server.wait_workers()
    f["gunicorn_up"] = now()
    say(f"  {f['gunicorn_up']:5.1f}s  gunicorn started again (master {server.pid})")
    ctx.gunicorn_restarted.set()


def windows(ctx: Context) -> list[tuple[float, float]]:
    """When 503s and cut-off requests are expected."""
    f = ctx.faults
    return [
        (f["db_restart"] - 0.5, f["db_restart_done"] + FAULT_GRACE),
        (f["db_outage"] - 0.5, f["db_outage_done"] + FAULT_GRACE),
        (f["worker_kill"] - 0.5, f["worker_kill"] + FAULT_GRACE),
        (f["gunicorn_stop"] - 0.5, f["gunicorn_up"] + FAULT_GRACE),
    ]


def _first(series, since: float, until: float, wanted) -> float | None:
    return next(
        (at for at, value in series if since <= at <= until and wanted(value)), None
    )


def report_recovery(ctx: Context, report) -> None:
    f = ctx.faults
    rec = ctx.recorder
    for name, began, start, done in (
        ("PostgreSQL restart", "restart began", f["db_restart"], f["db_restart_done"]),
        (
            f"PostgreSQL stopped for {DB_OUTAGE_SECONDS:.0f}s",
            "stop",
            f["db_outage"],
            f["db_outage_done"],
        ),
    ):
        end = done + FAULT_GRACE
        db_down = _first(ctx.db_polls, start, end, lambda ok: not ok)
        db_up = _first(ctx.db_polls, db_down or start, end, bool)
        app_bad = _first(ctx.probes, start, end, lambda s: s != 200)
        app_ok = _first(ctx.probes, db_up or done, end + 30, lambda s: s == 200)
        if None in (db_down, db_up, app_ok):
            report.check(False, f"{name}: the app served 200s again")
            continue
        answered_503 = sum(
            1 for e in rec.events if e.status == 503 and start <= e.at <= end
        )
        report.figure(
            f"{name}: database down {db_up - db_down:.2f}s; the app's first 200 "
            f"{app_ok - db_up:.2f}s after the database was back "
            f"({app_ok - start:.2f}s after the {began}; the probe saw "
            f"{app_ok - (app_bad or app_ok):.2f}s without a 200); "
            f"503 answers meanwhile: {answered_503}",
            order=5,
        )
        report.check(
            app_ok - db_up <= RECOVERY_LIMIT,
            f"{name}: the app served 200s within {RECOVERY_LIMIT:.0f}s of the "
            "database coming back, by itself",
            f"{app_ok - db_up:.2f}s",
        )

    kill = f["worker_kill"]
    respawn = f.get("worker_respawned")
    report.check(respawn is not None, "gunicorn respawned the SIGKILLed worker")
    kill_ok = _first(ctx.probes, kill, kill + 60, lambda s: s == 200)
    cut = sum(
        1 for e in rec.events if e.status is None and kill - 0.5 <= e.at <= kill + 2
    )
    if respawn is not None and kill_ok is not None:
        report.figure(
            f"worker SIGKILL ({'mid-request' if f['worker_was_busy'] else 'idle'}):"
            f" respawned after {respawn - kill:.2f}s; first 200 "
            f"{kill_ok - kill:.2f}s after the kill; requests cut off by it: {cut}"
            " (each retried by its client)",
            order=5,
        )
    up_ok = _first(
        ctx.probes, f["gunicorn_up"], f["gunicorn_up"] + 60, lambda s: s == 200
    )
    if up_ok is None:
        report.check(False, "the app answered after gunicorn restarted")
    else:
        report.figure(
            f"gunicorn full restart: first 200 {up_ok - f['gunicorn_stop']:.2f}s "
            f"after the old master was told to stop "
            f"({up_ok - f['gunicorn_up']:.2f}s after the new workers were forked)",
            order=5,
        )
    stray = [
        e
        for e in rec.events
        if e.status in (None, 503)
        and not any(start <= e.at <= end for start, end in windows(ctx))
    ]
    report.check(
        not stray,
        "503s and cut-off requests only while a fault was injected",
        ", ".join(f"{e.status} {e.route} at {e.at:.1f}s" for e in stray[:10]),
    )
