"""Abuse limits on the anonymous POSTs (intake/limits.py): a flood from one
address is refused with a page that tells a patient what to do; a patient under
the limit, and everyone at another address, carry on."""

import os
import uuid

import pytest

from intake.models import Submission
from tests.clients import sent_by_a_person

HERE = "198.51.100.10"
ELSEWHERE = "203.0.113.30"
CONTACT = {
    "name": "Pat Example",
    "email": "pat@example.org",
    "phone": "",
    "preferred_language": "en",
    "preferred_time": "",
    "consent": "on",
}


def start(client, remote_addr=HERE, **extra):
    return client.post(
        "/start/", {"recent_infusion": "no"}, REMOTE_ADDR=remote_addr, **extra
    )


def test_starting_an_intake_is_refused_with_a_429_after_the_limit(
    client, settings, catalog
):
    settings.RATE_LIMIT_STARTS_PER_HOUR = 3
    assert [start(client).status_code for _ in range(3)] == [302, 302, 302]
    refused = start(client)
    assert refused.status_code == 429
    assert Submission.objects.count() == 3
    html = refused.content.decode()
    assert "Your saved answers are safe" in html
    assert "try again" in html
    assert 'href="/help/unwell/"' in html
    assert "no-store" in refused["Cache-Control"]


def test_another_address_can_still_start_when_one_is_refused(client, settings, catalog):
    settings.RATE_LIMIT_STARTS_PER_HOUR = 2
    for _ in range(3):
        start(client)
    assert start(client).status_code == 429
    assert start(client, ELSEWHERE).status_code == 302


def test_a_made_up_forwarded_address_does_not_escape_the_limit(
    client, settings, catalog
):
    settings.RATE_LIMIT_STARTS_PER_HOUR = 2
    codes = [
        start(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 429, 429]


def test_reading_the_first_step_is_not_counted(client, settings, catalog):
    settings.RATE_LIMIT_STARTS_PER_HOUR = 1
    for _ in range(5):
        assert client.get("/start/", REMOTE_ADDR=HERE).status_code == 200
    assert start(client).status_code == 302


def test_a_limit_of_zero_turns_the_limit_off(client, settings, catalog):
    settings.RATE_LIMIT_STARTS_PER_HOUR = 0
    assert {start(client).status_code for _ in range(25)} == {302}


@pytest.mark.parametrize("language", ["es", "zh-hans"])
def test_the_429_page_is_in_the_patients_language(client, settings, catalog, language):
    settings.RATE_LIMIT_STARTS_PER_HOUR = 1
    url = f"/{language}/start/"
    client.post(url, {"recent_infusion": "no"}, REMOTE_ADDR=HERE)
    refused = client.post(url, {"recent_infusion": "no"}, REMOTE_ADDR=HERE)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert f'<html lang="{language}"' in html
    assert f'href="/{language}/help/unwell/"' in html


def test_asking_to_be_contacted_is_refused_after_the_limit(
    client, settings, make_submission
):
    settings.RATE_LIMIT_CONTACTS_PER_HOUR = 2
    url = f"/i/{make_submission(submitted=True).token}/contact/"
    codes = [
        client.post(url, sent_by_a_person(CONTACT), REMOTE_ADDR=HERE).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]
    other = f"/i/{make_submission(submitted=True).token}/contact/"
    assert (
        client.post(other, sent_by_a_person(CONTACT), REMOTE_ADDR=ELSEWHERE).status_code
        == 302
    )


def test_emailing_the_link_is_refused_after_the_limit(
    client, settings, make_submission, mailoutbox
):
    settings.RATE_LIMIT_LINK_EMAILS_PER_HOUR = 1
    submission = make_submission()
    url = f"/i/{submission.token}/email-link/"
    data = {"email": "pat@example.org"}
    assert client.post(url, data, REMOTE_ADDR=HERE).status_code == 302
    assert client.post(url, data, REMOTE_ADDR=HERE).status_code == 429
    assert len(mailoutbox) == 1


def test_a_patients_whole_visit_stays_under_the_default_limits(
    client, make_submission, mailoutbox
):
    """Start, every step with a mistake on the way, the link by email, a
    contact request with a mistake: never refused."""
    assert start(client).status_code == 302
    assert client.post("/start/", {}, REMOTE_ADDR=HERE).status_code == 400
    submission = make_submission(submitted=True)
    token = submission.token
    link = client.post(
        f"/i/{token}/email-link/", {"email": "pat@example.org"}, REMOTE_ADDR=HERE
    )
    assert link.status_code == 302
    url = f"/i/{token}/contact/"
    mistake = client.post(
        url, sent_by_a_person({**CONTACT, "email": ""}), REMOTE_ADDR=HERE
    )
    assert mistake.status_code == 400
    assert client.post(url, sent_by_a_person(CONTACT), REMOTE_ADDR=HERE).url == (
        f"/i/{token}/results/"
    )


REDIS_URL = os.environ.get("NAVIGATOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("NAVIGATOR_REQUIRE_REDIS"):
            pytest.fail(
                f"NAVIGATOR_REQUIRE_REDIS is set but Redis at {REDIS_URL} is down"
            )
        pytest.skip(
            f"Redis is not answering at {REDIS_URL}: start redis-server "
            "(CI sets NAVIGATOR_REQUIRE_REDIS=1, where this test must run)"
        )
    return REDIS_URL


def test_two_app_servers_share_the_count_through_redis(
    client, settings, catalog, redis_url
):
    """Two cache clients on one Redis stand for two app servers."""
    prefix = f"navigator-test-{uuid.uuid4().hex}"
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": prefix,
    }
    settings.CACHES = {**settings.CACHES, "server_a": redis, "server_b": {**redis}}
    settings.RATE_LIMIT_STARTS_PER_HOUR = 3
    codes = []
    for server in ["server_a", "server_b", "server_a", "server_b"]:
        settings.RATELIMIT_USE_CACHE = server
        codes.append(start(client).status_code)
    assert codes == [302, 302, 302, 429]


def test_when_redis_is_down_patients_still_get_through(
    client, settings, catalog, caplog
):
    settings.CACHES = {
        **settings.CACHES,
        "down": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on port 9
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    settings.RATELIMIT_USE_CACHE = "down"
    settings.RATE_LIMIT_STARTS_PER_HOUR = 1
    assert [start(client).status_code for _ in range(2)] == [302, 302]
    assert "the cache is unreachable" in caplog.text
