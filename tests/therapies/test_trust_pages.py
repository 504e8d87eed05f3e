"""About, Privacy and Contact: who runs the site, what happens to answers, how
to reach the team; linked from every page's footer, in every language."""

import pytest

from .pages import page_text

PAGES = {
    "/about/": "A small independent team runs this site",
    "/privacy/": "deleted 30 days after you last changed them",
    "/contact/": "This is not for emergencies",
}


@pytest.mark.parametrize("prefix", ["", "/es", "/zh-hans"])
@pytest.mark.parametrize("path", list(PAGES))
def test_each_trust_page_opens_in_each_language(client, db, prefix, path):
    response = client.get(f"{prefix}{path}")
    assert response.status_code == 200
    language = prefix.strip("/") or "en"
    assert f'<html lang="{language}"' in response.content.decode()


@pytest.mark.parametrize("path,text", list(PAGES.items()))
def test_each_trust_page_says_what_it_promises(client, db, path, text):
    assert text in page_text(client.get(path))


@pytest.mark.parametrize("page", ["/", "/therapies/", "/centres/", "/es/"])
def test_the_footer_links_the_trust_pages_and_the_help_page(client, catalog, page):
    html = client.get(page).content.decode()
    footer = html[html.index("<footer") :]
    prefix = "/es" if page.startswith("/es") else ""
    for path in ("/about/", "/privacy/", "/contact/", "/help/unwell/"):
        assert f'href="{prefix}{path}"' in footer


def test_the_about_page_names_the_operator_when_one_is_set(client, db, settings):
    settings.SITE_OPERATOR_NAME = "Example Health Trust"
    text = page_text(client.get("/about/"))
    assert "Example Health Trust runs this site" in text
    assert "no money from drug companies" in text


def test_the_contact_page_gives_the_address_only_when_one_is_set(client, db, settings):
    settings.SITE_CONTACT_EMAIL = ""
    assert "mailto:" not in client.get("/contact/").content.decode()
    settings.SITE_CONTACT_EMAIL = "team@example.org"
    html = client.get("/contact/").content.decode()
    assert 'href="mailto:team@example.org"' in html
    assert 'href="/help/unwell/"' in html


def test_the_privacy_page_says_how_to_delete_answers(client, db):
    text = page_text(client.get("/privacy/"))
    assert "Delete my answers" in text
    assert "navigators can see your answers" in text


def test_the_privacy_page_gives_the_retention_times(client, db, settings):
    settings.RESUME_LINK_IDLE_DAYS = 200
    settings.CLOSED_RETENTION_DAYS = 400
    text = page_text(client.get("/privacy/"))
    assert "goes 200 days without a change" in text
    assert "deleted 400 days after a navigator closes it" in text


def test_trust_pages_refuse_a_post(client, db):
    for path in PAGES:
        assert client.post(path).status_code == 405
