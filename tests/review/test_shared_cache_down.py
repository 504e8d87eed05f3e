"""When Redis (the shared cache, REDIS_URL) is down, coordinators still work:
the queue's counts and the metrics are counted in the database, a status
change still saves, and the warning logged names no patient."""

import logging
import socket

import pytest

from tests.factories import URGENT_ANSWERS, SubmissionFactory


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    caplog.set_level(logging.WARNING, logger="intake.review.shared_cache")
    return caplog


def test_the_queue_shows_its_counts_when_redis_is_down(coordinator_client, redis_down):
    patient = SubmissionFactory(answer_overrides=URGENT_ANSWERS)
    SubmissionFactory(review_status="contacted")
    SubmissionFactory(review_status="spam")
    response = coordinator_client.get("/review/")
    assert response.status_code == 200
    counts = {code: n for code, _label, n in response.context["status_counts"]}
    assert (counts["new"], counts["contacted"], counts["spam"]) == ("1", "1", "1")
    assert response.context["open_count"] == "2"
    assert patient.reference in response.content.decode()
    warnings = [r for r in redis_down.records if r.levelno == logging.WARNING]
    assert warnings, "a warning says the shared cache is unreachable"
    assert "Shared cache unreachable (ConnectionError)" in redis_down.text
    for personal in (patient.contact_name, patient.contact_email, patient.reference):
        assert personal not in redis_down.text


def test_the_metrics_page_is_counted_when_redis_is_down(coordinator_client, redis_down):
    SubmissionFactory.create_batch(2)
    SubmissionFactory(review_status="spam")
    response = coordinator_client.get("/review/metrics/")
    assert response.status_code == 200
    assert response.context["totals"]["submitted"] == 3
    assert "1 marked as spam" in response.content.decode()


def test_a_status_change_saves_when_redis_is_down(
    coordinator_client, redis_down, django_capture_on_commit_callbacks
):
    submission = SubmissionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            f"/review/{submission.reference}/status/",
            {"to_status": "in_review", "revision": submission.revision},
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.review_status == "in_review"
    counts = coordinator_client.get("/review/").context["status_counts"]
    assert ("in_review", "In review", "1") in counts
