"""Fake submissions for demos and benchmarks: `seed_demo --submissions N`.

No real people: names are "Demo Patient <n>", emails are at example.org and
phone numbers are in the 555-01xx range kept for fiction. Answers follow the
intake contract: a pool of patient profiles is built through
`intake.answers.parse_answers` (so every one is valid), then drawn from, which
keeps large runs fast. Rows go in with `bulk_create` in batches of 5,000; with
a fixed seed, the same N gives the same data (apart from the random tokens).
"""

from __future__ import annotations

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from intake.answers import parse_answers
from intake.models import (
    CONSENT_VERSION,
    REFERENCE_ALPHABET,
    ReviewEvent,
    Submission,
)
from intake.permissions import coordinator_users
from therapies.vocabulary import prior_therapies_for

BATCH = 5000
PROFILES = 400
# Timelines (assignment, status changes, notes) for the first 5,000 only: enough
# to click through in a demo, while a benchmark needs the rows, not their history.
TIMELINES = 5000
Status = Submission.ReviewStatus

# Rough shape of who uses a CAR T navigator: lymphoma and myeloma first.
DISEASE_WEIGHTS = {
    "lbcl": 30,
    "mm": 22,
    "b_all": 10,
    "fl": 8,
    "mcl": 7,
    "cll": 7,
    "mzl": 3,
    "other_blood": 4,
    "solid": 6,
    "unsure": 3,
}
COUNTRIES = ["US"] * 12 + ["CN", "IN", "SG", "KR", "AU", "IL", "GB", "DE", "ES", "MX"]
RELAPSE = [
    "refractory",
    "early_relapse",
    "late_relapse",
    "remission",
    "in_treatment",
    "unsure",
]
TIMES = ["Weekday mornings", "Afternoons", "Evenings after 6", "Any time", ""]
NOTES = [
    "Left a voicemail.",
    "Sent the list of treatment centres by email.",
    "Patient will talk with the oncologist first.",
    "Call back next week.",
]
CLOSE_REASONS = [
    "Referred to a treatment centre.",
    "Patient no longer interested.",
    "Could not reach the patient after three tries.",
]


def _profile(rng: random.Random) -> dict:
    disease = rng.choices(list(DISEASE_WEIGHTS), weights=DISEASE_WEIGHTS.values())[0]
    prior_lines = rng.choices(range(6), weights=[8, 25, 30, 20, 10, 7])[0]
    # Urgent: symptoms within weeks of a CAR T infusion, so CAR T was one of
    # two or more lines already.
    urgent = rng.random() < 0.06
    if urgent:
        prior_lines = max(prior_lines, 2)
    offered = prior_therapies_for(disease)
    answers = {
        "disease": disease,
        "age": rng.randint(4, 85) if disease == "b_all" else rng.randint(28, 86),
        "prior_lines": prior_lines,
        "relapse_status": "newly_diagnosed"
        if prior_lines == 0
        else rng.choice(RELAPSE),
        "country": rng.choice(COUNTRIES),
        "travel_abroad": rng.choice(["yes", "no", "unsure"]),
        "caregiver": rng.choice(["yes", "yes", "no", "unsure"]),
        "recent_infusion": "yes" if urgent else "no",
    }
    if prior_lines:
        therapies = rng.sample(offered, k=min(prior_lines, 3))
        if urgent and "car_t" not in therapies:
            therapies.append("car_t")
        answers["prior_therapies"] = therapies
        answers["transplant_eligible"] = rng.choice(["yes", "no", "unsure"])
        answers["lenalidomide_refractory"] = rng.choice(["yes", "no", "unsure"])
    if urgent:
        answers["symptoms"] = rng.sample(
            ["fever", "confusion", "breathing"], k=rng.randint(1, 2)
        )
        answers["relapse_status"] = rng.choice(["refractory", "unsure"])
        answers["prior_car_t"] = rng.choice(["partial_response", "no_response"])
        answers["antigen_loss"] = "unsure"
    elif "car_t" in answers.get("prior_therapies", ()):
        answers["prior_car_t"] = rng.choice(
            ["relapse_early", "relapse_late", "no_response"]
        )
        answers["antigen_loss"] = rng.choice(["yes", "no", "unsure"])
    # parse_answers validates every code and drops what the contract does not
    # ask; a second pass puts a CAR T it added in the vocabulary's order.
    return parse_answers(parse_answers(answers).to_json()).to_json()


