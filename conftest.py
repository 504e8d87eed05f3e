"""Fast test settings for the whole suite."""

import pytest


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tasks run on the spot, in the request (tests/intake/test_email_tasks.py
    # runs the task functions themselves for retries).
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
        },
    }
    # Locmem caches of one name share their contents: each test starts empty.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def client():
    """Posts forms urlencoded, as browsers do (see tests/clients.py)."""
    from tests.clients import BrowserClient

    return BrowserClient()


@pytest.fixture(autouse=True)
def _english_to_start():
    """A request in another language leaves it active in the thread: each test
    starts in English, whatever ran before it on this worker."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_catalog_cache():
    """Each test's database starts over, so the in-process catalog must too."""
    from therapies.snapshot import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the seeded catalog once; each test's transaction rolls back to it.

    It is also dumped as a fixture file, which `catalog` loads again after a
    browser test flushed the database: loaddata skips load_catalog's checks,
    and takes a fraction of its time. The dump leaves out the seed's history
    records (more than half its rows): a test that reads history reads the
    records of its own edits.
    """
    from django.apps import apps
    from django.core.management import call_command

    from therapies.loader import load_catalog

    history = [
        model._meta.label
        for model in apps.get_app_config("therapies").get_models()
        if model._meta.model_name.startswith("historical")
    ]
    with django_db_blocker.unblock():
        load_catalog()
        call_command(
            "dumpdata",
            "therapies",
            exclude=history,
            output=str(_seeded(tmp_path_factory)),
            verbosity=0,
        )


def _seeded(tmp_path_factory):
    """The seeded catalog's fixture file (one per test session, so per worker)."""
    return tmp_path_factory.getbasetemp() / "seeded-catalog.json"


@pytest.fixture
def catalog(db, tmp_path_factory):
    """The seeded catalog as the engine sees it (reloaded if a browser test flushed it)."""
    from django.core.management import call_command
    from django.test import override_settings

    from therapies.models import Therapy
    from therapies.snapshot import get_catalog

    if not Therapy.objects.exists():
        # Without the history records a many-to-many set would write.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(_seeded(tmp_path_factory)), verbosity=0)
    return get_catalog()


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    return transactional or "tests/browser/" in str(item.fspath)


def pytest_collection_modifyitems(items):
    # Browser tests and transactional tests (threads that each need their own
    # connection) flush the database, catalog included, after each test: run
    # them last.
    items.sort(key=_flushes_the_database)
