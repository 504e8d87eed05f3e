"""The second factor: no coordinator or admin page without a code from the app.

"Password only" below means signed in as after the password step (force_login),
with no code given yet in that session.
"""

import datetime
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import URLPattern, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.review import urls as review_urls
from tests.factories import (
    AuthenticatorAppFactory,
    CatalogEditorFactory,
    CoordinatorFactory,
    SubmissionFactory,
    UserFactory,
    app_code,
)

VERIFY = "/accounts/second-factor/"
ENROL = "/accounts/second-factor/enrol/"
RECOVERY = "/accounts/second-factor/recovery-codes/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def nav(db):
    """A coordinator with an authenticator app set up."""
    coordinator = CoordinatorFactory(username="nav")
    AuthenticatorAppFactory(user=coordinator)
    return coordinator


@pytest.fixture
def app(nav):
    return TOTPDevice.objects.get(user=nav)


@pytest.fixture
def password_only(client, nav):
    client.force_login(nav)
    return client


def later(seconds=31):
    """A moment later: a new code, and django-otp's pause after a wrong one over."""
    return time_machine.travel(
        timezone.now() + datetime.timedelta(seconds=seconds), tick=False
    )


def wrong_code(app) -> str:
    return f"{(int(app_code(app)) + 1) % 1_000_000:06d}"


def sent_to_verify(response, next_path=None) -> bool:
    if response.status_code != 302:
        return False
    location = response["Location"]
    if next_path is not None:
        return location == f"{VERIFY}?next={next_path.replace('/', '%2F')}"
    return location.startswith(VERIFY)


def coordinator_urls(reference):
    """Every page of the coordinators' workspace, new ones included."""
    for pattern in review_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {"reference": reference} if "reference" in str(pattern.pattern) else {}
        yield reverse(f"review:{pattern.name}", kwargs=kwargs)


def test_no_coordinator_page_opens_with_a_password_only(password_only):
    submission = SubmissionFactory()
    urls = list(coordinator_urls(submission.reference))
    assert len(urls) == len(review_urls.urlpatterns)
    for url in urls:
        assert sent_to_verify(password_only.get(url), url), url
        assert sent_to_verify(password_only.post(url)), url


def test_no_admin_page_opens_for_staff_with_a_password_only(client, db):
    client.force_login(CatalogEditorFactory())
    for url in ("/admin/", "/admin/therapies/therapy/", "/admin/password_change/"):
        assert sent_to_verify(client.get(url), url), url


