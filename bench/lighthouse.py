"""What a patient's phone feels: Lighthouse on every patient page (`make lighthouse`).

Loopback only and bounded in time: see bench/README.md. In short:

1. The npm `lighthouse` package, pinned, installed into bench/.lighthouse
   (git-ignored) if it is not there yet.
2. A scratch SQLite database in a temporary folder, migrated, the catalog
   loaded, static files collected; gunicorn on 127.0.0.1 with the production
   settings (DEBUG off, WhiteNoise serving the compressed, hashed files).
3. A typical patient walks the intake over HTTP as a browser would: one draft
   stops at the review page, a second one is submitted (results, print).
4. Lighthouse drives Debian's chromium on its simulated phone (the default
   mobile form factor and throttling) over each page, one at a time.
5. A table of the four category scores and the bytes transferred per page;
   JSON in bench/results/lighthouse-<timestamp>.json; exit 1 if a page scores
   under 100 in a category or transfers more than the budget.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.run_bench import Gunicorn, git_state  # noqa: E402

PY = sys.executable
LIGHTHOUSE_VERSION = "13.5.0"
PREFIX = HERE / ".lighthouse"
LIGHTHOUSE = PREFIX / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Lighthouse counts bytes as transferred (compressed) and reports KiB.
BUDGET_BYTES = int(os.environ.get("BENCH_LIGHTHOUSE_BUDGET_KIB", "60")) * 1024
PAGE_TIMEOUT_S = 180
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
# A comma-separated subset of the pages (their names in the table), to iterate.
ONLY = [p for p in os.environ.get("BENCH_LIGHTHOUSE_PAGES", "").split(",") if p]
REPORTS = (
    Path(os.environ["BENCH_LIGHTHOUSE_REPORTS"]).resolve()
    if os.environ.get("BENCH_LIGHTHOUSE_REPORTS")
    else None
)

# A typical patient who has had CAR T once, so that every step applies. Radio
# groups of the eligibility step come from the catalog: each is answered "yes".
PATIENT = [
    ("safety", {"recent_infusion": "no"}),
    ("disease", {"disease": "lbcl", "lbcl_subtype": "dlbcl"}),
    ("about", {"age": "58", "country": "US"}),
    (
        "history",
        {
            "prior_lines": "2",
            "relapse_status": "late_relapse",
            "prior_therapies": ["chemoimmunotherapy", "car_t"],
            "transplant_eligible": "no",
        },
    ),
    ("car-t", {"prior_car_t": "relapse_late", "antigen_loss": "unsure"}),
    ("eligibility", None),
    ("practical", {"caregiver": "yes", "travel_abroad": "no"}),
]


def say(message: str) -> None:
    print(f"[lighthouse {time.strftime('%H:%M:%S')}] {message}", flush=True)


def ensure_lighthouse() -> None:
    """The pinned npm package in bench/.lighthouse, installed on first use."""
    package = PREFIX / "node_modules" / "lighthouse" / "package.json"
    if package.exists():
        if json.loads(package.read_text())["version"] == LIGHTHOUSE_VERSION:
            return
    if not shutil.which("npm"):
        raise SystemExit("npm is needed for Lighthouse: apt-get install npm")
    say(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {PREFIX.relative_to(ROOT)}")
    subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(PREFIX),
            "--no-audit",
            "--no-fund",
            f"lighthouse@{LIGHTHOUSE_VERSION}",
        ],
        check=True,
        timeout=600,
    )


def django_env(tmp: Path) -> dict:
    return {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{tmp / 'lighthouse.sqlite3'}",
        "SECURE_SSL_REDIRECT": "False",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_STATIC_ROOT": str(tmp / "static"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )


class RadioNames(HTMLParser):
    """The names of a form's radio groups, in page order."""

    def __init__(self):
        super().__init__()
        self.names: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "radio":
            if attrs["name"] not in self.names:
                self.names.append(attrs["name"])


