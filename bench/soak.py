"""`make soak`: nothing a patient was told is saved is lost, under load and
faults, with two app servers.

What it does, in under 10 minutes on loopback only, and stopping by itself:

1. Makes its own PostgreSQL cluster ("soak", port 5433) if missing, starts it,
   creates a fresh database, migrates, loads the catalog, adds two
   coordinators and a catalog editor, and collects the static files into a
   temporary folder. Checks that Redis answers at REDIS_URL
   (redis://127.0.0.1:6379/0 unless set).
2. Starts two gunicorn servers (A and B, on two loopback ports) with the
   production settings (DEBUG off, one random SECRET_KEY, HTTPS redirect off
   by its variable since loopback has no TLS), the same database and Redis as
   the shared cache (rate limits, queue counts), and the task worker that
   sends the emails (restarted when it exits). The rate limits are on, as in
   production: each simulated patient has its own address, passed by the
   trusted proxy on 127.0.0.1 (TRUSTED_PROXIES) in X-Forwarded-For.
3. Runs simulated patients through the whole intake with real form POSTs and
   CSRF tokens, spread over both servers (a patient who resumes by the
   private link reaches the other one), while two coordinators (one on each
   server) work the queue and make deliberately conflicting status changes
   across the servers. Meanwhile it restarts PostgreSQL, kills a worker of
   server A with SIGKILL, restarts server A, and takes mail down for the
   first SOAK_MAIL_OUTAGE seconds (45): urgent alerts are retried by the task
   worker and must each go out exactly once after mail returns.
4. Checks the database against what every client was told, then what the two
   servers share (soak_servers.py): a catalog change made through A is seen
   by B on its next request; a flood of 200 intake starts from one address,
   split over both, gets exactly the limit through while another address
   finishes an intake. Prints the figures, tests a pg_dump / pg_restore round
   trip, stops the cluster, and exits non-zero if any check failed.

Environment: SOAK_PATIENTS (80), SOAK_SEED, SOAK_PG_PORT (5433),
SOAK_PG_VERSION (newest installed), SOAK_WORKERS (2 per server), REDIS_URL,
SOAK_KEEP=1 keeps the temporary folder (logs, dump).
"""

from __future__ import annotations

import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from soak_checks import (
    Report,
    answers_digest,
    check_coordinators,
    check_patients,
    table_counts,
)
from soak_coordinators import Coordinator, CoordinatorLog, drive_conflicts, work_queue
from soak_faults import (
    T_GUNICORN_RESTART,
    Context,
    inject_faults,
    probe_app,
    probe_database,
    report_recovery,
    say,
)
from soak_http import CONN_ERROR, Client, Recorder
from soak_infra import CLUSTER, HOST, Cluster, Gunicorn, free_port
from soak_patients import Patient, Plan, make_plan
from soak_servers import check_catalog_change, check_flood, redis_check, redis_forget
from soak_worker import MailOutage, TaskWorker, check_alerts

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "navigator_soak"
RESTORED = "navigator_soak_restore"
TIME_LIMIT = 540  # seconds: the whole soak, setup to verdict
PATIENTS = int(os.environ.get("SOAK_PATIENTS", "80"))
POOL = 16
LAUNCH_EVERY = 0.8  # seconds between two patients' arrivals
COORDINATORS = 2
MAIL_OUTAGE = float(os.environ.get("SOAK_MAIL_OUTAGE", "45"))  # seconds from the start
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
STARTS_PER_HOUR = 20  # the soak's RATE_LIMIT_STARTS_PER_HOUR (the default)
EDITOR = "soak-editor"
ALLOWED_STATUSES = {200, 302, 409, 503, CONN_ERROR}
BACKUP_TABLES = (
    "intake_submission",
    "intake_auditevent",
    "intake_reviewevent",
    "auth_user",
    "django_session",
)
CREATE_COORDINATORS = """
import os
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
group = Group.objects.get(name="Coordinators")
for name in os.environ["SOAK_COORDINATORS"].split(","):
    user = get_user_model().objects.create_user(
        name, email=name + "@example.org", password=os.environ["SOAK_PASSWORD"],
        first_name="Soak", last_name=name,
    )
    user.groups.add(group)
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    for code in os.environ["SOAK_RECOVERY_CODES"].split(","):
        device.token_set.create(token=code)
editor = get_user_model().objects.create_superuser(
    os.environ["SOAK_EDITOR"], email="editor@example.org",
    password=os.environ["SOAK_PASSWORD"],
)
device = StaticDevice.objects.create(user=editor, name="Recovery codes")
device.token_set.create(token=os.environ["SOAK_RECOVERY_CODES"].split(",")[0])
"""


