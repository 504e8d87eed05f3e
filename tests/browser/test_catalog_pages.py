"""The catalog pages pass axe's WCAG 2.1 AA rules on a phone and on a desktop."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

PAGES = [
    "/",
    "/therapies/",
    "/therapies/breyanzi/",
    "/centres/",
    "/centres/?country=US",
]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_catalog_pages_have_no_accessibility_violations(
    page, site, axe_check, viewport
):
    page.set_viewport_size(viewport)
    for path in PAGES:
        page.goto(f"{site}{path}")
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)