class Patient:
    """A browser's part of the intake over HTTP: the CSRF cookie and the redirects."""

    def __init__(self, port: int):
        self.port = port
        self.csrf = load.csrf_cookie(port, "/start/")

    def get(self, path: str) -> str:
        status, _headers, body = load.fetch(self.port, "GET", path, {})
        if status != 200:
            raise RuntimeError(f"GET {path} gave {status}")
        return body.decode()

    def post(self, path: str, values: dict) -> str:
        """POST a step's answers; the path the server redirects to."""
        body = urlencode({**values, "csrfmiddlewaretoken": self.csrf}, doseq=True)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            # Production cookies are Secure: write the header a browser would.
            "Cookie": f"csrftoken={self.csrf}",
        }
        status, response_headers, _body = load.fetch(
            self.port, "POST", path, headers, body
        )
        if status != 302:
            raise RuntimeError(f"POST {path} gave {status}, not a redirect")
        return response_headers["Location"]

    def walk_to_review(self) -> str:
        """Answer every step, each leading to the next; the draft's token."""
        path = "/start/"
        token = ""
        slugs = [slug for slug, _values in PATIENT] + ["review"]
        for (slug, values), following in zip(PATIENT, slugs[1:], strict=True):
            if token:
                path = f"/i/{token}/{slug}/"
            if values is None:
                parser = RadioNames()
                parser.feed(self.get(path))
                values = {name: "yes" for name in parser.names}
            location = self.post(path, values)
            token = re.search(r"/i/([^/]+)/", location).group(1)
            if not location.endswith(f"/i/{token}/{following}/"):
                raise RuntimeError(f"{slug} led to {location}, not to {following}")
        return token

    def submit(self, token: str) -> None:
        location = self.post(f"/i/{token}/review/", {})
        if not location.endswith(f"/i/{token}/results/"):
            raise RuntimeError(f"submitting went to {location}, not the results")


def patient_pages(port: int) -> list[tuple[str, str]]:
    """(name, path) of every page a patient sees, for one typical patient."""
    patient = Patient(port)
    draft = patient.walk_to_review()
    submitted = patient.walk_to_review()
    patient.submit(submitted)
    therapy = re.search(r'href="(/therapies/[a-z0-9-]+/)"', patient.get("/therapies/"))
    steps = [slug for slug, _values in PATIENT if slug != "safety"]
    return [
        ("home", "/"),
        ("safety", "/start/"),
        *((slug, f"/i/{draft}/{slug}/") for slug in steps),
        ("review", f"/i/{draft}/review/"),
        ("results", f"/i/{submitted}/results/"),
        ("print", f"/i/{submitted}/print/"),
        ("therapies", "/therapies/"),
        ("therapy", therapy.group(1)),
        ("centres", "/centres/"),
        ("unwell", "/help/unwell/"),
        ("about_site", "/about/"),
        ("privacy", "/privacy/"),
        ("contact", "/contact/"),
    ]


