"""The patient's deletion is audited with the client address read one way, as
the coordinators' looks are."""

import pytest

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