def manage(env: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        say(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"manage.py {' '.join(args)} failed")


def production_env(cluster: Cluster, workdir: Path, cache_prefix: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "soak_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
            "SOAK_STATIC_ROOT": str(workdir / "static"),
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": cluster.url(DATABASE),
            "SECURE_SSL_REDIRECT": "False",
            # Urgent alerts are written to the task worker's log instead of
            # sent, and fail while the mail outage lasts (soak_worker.py).
            "EMAIL_BACKEND": "soak_worker.OutageEmailBackend",
            "SOAK_MAIL_DOWN_FILE": str(workdir / "mail-down"),
            "LOG_LEVEL": "INFO",
            # One editor edits and publishes (a one-person deployment).
            "CATALOG_ALLOW_PUBLISHING_OWN_EDITS": "True",
            # The shared cache of both servers, under keys of this run's own.
            "REDIS_URL": REDIS_URL,
            "SOAK_CACHE_PREFIX": cache_prefix,
            # The soak's clients stand behind a proxy on 127.0.0.1, which
            # passes each patient's own address: the rate limits stay on.
            "TRUSTED_PROXIES": "127.0.0.1",
            "RATE_LIMIT_STARTS_PER_HOUR": str(STARTS_PER_HOUR),
            # Every try counts, and a soak patient retries a 503 up to ten
            # times in a few seconds while the database is down: more than a
            # person pressing reload, and more than the default 5 contact
            # requests an hour allow.
            "RATE_LIMIT_CONTACTS_PER_HOUR": "30",
            # Simulated patients send the contact form as soon as it is read:
            # the minimum fill time would stop them (tested in tests/intake/).
            "CONTACT_MIN_FILL_SECONDS": "0",
        }
    )
    env.pop("CSRF_TRUSTED_ORIGINS", None)
    env.pop("SECURE_PROXY_SSL_HEADER", None)
    return env


def run_load(ctx: Context, cluster, server: Gunicorn, coordinators, seed: int):
    """The load, and the faults on server A (`server`); B keeps serving."""
    threads = [
        threading.Thread(target=probe_app, args=(ctx,)),
        threading.Thread(target=probe_database, args=(ctx, cluster)),
        threading.Thread(target=inject_faults, args=(ctx, cluster, server)),
        threading.Thread(
            target=drive_conflicts,
            args=(*coordinators[2:], ctx.stop, random.Random(seed + 7)),
        ),
    ]
    for i, coordinator in enumerate(coordinators[:2]):
        threads.append(
            threading.Thread(
                target=work_queue, args=(coordinator, ctx.stop, random.Random(seed + i))
            )
        )
    for t in threads:
        t.daemon = True
        t.start()

    # The witness: a draft begun before gunicorn restarts, continued after.
    witness = Patient(
        ctx,
        Plan(
            n=0,
            pause_after="about",
            pause_event=ctx.gunicorn_restarted,
            double_submit=True,
            contact=True,
        ),
        random.Random(seed),
    )

    def run_witness():
        ctx.sleep_until(T_GUNICORN_RESTART - 10)
        witness.run()

    witness_thread = threading.Thread(target=run_witness, daemon=True)
    witness_thread.start()

    futures = []
    with ThreadPoolExecutor(max_workers=POOL) as pool:
        for n in range(1, PATIENTS + 1):
            ctx.sleep_until(1.0 + (n - 1) * LAUNCH_EVERY)
            patient = Patient(ctx, make_plan(n), random.Random(seed * 1000 + n))
            futures.append(pool.submit(patient.run))
        logs = [future.result() for future in futures]
    witness_thread.join(timeout=120)
    ctx.stop.wait(2)  # the coordinators see the last requests
    ctx.stop.set()
    for t in threads:
        t.join(timeout=60)
    return logs, witness.log


