"""A patient walks the whole intake in Spanish and in Chinese and never meets a
sentence left in English (catalog text marked "English only" excepted)."""

import re

import pytest

from intake.models import Submission
from tests.clients import sent_by_a_person
from tests.releases import publish_working_copy
from therapies.models import CatalogVersion, DiscussionTopic

from .pages import untranslated, visible_text

LANGUAGES = ["es", "zh-hans"]
LOCALE = {"es": "es", "zh-hans": "zh_Hans"}

STEP_ANSWERS = {
    "safety": {"recent_infusion": "no"},
    "disease": {"disease": "lbcl", "lbcl_subtype": "dlbcl"},
    "about": {"age": "58", "country": "US"},
    "history": {
        "prior_lines": "1",
        "relapse_status": "early_relapse",
        "prior_therapies": ["chemoimmunotherapy"],
        "transplant_eligible": "yes",
    },
    "practical": {"caregiver": "no", "travel_abroad": "yes"},
}


def assert_translated(response, language, status=(200, 400)):
    assert response.status_code in status, response.status_code
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    left = untranslated(html, LOCALE[language])
    assert not left, f"English left on {response.wsgi_request.path}: {left}"


def eligibility_answers(html: str) -> dict:
    slugs = sorted(set(re.findall(r'name="([a-z0-9-]+)" value="unsure"', html)))
    assert slugs
    return dict.fromkeys(slugs, "unsure")


