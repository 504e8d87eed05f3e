"""Audit records: identifiers only, and the client address read one way for the
patient's deletion and the coordinators' looks alike."""

import pytest

from intake import audit
from intake.models import AuditEvent


@pytest.mark.parametrize(
    ("remote_addr", "stored"), [("203.0.113.5", "203.0.113.5"), ("junk", None)]
)
def test_a_deletion_records_the_address_only_when_it_is_one(
    client, make_submission, remote_addr, stored
):
    submission = make_submission(submitted=True)
    client.post(f"/i/{submission.token}/delete/", REMOTE_ADDR=remote_addr)
    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.ip_address) == ("delete", None, stored)


@pytest.mark.parametrize(
    ("remote_addr", "stored"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8::1", "2001:db8::1"),
        ("", None),
        ("junk", None),
    ],
)
def test_the_client_address_is_remote_addr_when_it_is_an_address(
    rf, remote_addr, stored
):
    assert audit.client_ip(rf.get("/", REMOTE_ADDR=remote_addr)) == stored


def test_the_audit_detail_is_cut_to_fit(db):
    event = audit.audit_event_create(
        user=None, action="export", ip_address=None, detail="q=" + "x" * 500
    )
    assert len(event.detail) == 200