def _by_status(counter) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(counter.items(), key=str))


def report_load(ctx: Context, logs, witness, server_log: str, report: Report) -> int:
    rec = ctx.recorder
    f = ctx.faults
    everyone = [*logs, witness]

    def urgent(log) -> bool:
        return any(slug == "urgent" for slug, _v, _t in log.acked)

    report.figure(
        f"patients simulated: {len(everyone)} ({len(logs)} + 1 witness of the "
        f"gunicorn restart); reached the results page: "
        f"{sum(log.reached_results for log in everyone)}; resumed by their "
        f"private link from a fresh browser: {sum(log.resumed for log in everyone)};"
        f" double-submitted the review: "
        f"{sum(len(log.submit_statuses) == 2 for log in everyone)}; asked to be "
        f"contacted: {sum(bool(log.contact_acked) for log in everyone)}; abandoned "
        f"on purpose: {sum(bool(log.plan.abandon_after) for log in logs)}; urgent: "
        f"{sum(urgent(log) for log in everyone)}; in Spanish: "
        f"{sum(log.plan.lang == 'es' for log in everyone)}; started on server A: "
        f"{sum(log.plan.n % 2 == 0 for log in everyone)}, on B: "
        f"{sum(log.plan.n % 2 == 1 for log in everyone)} (each resumed on the "
        "other server, but the restart witness)",
        order=1,
    )
    gave_up = [log for log in everyone if log.gave_up]
    report.check(
        not gave_up,
        "no patient gave up (every request answered in the end)",
        "; ".join(f"patient {log.plan.n}: {log.gave_up}" for log in gave_up[:10]),
    )
    doubles = [log for log in everyone if len(log.submit_statuses) == 2]
    report.check(
        doubles and all(log.submit_statuses == [302, 302] for log in doubles),
        "both POSTs of every double-submitted review went to the results page",
        "; ".join(f"patient {log.plan.n}: {log.submit_statuses}" for log in doubles),
    )

    statuses = rec.by_status()
    report.figure(
        f"requests by status code: {_by_status(statuses)} "
        f"(total {sum(statuses.values())}; {CONN_ERROR} = connection refused or "
        "cut off, then retried)",
        order=4,
    )
    for who in ("patient", "coordinator", "probe"):
        report.figure(f"  {who}: {_by_status(rec.by_status(who))}", order=4)
    report.check(
        set(statuses) <= ALLOWED_STATUSES,
        "no status code but 200, 302, 409 and, during faults, 503 or a cut-off",
        ", ".join(
            f"{e.status} {e.method} {e.route}"
            for e in rec.events
            if e.status not in (None, 200, 302, 409, 503)
        )[:600],
    )
    report.check(statuses.get(500, 0) == 0, "no 500", f"{statuses.get(500, 0)}")
    report.check(
        not rec.problems,
        "no stack trace in any body; every 503 is the friendly page with Retry-After",
        "; ".join(sorted(set(rec.problems))[:10]),
    )
    report.check(
        not rec.flow_problems,
        "every private link led back to the next step, every 409 said why, "
        "every detail page showed its status",
        "; ".join(rec.flow_problems[:10]),
    )
    report_recovery(ctx, report)

    ok = witness.reached_results and witness.resumed and not witness.gave_up
    report.check(
        ok,
        "a draft begun before the gunicorn restart continued after it by its link",
        witness.gave_up,
    )
    if ok:
        before = [s for s, _v, at in witness.acked if at < f["gunicorn_stop"]]
        after = [s for s, _v, at in witness.acked if at > f["gunicorn_up"]]
        report.figure(
            f"restart witness: steps {', '.join(before)} saved before gunicorn "
            f"stopped; {', '.join(after)} after it was back, from a fresh browser "
            "by the private link; then submitted",
            order=6,
        )
    for name, start, end in (
        ("restart", f["db_restart"], f["db_restart_done"]),
        ("stop", f["db_outage"], f["db_outage_done"]),
    ):
        during = [
            log
            for log in logs
            if log.acked and log.acked[0][2] < start and log.finished_at > end
        ]
        report.figure(
            f"patients mid-intake during the database {name}: {len(during)} "
            f"({sum(log.reached_results for log in during)} went on to submit)",
            order=6,
        )

    internal = server_log.count("Internal Server Error:")
    report.check(internal == 0, "no 500 in the server log", f"{internal}")
    report.figure(
        f"server log: {server_log.count('Service Unavailable:')} logged 503s, "
        f"{server_log.count('Traceback (most recent call last)')} tracebacks "
        "(logged for those 503s, never shown to anyone)"
    )
    # Urgent alerts go out from the task worker: checked in soak_worker.py.
    return sum(1 for log in everyone if log.contact_acked and urgent(log))


