import datetime

from tests.factories import (
    DiseaseFactory,
    IndicationFactory,
    PriceFactory,
    RuleFactory,
    SourceFactory,
    TherapyFactory,
    TrialResultFactory,
    regulator,
)
from tests.therapies.pages import page_text
from therapies.models import Therapy


def test_a_therapy_page_shows_what_the_product_is(client, catalog):
    therapy = Therapy.objects.get(slug="yescarta")
    response = client.get("/therapies/yescarta/")
    assert response.status_code == 200
    text = page_text(response)
    assert "Yescarta" in text
    assert "axicabtagene ciloleucel" in text
    for heading, content in [
        ("In short", therapy.summary),
        ("How it is made and given", therapy.how_given),
        ("Key results", therapy.key_results),
        ("Side effects", therapy.side_effects),
    ]:
        first_sentence = " ".join(content.split(". ")[0].split())
        assert f"{heading} {first_sentence}" in text


def test_a_therapy_page_shows_each_approval_with_its_regulator(client, catalog):
    text = page_text(client.get("/therapies/kymriah/"))
    assert "US Food and Drug Administration (FDA)" in text
    assert "European Medicines Agency (EMA)" in text
    assert "Follicular lymphoma" in text
    assert "Accelerated approval" in text
    assert "Line of therapy Refractory, any line or after 2 or more lines" in text


def test_an_approval_note_replaces_the_date(client, catalog):
    text = page_text(client.get("/therapies/breyanzi/"))
    assert "Approval date February 2021, the first Breyanzi approval" in text
    # Without a note the date itself shows.
    assert "Approval date Dec. 4, 2025" in text


def test_a_therapy_page_keeps_both_second_line_routes_apart(client, catalog):
    text = page_text(client.get("/therapies/breyanzi/"))
    assert "TRANSFORM" in text
    assert "not a transplant candidate (PILOT)" in text


def test_a_therapy_page_lists_its_sources_with_links(client, catalog):
    response = client.get("/therapies/breyanzi/")
    source = next(s for s in catalog.therapies["breyanzi"].sources if s.url)
    assert f'href="{source.url}"' in response.content.decode()
    assert source.title in page_text(response)


def test_a_therapy_page_says_when_it_was_last_reviewed(client, catalog):
    therapy = TherapyFactory(last_reviewed=datetime.date(2026, 3, 9))
    text = page_text(client.get(f"/therapies/{therapy.slug}/"))
    assert "Last reviewed March 9, 2026" in text
    assert "Last reviewed by our team on March 9, 2026." in text


def test_an_overdue_page_warns_that_it_may_be_out_of_date(client, catalog):
    therapy = TherapyFactory(last_reviewed=datetime.date(2000, 1, 1))
    text = page_text(client.get(f"/therapies/{therapy.slug}/"))
    assert "has not checked this page for over a year" in text


def test_prices_are_shown_as_dated_estimates(client, catalog):
    therapy = TherapyFactory()
    PriceFactory(
        therapy=therapy,
        country="SG",
        low_usd=350000,
        high_usd=450000,
        as_of=datetime.date(2026, 2, 1),
        note="From a travel website.",
    )
    text = page_text(client.get(f"/therapies/{therapy.slug}/"))
    assert "Price estimates" in text
    assert "rough estimates, not quotes" in text
    assert "Singapore $350,000 to $450,000 Feb. 1, 2026 From a travel website." in text


def test_an_unknown_therapy_is_a_404(client, catalog):
    assert client.get("/therapies/no-such-product/").status_code == 404


def test_a_therapy_page_runs_eight_queries(client, catalog, django_assert_num_queries):
    with django_assert_num_queries(8):
        assert client.get("/therapies/breyanzi/").status_code == 200


def test_a_therapy_pages_query_count_does_not_grow_with_its_content(
    client, catalog, django_assert_num_queries
):
    sources = SourceFactory.create_batch(3)
    therapy = TherapyFactory(sources=sources)
    for code in ("FDA", "EMA", "NMPA", "CDSCO"):
        indication = IndicationFactory(
            therapy=therapy, regulator=regulator(code), sources=sources
        )
        RuleFactory.create_batch(2, indication=indication)
    for country in ("US", "SG", "CN"):
        PriceFactory(therapy=therapy, country=country, sources=sources)
    for code in ("lbcl", "fl"):
        TrialResultFactory.create_batch(
            2, therapy=therapy, disease=DiseaseFactory(code=code), sources=sources
        )
    with django_assert_num_queries(8):
        response = client.get(f"/therapies/{therapy.slug}/")
    assert response.status_code == 200
    assert sources[2].title in response.content.decode()


def test_a_therapy_page_refuses_a_post(client, catalog):
    assert client.post("/therapies/kymriah/").status_code == 405
