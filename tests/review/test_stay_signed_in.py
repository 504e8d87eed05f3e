"""The warning before the idle sign-out, and its "Stay signed in"."""

import datetime
import re

import pytest
import time_machine

from tests.clients import BrowserClient
from tests.factories import CoordinatorFactory, sign_in_verified
from tests.review.conftest import login_redirect

URL = "/review/stay-signed-in/"
START = datetime.datetime(2026, 11, 20, 8, tzinfo=datetime.UTC)


def at(**delta):
    return time_machine.travel(START + datetime.timedelta(**delta), tick=False)


@pytest.fixture
def signed_in(client, coordinator):
    with at():
        sign_in_verified(client, coordinator)
        assert client.get("/review/").status_code == 200  # the clocks start
    return client


def seconds_left(html: str) -> int:
    return int(re.search(r'data-seconds-left="(\d+)"', html)[1])


def test_it_answers_anonymous_users_that_they_are_signed_out(client, db):
    response = client.post(URL)
    assert response.status_code == 401
    assert response.json() == {"signed_in": False}


def test_it_refuses_staff_who_are_not_coordinators(staff_client):
    assert staff_client.post(URL).status_code == 403


def test_it_refuses_get(coordinator_client):
    assert coordinator_client.get(URL).status_code == 405


def test_it_refuses_a_post_without_the_csrf_token(db):
    client = BrowserClient(enforce_csrf_checks=True)
    sign_in_verified(client, CoordinatorFactory())
    assert client.post(URL).status_code == 403


def test_pages_say_how_long_is_left_from_the_last_activity(signed_in):
    # Activity is kept to the minute: a page 40 seconds later still counts
    # from the sign-in, and says so.
    with at(seconds=40):
        html = signed_in.get("/review/").content.decode()
    assert seconds_left(html) == 30 * 60 - 40
    assert 'data-warn-before="120"' in html
    assert "You will be signed out in 2 minutes without activity" in html
    assert "/static/js/idle-warning.js" in html


def test_staying_signed_in_restarts_the_idle_clock(signed_in):
    with at(minutes=28, seconds=30):
        response = signed_in.post(URL)
    assert response.status_code == 200
    assert response.json() == {"signed_in": True, "seconds_left": 30 * 60}
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    with at(minutes=58):
        assert signed_in.get("/review/").status_code == 200


def test_after_the_idle_sign_out_it_says_signed_out(signed_in):
    with at(minutes=31):
        response = signed_in.post(URL)
    assert response.status_code == 401
    with at(minutes=31):
        assert signed_in.get("/review/").url == login_redirect("/review/")


def test_patients_pages_have_no_warning(client, db):
    assert "idle-warning" not in client.get("/").content.decode()


def test_signing_in_again_from_the_warning_returns_to_the_page(signed_in, submission):
    page = f"/review/{submission.reference}/"
    back = f'href="/accounts/login/?next={page}"'
    with at(minutes=1):
        assert back in signed_in.get(page).content.decode()
        # A form shown again after a POST: back to the page, not the action
        # (a GET there would be a 405).
        response = signed_in.post(page + "calls/", {"outcome": "reached"})
    assert response.status_code == 400
    assert back in response.content.decode()
