"""The production settings, with STATIC_ROOT in the soak's temporary folder
and the shared cache's keys under the run's own prefix.

navigator/settings.py fixes STATIC_ROOT to the project's staticfiles/, which
other work in the same tree may use; the Redis at REDIS_URL may serve others
too, so the soak's keys (rate limits, queue counts) carry a prefix it removes
at the end. Everything else is the production configuration, driven by the
environment bench/soak.py sets.
"""

import os

from navigator.settings import *  # noqa: F403

STATIC_ROOT = os.environ["SOAK_STATIC_ROOT"]
CACHES["default"]["KEY_PREFIX"] = os.environ["SOAK_CACHE_PREFIX"]  # noqa: F405
