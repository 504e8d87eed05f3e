"""Time the walks of people.py in headless chromium, and take their screenshots.

Not a test: a measurement for the home page's time promise (issue 17). Run it
against a server with the catalog loaded, for example:

    export DATABASE_URL=sqlite:////tmp/walks.sqlite3
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_catalog
    .venv/bin/python manage.py runserver 127.0.0.1:8731 --noreload &
    .venv/bin/python -m tests.browser.time_walks http://127.0.0.1:8731 /tmp/shots

For each walk it prints the pages and answers counted, the raw automation
time (a first run without screenshots), the estimated time for a person
(people.SECONDS_PER_ANSWER per answer, people.SECONDS_PER_PAGE per page read)
and the height of the results page with every section closed, in phone
screens. The second run saves a full-page screenshot of every page and counts
the words on the intake pages, for a second estimate: a careful reader who
reads every question, choice and help text.
"""

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, PHONE
from tests.browser.people import LOCALES, PEOPLE, Walk

# A careful reader on a phone; the second estimate, next to people.py's.
WORDS_PER_MINUTE = 200
WALKS = [
    ("woman_in_texas", "en"),
    ("woman_in_texas", "es"),
    ("daughter_for_her_father_in_shanghai", "zh-hans"),
    ("daughter_for_her_father_in_shanghai", "en"),
    ("young_man_in_the_uk", "es"),
    ("young_man_in_the_uk", "en"),
    ("wife_ten_days_after_car_t", "en"),
    ("wife_ten_days_after_car_t", "es"),
    ("wife_ten_days_after_car_t", "zh-hans"),
    ("myeloma_after_car_t", "en"),
]


def results_height(page) -> float:
    """The results page's height in phone screens, every <details> closed."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
    return page.evaluate("document.documentElement.scrollHeight") / PHONE["height"]


def run(browser, site, person, language, shots=None):
    context = browser.new_context(viewport=PHONE, locale=LOCALES[language])
    page = context.new_page()

    words = []

    def screenshot(page, name):
        if name not in ("home", "results"):
            words.append(words_to_read(page))
        number = len(walk.pages)
        safe = name.replace(" ", "-").replace("(", "").replace(")", "")
        page.screenshot(
            path=shots / f"{person}-{language}-{number:02d}-{safe}.png",
            full_page=True,
        )

    walk = Walk(page, site, language)
    if shots:
        walk.visit = screenshot
    started = time.perf_counter()
    PEOPLE[person](walk)
    seconds = time.perf_counter() - started
    screens = results_height(page)
    context.close()
    return walk, seconds, screens, sum(words)


def words_to_read(page) -> int:
    """Words of the page's questions, choices and help texts (a Chinese
    character counts as half a word); the country list and the private link
    box left out."""
    text = page.evaluate(
        """() => Array.from(
            document.querySelectorAll(
                "main form[method=post], main [role=alert], main dl"
            )
        ).map(element => {
            const copy = element.cloneNode(true);
            copy.querySelectorAll("select").forEach(list => list.remove());
            return copy.textContent;
        }).join(" ")"""
    )
    han = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
    return len(text.split()) + han // 2


def main(site: str, shots: Path) -> None:
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        print(
            "person | language | intake pages | answers | automation s | "
            "estimated human min | results screens (closed)"
        )
        for person, language in WALKS:
            walk, seconds, screens, _words = run(browser, site, person, language)
            print(
                f"{person} | {language} | {len(walk.intake_pages)} | {walk.answers} | "
                f"{seconds:.1f} | {walk.estimated_seconds / 60:.1f} | {screens:.1f}"
            )
            print("    pages:", ", ".join(walk.pages))
            words = run(browser, site, person, language, shots=shots)[3]
            careful = words / WORDS_PER_MINUTE + walk.answers * 2 / 60
            print(
                f"    words to read on the intake pages: {words}; read every word "
                f"at {WORDS_PER_MINUTE}/min, 2 s a tap: {careful:.1f} min"
            )
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
