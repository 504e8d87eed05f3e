"""The soak's background worker (`manage.py db_worker`), a mail outage, and
the alert check.

Emails go through the task queue, so the soak runs a worker next to gunicorn,
restarted whenever it exits, as a process manager would: it stops on a
database error, and the soak restarts PostgreSQL. Emails are written to the
worker's log (the console backend), where the check counts them; while the
file SOAK_MAIL_DOWN_FILE names exists, sending fails as when the mail server
refuses connections (`OutageEmailBackend`, the soak's EMAIL_BACKEND).
"""

from __future__ import annotations

import os
import smtplib
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from soak_checks import Report

# Urgent requests not alerted yet, as intake's urgent_not_alerted() reads them.
PENDING_ALERTS = """
    SELECT count(*) FROM intake_submission
    WHERE stage = 'submitted' AND contact_requested AND urgent
      AND urgent_alerted_at IS NULL AND review_status <> 'spam'
"""
URGENT_REQUESTS = """
    SELECT reference FROM intake_submission
    WHERE stage = 'submitted' AND contact_requested AND urgent
      AND review_status <> 'spam'
"""


class OutageEmailBackend(ConsoleBackend):
    """The console backend, down while the outage file exists."""

    def send_messages(self, email_messages):
        if Path(os.environ["SOAK_MAIL_DOWN_FILE"]).exists():
            raise smtplib.SMTPConnectError(421, "soak: mail server down")
        return super().send_messages(email_messages)


class MailOutage:
    """Mail is down from start() for `seconds`."""

    def __init__(self, path: Path, seconds: float):
        self.path = path
        self.seconds = seconds

    def start(self) -> None:
        self.path.touch()
        timer = threading.Timer(self.seconds, self.end)
        timer.daemon = True
        timer.start()

    def end(self) -> None:
        self.path.unlink(missing_ok=True)


class TaskWorker:
    def __init__(self, *, root: Path, env: dict, workdir: Path):
        self.root = root
        self.env = env
        self.log_path = workdir / "worker.log"
        self.restarts = 0
        self._stopping = threading.Event()
        self._process: subprocess.Popen | None = None
        self._thread = threading.Thread(target=self._supervise, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _supervise(self) -> None:
        cmd = [sys.executable, "manage.py", "db_worker", "--no-reload"]
        cmd += ["--interval", "0.5", "--no-startup-delay"]
        while not self._stopping.is_set():
            with self.log_path.open("a") as log:
                self._process = subprocess.Popen(
                    cmd, cwd=self.root, env=self.env, stdout=log, stderr=log
                )
            self._process.wait()
            if not self._stopping.is_set():
                self.restarts += 1
                time.sleep(1)

    def stop(self) -> None:
        self._stopping.set()
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._thread.join(15)

    def log_text(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


def wait_for_alerts(conn, timeout: float = 150) -> int:
    """Wait until every urgent request was alerted (the tasks batch requests
    for a few seconds, and retry); the number still pending."""
    deadline = time.monotonic() + timeout
    while True:
        pending = conn.execute(PENDING_ALERTS).fetchone()[0]
        if pending == 0 or time.monotonic() > deadline:
            return pending
        time.sleep(1)


def check_alerts(
    conn, worker: TaskWorker, told: int, coordinators: int, report: Report
) -> None:
    """Every urgent request the database holds was in exactly one alert email
    to each coordinator, and the database holds every one a patient was told."""
    pending = wait_for_alerts(conn)
    references = [row[0] for row in conn.execute(URGENT_REQUESTS).fetchall()]
    log = worker.log_text()
    emails = log.count("Subject: Urgent:")
    failures = conn.execute(
        "SELECT coalesce(sum(attempts), 0) FROM intake_undeliveredemail"
    ).fetchone()[0]
    wrong = [ref for ref in references if log.count(f"{ref}: ") != coordinators]
    report.figure(
        f"urgent alerts: {len(references)} urgent requests ({told} acknowledged "
        f"to patients, on either server) in {emails} alert emails (batched); "
        f"sent exactly once to each of the {coordinators} coordinators: "
        f"{len(references) - len(wrong)} of {len(references)}; never sent (lost): "
        f"{pending}; {failures} failed sends while mail was down, retried; "
        f"worker restarted {worker.restarts} time(s)",
        order=2,
    )
    report.check(
        pending == 0 and not wrong and len(references) >= told,
        "every urgent contact request alerted every coordinator exactly once, "
        "after the mail outage too",
        f"{pending} never alerted, {len(wrong)} alerted other than once: "
        + ", ".join(wrong[:5]),
    )