def lighthouse(url: str, report: Path) -> dict:
    """One Lighthouse run on the simulated phone; its JSON report, parsed.

    In its own process group, so that a run over time takes its chromium
    with it.
    """
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--quiet",
    ]
    process = subprocess.Popen(
        command,
        cwd=report.parent,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _out, err = process.communicate(timeout=PAGE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise RuntimeError(
            f"Lighthouse took over {PAGE_TIMEOUT_S} s on {url}"
        ) from None
    if process.returncode != 0 or not report.exists():
        raise RuntimeError(f"Lighthouse failed on {url}: {err[-2000:]}")
    return json.loads(report.read_text())


def summary(report: dict) -> dict:
    """Scores out of 100, bytes transferred per request, and what cost a point.

    An audit is listed when it scored under 1 in a category under 100 (a
    metric at 0.99 of a performance score that still rounds to 100 is not).
    """
    categories = report["categories"]
    audits = report["audits"]
    scores = {name: round(categories[name]["score"] * 100) for name in CATEGORIES}
    failing = {
        ref["id"]: audits[ref["id"]]["title"]
        for name in CATEGORIES
        if scores[name] < 100
        for ref in categories[name]["auditRefs"]
        if ref["weight"] > 0 and _under_one(audits[ref["id"]].get("score"))
    }
    requests = audits["network-requests"]["details"]["items"]
    return {
        "scores": scores,
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "requests": {
            item["url"].split("/", 3)[-1]: item.get("transferSize", 0)
            for item in requests
        },
        "failing_audits": failing,
    }


def _under_one(score) -> bool:
    # None: the audit does not apply to the page (or only informs).
    return score is not None and score < 1


def measure(url: str, tmp: Path) -> dict:
    """A page's figures: one run, or the median of RUNS if it misses on performance.

    The performance score comes from timings taken on this shared machine, so
    it varies from run to run; Lighthouse's documentation advises the median
    of several runs. Accessibility, best practices, SEO and bytes do not vary.
    """
    runs = []
    for _ in range(RUNS):
        report = tmp / "report.json"
        runs.append(summary(lighthouse(url, report)))
        if REPORTS:
            REPORTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^a-z0-9]+", "-", url.split("/", 3)[-1]).strip("-")
            shutil.copy(report, REPORTS / f"{name or 'home'}.json")
        report.unlink()
        if runs[0]["scores"]["performance"] == 100:
            break
    runs.sort(key=lambda run: run["scores"]["performance"])
    median = runs[len(runs) // 2]
    return {**median, "performance_runs": [r["scores"]["performance"] for r in runs]}


def passes(row: dict) -> bool:
    return all(s == 100 for s in row["scores"].values()) and (
        row["bytes"] <= BUDGET_BYTES
    )


def table(rows: dict) -> str:
    header = f"{'page':<12} {'perf':>5} {'a11y':>5} {'b-p':>5} {'seo':>5} {'KiB':>7}  "
    lines = [header + "notes", "-" * (len(header) + 20)]
    for name, row in rows.items():
        scores = " ".join(f"{row['scores'][c]:>5}" for c in CATEGORIES)
        notes = ", ".join(row["failing_audits"]) or ("" if passes(row) else "bytes")
        lines.append(
            f"{name:<12} {scores} {row['bytes'] / 1024:>7.1f}  "
            f"{'ok' if passes(row) else 'MISSED'} {notes}".rstrip()
        )
    return "\n".join(lines)


def main() -> int:
    started = time.time()
    load_before = os.getloadavg()[0]
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    tmp = Path(tempfile.mkdtemp(prefix="navigator-lighthouse-"))
    server = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        ensure_lighthouse()
        if not Path(CHROMIUM).exists():
            raise SystemExit(
                f"chromium not found at {CHROMIUM}: apt-get install chromium"
            )
        env = django_env(tmp)
        say("scratch database: migrate, catalog, static files")
        manage(env, "migrate", "--noinput")
        manage(env, "load_catalog")
        manage(env, "collectstatic", "--noinput")
        server = Gunicorn(env, "sync", 2, 1, tmp / "gunicorn.log")
        pages = patient_pages(server.port)
        rows: dict = {}
        for name, path in pages:
            if ONLY and name not in ONLY:
                continue
            url = f"http://127.0.0.1:{server.port}{path}"
            rows[name] = {"path": path, **measure(url, tmp)}
            say(f"{name:<12} {rows[name]['scores']} {rows[name]['bytes']:,} bytes")
        result = {
            "timestamp": stamp,
            "git": git_state(),
            "lighthouse": LIGHTHOUSE_VERSION,
            "chromium": subprocess.run(
                [CHROMIUM, "--version"], capture_output=True, text=True, check=False
            ).stdout.strip(),
            "budget_bytes": BUDGET_BYTES,
            # Performance is timed on this machine: how busy it was, start and end.
            "loadavg": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "cores": os.cpu_count(),
            "pages": rows,
            "elapsed_s": round(time.time() - started, 1),
        }
        results_dir = HERE / "results"
        results_dir.mkdir(exist_ok=True)
        path = results_dir / f"lighthouse-{stamp}.json"
        path.write_text(json.dumps(result, indent=2))
        print()
        print(table(rows))
        if max(result["loadavg"]) > (os.cpu_count() or 1):
            print(
                f"\nThe machine was busy (load {result['loadavg']} on "
                f"{os.cpu_count()} cores): performance scores may run low."
            )
        print(f"\nFigures: {path.relative_to(ROOT)}  ({result['elapsed_s']:.0f} s)")
        missed = [name for name, row in rows.items() if not passes(row)]
        if missed:
            print(
                f"Missed (100 in every category, <= {BUDGET_BYTES // 1024} KiB): "
                + ", ".join(missed)
            )
        return 1 if missed else 0
    except Exception:
        log = tmp / "gunicorn.log"
        if log.exists():
            print(
                f"--- gunicorn log (last lines)\n{log.read_text()[-3000:]}",
                file=sys.stderr,
            )
        raise
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
