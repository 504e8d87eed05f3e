"""Robots' traps on the contact form: a box no person sees, and a minimum
time between showing the form and sending it."""

import re

import pytest
import time_machine

from intake.forms import contact_form_age, contact_form_stamp
from intake.models import Submission
from tests.clients import sent_by_a_person

CONTACT = {
    "name": "Pat Example",
    "email": "pat@example.org",
    "phone": "",
    "preferred_language": "en",
    "preferred_time": "",
    "consent": "on",
}
REFUSED = "We could not send your request"


@pytest.fixture
def url(make_submission):
    return f"/i/{make_submission(submitted=True).token}/contact/"


def stamp_on(html: str) -> str:
    return re.search(r'name="shown_at" value="([^"]+)"', html)[1]


def nothing_requested() -> bool:
    return not Submission.objects.filter(contact_requested=True).exists()


def test_the_robots_box_is_hidden_from_people_and_screen_readers(client, url):
    html = client.get(url).content.decode()
    box = re.search(
        r"<div class=\"visually-hidden\" aria-hidden=\"true\">(.*?)</div>", html, re.S
    )[1]
    assert 'name="website"' in box
    assert 'tabindex="-1"' in box and 'autocomplete="off"' in box
    assert html.count('name="website"') == 1


def test_a_filled_robots_box_is_refused_and_nothing_is_saved(client, url):
    response = client.post(url, sent_by_a_person({**CONTACT, "website": "http://x"}))
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert nothing_requested()


def test_a_form_sent_a_second_after_it_was_shown_is_refused(client, url):
    with time_machine.travel("2026-12-01 10:00:00", tick=False) as clock:
        stamp = stamp_on(client.get(url).content.decode())
        clock.shift(1)
        response = client.post(url, {**CONTACT, "shown_at": stamp})
        assert response.status_code == 400
        assert REFUSED in response.content.decode()
        assert nothing_requested()
        clock.shift(3)
        assert client.post(url, {**CONTACT, "shown_at": stamp}).status_code == 302
    assert not nothing_requested()


def test_the_minimum_time_is_a_setting(client, url, settings):
    settings.CONTACT_MIN_FILL_SECONDS = 120
    response = client.post(url, sent_by_a_person(CONTACT))  # shown a minute ago
    assert response.status_code == 400


@pytest.mark.parametrize("stamp", [None, "", "12345", "forged:stamp"])
def test_a_form_without_a_stamp_of_ours_is_refused(client, url, stamp):
    data = dict(CONTACT) if stamp is None else {**CONTACT, "shown_at": stamp}
    response = client.post(url, data)
    assert response.status_code == 400
    assert nothing_requested()
    # Shown again with a good stamp, so sending it again a moment later works.
    assert contact_form_age(stamp_on(response.content.decode())) is not None


def test_fixing_a_mistake_does_not_restart_the_clock(client, url):
    with time_machine.travel("2026-12-01 10:00:00", tick=False) as clock:
        stamp = contact_form_stamp()
        clock.shift(30)
        mistake = client.post(url, {**CONTACT, "email": "", "shown_at": stamp})
        assert mistake.status_code == 400
        assert stamp_on(mistake.content.decode()) == stamp
        clock.shift(1)
        assert client.post(url, {**CONTACT, "shown_at": stamp}).status_code == 302
