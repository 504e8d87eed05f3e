"""What a team lead reads on the metrics page: response times, backlog, load."""

import datetime

import time_machine

from intake.models import Referral
from tests.factories import (
    URGENT_ANSWERS,
    CoordinatorFactory,
    SubmissionFactory,
    TreatmentCenterFactory,
)

URL = "/review/metrics/"
NOW = datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)


def at(days_ago: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days_ago)


def contacted_after(hours: float, **kwargs):
    asked = at(10)
    return SubmissionFactory(
        submitted_at=asked,
        contact_requested_at=asked,
        first_contacted_at=asked + datetime.timedelta(hours=hours),
        **kwargs,
    )


@time_machine.travel(NOW, tick=False)
def test_it_shows_median_and_90th_percentile_time_to_first_contact_urgent_apart(
    coordinator_client,
):
    for hours in (10, 20, 30, 40, 50, 60, 70, 80, 90, 100):
        contacted_after(hours)
    contacted_after(2, answer_overrides=URGENT_ANSWERS)
    contacted_after(6, answer_overrides=URGENT_ANSWERS)
    response = coordinator_client.get(URL)
    every, urgent = response.context["response_times"]
    assert every.contacted == 12
    assert every.median == datetime.timedelta(hours=45)  # (40 + 50) / 2
    assert every.p90 == datetime.timedelta(hours=90)  # the 11th of 12
    assert (urgent.contacted, urgent.median, urgent.p90) == (
        2,
        datetime.timedelta(hours=4),
        datetime.timedelta(hours=6),
    )
    html = response.content.decode()
    assert "45.0 hours" in html
    assert "3.8 days" in html  # 90 hours


@time_machine.travel(NOW, tick=False)
def test_it_counts_the_open_backlog_by_age(coordinator_client):
    for days in (0.5, 2, 2.5, 10, 45):
        SubmissionFactory(contact_requested_at=at(days), submitted_at=at(days))
    SubmissionFactory(
        contact_requested_at=at(45), review_status="closed", close_reason="Done"
    )
    backlog = dict(coordinator_client.get(URL).context["backlog"])
    assert backlog == {
        "Under a day": 1,
        "1 to 3 days": 2,
        "3 to 7 days": 0,
        "1 to 2 weeks": 1,
        "2 weeks to a month": 0,
        "Over a month": 1,
    }


@time_machine.travel(NOW, tick=False)
def test_it_counts_open_requests_per_coordinator(coordinator_client, coordinator):
    other = CoordinatorFactory(first_name="Omar", last_name="Other")
    SubmissionFactory.create_batch(3, assignee=other)
    SubmissionFactory(assignee=coordinator)
    SubmissionFactory(assignee=coordinator, review_status="closed", close_reason="x")
    SubmissionFactory.create_batch(2)
    load = coordinator_client.get(URL).context["per_coordinator"]
    assert load == [("Omar Other", 3), ("Nobody yet", 2), ("Nora Navigator", 1)]


@time_machine.travel(NOW, tick=False)
def test_it_counts_referrals_per_centre(coordinator_client, coordinator):
    centre = TreatmentCenterFactory(name="Riverside Cancer Centre")
    for name in ("", "", "St Elsewhere"):
        Referral.objects.create(
            submission=SubmissionFactory(review_status="referred"),
            coordinator=coordinator,
            center=None if name else centre,
            center_name=name,
            referred_on=NOW.date(),
        )
    per_centre = coordinator_client.get(URL).context["per_centre"]
    assert per_centre == [
        ("Riverside Cancer Centre, Testville", 2),
        ("St Elsewhere (not in the catalog)", 1),
    ]
