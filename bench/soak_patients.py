"""Simulated patients: the whole intake through real pages and form POSTs.

Each patient reads the fields offered from the page it got (radio names,
checkbox values, select options), answers with the contract's codes and the
CSRF token of that page, and keeps a log of every step the server
acknowledged (a 302 after its POST) with exactly the values it posted. Some
resume half-way from a fresh browser by their private link, some submit the
review twice at once, some abandon, some ask to be contacted.
"""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass, field

from soak_http import Client, page_form

# The contract's defaults for answers that were never asked. The stored
# answers leave out some of these (soak_checks fills them in on both sides).
DEFAULT_ANSWERS = {
    "disease": "unsure",
    "lbcl_subtype": "",
    "age": None,
    "prior_lines": 0,
    "relapse_status": "unsure",
    "prior_therapies": [],
    "lenalidomide_refractory": "",
    "transplant_eligible": "",
    "prior_car_t": "none",
    "antigen_loss": "",
    "country": "",
    "travel_abroad": "",
    "caregiver": "",
    "recent_infusion": "no",
    "symptoms": [],
    "eligibility": {},
}
DISEASES = ["lbcl"] * 4 + ["mm"] * 3 + ["b_all", "fl", "mcl", "cll", "mzl", "solid"]
# Where things stand after treatment: a contradiction with "no lines yet",
# which the history page asks the patient to fix (intake/forms.py).
AFTER_TREATMENT = {"refractory", "early_relapse", "late_relapse"}
COUNTRIES = ["US", "US", "US", "CN", "IN", "SG", "KR", "AU", "IL", "DE", "GB", "ES"]
STEP_PATH = re.compile(
    r"^(?P<prefix>/(?:es|zh-hans))?/i/(?P<token>[A-Za-z0-9_-]+)/(?P<slug>[a-z-]+)/$"
)
KNOWN_STEPS = {"safety", "disease", "about", "history", "car-t", "eligibility"}
KNOWN_STEPS |= {"practical", "urgent", "review"}


@dataclass
class Plan:
    n: int
    lang: str = ""  # "" (English) or "es"
    resume_after: str | None = None
    abandon_after: str | None = None
    double_submit: bool = False
    contact: bool = False
    think: tuple[float, float] = (0.3, 1.2)
    pause_after: str | None = None  # wait for pause_event there, then resume
    pause_event: threading.Event | None = None
    address: str = ""  # the client's address (X-Forwarded-For); default by n

    @property
    def client_address(self) -> str:
        """Each patient its own address, so the rate limits stay on."""
        return self.address or f"10.7.{self.n // 250}.{self.n % 250 + 1}"


@dataclass
class PatientLog:
    plan: Plan
    token: str | None = None
    acked: list[tuple[str, dict, float]] = field(default_factory=list)
    reached_review: bool = False
    reached_results: bool = False
    submit_statuses: list = field(default_factory=list)
    contact_acked: dict | None = None
    resumed: bool = False
    gave_up: str = ""
    start_uncertain: int = 0  # /start/ POSTs that may have made a draft
    started_at: float = 0.0
    finished_at: float = 0.0

    def expected_answers(self) -> dict:
        answers = {
            k: (v.copy() if hasattr(v, "copy") else v)
            for k, v in DEFAULT_ANSWERS.items()
        }
        for slug, values, _at in self.acked:
            for key, value in to_stored(slug, values).items():
                if key == "eligibility":
                    answers["eligibility"] = {**answers["eligibility"], **value}
                else:
                    answers[key] = value
        return answers

    def expected_steps(self) -> list[str]:
        steps = []
        for slug, _values, _at in self.acked:
            steps.append("urgent-seen" if slug == "urgent" else slug)
        return steps


def to_stored(slug: str, values: dict) -> dict:
    """What the posted values of a step become in the stored answers."""
    values = {k: v for k, v in values.items() if k != "csrfmiddlewaretoken"}
    if slug == "urgent":
        return {}
    if slug == "eligibility":
        return {"eligibility": dict(values)}
    stored = {}
    for key, value in values.items():
        if key in ("age", "prior_lines"):
            stored[key] = int(value)
        elif key in ("prior_therapies", "symptoms"):
            stored[key] = list(value)
        else:
            stored[key] = value
    return stored


class GaveUp(Exception):
    pass


