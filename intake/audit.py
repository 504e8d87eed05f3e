"""The audit trail: who looked at or changed which submission, from where.

Coordinators' looks and changes, a superuser's look in the admin and a
patient's deletion each write one record, here. Identifiers only (user,
submission id and reference, field names, status codes): never answers,
names, emails, phones, notes or reasons for closing.
"""

from __future__ import annotations

import ipaddress

from .models import AuditEvent, Submission

DETAIL_MAX = 200


def client_ip(request) -> str | None:
    """REMOTE_ADDR as the server saw it (the proxy's address behind a proxy),
    or None when it is no address."""
    value = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def audit_event_create(
    *,
    user,
    action: str,
    ip_address: str | None,
    submission: Submission | None = None,
    detail: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user,
        action=action,
        submission_id=submission.pk if submission else None,
        reference=submission.reference if submission else "",
        detail=detail[:DETAIL_MAX],
        ip_address=ip_address,
    )
