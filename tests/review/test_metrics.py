import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from intake.models import AuditEvent, Referral
from tests.factories import URGENT_ANSWERS, CoordinatorFactory, SubmissionFactory
from tests.review.conftest import login_redirect

URL = "/review/metrics/"
NOW = datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)  # a Friday


def at(days_ago: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days_ago)


def test_it_sends_anonymous_users_to_the_login_page(client):
    assert client.get(URL).url == login_redirect(URL)


def test_it_refuses_staff_who_are_not_coordinators(staff_client):
    assert staff_client.get(URL).status_code == 403


def test_it_shows_metrics_to_coordinators(coordinator_client, submission):
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="w-100 h-auto" viewBox="0 0 600 240" role="img"' in html
    assert '<title id="weekly-title">' in html
    # The chart is plain SVG: the page's only script is the idle warning's file.
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert AuditEvent.objects.count() == 0


def test_it_refuses_post(coordinator_client):
    assert coordinator_client.post(URL).status_code == 405


@time_machine.travel(NOW, tick=False)
def test_it_counts_per_week_disease_urgency_and_the_median_wait(coordinator_client):
    # This week (from Monday 16 November): two, one of them urgent.
    SubmissionFactory(submitted_at=at(1), contact_requested_at=at(1))
    SubmissionFactory(
        submitted_at=at(2),
        contact_requested_at=at(2),
        answer_overrides={**URGENT_ANSWERS, "disease": "mm", "transplant_eligible": ""},
    )
    # Three weeks ago, contacted after 1, 2 and 6 days: the median is 2 days.
    for wait in (1, 2, 6):
        SubmissionFactory(
            submitted_at=at(21),
            contact_requested_at=at(21),
            first_contacted_at=at(21 - wait),
            review_status="contacted",
        )
    # Did not ask to be contacted; and one too old to count.
    SubmissionFactory(
        submitted_at=at(3), contact_requested=False, contact_requested_at=None
    )
    SubmissionFactory(submitted_at=at(200), contact_requested_at=at(200))

    context = coordinator_client.get(URL).context
    weeks = context["weeks"]
    assert len(weeks) == 12
    assert (weeks[-1].value, weeks[-1].part) == (3, 2)
    assert (weeks[-4].value, weeks[-4].part) == (3, 3)
    assert sum(bar.value for bar in weeks) == 6
    assert {bar.label: bar.value for bar in context["diseases"]} == {
        "Large B-cell lymphoma": 5,
        "Multiple myeloma": 1,
    }
    totals = context["totals"]
    assert (totals["submitted"], totals["urgent_submitted"], totals["asked"]) == (
        6,
        1,
        5,
    )
    assert context["median_days"] == 2


@time_machine.travel(NOW, tick=False)
def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two(coordinator_client):
    for wait in (1, 2, 4, 8):
        SubmissionFactory(
            submitted_at=at(10),
            contact_requested_at=at(10),
            first_contacted_at=at(10 - wait),
        )
    assert coordinator_client.get(URL).context["median_days"] == 3


def test_it_has_no_median_before_anyone_was_contacted(coordinator_client, submission):
    response = coordinator_client.get(URL)
    assert response.context["median_days"] is None
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 200])
def test_its_query_count_does_not_grow_with_the_data(
    coordinator_client, django_assert_num_queries, count
):
    SubmissionFactory.create_batch(count)
    SubmissionFactory.create_batch(
        count, first_contacted_at=timezone.now(), assignee=CoordinatorFactory()
    )
    SubmissionFactory(
        answer_overrides=URGENT_ANSWERS, first_contacted_at=timezone.now()
    )
    contacted = SubmissionFactory(review_status="contacted")
    Referral.objects.create(
        submission=contacted,
        coordinator=CoordinatorFactory(),
        center_name="St Elsewhere",
        referred_on=timezone.localdate(),
    )
    coordinator_client.get(URL)
    cache.clear()  # counted again, as after the minute
    # session, user with their review permission, second-factor device, weekly,
    # diseases, totals, median and 90th percentile wait (all, then urgent),
    # backlog by age, open per coordinator, referrals per centre
    with django_assert_num_queries(13):
        coordinator_client.get(URL)


def test_the_figures_are_counted_at_most_once_a_minute(
    coordinator_client, django_assert_num_queries
):
    with time_machine.travel(NOW, tick=False):
        SubmissionFactory(submitted_at=at(1))
        first = coordinator_client.get(URL)
        assert first.context["totals"]["submitted"] == 1
        assert "Counted at 12:00 (UTC)" in first.content.decode()
        SubmissionFactory(submitted_at=at(1))
        # session, user, second-factor device: no counting
        with django_assert_num_queries(3):
            again = coordinator_client.get(URL)
        assert again.context["totals"]["submitted"] == 1
    with time_machine.travel(NOW + datetime.timedelta(seconds=61), tick=False):
        later = coordinator_client.get(URL)
    assert later.context["totals"]["submitted"] == 2
    assert "Counted at 12:01 (UTC)" in later.content.decode()