def _status_for(age_days: float, rng: random.Random) -> str:
    if age_days < 2:
        return rng.choice([Status.NEW, Status.NEW, Status.IN_REVIEW])
    if age_days < 14:
        return rng.choice(
            [Status.NEW, Status.IN_REVIEW, Status.CONTACTED, Status.CONTACTED]
        )
    # A few old ones still wait: the backlog "waiting more than N days" finds.
    return rng.choice(
        [Status.NEW, Status.IN_REVIEW, Status.CONTACTED, Status.REFERRED]
        + [Status.CLOSED] * 4
        + [Status.SPAM]
    )


def _contact(number: int, rng) -> dict:
    """A fake patient's contact request (no real people)."""
    return {
        "contact_requested": True,
        "contact_name": f"Demo Patient {number}",
        "contact_email": f"demo.patient{number}@example.org",
        "contact_phone": f"+1 202 555 01{number % 100:02d}",
        "contact_phone_digits": f"120255501{number % 100:02d}",
        "contact_language": rng.choice(["en"] * 8 + ["es", "zh-hans"]),
        "contact_time": rng.choice(TIMES),
        "consent_version": CONSENT_VERSION,
    }


class Command(BaseCommand):
    help = (
        "Create N realistic fake submissions (no real people) for demos and benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--submissions", type=int, default=50, help="How many (default 50)."
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed (default 2026)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if there are submissions already (for `make run`).",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=120,
            help="Spread them over this many days (default 120).",
        )

    def handle(self, *args, submissions, seed, days, if_empty, **options):
        if submissions < 0 or days < 1:
            raise CommandError("--submissions must be 0 or more and --days at least 1.")
        if if_empty and Submission.objects.exists():
            self.stdout.write("There are submissions already: nothing seeded.")
            return
        fake = Faker()
        fake.seed_instance(seed)
        rng = fake.random  # one seeded generator for everything below
        profiles = [_profile(rng) for _ in range(PROFILES)]
        coordinators = list(coordinator_users())
        now = timezone.now()
        taken = set(Submission.objects.values_list("reference", flat=True))
        start = Submission.objects.count()
        made = 0
        while made < submissions:
            size = min(BATCH, submissions - made)
            rows, events = self._batch(
                size, start, made, profiles, coordinators, taken, now, days, rng
            )
            with transaction.atomic():
                created = Submission.objects.bulk_create(rows, batch_size=BATCH)
                if any(events):
                    for submission, event_list in zip(created, events, strict=True):
                        for event in event_list:
                            event.submission_id = submission.pk
                    ReviewEvent.objects.bulk_create(
                        [e for event_list in events for e in event_list],
                        batch_size=BATCH,
                    )
            made += size
            if submissions > BATCH:
                self.stdout.write(f"  {made} / {submissions}")
        # Fresh statistics, so the planner picks the queue's partial indexes
        # (without them SQLite sorts the whole table for the first page).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {submissions} demo submissions"
                + ("" if coordinators else " (no coordinators yet: none assigned)")
                + "."
            )
        )

    def _reference(self, taken: set, rng: random.Random) -> str:
        # The model's default would do, but at a million rows two could collide
        # inside one bulk insert; drawing here lets us skip the ones in use.
        while True:
            reference = "CT-" + "".join(rng.choices(REFERENCE_ALPHABET, k=8))
            if reference not in taken:
                taken.add(reference)
                return reference

    def _batch(self, size, start, made, profiles, coordinators, taken, now, days, rng):
        rows, events = [], []
        for i in range(size):
            number = start + made + i + 1
            answers = rng.choice(profiles)
            created = now - datetime.timedelta(seconds=rng.uniform(600, days * 86400))
            submitted = created + datetime.timedelta(minutes=rng.uniform(4, 40))
            asked = rng.random() < 0.85
            requested = submitted + datetime.timedelta(minutes=rng.uniform(1, 10))
            age_days = (now - requested).total_seconds() / 86400
            status = _status_for(age_days, rng) if asked else Status.NEW
            if status != Status.NEW and not coordinators:
                status = Status.NEW
            first_contact = None
            if status in (Status.CONTACTED, Status.REFERRED) or (
                status == Status.CLOSED and rng.random() < 0.7
            ):
                wait = min(rng.expovariate(1 / 2.5) + 0.05, max(age_days - 0.01, 0.01))
                first_contact = requested + datetime.timedelta(days=wait)
            assignee = (
                rng.choice(coordinators)
                if coordinators and status != Status.NEW
                else None
            )
            # Contract v2: any symptom reported is urgent.
            urgent = bool(set(answers["symptoms"]) - {"none"})
            rows.append(
                Submission(
                    reference=self._reference(taken, rng),
                    stage=Submission.Stage.SUBMITTED,
                    answers=answers,
                    completed_steps=[
                        "safety",
                        "disease",
                        "about",
                        "history",
                        "practical",
                    ],
                    language=rng.choice(["en"] * 8 + ["es", "zh-hans"]),
                    created_at=created,
                    submitted_at=submitted,
                    urgent=urgent,
                    disease=answers["disease"],
                    prior_lines=answers["prior_lines"],
                    relapse_status=answers["relapse_status"],
                    country=answers["country"],
                    contact_requested_at=requested if asked else None,
                    **(_contact(number, rng) if asked else {}),
                    review_status=status,
                    assignee=assignee,
                    close_reason=rng.choice(CLOSE_REASONS)
                    if status == Status.CLOSED
                    else "",
                    first_contacted_at=first_contact,
                )
            )
            timeline = []
            if coordinators and made + i < TIMELINES:
                timeline = self._events(
                    status, assignee, requested, first_contact, now, rng
                )
                if status == Status.CLOSED:
                    timeline[-1].text = rows[-1].close_reason
                rows[-1].revision = 1 + len(timeline)
            if asked:
                rows[-1].last_action_at = max(
                    [requested, first_contact or requested]
                    + [event.created_at for event in timeline]
                )
            events.append(timeline)
        return rows, events

    def _events(self, status, assignee, requested, first_contact, now, rng):
        """The timeline that led to `status`, along the workflow's allowed moves."""
        if status == Status.NEW:
            return []
        at = min(requested + datetime.timedelta(hours=rng.uniform(1, 30)), now)
        events = [
            ReviewEvent(
                author=assignee,
                kind=ReviewEvent.Kind.ASSIGN,
                assignee=assignee,
                created_at=at,
            )
        ]
        steps = [(Status.IN_REVIEW, at)]
        if first_contact is not None:
            steps.append((Status.CONTACTED, max(first_contact, at)))
            if status == Status.REFERRED or (
                status == Status.CLOSED and rng.random() < 0.5
            ):
                steps.append(
                    (
                        Status.REFERRED,
                        min(steps[-1][1] + datetime.timedelta(days=2), now),
                    )
                )
        if status in Submission.FINISHED:
            steps.append((status, min(steps[-1][1] + datetime.timedelta(days=3), now)))
        before = Status.NEW
        for to_status, when in steps:
            if to_status == Status.CONTACTED and rng.random() < 0.5:
                events.append(
                    ReviewEvent(
                        author=assignee,
                        kind=ReviewEvent.Kind.NOTE,
                        text=rng.choice(NOTES),
                        created_at=when,
                    )
                )
            events.append(
                ReviewEvent(
                    author=assignee,
                    kind=ReviewEvent.Kind.STATUS,
                    from_status=before,
                    to_status=to_status,
                    created_at=when,
                )
            )
            before = to_status
        return events
