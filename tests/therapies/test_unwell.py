"""The public help page for someone unwell after CAR T: no private link needed."""

import pytest

from therapies.emergency import regions_from_accept_language
from therapies.models import EmergencyNumber

from .pages import page_text

URL = "/help/unwell/"


def test_a_chosen_country_gets_its_emergency_number_as_a_tap_to_call_link(
    client, catalog
):
    response = client.get(URL, {"country": "GB"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="tel:999"' in html
    assert 'href="tel:112"' in html
    assert "Emergency number for United Kingdom" in page_text(response)
    assert "We guessed" not in html


def test_the_browser_language_region_is_used_as_a_guess_and_said_to_be_one(
    client, catalog
):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.8")
    html = response.content.decode()
    assert 'href="tel:120"' in html
    assert "We guessed your country" in html
    assert 'name="country"' in html, "the visitor can correct the guess"


def test_a_chosen_country_wins_over_the_browser_guess(client, catalog):
    response = client.get(URL, {"country": "AU"}, HTTP_ACCEPT_LANGUAGE="en-GB")
    html = response.content.decode()
    assert 'href="tel:000"' in html and 'href="tel:999"' not in html
    assert "From a mobile phone, you can also call" in html


def test_without_a_country_the_page_asks_for_one_and_still_says_whom_to_call(
    client, catalog
):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "tel:" not in html
    assert "Call your treatment team now" in html
    assert "wallet card" in html
    assert "Call your local emergency number" in html


def test_a_country_without_a_number_yet_is_told_to_call_the_local_number(
    client, catalog
):
    assert not EmergencyNumber.objects.filter(country="FJ").exists()
    html = client.get(URL, {"country": "FJ"}).content.decode()
    assert "We do not have the emergency number for Fiji yet" in html
    assert "tel:" not in html


def test_an_unknown_country_code_gets_a_clear_message_and_a_400(client, catalog):
    response = client.get(URL, {"country": "XX"})
    assert response.status_code == 400
    assert "Please choose it from the list" in response.content.decode()


def test_the_page_lists_the_warning_signs_from_the_vocabulary(client, catalog):
    html = client.get(URL).content.decode()
    assert "Trouble breathing" in html
    assert "None of these" not in html


def test_the_guess_is_never_kept_by_a_cache(client, catalog):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en-GB")
    assert "no-store" in response["Cache-Control"]
    assert "Accept-Language" in response["Vary"]


def test_the_page_works_in_spanish_and_refuses_a_post(client, catalog):
    response = client.get(f"/es{URL}", {"country": "MX"})
    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()
    assert 'href="tel:911"' in response.content.decode()
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize(
    "header,regions",
    [
        ("en-GB,en;q=0.9", ["GB"]),
        ("zh-Hans-CN", ["CN"]),
        ("en;q=0.9, es-MX;q=0.5, fr-CA;q=0.8", ["CA", "MX"]),
        ("es-419, en", []),
        ("de-DE;q=0, it-IT", ["IT"]),
        ("en-ZZ, xx-YY", []),
        ("", []),
        ("en-US;q=nonsense, en-GB", ["GB"]),  # a broken weight drops its range
    ],
)
def test_the_region_is_read_from_the_accept_language_header(header, regions):
    assert regions_from_accept_language(header) == regions


def test_the_guessed_country_is_already_picked_in_the_country_form(client, catalog):
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="ja-JP").content.decode()
    assert 'href="tel:119"' in html
    assert '<option value="JP" selected>' in html


def test_the_number_shows_its_source_and_when_it_was_last_checked(client, catalog):
    text = page_text(client.get(URL, {"country": "IE"}))
    assert "Source: When to call 112 or 999" in text
    assert "Last checked" in text
