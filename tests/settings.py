"""The suite's settings: the project's, read as for local use.

navigator/settings.py keeps DEBUG off unless it is set, and then wants a
deployment's SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL. The tests run as
`make run` does, with DEBUG=True in the environment when the settings are
read (Django's test runner still runs each test with DEBUG off). The fast
test settings are in the root conftest.py.
"""

import os

os.environ.setdefault("DEBUG", "True")

from navigator.settings import *  # noqa: E402, F403
