"""Patients outside the US see what their own regulator approved (issue 14).

The same person, large B-cell lymphoma back early after two lines of
treatment, walks the intake from six countries. Each sees the products her
country's regulator approved for that, each line naming the regulator, the
note that our list for that regulator may be incomplete, and never "no
approved therapy fits".
"""

from playwright.sync_api import expect

from tests.browser.people import Walk

# What each regulator approved for large B-cell lymphoma after two lines, as
# the catalog holds it (therapies/catalog/indications_world.toml).
APPROVED_THIRD_LINE = {
    "GB": ("MHRA", ["Kymriah", "Yescarta"]),
    "CA": ("Health Canada", ["Kymriah", "Yescarta", "Breyanzi"]),
    "AU": ("TGA", ["Kymriah", "Yescarta"]),
    "JP": ("PMDA", ["Kymriah", "Yescarta", "Breyanzi"]),
    "DE": ("EMA", ["Kymriah", "Yescarta", "Breyanzi"]),
    "PT": ("EMA", ["Kymriah", "Yescarta", "Breyanzi"]),
}
NO_THERAPY_FITS = "No approved CAR T therapy has a label that fits your answers"
NO_DATA_FOR_COUNTRY = "We do not have approval information for your country yet"


def lymphoma_after_two_lines(walk: Walk, country: str) -> None:
    walk.start()
    walk.choose("recent_infusion", "no")
    walk.press("disease")
    walk.choose("disease", "lbcl")
    walk.choose("lbcl_subtype", "dlbcl")
    walk.press("about")
    walk.type("age", 60)
    walk.pick("country", country)
    walk.press("history")
    walk.pick("prior_lines", "2")
    walk.choose("relapse_status", "early_relapse")
    walk.tick("prior_therapies", "chemoimmunotherapy")
    walk.choose("transplant_eligible", "no")
    walk.press("eligibility")
    walk.answer_every_centre_question("yes")
    walk.press("practical")
    walk.finish()


def test_a_patient_sees_the_products_her_regulator_approved_each_named_with_it(
    context, site
):
    # One test for the six countries: the live server and the catalog are set
    # up once; each country is a new tab and a new intake.
    for country, (regulator, brands) in APPROVED_THIRD_LINE.items():
        page = context.new_page()
        lymphoma_after_two_lines(Walk(page, site), country)
        shortlist = page.locator("section.shortlist")
        lines = shortlist.locator(".therapy-lines > li")
        expect(lines).to_have_count(len(brands))
        for brand in brands:
            expect(lines.filter(has_text=brand)).to_contain_text(regulator)
        expect(shortlist).to_contain_text(f"Our list of {regulator} approvals may be")
        text = page.locator("main").text_content()
        assert NO_THERAPY_FITS not in text, country
        assert NO_DATA_FOR_COUNTRY not in text, country
        page.close()
