"""Abuse limits on the patient's anonymous POSTs, per client address.

Starting an intake, asking to be contacted and emailing the private link each
allow a number of POSTs an hour from one address (settings.RATE_LIMIT_*; 0
turns a limit off). django-ratelimit counts them in the default cache, which is
Redis, shared by every app server, when REDIS_URL is set. The address is
`client_ip`'s, so a client behind a trusted proxy is counted as itself and no
client can choose its own address. Over the limit, the patient sees a page
that says what to do, with status 429.

If Redis cannot be reached, the POST goes through uncounted and a warning is
logged: a patient unwell after CAR T must still reach the site when the
counter is down.
"""

import functools
import logging

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from .audit import client_ip

logger = logging.getLogger(__name__)


def client_key(group, request) -> str:
    """django-ratelimit's key: the client's address."""
    return client_ip(request) or "no-address"


def _per_hour(setting: str):
    def rate(group, request):
        count = getattr(settings, setting)
        return f"{count}/h" if count > 0 else None

    return rate


def _refused(request, group: str, setting: str) -> bool:
    try:
        return is_ratelimited(
            request,
            group=group,
            key=client_key,
            rate=_per_hour(setting),
            method="POST",
            increment=True,
        )
    except RedisError:
        logger.warning("Rate limit %s not counted: the cache is unreachable", group)
        return False


def limit_posts(setting: str):
    """Refuse a client's POSTs to the view beyond settings.<setting> an hour."""

    def decorator(view):
        group = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def limited(request, *args, **kwargs):
            if _refused(request, group, setting):
                return rate_limited(request)
            return view(request, *args, **kwargs)

        return limited

    return decorator


def rate_limited(request):
    """The page for a refused POST: wait, your answers are safe, and if you
    are unwell, call your team."""
    response = render(request, "intake/rate_limited.html", status=429)
    response["Cache-Control"] = "no-store"
    return response
