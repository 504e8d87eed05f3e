"""Set up Django for the benchmark's in-process helpers (bench settings, test env)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    """Django with the bench settings, ready for the test Client.

    The Client's host joins ALLOWED_HOSTS and email goes to locmem (an urgent
    request would otherwise try to mail). Not `setup_test_environment`: it
    instruments every template render (a signal and a context copy each),
    which would add a third to a page's time.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.utils import translation

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    translation.activate("en")


def emit(data) -> None:
    """The helper's result: one JSON document on stdout, read by run_bench.py."""
    sys.stdout.write(json.dumps(data, default=str) + "\n")
    sys.stdout.flush()


def coordinator_client():
    """A test Client signed in as the demo coordinator, session clocks started."""
    import time

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from intake.middleware import LAST_SEEN_AT, SIGNED_IN_AT

    client = Client()
    coordinator = get_user_model().objects.get(username="coordinator")
    client.force_login(coordinator)
    # The demo authenticator (create_demo_users): as after a good code.
    app = TOTPDevice.objects.devices_for_user(coordinator, confirmed=True).get()
    session = client.session
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = int(time.time())
    session[DEVICE_ID_SESSION_KEY] = app.persistent_id
    session.save()
    return client