def test_superusers_need_the_second_factor_too(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert sent_to_verify(client.get("/review/"), "/review/")
    assert sent_to_verify(client.get("/admin/"), "/admin/")


def test_signing_in_to_the_admin_asks_for_the_code_next(client, db):
    AuthenticatorAppFactory(user=CatalogEditorFactory(username="editor"))
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": PASSWORD, "next": "/admin/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{VERIFY}?next=%2Fadmin%2F"
    assert "Enter your code" in response.content.decode()


def test_signing_in_as_a_coordinator_asks_for_the_code_next(client, nav):
    response = client.post(
        "/accounts/login/", {"username": "nav", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{VERIFY}?next=%2Freview%2F"
    html = response.content.decode()
    assert "6-digit code from the authenticator app" in html
    assert "recovery codes" in html


def test_the_right_code_opens_the_page_asked_for(password_only, app):
    response = password_only.post(
        VERIFY, {"code": app_code(app), "next": "/review/metrics/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/review/metrics/"
    assert password_only.get("/review/").status_code == 200


def test_a_verified_session_gets_a_new_session_key(password_only, app):
    before = password_only.cookies["sessionid"].value
    password_only.post(VERIFY, {"code": app_code(app)})
    assert password_only.cookies["sessionid"].value != before


def test_a_wrong_code_does_not_open_the_workspace(password_only, app):
    response = password_only.post(VERIFY, {"code": wrong_code(app)})
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert sent_to_verify(password_only.get("/review/"))
    attempt = AccessAttempt.objects.get(username="nav")
    assert attempt.failures_since_start == 1


def test_a_wrong_code_pauses_checking_for_a_moment(password_only, app):
    password_only.post(VERIFY, {"code": wrong_code(app)})
    response = password_only.post(VERIFY, {"code": app_code(app)})
    assert "checking is paused" in response.content.decode()
    with later():
        response = password_only.post(VERIFY, {"code": app_code(app)})
    assert response.status_code == 302


def test_five_wrong_codes_sign_out_and_block_signing_in(password_only, app, client):
    for i in range(5):
        with later(seconds=120 * i):
            response = password_only.post(VERIFY, {"code": "not-a-code"})
    assert response.status_code == 429
    assert "Signing in is blocked for now" in response.content.decode()
    assert "_auth_user_id" not in password_only.session
    response = client.post(
        "/accounts/login/", {"username": "nav", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_odd_input_gets_a_message_not_an_error(password_only, app):
    cases = {
        "": "This field is required",
        "x" * 500: "at most 32 characters",
        "12 34 56 78": "That code did not work",
        "ÿ": "That code did not work",
    }
    for code, message in cases.items():
        with later(seconds=120):
            response = password_only.post(VERIFY, {"code": code})
        assert response.status_code == 200, code
        assert message in response.content.decode(), code
    assert sent_to_verify(password_only.get("/review/"))


def test_a_recovery_code_works_once_only(client, nav):
    recovery = StaticDevice.objects.create(user=nav, name="Recovery codes")
    recovery.token_set.create(token="abcd2345")
    client.force_login(nav)
    response = client.post(VERIFY, {"code": "ABCD 2345"})
    assert response.status_code == 302
    assert client.get("/review/").status_code == 200

    client.post("/accounts/logout/")
    client.force_login(nav)
    response = client.post(VERIFY, {"code": "abcd2345"})
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert sent_to_verify(client.get("/review/"))


def test_after_a_recovery_code_new_ones_are_offered(client, nav):
    recovery = StaticDevice.objects.create(user=nav, name="Recovery codes")
    recovery.token_set.create(token="abcd2345")
    recovery.token_set.create(token="efgh6723")
    client.force_login(nav)
    response = client.post(
        VERIFY, {"code": "abcd2345", "next": "/review/metrics/"}, follow=True
    )
    html = response.content.decode()
    assert "You have 1 recovery code left." in html
    assert 'href="/review/metrics/"' in html

    response = client.post(RECOVERY, {"next": "/review/metrics/"})
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', response.content.decode())
    assert len(codes) == 10
    assert "The old ones no longer work" in response.content.decode()
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)


def test_new_recovery_codes_need_the_second_factor_first(password_only, app):
    assert sent_to_verify(password_only.get(RECOVERY))
    assert sent_to_verify(password_only.post(RECOVERY))
    assert not StaticToken.objects.exists()


def test_a_page_elsewhere_is_not_where_the_code_leads(password_only, app):
    response = password_only.post(
        VERIFY, {"code": app_code(app), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/review/"


def test_the_code_page_asks_for_a_sign_in_first(client, db):
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_people_without_coordinator_or_staff_rights_are_not_asked(client, db):
    client.force_login(UserFactory())
    assert client.get("/review/").status_code == 403
    assert client.get("/").status_code == 200


def test_a_first_sign_in_sets_up_the_app_and_shows_ten_recovery_codes_once(client, db):
    CoordinatorFactory(username="new")
    client.post("/accounts/login/", {"username": "new", "password": PASSWORD})
    response = client.get("/review/", follow=True)
    assert response.redirect_chain[-1][0] == f"{ENROL}?next=%2Freview%2F"
    html = response.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user__username="new", confirmed=False)
    secret = re.search(r'<code class="fs-5" id="secret">([A-Z2-7 ]+)</code>', html)
    assert secret and secret[1].replace(" ", "") in device.config_url
    # Reloading keeps the same secret: the QR code is not a moving target.
    assert secret[1] in client.get(ENROL).content.decode()

    assert client.post(ENROL, {"code": "123"}).status_code == 200
    assert sent_to_verify(client.get("/review/"))
    with later():
        response = client.post(ENROL, {"code": app_code(device), "next": "/review/"})
    assert response.status_code == 200
    html = response.content.decode()
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', html)
    assert len(set(codes)) == 10
    assert "only time they are shown" in html
    assert 'href="/review/"' in html
    assert client.get("/review/").status_code == 200
    assert StaticToken.objects.filter(device__user__username="new").count() == 10

    # The page is gone: a new sign-in asks for a code, and a recovery code works.
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "new", "password": PASSWORD})
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert client.get("/review/").status_code == 200


def test_a_password_alone_cannot_add_a_second_app(password_only, app):
    response = password_only.post(ENROL, {"code": "123456"})
    assert sent_to_verify(response)
    assert TOTPDevice.objects.filter(user=app.user).count() == 1


def test_a_signed_in_person_without_a_device_is_sent_to_set_one_up(client, db):
    client.force_login(CoordinatorFactory())
    response = client.get(VERIFY + "?next=/review/metrics/")
    assert response["Location"] == f"{ENROL}?next=%2Freview%2Fmetrics%2F"


def test_the_pages_refuse_other_methods(password_only, app):
    assert password_only.put(VERIFY).status_code == 405
    assert password_only.delete(ENROL).status_code == 405


def test_passwords_need_at_least_twelve_characters(db):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("tulip-river")
    validate_password("tulip-river-9")
