"""The sign-in page, sign-out and the lock-out after repeated failures."""

import pytest

from tests.factories import CoordinatorFactory

URL = "/accounts/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def nav(db):
    return CoordinatorFactory(username="nav")


def test_the_login_page_is_in_the_sites_style(client, db):
    response = client.get(URL + "?next=/review/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "CAR T Navigator" in html
    assert 'name="next" value="/review/"' in html
    assert "<script" not in html
    assert " style=" not in html


def test_signing_in_leads_to_the_page_asked_for(client, nav):
    response = client.post(
        URL, {"username": "nav", "password": PASSWORD, "next": "/review/metrics/"}
    )
    assert response.status_code == 302
    assert response.url == "/review/metrics/"


def test_signing_in_without_a_next_page_leads_to_the_queue(client, nav):
    response = client.post(URL, {"username": "nav", "password": PASSWORD})
    assert response.url == "/review/"


def test_a_wrong_password_says_so_without_saying_which_part(client, nav):
    response = client.post(URL, {"username": "nav", "password": "wrong"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_five_failures_lock_the_account_out_with_a_clear_message(client, nav):
    for _ in range(4):
        assert (
            client.post(URL, {"username": "nav", "password": "wrong"}).status_code
            == 200
        )
    response = client.post(URL, {"username": "nav", "password": "wrong"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Signing in is blocked for now" in html
    assert "5 failed attempts" in html
    assert "60 minutes" in html
    # Even the right password is refused while locked out.
    response = client.post(URL, {"username": "nav", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_signing_out_takes_a_post_and_ends_the_session(coordinator_client):
    assert coordinator_client.get("/accounts/logout/").status_code == 405
    response = coordinator_client.post("/accounts/logout/")
    assert response.status_code == 200
    assert "You are signed out" in response.content.decode()
    assert coordinator_client.get("/review/").status_code == 302


def test_review_pages_offer_a_sign_out_button(coordinator_client):
    html = coordinator_client.get("/review/").content.decode()
    assert 'action="/accounts/logout/"' in html
