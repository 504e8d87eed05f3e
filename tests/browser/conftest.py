"""Browser tests: Playwright driving Debian's chromium against a live server.

With NAVIGATOR_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails the
run; otherwise the browser tests are skipped with the reason.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("NAVIGATOR_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"chromium not found at {CHROMIUM}: install Debian's chromium package"
        if os.environ.get("NAVIGATOR_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM
        if os.path.exists(CHROMIUM)
        else shutil.which("chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "locale": "en-US"}


@pytest.fixture
def site(live_server, catalog):
    """The live server's base URL, with the catalog loaded."""
    return live_server.url


@pytest.fixture
def axe_check():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(
            page,
            options={
                "runOnly": {
                    "type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
                }
            },
        )
        violations = results.response["violations"]
        summary = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}x) e.g. {v['nodes'][0]['target']}"
            for v in violations
        ]
        assert not violations, f"axe violations on {page.url}:\n" + "\n".join(summary)

    return check
