"""A coordinator's time zone: the page to choose it, and the pages that use it."""

import datetime

import pytest
from django.utils import timezone

from intake.models import CoordinatorPreference
from tests.factories import SubmissionFactory
from tests.review.conftest import login_redirect

URL = "/review/time-zone/"
ASKED = datetime.datetime(2026, 12, 3, 9, 30, tzinfo=datetime.UTC)


def test_it_sends_anonymous_users_to_the_login_page(client):
    response = client.get(URL)
    assert response.url == login_redirect(URL)


def test_it_refuses_staff_who_are_not_coordinators(staff_client):
    assert staff_client.get(URL).status_code == 403
    assert staff_client.post(URL, {"time_zone": "Europe/Paris"}).status_code == 403
    assert CoordinatorPreference.objects.count() == 0


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_it_refuses_other_methods(coordinator_client, method):
    assert getattr(coordinator_client, method)(URL).status_code == 405


def test_it_shows_the_teams_zone_until_a_coordinator_chooses(
    coordinator_client, settings
):
    settings.COORDINATOR_TIME_ZONE = "Europe/Madrid"
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Times are shown in Europe/Madrid" in page
    assert "The team&#x27;s time zone (Europe/Madrid)" in page


def test_a_coordinator_chooses_a_zone_and_their_pages_use_it(
    coordinator_client, coordinator
):
    response = coordinator_client.post(URL, {"time_zone": "America/Chicago"})
    assert response.status_code == 302
    assert CoordinatorPreference.objects.get(user=coordinator).time_zone == (
        "America/Chicago"
    )
    page = coordinator_client.get(response.url).content.decode()
    assert "times are shown in America/Chicago." in page
    assert "Times are shown in America/Chicago" in page


def test_choosing_the_teams_zone_again_clears_the_choice(
    coordinator_client, coordinator, settings
):
    CoordinatorPreference.objects.create(user=coordinator, time_zone="Asia/Tokyo")
    coordinator_client.post(URL, {"time_zone": ""})
    assert CoordinatorPreference.objects.get(user=coordinator).time_zone == ""
    page = coordinator_client.get(URL).content.decode()
    assert f"Times are shown in {settings.COORDINATOR_TIME_ZONE}" in page


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "<b>UTC</b>", "x" * 300])
def test_an_unknown_zone_is_a_400_with_a_message_and_nothing_saved(
    coordinator_client, zone
):
    response = coordinator_client.post(URL, {"time_zone": zone})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your preferences were not changed." in page
    assert "is not a time zone we know. Choose one from the list." in page
    assert "<b>UTC</b>" not in page
    assert CoordinatorPreference.objects.count() == 0


def test_the_queue_and_a_request_show_times_in_the_chosen_zone(
    coordinator_client, coordinator
):
    CoordinatorPreference.objects.create(user=coordinator, time_zone="Asia/Tokyo")
    submission = SubmissionFactory(submitted_at=ASKED)
    queue = coordinator_client.get("/review/").content.decode()
    assert 'title="2026-12-03 18:30 Asia/Tokyo"' in queue
    detail = coordinator_client.get(f"/review/{submission.reference}/")
    assert "6:30 p.m. Asia/Tokyo" in detail.content.decode()


def test_the_zone_does_not_stay_active_after_a_coordinators_request(
    coordinator_client, coordinator
):
    CoordinatorPreference.objects.create(user=coordinator, time_zone="Asia/Tokyo")
    coordinator_client.get("/review/")
    assert timezone.get_current_timezone_name() == "UTC"
