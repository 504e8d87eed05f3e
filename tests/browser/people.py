"""The people of issue 17 (and one more typical patient) as walks through the intake.

A walk answers by the contract's codes, which are the same in every language,
and keeps count of what a person meets: the pages they read (an answer asked
again is one more page) and the answers they give (a radio, a ticked box, a
typed or chosen value each count one). The browser tests (test_four_people.py)
assert on those counts and on the pages; time_walks.py times the same walks
and takes screenshots. Nothing here imports Django, so the script can drive a
server of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.sync_api import Page, expect

# The browser's own language settings for each site language: the emergency
# number is guessed from the region (en-US is the United States, zh-CN China)
# until the patient has said where they live.
LOCALES = {"en": "en-US", "es": "es-ES", "zh-hans": "zh-CN"}
# Where the wife lives, in each language she is walked in.
HOMES = {"en": "US", "es": "ES", "zh-hans": "CN"}

# Where the intake promises to take "about 5 minutes": a person needs about
# 8 seconds to read a question and answer it, and about 5 seconds to take in a
# new page (its heading, the progress bar, where the button is).
SECONDS_PER_ANSWER = 8
SECONDS_PER_PAGE = 5
TYPICAL_CENTRE_ANSWERS = {
    "active-infection": "no",
    "brain-involvement": "no",
    "daily-activity": "yes",
    "insurance": "yes",
}


@dataclass
class Walk:
    """One person's way through the site in one language, with the counts."""

    page: Page
    site: str
    language: str = "en"
    visit: Callable[[Page, str], None] = lambda page, name: None
    pages: list[str] = field(default_factory=list)
    answers: int = 0

    def path(self, path: str) -> str:
        prefix = "" if self.language == "en" else f"/{self.language}"
        return f"{self.site}{prefix}{path}"

    def arrive(self, name: str) -> None:
        """A new page is in front of the person: count it and look at it."""
        self.pages.append(name)
        self.visit(self.page, name)

    @property
    def intake_pages(self) -> list[str]:
        """The pages between pressing Start and seeing the results."""
        return [name for name in self.pages if name not in ("home", "results")]

    @property
    def estimated_seconds(self) -> int:
        return SECONDS_PER_ANSWER * self.answers + SECONDS_PER_PAGE * len(
            self.intake_pages
        )

    # Answering.
    def choose(self, name: str, value: str) -> None:
        self.page.locator(f'input[name="{name}"][value="{value}"]').check()
        self.answers += 1

    def tick(self, name: str, *values: str) -> None:
        for value in values:
            self.choose(name, value)

    def type(self, name: str, value) -> None:
        self.page.locator(f'input[name="{name}"]').fill(str(value))
        self.answers += 1

    def pick(self, name: str, value: str) -> None:
        self.page.locator(f'select[name="{name}"]').select_option(value)
        self.answers += 1

    def answer_every_centre_question(self, usual: str = "unsure") -> None:
        """The staff's questions: as most patients answer them where known
        (no infection, the brain not reached, fit and insured), else `usual`."""
        for group in self.page.locator("main fieldset").all():
            slug = group.locator("input").first.get_attribute("name")
            value = TYPICAL_CENTRE_ANSWERS.get(slug, usual)
            group.locator(f'input[value="{value}"]').check()
            self.answers += 1

    # Moving on.
    def press(self, then: str) -> None:
        """Press the page's one button and wait for the page named `then` (the
        last part of its address: a step's slug, "urgent", "review", "results")."""
        self.page.locator("main form[method=post] button[type=submit]").click()
        self.page.wait_for_url(re.compile(rf"/{then}/$"))
        self.arrive(then)

    def press_and_be_asked_again(self) -> None:
        """Press the button on a page with a question left out: the same page
        comes back, saying which answer is missing."""
        name = self.pages[-1]
        self.page.locator("main form[method=post] button[type=submit]").click()
        expect(self.page.locator("main [role=alert]").first).to_be_visible()
        self.arrive(f"{name} (asked again)")

    def start(self) -> None:
        self.page.goto(self.path("/"))
        self.arrive("home")
        self.page.locator("a.home-start").click()
        self.page.wait_for_url(re.compile(r"/start/$"))
        self.arrive("safety")

    def finish(self) -> None:
        """Answer the practical questions, check the answers, see the results."""
        self.choose("caregiver", "yes")
        self.choose("travel_abroad", "no")
        self.press("review")
        self.press("results")