class Patient:
    def __init__(self, ctx, plan: Plan, rng: random.Random):
        self.ctx = ctx
        self.plan = plan
        self.rng = rng
        self.log = PatientLog(plan)
        self.server = plan.n  # which app server (ctx.port_for)
        self.client = self._new_client()
        self.prefix = f"/{plan.lang}" if plan.lang else ""

    def _new_client(self) -> Client:
        return Client(
            self.ctx.host,
            self.ctx.port_for(self.server),
            self.ctx.recorder,
            "patient",
            self.plan.client_address,
        )

    def _think(self) -> None:
        time.sleep(self.rng.uniform(*self.plan.think))

    def _expect(self, response, statuses, what):
        if response.status not in statuses:
            raise GaveUp(f"{what}: got {response.status} {response.error}".strip())
        return response

    def run(self) -> PatientLog:
        self.log.started_at = self.ctx.recorder.now()
        try:
            self._intake()
        except GaveUp as error:
            self.log.gave_up = str(error)
        except Exception as error:  # a bug in the soak itself: report, go on
            self.log.gave_up = f"soak error {type(error).__name__}: {error}"
        self.log.finished_at = self.ctx.recorder.now()
        return self.log

    def _intake(self) -> None:
        path = f"{self.prefix}/start/"
        page = self._expect(self.client.get(path), (200,), "GET /start/")
        slug = "safety"
        while True:
            if slug == "urgent":
                response = self._post_step(path, slug, {}, page)
            else:
                values = self._answer(slug, page)
                response = self._post_step(path, slug, values, page)
            location = response.location or ""
            match = STEP_PATH.match(location)
            if not match:
                raise GaveUp(f"after {slug}: redirected to {location!r}")
            self.log.token = match["token"]
            if slug == self.plan.abandon_after:
                return
            if slug == self.plan.pause_after and self.plan.pause_event:
                self.plan.pause_event.wait(timeout=120)
                self._resume(location)
            elif slug == self.plan.resume_after:
                self._resume(location)
            self._think()
            path, slug = location, match["slug"]
            if slug not in KNOWN_STEPS:
                raise GaveUp(f"unknown step {slug!r}: the soak needs teaching")
            page = self._expect(self.client.get(path), (200,), f"GET {slug}")
            if slug == "review":
                break
        self._review(path, page)

    def _resume(self, expected_location: str) -> None:
        """A fresh browser opens the private link: it lands where we left off.
        It reaches the other app server, unless the patient waits for a
        restart of its own (the witness stays on server A)."""
        if not self.plan.pause_event:
            self.server += 1
        self.client = self._new_client()
        link = f"{self.prefix}/i/{self.log.token}/"
        response = self._expect(self.client.get(link), (302,), "resume link")
        self.log.resumed = True
        if response.location != expected_location:
            self.ctx.recorder.problem(
                f"patient {self.plan.n}: resume link went to {response.location}, "
                f"not {expected_location}"
            )

    def _post_step(self, path, slug, values, page):
        form = page_form(page.body)
        if form is None:
            raise GaveUp(f"no form on the {slug} page")
        data = {**values, "csrfmiddlewaretoken": form.hidden()["csrfmiddlewaretoken"]}
        response = self.client.post(path, data)
        if slug == "safety":
            self.log.start_uncertain += response.uncertain_attempts
        if response.status != 302:
            raise GaveUp(f"POST {slug}: got {response.status} {response.error}")
        self.log.acked.append((slug, values, self.ctx.recorder.now()))
        return response

    def _answer(self, slug: str, page) -> dict:
        form = page_form(page.body)
        if form is None:
            raise GaveUp(f"no form on the {slug} page")
        radios = form.groups("radio")
        checks = form.groups("checkbox")
        pick = self.rng.choice
        if slug == "safety":
            if self.rng.random() < 0.15:
                symptoms = [s for s in checks["symptoms"] if s != "none"]
                if self.rng.random() < 0.6:
                    chosen = self.rng.sample(symptoms, self.rng.randint(1, 2))
                else:
                    chosen = ["none"]
                return {"recent_infusion": "yes", "symptoms": chosen}
            return {"recent_infusion": "no"}
        if slug == "disease":
            offered = radios["disease"]
            disease = pick([d for d in DISEASES if d in offered])
            if disease == "lbcl" and "lbcl_subtype" in radios:
                return {
                    "disease": disease,
                    "lbcl_subtype": pick(radios["lbcl_subtype"]),
                }
            return {"disease": disease}
        if slug == "history":
            return self._history(form, radios, checks)
        if slug == "about":
            countries = [c for c in COUNTRIES if c in form.selects["country"]]
            return {"age": str(self.rng.randint(8, 84)), "country": pick(countries)}
        if slug in ("car-t", "eligibility", "practical"):
            if not radios:
                raise GaveUp(f"no questions on the {slug} page")
            return {name: pick(choices) for name, choices in radios.items()}
        raise GaveUp(f"unknown step {slug!r}")

    def _history(self, form, radios, checks) -> dict:
        """Answers that agree with each other, as the history page asks: no
        relapse without treatment, no "newly diagnosed" after it, and CAR T
        among the treatments of someone infused in the last 8 weeks."""
        pick = self.rng.choice
        infused = any(
            slug == "safety" and values.get("recent_infusion") == "yes"
            for slug, values, _at in self.log.acked
        )
        lines = pick([1, 1, 2, 2, 3, 4, 5] if infused else [0, 1, 1, 2, 2, 3, 4, 5])
        statuses = radios["relapse_status"]
        if lines == 0:
            statuses = [s for s in statuses if s not in AFTER_TREATMENT]
        else:
            statuses = [s for s in statuses if s != "newly_diagnosed"]
        values = {"prior_lines": str(lines), "relapse_status": pick(statuses)}
        if lines > 0:
            offered = [t for t in checks["prior_therapies"] if t != "car_t"]
            chosen = self.rng.sample(offered, self.rng.randint(1, min(3, len(offered))))
            if "car_t" in checks["prior_therapies"] and (
                infused or self.rng.random() < 0.4
            ):
                chosen.append("car_t")
            values["prior_therapies"] = chosen
            for name in ("lenalidomide_refractory", "transplant_eligible"):
                if name in radios:
                    values[name] = pick(radios[name])
        return values

    def _review(self, path: str, page) -> None:
        self.log.reached_review = True
        form = page_form(page.body)
        if form is None:
            raise GaveUp("no form on the review page")
        data = {"csrfmiddlewaretoken": form.hidden()["csrfmiddlewaretoken"]}
        if self.plan.double_submit:
            tabs = [self.client, self.client.clone()]
            barrier = threading.Barrier(2)
            outcomes = [None, None]

            def submit(i):
                barrier.wait()
                outcomes[i] = tabs[i].post(path, data)

            threads = [threading.Thread(target=submit, args=(i,)) for i in (0, 1)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            responses = outcomes
        else:
            responses = [self.client.post(path, data)]
        self.log.submit_statuses = [r.status for r in responses]
        results_path = f"{self.prefix}/i/{self.log.token}/results/"
        for r in responses:
            if r.status != 302 or r.location != results_path:
                raise GaveUp(f"submit: got {r.status} to {r.location}")
        self._think()
        results = self._expect(self.client.get(results_path), (200,), "results")
        self.log.reached_results = True
        if self.plan.contact:
            self._contact(results_path, results)

    def _contact(self, results_path: str, results) -> None:
        path = f"{self.prefix}/i/{self.log.token}/contact/"
        page = self._expect(self.client.get(path), (200,), "GET contact")
        form = page_form(page.body)
        if form is None:
            raise GaveUp("no form on the contact page")
        n = self.plan.n
        values = {
            "name": f"Soak Patient {n}",
            "email": f"soak-{n}@example.org",
            "phone": "" if n % 2 else f"+1 555 0100 {n:03d}",
            "preferred_language": self.plan.lang or "en",
            "preferred_time": "weekday mornings",
            "consent": "on",
        }
        missing = set(values) - form.names()
        if missing:
            raise GaveUp(f"contact form lacks {sorted(missing)}")
        self._think()
        response = self.client.post(
            path,
            # The hidden fields include when the form was shown (the robots' trap).
            {**form.hidden(), **values},
        )
        if response.status != 302 or response.location != results_path:
            raise GaveUp(f"contact: got {response.status} to {response.location}")
        self.log.contact_acked = values


def make_plan(n: int) -> Plan:
    """Behaviours by patient number, so every run has each of them."""
    middle = ["disease", "about", "history"]
    return Plan(
        n=n,
        lang="es" if n % 7 == 3 else "",
        resume_after=middle[n % 3] if n % 4 == 1 else None,
        abandon_after=["safety", "about", "history"][n % 3] if n % 10 == 7 else None,
        double_submit=n % 3 == 0,
        contact=n % 5 in (0, 1, 2),
    )
