import pytest

from tests.factories import TherapyFactory, TreatmentCenterFactory
from tests.therapies.pages import page_text
from therapies.models import TreatmentCenter


@pytest.fixture
def singapore_centre(catalog):
    therapy = TherapyFactory(brand_name="Lioncel", slug="lioncel")
    return TreatmentCenterFactory(
        name="Lion City Cancer Centre",
        city="Singapore",
        country="SG",
        therapies=[therapy],
        accepts_international=True,
        contact="+65 0000 0000",
        website="https://example.org/lion-city",
    )


def test_the_centre_list_shows_every_seeded_centre(client, catalog):
    response = client.get("/centres/")
    assert response.status_code == 200
    text = page_text(response)
    for centre in catalog.centers:
        assert centre.name in text
    assert f"{len(catalog.centers)} centres" in text


def test_a_centre_shows_its_city_country_products_and_contact(client, singapore_centre):
    text = page_text(client.get("/centres/"))
    assert "Lion City Cancer Centre Singapore, Singapore" in text
    assert "Products Lioncel" in text
    assert "International patients Accepted" in text
    assert "+65 0000 0000" in text
    assert "Lion City Cancer Centre website" in text
    assert "Last reviewed" in text


def test_unverified_products_are_marked_for_staff_to_verify(client, catalog):
    TreatmentCenterFactory(products_verified=False)
    assert "To be verified by staff" in page_text(client.get("/centres/"))


def test_the_country_filter_keeps_only_that_countrys_centres(client, singapore_centre):
    us_centre = TreatmentCenter.objects.filter(country="US").first()
    response = client.get("/centres/", {"country": "SG"})
    text = page_text(response)
    assert response.status_code == 200
    assert "Lion City Cancer Centre" in text
    assert us_centre.name not in text
    assert '<option value="SG" selected>' in response.content.decode()


def test_the_product_filter_keeps_only_centres_offering_it(client, singapore_centre):
    TreatmentCenterFactory(name="Elsewhere Hospital", country="SG")
    text = page_text(client.get("/centres/", {"product": "lioncel"}))
    assert "Lion City Cancer Centre" in text
    assert "Elsewhere Hospital" not in text
    assert "1 centre" in text


def test_both_filters_combine(client, singapore_centre):
    text = page_text(client.get("/centres/", {"country": "US", "product": "lioncel"}))
    assert "0 centres" in text
    assert "No centres match these filters." in text


@pytest.mark.parametrize(
    "params",
    [
        {"country": "ZZ"},
        {"product": "no-such-product"},
        {"country": "<script>", "product": "'; drop table"},
        {"country": "x" * 500},
    ],
)
def test_a_bad_filter_value_is_left_out_with_a_message(client, catalog, params):
    response = client.get("/centres/", params)
    assert response.status_code == 200
    text = page_text(response)
    assert "We could not use one of the filters" in text
    assert f"{len(catalog.centers)} centres" in text


def test_a_good_filter_still_applies_next_to_a_bad_one(client, singapore_centre):
    text = page_text(client.get("/centres/", {"country": "SG", "product": "nope"}))
    assert "We could not use one of the filters" in text
    assert "1 centre" in text


def test_the_centre_list_runs_four_queries(client, catalog, django_assert_num_queries):
    with django_assert_num_queries(4):
        assert client.get("/centres/").status_code == 200


def test_the_centre_lists_query_count_does_not_grow_with_more_centres(
    client, catalog, django_assert_num_queries
):
    therapies = TherapyFactory.create_batch(3)
    for country in ("SG", "KR", "AU", "IL"):
        TreatmentCenterFactory(country=country, therapies=therapies)
    with django_assert_num_queries(4):
        assert client.get("/centres/").status_code == 200
    with django_assert_num_queries(4):
        response = client.get("/centres/", {"country": "KR"})
    assert therapies[2].brand_name in response.content.decode()


def test_the_centre_list_refuses_a_post(client, catalog):
    assert client.post("/centres/").status_code == 405
