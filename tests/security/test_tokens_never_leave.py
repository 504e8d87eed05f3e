"""A resume token is a key to someone's health answers: it never reaches a log
line, a Referer or a search engine, whatever goes wrong."""

import io
import logging
from unittest import mock

import pytest
from django.conf import settings as project_settings
from django.test import Client

from intake.logging import RedactTokensFilter
from intake.models import Submission
from tests.clients import BrowserClient
from tests.security.test_logs import everything_logged, post_through_runserver

SENTINEL = "sentinelTOKENq7xZ-3kf9wPzz"


@pytest.fixture
def token(make_submission):
    submission = make_submission(steps=["safety", "disease"])
    Submission.objects.filter(pk=submission.pk).update(token=SENTINEL)
    return SENTINEL


@pytest.fixture
def log_output():
    """What the project's own log handler writes (settings.LOGGING)."""
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactTokensFilter) for f in handler.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_every_log_handler_in_the_settings_redacts_tokens():
    config = project_settings.LOGGING
    assert config["handlers"]
    for handler in config["handlers"].values():
        assert "redact_tokens" in handler["filters"]
    # Django's own handlers for these loggers would bypass the filter.
    for name in ("django", "django.server"):
        assert config["loggers"][name]["handlers"] == []


def test_no_error_path_logs_the_token(client, token, caplog, log_output):
    caplog.set_level(logging.DEBUG)
    step = f"/i/{token}/about/"
    assert client.post(step, {"age": "not a number"}).status_code == 400
    csrf = BrowserClient(enforce_csrf_checks=True).post(step, {"age": "50"})
    assert csrf.status_code == 403
    assert client.get(f"/i/{token}/no-such-step/").status_code == 404
    assert client.get(f"/es/i/{token}/a/b/c/").status_code == 404
    with mock.patch("intake.views.get_catalog", side_effect=RuntimeError("crafted")):
        crashed = BrowserClient(raise_request_exception=False).get(step)
    assert crashed.status_code == 500
    assert post_through_runserver(step, {"age": "not a number"}) == 400

    logged = everything_logged(caplog.records)
    written = log_output.getvalue()
    assert "Bad Request: /i/[redacted]/about/" in written
    assert "Forbidden (CSRF cookie not set.): /i/[redacted]/about/" in written
    assert "Not Found: /i/[redacted]/no-such-step/" in written
    assert "Not Found: /es/i/[redacted]/a/b/c/" in written
    assert "Internal Server Error: /i/[redacted]/about/" in written
    assert "RuntimeError: crafted" in written
    assert '"POST /i/[redacted]/about/ HTTP/1.1" 400' in written
    assert SENTINEL not in written
    assert SENTINEL not in logged


def test_the_filter_leaves_other_lines_and_the_live_request_alone(rf):
    request = rf.get(f"/i/{SENTINEL}/results/")
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (request.path,),
        None,
    )
    record.request = request
    assert RedactTokensFilter().filter(record)
    assert record.getMessage() == "Not Found: /i/[redacted]/results/"
    assert SENTINEL not in record.request
    assert request.path == f"/i/{SENTINEL}/results/"

    other = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "GET /i18n/ %s", (200,), None
    )
    RedactTokensFilter().filter(other)
    assert other.getMessage() == "GET /i18n/ 200"


def test_patient_pages_send_no_path_as_referer(client, token):
    response = client.get(f"/i/{token}/disease/")
    assert response["Referrer-Policy"] == "strict-origin"


@pytest.mark.parametrize(
    "path", ["/i/{token}/disease/", "/es/i/{token}/disease/", "/i/{token}/nothing/"]
)
def test_every_page_under_i_asks_search_engines_not_to_index_it(client, token, path):
    response = client.get(path.format(token=token))
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_public_pages_may_be_indexed(client, catalog):
    for path in ("/", "/therapies/", "/start/"):
        assert "X-Robots-Tag" not in client.get(path)


def test_a_multipart_body_is_refused_with_a_415_and_nothing_saved(catalog):
    response = Client().post("/start/", {"recent_infusion": "no"})  # multipart
    assert response.status_code == 415
    assert "does not take file uploads" in response.content.decode()
    assert Submission.objects.count() == 0


def test_the_admin_still_takes_its_forms_as_multipart(db):
    response = Client().post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