def check_conflicts(clog: CoordinatorLog, report: Report) -> None:
    race, stale = clog.race_outcomes, clog.stale_outcomes
    report.figure(
        "concurrent status changes with the same revision: at the same instant "
        + ", ".join(f"{'/'.join(k)} x{v}" for k, v in sorted(race.items()))
        + "; one after the other (stale form) "
        + ", ".join(f"{'/'.join(k)} x{v}" for k, v in sorted(stale.items()))
    )
    report.check(
        race.get(("302", "409"), 0) >= 1 and stale.get(("302", "409"), 0) >= 1,
        "conflicting changes were tried: the first saved, the second got 409",
        f"race {dict(race)}, stale {dict(stale)}",
    )
    both = race.get(("302", "302"), 0) + sum(
        v for (first, second), v in stale.items() if second == "302"
    )
    report.check(both == 0, "no second change from the same revision was saved")
    report.check(clog.session_lost == 0, "no coordinator was signed out")


def backup_and_restore(cluster: Cluster, workdir: Path, report: Report) -> None:
    dump = workdir / f"{DATABASE}.dump"
    dump_cmd = cluster.dump(DATABASE, dump)
    restore_cmd = cluster.restore(dump, RESTORED)
    with cluster.connect(DATABASE) as a, cluster.connect(RESTORED) as b:
        original, restored = (
            table_counts(a, BACKUP_TABLES),
            table_counts(b, BACKUP_TABLES),
        )
        same_answers = answers_digest(a) == answers_digest(b)
    cluster.drop_database(RESTORED)
    report.figure(
        f"backup: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(dump_cmd))}"
        f" ({dump.stat().st_size // 1024} KiB), restored with "
        f"{Path(restore_cmd[0]).name} into a fresh database: "
        + ", ".join(f"{t} {original[t]}/{restored[t]}" for t in BACKUP_TABLES)
    )
    report.check(
        original == restored and same_answers,
        "the restored copy has the same rows (submissions, audit, timeline, "
        "users, sessions) and the same answers",
        f"{original} vs {restored}",
    )


