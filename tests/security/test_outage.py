from unittest import mock

from django.db import OperationalError

from tests.clients import BrowserClient


def test_a_database_outage_gives_a_friendly_503_not_a_crash(catalog):
    client = BrowserClient(raise_request_exception=False)
    with mock.patch(
        "intake.views.get_catalog", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/start/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "busy or down for a moment" in html
    assert "Traceback" not in html and "OperationalError" not in html


def test_any_other_crash_gives_the_styled_500_page(catalog):
    client = BrowserClient(raise_request_exception=False)
    with mock.patch("intake.views.get_catalog", side_effect=RuntimeError("boom")):
        response = client.get("/start/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "boom" not in response.content.decode()
