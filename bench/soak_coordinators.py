"""Simulated coordinators: read the queue, open requests, move their status.

Two coordinators work the queue at their own pace while a conflict driver,
signed in as both of them in other browsers, makes deliberately conflicting
changes with the same revision: at the same instant ("race") and one after
the other ("stale form"). The second one must get a 409 and change nothing.

Every action is logged with what the coordinator knew (status and revision
shown), so the checks can match the audit trail and the timeline to the
actions taken. A request cut off or answered 503 may or may not have been
applied: it is counted as uncertain, never guessed.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from soak_http import Client, forms_of

STATUS_LABELS = {
    "New": "new",
    "In review": "in_review",
    "Contacted": "contacted",
    "Referred": "referred",
    "Closed": "closed",
}
REFERENCE = re.compile(r'href="/review/(CT-[A-Z0-9]+)/"')
NOW = re.compile(r"Now: <strong>([^<]+)</strong>")
CONFLICT_TEXT = "Someone else changed this request first"


@dataclass
class Detail:
    reference: str
    status: str
    revision: int
    targets: list[str]  # to_status values offered, closing included


@dataclass
class CoordinatorLog:
    """Per coordinator (username): what the audit trail must show."""

    views_acked: Counter = field(default_factory=Counter)  # username -> n
    views_uncertain: Counter = field(default_factory=Counter)
    conflicts: Counter = field(default_factory=Counter)  # 409s: a view each
    changes_acked: list = field(default_factory=list)  # (user, ref, from, to)
    changes_uncertain: list = field(default_factory=list)
    queue_reads: int = 0
    session_lost: int = 0
    race_outcomes: Counter = field(default_factory=Counter)
    stale_outcomes: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Coordinator:
    def __init__(
        self, ctx, username: str, password: str, log: CoordinatorLog, server: int = 0
    ):
        self.ctx = ctx
        self.username = username
        self.password = password
        self.log = log
        self.client = Client(
            ctx.host, ctx.port_for(server), ctx.recorder, "coordinator"
        )

    def login(self, recovery_code: str, home: str = "/review/") -> None:
        """Password, then the second factor (a recovery code: one per sign-in,
        where an app's code can serve only one sign-in per 30 seconds)."""
        self._password()
        page = self.client.get(f"/accounts/second-factor/?next={home}")
        form = next(
            f for f in forms_of(page.body) if "second-factor" in (f.action or "")
        )
        response = self.client.post(
            "/accounts/second-factor/",
            {
                "csrfmiddlewaretoken": form.hidden()["csrfmiddlewaretoken"],
                "code": recovery_code,
                "next": home,
            },
        )
        if response.status != 302 or "/accounts/login/" in (response.location or ""):
            raise SystemExit(
                f"{self.username} could not give the second factor: "
                f"{response.status} {response.location}"
            )

    def _password(self) -> None:
        page = self.client.get("/accounts/login/")
        form = next(f for f in forms_of(page.body) if "login" in (f.action or ""))
        response = self.client.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": form.hidden()["csrfmiddlewaretoken"],
                "username": self.username,
                "password": self.password,
                "next": "",
            },
        )
        if response.status != 302 or "/accounts/login/" in (response.location or ""):
            raise SystemExit(
                f"{self.username} could not sign in: {response.status} "
                f"{response.location}"
            )

    def _signed_out(self, response) -> bool:
        if response.status == 302 and "/accounts/login/" in (response.location or ""):
            with self.log.lock:
                self.log.session_lost += 1
            self.ctx.recorder.problem(
                f"{self.username} was signed out (session lost) at "
                f"{self.ctx.recorder.now():.1f}s"
            )
            return True
        return False

    def queue(self, everything: bool = False) -> list[str]:
        response = self.client.get("/review/?status=all" if everything else "/review/")
        with self.log.lock:
            self.log.queue_reads += 1
        if self._signed_out(response) or response.status != 200:
            return []
        return REFERENCE.findall(response.body)

    def _parse_detail(self, reference: str, body: str) -> Detail | None:
        now = NOW.search(body)
        if not now:
            self.ctx.recorder.problem(f"no status shown on the detail page {reference}")
            return None
        targets, revision = [], None
        for form in forms_of(body):
            if form.method == "post" and (form.action or "").endswith("/status/"):
                hidden = form.hidden()
                targets.append(hidden["to_status"])
                revision = int(hidden["revision"])
        if revision is None:
            # Nothing to move it to; any revision field on the page will do.
            for form in forms_of(body):
                if "revision" in form.hidden():
                    revision = int(form.hidden()["revision"])
        return Detail(reference, STATUS_LABELS[now.group(1)], revision or 0, targets)

    def change(self, detail: Detail, to_status: str, page):
        """POST a status change at the revision `page` showed; the response."""
        data = {
            "csrfmiddlewaretoken": self._csrf(page),
            "revision": str(detail.revision),
            "to_status": to_status,
        }
        if to_status == "closed":
            data["reason"] = "Soak test: closed by a simulated coordinator."
        response = self.client.post(f"/review/{detail.reference}/status/", data)
        entry = (self.username, detail.reference, detail.status, to_status)
        with self.log.lock:
            if response.uncertain_attempts:
                self.log.changes_uncertain.append(entry)
            if response.status == 302 and not self._signed_out(response):
                self.log.changes_acked.append(entry)
            elif response.status == 409:
                self.log.conflicts[self.username] += 1
        if response.status == 409 and CONFLICT_TEXT not in response.body:
            self.ctx.recorder.problem("409 without the conflict message")
        return response

    def open_for_change(self, reference: str):
        """GET the detail page: the Detail and the raw page (for its CSRF token)."""
        response = self.client.get(f"/review/{reference}/")
        with self.log.lock:
            self.log.views_uncertain[self.username] += response.uncertain_attempts
            if response.status == 200:
                self.log.views_acked[self.username] += 1
        if self._signed_out(response) or response.status != 200:
            return None, None
        return self._parse_detail(reference, response.body), response

    @staticmethod
    def _csrf(page) -> str:
        for form in forms_of(page.body):
            token = form.hidden().get("csrfmiddlewaretoken")
            if token:
                return token
        return ""


