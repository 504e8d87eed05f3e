"""Figures every coordinator page shows, kept a few seconds in the default
cache: Redis when REDIS_URL is set, shared by every app server.

The cache only saves work. When Redis cannot be reached the figure is counted
in the database instead and a warning logged that names the figure's key and
the error's class (never a person's data), so no coordinator gets a 500 for
it; the next request tries Redis again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
T = TypeVar("T")


def _warn(action: str, key: str, error: RedisError) -> None:
    logger.warning(
        "Shared cache unreachable (%s); %s %s without it",
        type(error).__name__,
        action,
        key,
    )


def kept_or_computed(key: str, compute: Callable[[], T], timeout: int) -> T:
    """The value kept under `key`, or `compute()`'s, then kept `timeout` seconds."""
    try:
        value = cache.get(key)
    except RedisError as error:
        _warn("computed", key, error)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except RedisError as error:
            _warn("not kept", key, error)
    return value


def forget(key: str) -> None:
    """Drop a kept value; if Redis is down it expires by itself."""
    try:
        cache.delete(key)
    except RedisError as error:
        _warn("not forgotten", key, error)
