"""WSGI entry point for the benchmark: the project's application, bench settings."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from navigator.wsgi import application  # noqa: E402, F401
