"""`make bench`: the navigator's pages, engine and export, measured in one run.

Loopback only and bounded in time: see bench/README.md for what each figure
means and the environment variables that size a run. In short:

1. PostgreSQL (started if needed), a fresh `navigator_bench` database migrated,
   the catalog loaded, the demo coordinator created, BENCH_SUBMISSIONS fake
   submissions seeded (timed), then VACUUM ANALYZE; `navigator_bench_small`,
   a copy with 10 submissions, for the query counts at a tiny size.
2. In process (no server running): SQL queries per page at both sizes, the
   suggestion engine alone, the CSV export of every row (time, peak RSS), and a
   sweep of queue filters with EXPLAIN ANALYZE of the slowest.
3. gunicorn on 127.0.0.1 with the production settings (plus a bare view), wrk
   at 1 and 16 connections on every page, the export downloaded over HTTP, and
   the worker models compared.
4. JSON in bench/results/<timestamp>.json and a table with the targets.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench import load, report  # noqa: E402

PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "navigator_bench")
SMALL_DB = DB + "_small"
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "100000"))
SMALL_SUBMISSIONS = 10
DURATION = int(os.environ.get("BENCH_DURATION", "6"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "1,16").split(",")]
REUSE_DB = os.environ.get("BENCH_REUSE_DB", "") == "1"
EXPORT_RUNS = int(os.environ.get("BENCH_EXPORT_RUNS", "3"))
EXPORT_CONNECTIONS = [
    int(c) for c in os.environ.get("BENCH_EXPORT_CONNECTIONS", "1,16").split(",")
]
ENGINE_PATIENTS = int(os.environ.get("BENCH_ENGINE_PATIENTS", "2000"))
COMPARE = os.environ.get("BENCH_COMPARE", "1") == "1"
ADJACENT_BARE_S = int(os.environ.get("BENCH_ADJACENT_BARE", "2"))
# (worker class, workers, threads): the main run's server first.
SERVERS = [("sync", 3, 1), ("gthread", 2, 4), ("gthread", 3, 2)]
if os.environ.get("BENCH_SERVER"):
    kind, workers, threads = os.environ["BENCH_SERVER"].split(":")
    SERVERS.insert(0, (kind, int(workers), int(threads)))
COMPARED = ["bare", "results", "queue_first"]
WORST_QUEUE_PAGES = 3


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: list[str], env: dict, *, capture: bool = False, timeout=3600):
    done = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=capture,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        detail = (done.stderr or "")[-3000:] if capture else ""
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}) {detail}")
    return done.stdout if capture else ""


def helper(module: str, env: dict, *args: str, timeout=3600) -> dict:
    """A bench.<module> helper in its own process; its last stdout line is JSON."""
    out = run([PY, "-m", f"bench.{module}", *args], env, capture=True, timeout=timeout)
    return json.loads(out.strip().splitlines()[-1])


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", f"{PG}/{database}", "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def ensure_postgres() -> None:
    host, port = PG.rsplit("@", 1)[1].split(":")
    if subprocess.run(["pg_isready", "-h", host, "-p", port], check=False).returncode:
        say("starting PostgreSQL")
        versions = sorted(os.listdir("/etc/postgresql"))
        subprocess.run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                versions[-1],
                "main",
                "start",
            ],
            check=True,
        )
        for _ in range(30):
            if not subprocess.run(["pg_isready", "-h", host, "-p", port]).returncode:
                return
            time.sleep(1)
        raise SystemExit("PostgreSQL did not start")


def django_env(database: str, static_root: Path, secret: str) -> dict:
    return {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{PG}/{database}",
        "SECURE_SSL_REDIRECT": "False",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        # The load comes from one address: the per-address limits would stop it.
        "RATE_LIMIT_STARTS_PER_HOUR": "0",
        "RATE_LIMIT_CONTACTS_PER_HOUR": "0",
        "RATE_LIMIT_LINK_EMAILS_PER_HOUR": "0",
    }


def manage(env: dict, *args: str) -> float:
    start = time.perf_counter()
    run([PY, "manage.py", *args], env, capture=True)
    return round(time.perf_counter() - start, 2)


def prepare_databases(env: dict, small_env: dict) -> dict:
    timings: dict = {}
    existing = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'")
    if REUSE_DB and existing:
        count = int(
            psql("SELECT count(*) FROM intake_submission WHERE stage='submitted'", DB)
        )
        if count == SUBMISSIONS:
            say(f"reusing {DB} ({count:,} submitted rows; BENCH_REUSE_DB=1)")
            return {"reused": True, "seed_s": 0.0, "vacuum_s": 0.0}
        say(f"{DB} has {count:,} submitted rows, not {SUBMISSIONS:,}: rebuilding")
    for name in (DB, SMALL_DB):
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{DB}"')
    say(f"migrating {DB}, loading the catalog, creating the demo coordinator")
    timings["migrate_s"] = manage(env, "migrate", "--noinput")
    timings["catalog_s"] = manage(env, "load_catalog")
    manage(env, "create_demo_users", "--force")
    psql(f'CREATE DATABASE "{SMALL_DB}" TEMPLATE "{DB}"')
    manage(small_env, "seed_demo", "--submissions", str(SMALL_SUBMISSIONS))
    say(f"seeding {SUBMISSIONS:,} submissions")
    timings["seed_s"] = manage(env, "seed_demo", "--submissions", str(SUBMISSIONS))
    say(f"seeded in {timings['seed_s']:.1f} s; VACUUM ANALYZE")
    # Autovacuum would get there soon after a bulk load; doing it now means it
    # does not start in the middle of a load run, and index-only scans see an
    # up-to-date visibility map, as on a server that has been up for a while.
    start = time.perf_counter()
    for name in (DB, SMALL_DB):
        psql("VACUUM ANALYZE", name)
    timings["vacuum_s"] = round(time.perf_counter() - start, 2)
    timings["reused"] = False
    return timings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn in its own process group, stopped (group and all) on exit."""

    def __init__(self, env: dict, kind: str, workers: int, threads: int, log: Path):
        self.port = free_port()
        self.label = f"{kind} {workers} workers x {threads} threads"
        self.process = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "bench.wsgi_bench:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--worker-class",
                kind,
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                # A million-row export streams for longer than the default 30 s;
                # a sync worker busy that long would be killed mid-download.
                "--timeout",
                "600",
                # No access log unless asked for, as in the README's command:
                # writing one to /dev/null still formatted every line (2% of
                # a queue page's time in the worker).
                *(
                    ["--access-logfile", "-"]
                    if os.environ.get("BENCH_ACCESS_LOG")
                    else []
                ),
                "--error-logfile",
                str(log),
                # Its default path is shared by every gunicorn of this user.
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if load.fetch(self.port, "GET", "/__bench__/bare", {})[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            self.stop()
            raise RuntimeError(f"gunicorn did not answer; see {log}")
        self.workers = self._workers(workers)

    def _workers(self, expected: int) -> list[int]:
        for _ in range(50):
            path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids = [int(p) for p in path.read_text().split()]
            if len(pids) >= expected:
                return pids
            time.sleep(0.2)
        return pids

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass


def headers_for(endpoint: dict, session: str, csrf: str) -> dict:
    headers = {}
    cookies = []
    if endpoint["auth"]:
        cookies.append(f"sessionid={session}")
    if endpoint["method"] == "POST":
        cookies.append(f"csrftoken={csrf}")
        headers["X-CSRFToken"] = csrf
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if endpoint.get("gzip"):
        headers["Accept-Encoding"] = "gzip, br"
    if cookies:
        # Production cookies are Secure: a browser would not send them over
        # plain http, so the load generator writes the header itself.
        headers["Cookie"] = "; ".join(cookies)
    return headers


def check(server: Gunicorn, endpoint: dict, headers: dict) -> dict:
    """One request before the load: the page answers as expected, not a redirect to login."""
    status, response_headers, body = load.fetch(
        server.port,
        endpoint["method"],
        endpoint["paths"][0],
        headers,
        endpoint.get("body"),
        limit=65536 if endpoint.get("big") else None,
    )
    location = response_headers.get("Location", "")
    if status != endpoint["expect"] or "/accounts/login/" in location:
        raise RuntimeError(
            f"{endpoint['name']}: {endpoint['method']} {endpoint['paths'][0]} gave "
            f"{status} {location} (expected {endpoint['expect']})"
        )
    return {
        k: v
        for k, v in response_headers.items()
        if k in ("Cache-Control", "Content-Encoding", "Content-Type")
    }


def load_endpoints(server, endpoints, session, csrf, tmp: Path, wrk: str) -> dict:
    """wrk (or the download client) on each endpoint at each connection count.

    Before each page's run, a short run of the bare view at the same
    connection count: the page's "x bare" is taken against that neighbour,
    so load from elsewhere on the machine that comes and goes during the
    run shifts both figures alike.
    """
    out: dict = {}
    base = f"http://127.0.0.1:{server.port}"
    bare = next(e for e in endpoints if e["name"] == "bare")
    bare_config = tmp / "bare-adjacent.lua"
    load.write_config(bare_config, bare, {})
    for endpoint in endpoints:
        headers = headers_for(endpoint, session, csrf)
        seen_headers = check(server, endpoint, headers)
        rows = []
        default = EXPORT_CONNECTIONS if endpoint.get("big") else CONNECTIONS
        for connections in endpoint.get("connections", default):
            if endpoint.get("big"):
                per = EXPORT_RUNS if connections == 1 else 1
                say(f"{endpoint['name']}: {connections} x {per} download(s)")
                row = load.run_downloads(
                    server.port,
                    endpoint["paths"][0],
                    headers,
                    connections,
                    per,
                    server.workers,
                )
            else:
                config = tmp / f"{endpoint['name']}.lua"
                load.write_config(config, endpoint, headers)
                row = load.run_wrk(wrk, base, config, connections, DURATION)
            if endpoint is not bare and ADJACENT_BARE_S:
                row["bare_adjacent_rps"] = load.run_wrk(
                    wrk, base, bare_config, connections, ADJACENT_BARE_S
                )["rps"]
            row["expect"] = endpoint["expect"]
            row["response_headers"] = seen_headers
            rows.append(row)
            say(
                f"{endpoint['name']:<24} c={connections:<3} {row['rps']:>8.1f} req/s "
                f"p95 {row['p95_ms']:.1f} ms"
            )
        out[endpoint["name"]] = rows
    return out


def git_state() -> dict:
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    return {
        "head": git("rev-parse", "HEAD") or "unknown",
        "dirty": bool(git("status", "--porcelain")),
    }


def main() -> int:
    started = time.time()
    load_before = os.getloadavg()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    tmp = Path(tempfile.mkdtemp(prefix="navigator-bench-"))
    secret = secrets.token_urlsafe(50)
    env = django_env(DB, tmp / "static", secret)
    small_env = django_env(SMALL_DB, tmp / "static", secret)
    servers: list[Gunicorn] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        wrk = load.ensure_wrk()
        ensure_postgres()
        setup = prepare_databases(env, small_env)
        manage(env, "collectstatic", "--noinput")

        say("picking endpoints and rows")
        fixtures = helper("fixtures", env)
        small_fixtures = helper("fixtures", small_env)
        (tmp / "fixtures.json").write_text(json.dumps(fixtures))
        (tmp / "small.json").write_text(json.dumps(small_fixtures))

        say("SQL queries per page, at both sizes")
        small_counts = helper("queries", small_env, str(tmp / "small.json"))
        big_counts = helper("queries", env, str(tmp / "fixtures.json"), "--skip-big")
        say("export of all rows in its own process (time, peak RSS)")
        export = helper("export_rss", env)
        big_counts["export"] = {"queries": [export["queries"]], "statements": []}
        say("suggestion engine, today's catalog and ten times larger")
        engine = helper("engine", env, str(ENGINE_PATIENTS))
        say("queue filter sweep with EXPLAIN ANALYZE")
        sweep = helper("queue_sweep", env)

        server_kind, workers, threads = SERVERS[0]
        say(f"gunicorn {server_kind} {workers}x{threads}")
        server = Gunicorn(env, server_kind, workers, threads, tmp / "gunicorn.log")
        servers.append(server)
        step_get = next(e for e in fixtures["endpoints"] if e["name"] == "step_get")
        csrf = load.csrf_cookie(server.port, step_get["paths"][0])
        endpoints = list(fixtures["endpoints"])
        for rank, page in enumerate(sweep["slowest"][:WORST_QUEUE_PAGES], 1):
            endpoints.append(
                {
                    "name": f"queue_sweep_worst_{rank}",
                    "method": "GET",
                    "paths": [page["path"]],
                    "auth": True,
                    "expect": 200,
                    "connections": [16],
                }
            )
        http = load_endpoints(server, endpoints, fixtures["session"], csrf, tmp, wrk)
        worker_hwm = load.worker_hwm_mb(server.workers)
        server.stop()

        compared = []
        for kind, w, t in SERVERS if COMPARE else []:
            label = f"{kind} {w} workers x {t} threads"
            try:
                say(f"worker model: gunicorn {label}")
                other = Gunicorn(env, kind, w, t, tmp / f"gunicorn-{kind}-{w}.log")
                servers.append(other)
                picked = [
                    {**e, "connections": [16]}
                    for e in fixtures["endpoints"]
                    if e["name"] in COMPARED
                ]
                figures = load_endpoints(
                    other, picked, fixtures["session"], csrf, tmp, wrk
                )
                compared.append(
                    {
                        "server": label,
                        "endpoints": {k: v[0] for k, v in figures.items()},
                    }
                )
            except (RuntimeError, OSError) as error:
                # Optional: a failure here leaves the main figures standing.
                compared.append({"server": label, "error": str(error)[:300]})
                say(f"worker model {label} failed: {str(error)[:200]}")
            finally:
                servers[-1].stop()

        def counts(measured):
            return {k: max(v["queries"]) for k, v in measured.items()}

        result = {
            "timestamp": stamp,
            "git": git_state(),
            "machine": {
                "cores": os.cpu_count(),
                # Other work on the machine skews every figure: the 1-minute
                # load average when the run started and when it ended.
                "loadavg_start": round(load_before[0], 2),
                "loadavg_end": round(os.getloadavg()[0], 2),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            "config": {
                "submissions": SUBMISSIONS,
                "duration_s": DURATION,
                "connections": CONNECTIONS,
                "server": server.label,
                "export_runs": EXPORT_RUNS,
                "engine_patients": ENGINE_PATIENTS,
            },
            "setup": setup,
            "rows": fixtures["rows"],
            "queries": {
                "big": counts(big_counts),
                "small": counts(small_counts),
                "statements_big": {k: v["statements"] for k, v in big_counts.items()},
            },
            "http": http,
            "gunicorn_worker_hwm_mb": worker_hwm,
            "engine": engine,
            "export": export,
            "queue_sweep": sweep,
            "servers": compared,
        }
        result["targets"] = report.targets(result)
        result["elapsed_s"] = round(time.time() - started, 1)
        results_dir = HERE / "results"
        results_dir.mkdir(exist_ok=True)
        path = results_dir / f"{stamp}.json"
        path.write_text(json.dumps(result, indent=2, default=str))
        print()
        print(report.table(result))
        print(
            f"\nFigures: {path.relative_to(ROOT)}  ({result['elapsed_s']:.0f} s in all)"
        )
        missed = not all(t["pass"] for t in result["targets"])
        return 1 if missed and os.environ.get("BENCH_STRICT") == "1" else 0
    except Exception:
        for log in sorted(tmp.glob("gunicorn*.log")):
            print(f"--- {log.name} (last lines)", file=sys.stderr)
            print(log.read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
