"""One client address for audit records, sign-in lock-outs and rate limits:
X-Forwarded-For is believed only from a trusted proxy (settings.TRUSTED_PROXIES)."""

import pytest

from intake.audit import client_ip
from intake.models import AuditEvent
from tests.factories import CoordinatorFactory

PROXY = "10.0.0.7"
LOGIN = "/accounts/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def behind_a_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "192.0.2.1"]


def address(rf, remote_addr, forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(rf.get("/", **extra))


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(rf, behind_a_proxy):
    assert address(rf, "203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_no_header_is_believed_when_no_proxy_is_trusted(rf, settings):
    settings.TRUSTED_PROXIES = []
    assert address(rf, "127.0.0.1", "198.51.100.1") == "127.0.0.1"


def test_behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_address(
    rf, behind_a_proxy
):
    # The client wrote "6.6.6.6" itself; our proxies appended the rest.
    forwarded = "6.6.6.6, 198.51.100.1, 192.0.2.1"
    assert address(rf, PROXY, forwarded) == "198.51.100.1"


def test_behind_a_trusted_proxy_a_junk_hop_is_not_believed(rf, behind_a_proxy):
    assert address(rf, PROXY, "198.51.100.1, not-an-address") == PROXY
    assert address(rf, PROXY, "") == PROXY
    assert address(rf, PROXY, "2001:db8::5") == "2001:db8::5"


def test_the_audit_record_of_a_deletion_holds_the_forwarded_client(
    client, make_submission, behind_a_proxy
):
    submission = make_submission(submitted=True)
    client.post(
        f"/i/{submission.token}/delete/",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1",
    )
    assert AuditEvent.objects.get().ip_address == "198.51.100.1"


def test_a_spoofed_header_does_not_change_the_audited_address(
    client, make_submission, behind_a_proxy
):
    submission = make_submission(submitted=True)
    client.post(
        f"/i/{submission.token}/delete/",
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert AuditEvent.objects.get().ip_address == "203.0.113.9"


def sign_in(client, password, client_address):
    return client.post(
        LOGIN,
        {"username": "nav", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_five_bad_passwords_from_one_address_do_not_lock_the_user_out_elsewhere(
    client, behind_a_proxy, db
):
    CoordinatorFactory(username="nav")
    for _ in range(5):
        sign_in(client, "wrong", "198.51.100.66")
    assert sign_in(client, PASSWORD, "198.51.100.66").status_code == 429

    elsewhere = sign_in(client, PASSWORD, "203.0.113.20")
    assert elsewhere.status_code == 302
    assert elsewhere.url == "/review/"