def walk(client, language) -> tuple[Submission, list[str]]:
    """Every step answered through the forms, as a browser would post them."""
    prefix = f"/{language}"
    seen = []
    response = client.get(f"{prefix}/")
    assert_translated(response, language)
    response = client.get(f"{prefix}/start/")
    assert_translated(response, language)
    response = client.post(f"{prefix}/start/", STEP_ANSWERS["safety"])
    while True:
        assert response.status_code == 302, response.content.decode()[:500]
        url = response.url
        assert url.startswith(f"{prefix}/i/"), url
        page = client.get(url)
        assert_translated(page, language)
        seen.append(url)
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        if slug == "review":
            response = client.post(url)
            break
        data = (
            eligibility_answers(page.content.decode())
            if slug == "eligibility"
            else STEP_ANSWERS[slug]
        )
        response = client.post(url, data)
    submission = Submission.objects.get()
    assert response.url == f"{prefix}/i/{submission.token}/results/"
    return submission, seen


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_patient_page_is_in_the_chosen_language(client, catalog, language):
    submission, steps = walk(client, language)
    prefix = f"/{language}/i/{submission.token}"
    assert [url.rsplit("/", 2)[-2] for url in steps] == [
        "disease",
        "about",
        "history",
        "eligibility",
        "practical",
        "review",
    ]
    for path in ("results", "print", "contact", "delete"):
        assert_translated(client.get(f"{prefix}/{path}/"), language)
    invalid = client.post(f"{prefix}/contact/", sent_by_a_person({"name": ""}))
    assert invalid.status_code == 400
    assert_translated(invalid, language)
    for path in ("/therapies/", "/therapies/yescarta/", "/centres/"):
        assert_translated(client.get(f"/{language}{path}"), language)
    response = client.post(f"{prefix}/delete/")
    assert_translated(client.get(response.url), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_errors_and_the_urgent_path_are_translated(client, catalog, language):
    prefix = f"/{language}"
    assert_translated(client.post(f"{prefix}/start/", {}), language)
    response = client.post(
        f"{prefix}/start/", {"recent_infusion": "yes", "symptoms": ["fever"]}
    )
    assert response.url.endswith("/urgent/")
    assert_translated(client.get(response.url), language)
    missing = client.get(f"{prefix}/i/{'x' * 43}/results/")
    assert_translated(missing, language, status=[404])


def test_the_check_finds_english_left_on_a_page(client, catalog):
    html = client.get("/start/").content.decode()
    assert "Have you had a CAR T-cell infusion in the last 8 weeks?" in untranslated(
        html
    )
    # Text marked as English (catalog text shown "English only") is exempt.
    assert not untranslated(html.replace("<body", '<body lang="en"', 1))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_submission_keeps_the_language_it_was_filled_in(client, catalog, language):
    submission, _steps = walk(client, language)
    assert submission.language == language


def test_switching_language_keeps_the_step_and_the_answers(client, catalog):
    client.post("/es/start/", STEP_ANSWERS["safety"])
    submission = Submission.objects.get()
    client.post(f"/es/i/{submission.token}/disease/", {"disease": "mm"})
    html = client.get(f"/es/i/{submission.token}/disease/").content.decode()
    chinese = f"/zh-hans/i/{submission.token}/disease/"
    english = f"/i/{submission.token}/disease/"
    assert f'href="{chinese}" lang="zh-hans" hreflang="zh-hans"' in html
    assert f'href="{english}" lang="en" hreflang="en"' in html
    page = client.get(chinese).content.decode()
    assert '<html lang="zh-hans"' in page
    assert re.search(r'name="disease" value="mm" id="[\w-]+"[^>]* checked', page)
    client.post(chinese, {"disease": "mm"})
    submission.refresh_from_db()
    assert submission.language == "zh-hans"


def test_the_language_links_keep_the_query_string(client, catalog):
    html = client.get("/es/centres/", {"country": "US"}).content.decode()
    assert 'href="/zh-hans/centres/?country=US"' in html
    assert 'href="/centres/?country=US"' in html


def test_each_page_has_its_own_header_and_language_links(client, catalog):
    client.get("/es/centres/", {"country": "US"})
    html = client.get("/es/therapies/").content.decode()
    assert 'href="/zh-hans/therapies/"' in html
    assert "centres/?country=US" not in html
    assert 'href="/es/start/"' in html  # the Spanish navigation
    english = client.get("/therapies/").content.decode()
    assert 'href="/start/"' in english and 'href="/es/start/"' not in english
    assert "Skip to main content" in english and "Skip to main content" not in html


def test_pages_outside_the_language_prefixes_have_no_language_links(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en"' in html
    assert "hreflang" not in html


def test_a_topic_nobody_translated_shows_in_english_with_a_note(
    client, make_submission
):
    DiscussionTopic.objects.filter(slug="second-line-car-t").update(title_es="")
    CatalogVersion.bump()
    publish_working_copy()
    submission = make_submission(
        {"prior_lines": 1, "relapse_status": "refractory"}, submitted=True
    )
    html = client.get(f"/es/i/{submission.token}/results/").content.decode()
    topic = next(
        block
        for block in html.split("<details")
        if "CAR T as the second treatment" in block
    )
    assert (
        '<span lang="en">CAR T as the second treatment for large B-cell lymphoma'
        "</span>" in topic
    )
    assert "Solo en inglés" in topic
    # Its body and question are still Spanish, without the lang="en" mark.
    assert "Breyanzi también está aprobado después de un tratamiento" in html


def test_a_fully_translated_results_page_has_no_english_only_note_on_topics(
    client, make_submission
):
    submission = make_submission(submitted=True)
    html = client.get(f"/zh-hans/i/{submission.token}/results/").content.decode()
    topics = html[html.index('id="topics-heading"') : html.index("eligibility-heading")]
    assert "仅有英文" not in topics
    assert 'lang="en"' not in topics


def test_dates_and_prices_follow_the_language(client, make_submission):
    submission = make_submission({"travel_abroad": "yes"}, submitted=True)
    english = visible_text(
        client.get(f"/i/{submission.token}/results/").content.decode()
    )
    spanish = visible_text(
        client.get(f"/es/i/{submission.token}/results/").content.decode()
    )
    chinese = visible_text(
        client.get(f"/zh-hans/i/{submission.token}/results/").content.decode()
    )
    assert "$500,000 – $800,000" in english
    assert "US$500\u00a0000 – US$800\u00a0000" in spanish
    assert "50万美元 – 80万美元" in chinese
    assert "Última revisión del contenido: 22 de noviembre de 2026." in spanish
    assert "内容最近审核日期：2026年11月22日。" in chinese
