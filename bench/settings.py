"""The production settings, plus a bare view for the benchmark (bench/urls.py).

Everything else comes from the environment exactly as in a deployment; only
the URLconf and, when BENCH_STATIC_ROOT is set, the folder `collectstatic`
writes to (a temporary one, so a run leaves nothing in the work tree) differ.
"""

import os

from navigator.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