def woman_in_texas(walk: Walk) -> None:
    """Large B-cell lymphoma back within 12 months of R-CHOP, her only line."""
    walk.start()
    walk.choose("recent_infusion", "no")
    walk.press("disease")
    walk.choose("disease", "lbcl")
    walk.choose("lbcl_subtype", "dlbcl")
    walk.press("about")
    walk.type("age", 54)
    walk.pick("country", "US")
    walk.press("history")
    walk.pick("prior_lines", "1")
    walk.choose("relapse_status", "early_relapse")
    walk.tick("prior_therapies", "chemoimmunotherapy")
    walk.choose("transplant_eligible", "unsure")
    walk.press("eligibility")
    walk.answer_every_centre_question("yes")
    walk.press("practical")
    walk.finish()


def daughter_for_her_father_in_shanghai(walk: Walk) -> None:
    """Myeloma treated for years; she does not know how many lines he had."""
    walk.start()
    walk.choose("recent_infusion", "no")
    walk.press("disease")
    walk.choose("disease", "mm")
    walk.press("about")
    walk.type("age", 74)
    walk.pick("country", "CN")
    walk.press("history")
    walk.choose("relapse_status", "late_relapse")
    walk.tick("prior_therapies", "pi", "imid")
    walk.choose("lenalidomide_refractory", "unsure")
    walk.press_and_be_asked_again()  # the number of lines was left empty
    walk.pick("prior_lines", "unsure")
    after_history = "eligibility"
    walk.press(after_history)
    walk.answer_every_centre_question("unsure")
    walk.press("practical")
    walk.finish()


def young_man_in_the_uk(walk: Walk) -> None:
    """B-cell ALL back after chemotherapy and a transplant."""
    walk.start()
    walk.choose("recent_infusion", "no")
    walk.press("disease")
    walk.choose("disease", "b_all")
    walk.press("about")
    walk.type("age", 23)
    walk.pick("country", "GB")
    walk.press("history")
    walk.pick("prior_lines", "2")
    walk.choose("relapse_status", "early_relapse")
    walk.tick("prior_therapies", "chemoimmunotherapy", "stem_cell_transplant")
    walk.choose("transplant_eligible", "no")
    walk.press("eligibility")
    walk.answer_every_centre_question("yes")
    walk.press("practical")
    walk.finish()


def wife_ten_days_after_car_t(walk: Walk) -> None:
    """Her husband had CAR T ten days ago and has a fever and is confused.

    She ticks the two symptoms, leaves the infusion question alone and presses
    the button once. After calling, she goes on; it is too early to tell how
    the CAR T went.
    """
    reach_the_urgent_page(walk)
    walk.press("safety")  # "I have called": back to the question she left
    walk.choose("recent_infusion", "yes")
    # The symptoms are still ticked and unchanged: the call-now page is not
    # shown a second time.
    walk.press("disease")
    walk.choose("disease", "lbcl")
    walk.choose("lbcl_subtype", "dlbcl")
    walk.press("about")
    walk.type("age", 63)
    walk.pick("country", HOMES[walk.language])
    walk.press("history")
    walk.pick("prior_lines", "2")
    walk.choose("relapse_status", "early_relapse")
    walk.tick("prior_therapies", "chemoimmunotherapy", "car_t")
    walk.choose("transplant_eligible", "unsure")
    walk.press("car-t")
    walk.choose("prior_car_t", "too_early")
    # Recovering: the questions centres ask before treatment are not asked.
    walk.press("practical")
    walk.finish()


def reach_the_urgent_page(walk: Walk) -> None:
    walk.start()
    walk.tick("symptoms", "fever", "confusion")
    walk.press("urgent")


def myeloma_after_car_t(walk: Walk) -> None:
    """Myeloma back a year after BCMA CAR T, five lines in all."""
    walk.start()
    walk.choose("recent_infusion", "no")
    walk.press("disease")
    walk.choose("disease", "mm")
    walk.press("about")
    walk.type("age", 66)
    walk.pick("country", "US")
    walk.press("history")
    walk.pick("prior_lines", "5")
    walk.choose("relapse_status", "late_relapse")
    walk.tick("prior_therapies", "pi", "imid", "anti_cd38", "car_t")
    walk.choose("lenalidomide_refractory", "yes")
    walk.press("car-t")
    walk.choose("prior_car_t", "relapse_late")
    walk.choose("antigen_loss", "unsure")
    walk.press("eligibility")
    walk.answer_every_centre_question("yes")
    walk.press("practical")
    walk.finish()


# Everyone, by the name the tests and the timing script use.
PEOPLE = {
    "woman_in_texas": woman_in_texas,
    "daughter_for_her_father_in_shanghai": daughter_for_her_father_in_shanghai,
    "young_man_in_the_uk": young_man_in_the_uk,
    "wife_ten_days_after_car_t": wife_ten_days_after_car_t,
    "myeloma_after_car_t": myeloma_after_car_t,
}
