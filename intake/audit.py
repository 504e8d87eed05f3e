"""The audit trail: who looked at or changed which submission, from where.

Coordinators' looks and changes, a superuser's look in the admin and a
patient's deletion each write one record, here; an export's record lists the
ids of the submissions in the file. Identifiers only (user, submission id and
reference, field names, status codes): never answers,
names, emails, phones, notes or reasons for closing.

`client_ip` is the one place a client's address is read: the audit records,
django-axes (AXES_CLIENT_IP_CALLABLE) and the rate limits all use it.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings

from .models import AuditEvent, Submission

DETAIL_MAX = 200


@functools.lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in trusted)


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address) -> bool:
    return any(
        address in network
        for network in _networks(tuple(settings.TRUSTED_PROXIES))
        if network.version == address.version
    )


def client_ip(request) -> str | None:
    """The client's address, or None when the server saw no address.

    REMOTE_ADDR, unless that peer is one of settings.TRUSTED_PROXIES: then
    X-Forwarded-For is read from the right, and the first address that is
    not a trusted proxy is the client (the left part of the header is
    whatever the client chose to send, so it is never believed). No header is
    trusted from any other peer, so a client cannot pick its own address.
    """
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None or not _is_trusted(peer):
        return str(peer) if peer else None
    hop = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for value in reversed(forwarded.split(",")):
        address = _address(value)
        if address is None:
            # A hop our proxies did not write: believe nothing to its left.
            break
        hop = address
        if not _is_trusted(address):
            break
    return str(hop)


def audit_event_create(
    *,
    user,
    action: str,
    ip_address: str | None,
    submission: Submission | None = None,
    detail: str = "",
    submission_ids: str = "",
) -> AuditEvent:
    """One record. `submission_ids`: an export's submissions, as
    intake.review.export.IdRanges writes them ("3-7,9")."""
    return AuditEvent.objects.create(
        user=user,
        action=action,
        submission_id=submission.pk if submission else None,
        reference=submission.reference if submission else "",
        detail=detail[:DETAIL_MAX],
        submission_ids=submission_ids,
        ip_address=ip_address,
    )