def main() -> int:
    started = time.monotonic()
    seed = int(os.environ.get("SOAK_SEED", str(random.randrange(10**6))))
    workdir = Path(tempfile.mkdtemp(prefix="navigator-soak-"))
    cluster = Cluster(int(os.environ.get("SOAK_PG_PORT", "5433")))
    servers: list[Gunicorn] = []
    worker: TaskWorker | None = None
    cache_prefix = f"navigator-soak-{secrets.token_hex(4)}"

    def give_up():
        say(f"soak: over its {TIME_LIMIT}s limit; stopping")
        if worker:
            worker.stop()
        for server in servers:
            server.stop(timeout=5)
        cluster.stop()
        os._exit(3)

    watchdog = threading.Timer(TIME_LIMIT, give_up)
    watchdog.daemon = True
    watchdog.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    report = Report()
    try:
        say(f"soak: seed {seed}, work folder {workdir}")
        say(
            f"soak: PostgreSQL {cluster.version} cluster '{CLUSTER}', port {cluster.port}"
        )
        say(
            f"soak: Redis {redis_check(REDIS_URL)} at {REDIS_URL}, keys {cache_prefix}:*"
        )
        cluster.ensure()
        cluster.recreate_database(DATABASE)
        env = production_env(cluster, workdir, cache_prefix)
        say("soak: migrate, load_catalog, coordinators, collectstatic")
        manage(env, "migrate", "--noinput")
        manage(env, "load_catalog")
        password = secrets.token_urlsafe(16)
        # The second factor: each coordinator signs in twice, one code each time.
        recovery_codes = [secrets.token_hex(6) for _ in range(2)]
        usernames = [f"soak-coordinator-{i}" for i in range(1, COORDINATORS + 1)]
        manage(
            {
                **env,
                "SOAK_COORDINATORS": ",".join(usernames),
                "SOAK_PASSWORD": password,
                "SOAK_RECOVERY_CODES": ",".join(recovery_codes),
                "SOAK_EDITOR": EDITOR,
            },
            "shell",
            "-c",
            CREATE_COORDINATORS,
        )
        manage(env, "collectstatic", "--noinput")

        for name in "AB":
            server = Gunicorn(
                root=ROOT, env=env, port=free_port(), workdir=workdir, name=name
            )
            server.start()
            servers.append(server)
        for server in servers:
            server.wait_workers()
        worker = TaskWorker(root=ROOT, env=env, workdir=workdir)
        worker.start()
        recorder = Recorder(time.monotonic())
        ports = tuple(server.port for server in servers)
        ctx = Context(ports[0], recorder, ports=ports)
        for server in servers:
            warm = Client(HOST, server.port, recorder, "probe")
            if warm.get("/start/", deadline=30).status != 200:
                raise SystemExit(
                    f"gunicorn does not serve /start/; see {server.log_path}"
                )
        say(
            "soak: gunicorn "
            + " and ".join(f"{s.name} on {HOST}:{s.port}" for s in servers)
            + f" ({servers[0].workers} gthread workers each), "
            f"{PATIENTS} patients over ~{PATIENTS * LAUNCH_EVERY:.0f}s, pool {POOL}"
        )
        clog = CoordinatorLog()
        # One of each coordinator's two browsers on each server.
        coordinators = [
            Coordinator(ctx, name, password, clog, server=i)
            for i, name in enumerate(usernames + usernames)
        ]
        for i, coordinator in enumerate(coordinators):
            coordinator.login(recovery_codes[i // len(usernames)])
        editor = Coordinator(ctx, EDITOR, password, CoordinatorLog(), server=0)
        editor.login(recovery_codes[0], home="/admin/")
        recorder.t0 = time.monotonic()
        MailOutage(workdir / "mail-down", MAIL_OUTAGE).start()
        logs, witness = run_load(ctx, cluster, servers[0], coordinators, seed)
        say(f"soak: load done at {recorder.now():.1f}s; checking")

        server_log = "".join(server.log_text() for server in servers)
        told = report_load(ctx, logs, witness, server_log, report)
        with cluster.connect(DATABASE) as conn:
            check_alerts(conn, worker, told, COORDINATORS, report)
            check_patients(conn, [*logs, witness], report)
            check_coordinators(conn, clog, usernames, report)
            check_conflicts(clog, report)
            say(f"soak: two servers: catalog change and flood at {recorder.now():.1f}s")
            shown = [log for log in logs if log.reached_results]
            english = [log.token for log in shown if not log.plan.lang]
            check_catalog_change(ctx, editor, conn, english, report)
        check_flood(ctx, STARTS_PER_HOUR, report)
        with (workdir / "requests.tsv").open("w") as out:
            for e in recorder.events:
                out.write(f"{e.at:.3f}\t{e.who}\t{e.method}\t{e.route}\t{e.status}\n")
        backup_and_restore(cluster, workdir, report)
    finally:
        if worker:
            worker.stop()
        for server in servers:
            server.stop()
        cluster.stop()
        watchdog.cancel()
        try:
            forgot = redis_forget(REDIS_URL, cache_prefix)
            say(f"soak: removed the run's {forgot} keys from Redis")
        except Exception as error:  # Redis gone at the end: say so, go on
            say(f"soak: could not remove the run's Redis keys: {error}")

    say("\n== Soak figures")
    for line in report.lines():
        say(line)
    say("\n== Checks")
    for ok, name, detail in report.checks:
        say(
            f"{'PASS' if ok else 'FAIL'}  {name}"
            + ("" if ok or not detail else f": {detail}")
        )
    failed = sum(1 for ok, _n, _d in report.checks if not ok)
    say(
        f"\nsoak: {len(report.checks) - failed} passed, {failed} failed "
        f"in {time.monotonic() - started:.0f}s; PostgreSQL soak cluster stopped"
    )
    if os.environ.get("SOAK_KEEP"):
        say(f"soak: kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
