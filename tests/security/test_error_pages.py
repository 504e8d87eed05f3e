import pytest

from tests.clients import BrowserClient


def test_a_404_is_in_the_sites_style_and_reveals_nothing(client, catalog):
    response = client.get("/this/does/not/exist/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in html
    assert "Traceback" not in html and "urlpatterns" not in html


def test_a_csrf_failure_is_explained_in_plain_words(catalog):
    client = BrowserClient(enforce_csrf_checks=True)
    response = client.post("/start/", {"recent_infusion": "no"})
    assert response.status_code == 403
    assert "Please try again" in response.content.decode()


def test_an_oversized_body_is_refused_with_a_400(client, catalog):
    response = client.post("/start/", {"recent_infusion": "no", "junk": "x" * 400_000})
    assert response.status_code in (400, 413)
    assert "Something was wrong with that request" in response.content.decode()


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_server_error_pages_render_without_context(template):
    from django.template.loader import render_to_string

    html = render_to_string(template)
    assert "Answers you already saved are kept" in html