def work_queue(coordinator: Coordinator, stop: threading.Event, rng: random.Random):
    """A coordinator's day: read the queue, open one, move it along."""
    while not stop.is_set():
        refs = coordinator.queue(everything=rng.random() < 0.2)
        if refs and rng.random() < 0.7:
            detail, page = coordinator.open_for_change(rng.choice(refs))
            if detail and detail.targets:
                moves = [t for t in detail.targets if t != "closed"]
                if not moves or rng.random() < 0.1:
                    moves = detail.targets
                time.sleep(rng.uniform(0.1, 0.5))  # reading the answers
                coordinator.change(detail, rng.choice(moves), page)
        stop.wait(rng.uniform(0.4, 1.2))


def drive_conflicts(a: Coordinator, b: Coordinator, stop, rng: random.Random):
    """Two coordinators change the same request from the same revision."""
    mode = 0
    while not stop.is_set():
        stop.wait(rng.uniform(1.5, 3.0))
        refs = a.queue()
        if not refs:
            continue
        reference = rng.choice(refs)
        detail_a, page_a = a.open_for_change(reference)
        detail_b, page_b = b.open_for_change(reference)
        if not (detail_a and detail_b) or not detail_a.targets:
            continue
        if detail_a.revision != detail_b.revision:
            continue  # someone moved it between the two reads: try another
        to_a = rng.choice(detail_a.targets)
        to_b = rng.choice(detail_b.targets)
        mode += 1
        if mode % 2:
            outcome = _race([(a, detail_a, to_a, page_a), (b, detail_b, to_b, page_b)])
            with a.log.lock:
                a.log.race_outcomes[outcome] += 1
        else:
            first = a.change(detail_a, to_a, page_a).status
            second = b.change(detail_b, to_b, page_b).status
            with a.log.lock:
                a.log.stale_outcomes[(str(first), str(second))] += 1


def _race(moves) -> tuple[str, ...]:
    """POST the changes at the same instant; their statuses, sorted."""
    barrier = threading.Barrier(len(moves))
    out: list = []

    def post(who, detail, to, page):
        barrier.wait()
        out.append(str(who.change(detail, to, page).status))

    threads = [threading.Thread(target=post, args=move) for move in moves]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tuple(sorted(out))
