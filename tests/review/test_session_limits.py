"""Signed-in sessions end after 30 minutes idle and after 12 hours in all."""

import datetime

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import AuthenticatorAppFactory, CoordinatorFactory, app_code

START = datetime.datetime(2026, 11, 20, 8, tzinfo=datetime.UTC)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def signed_in(client, db):
    app = AuthenticatorAppFactory(user=CoordinatorFactory(username="nav"))
    with time_machine.travel(START, tick=False):
        response = client.post(
            "/accounts/login/", {"username": "nav", "password": PASSWORD}
        )
        assert response.status_code == 302
        response = client.post("/accounts/second-factor/", {"code": app_code(app)})
        assert response.status_code == 302
    return client


def at(**delta):
    return time_machine.travel(START + datetime.timedelta(**delta), tick=False)


def test_activity_within_thirty_minutes_keeps_the_session(signed_in):
    for minutes in (29, 58, 87):
        with at(minutes=minutes):
            assert signed_in.get("/review/").status_code == 200


def test_thirty_minutes_idle_signs_out_with_a_message(signed_in):
    with at(minutes=31):
        response = signed_in.get("/review/", follow=True)
    assert response.redirect_chain[0][0] == "/accounts/login/?next=/review/"
    assert "30 minutes without activity" in response.content.decode()
    assert "_auth_user_id" not in signed_in.session


def test_twelve_hours_sign_out_even_when_active(signed_in):
    for minutes in range(20, 12 * 60, 20):
        with at(minutes=minutes):
            assert signed_in.get("/review/").status_code == 200
    with at(hours=12, minutes=1):
        response = signed_in.get("/review/", follow=True)
    assert response.redirect_chain[0][0] == "/accounts/login/?next=/review/"
    assert "after 12 hours" in response.content.decode()


def test_the_session_cookie_does_not_outlive_the_absolute_limit(signed_in, settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_LIMIT == 12 * 3600
    assert signed_in.cookies["sessionid"]["max-age"] == 12 * 3600


def test_patients_without_an_account_are_not_affected(client, db):
    with at(hours=20):
        assert client.get("/").status_code == 200


def test_signing_in_after_an_idle_sign_out_during_a_post_returns_to_the_page(
    signed_in,
):
    from tests.factories import SubmissionFactory

    submission = SubmissionFactory()
    page = f"/review/{submission.reference}/"
    with at(minutes=31):
        response = signed_in.post(page + "notes/", {"text": "A note", "revision": 1})
        assert response.url == f"/accounts/login/?next={page}"
        response = signed_in.post(
            response.url, {"username": "nav", "password": PASSWORD}, follow=True
        )
        # The second factor comes next, and keeps where to return to.
        code_page = response.redirect_chain[-1][0]
        assert code_page.startswith("/accounts/second-factor/")
        app = TOTPDevice.objects.get(user__username="nav")
        after = signed_in.post(code_page, {"code": app_code(app)}, follow=True)
    assert after.redirect_chain[-1][0] == page
    assert after.status_code == 200
