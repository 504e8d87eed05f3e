from tests.factories import IndicationFactory, RuleFactory, TherapyFactory, regulator
from tests.therapies.pages import page_text


def test_the_list_compares_every_seeded_product(client, catalog):
    response = client.get("/therapies/")
    assert response.status_code == 200
    html = response.content.decode()
    for therapy in catalog.therapies.values():
        assert f'href="/therapies/{therapy.slug}/"' in html
        assert therapy.generic_name in html


def test_the_list_puts_fda_approvals_first(client, catalog):
    text = page_text(client.get("/therapies/"))
    fda = text.index("Approved by the US Food and Drug Administration (FDA)")
    ema = text.index("Approved by the European Medicines Agency (EMA)")
    nmpa = text.index("Approved by the China National Medical Products Administration")
    cdsco = text.index("Approved by the India Central Drugs Standard Control")
    assert fda < ema < nmpa < cdsco


def test_the_list_shows_breyanzis_marginal_zone_lymphoma_approval(client, catalog):
    text = page_text(client.get("/therapies/"))
    assert "Marginal zone lymphoma After 2 or more lines 2025" in text


def test_the_list_shows_the_2024_myeloma_approvals_in_earlier_lines(client, catalog):
    text = page_text(client.get("/therapies/"))
    # Abecma after 2 or more lines and Carvykti after 1 or more, both from 2024.
    assert "Multiple myeloma After 2 or more lines 2024" in text
    assert "Multiple myeloma After 1 or more lines 2024" in text


def test_the_list_shows_second_line_approvals(client, catalog):
    text = page_text(client.get("/therapies/"))
    assert "Large B-cell lymphoma (including DLBCL) Second line 2022" in text


def test_the_list_marks_accelerated_approvals(client, catalog):
    assert "Accelerated approval" in page_text(client.get("/therapies/"))


def test_the_comparison_table_has_a_caption_and_header_scopes(client, catalog):
    html = client.get("/therapies/").content.decode()
    assert "<caption" in html
    assert '<th scope="col">' in html
    assert '<th scope="rowgroup"' in html


def test_a_product_without_approvals_is_still_listed(client, catalog):
    TherapyFactory(brand_name="Unlistedcel", slug="unlistedcel")
    html = client.get("/therapies/").content.decode()
    assert "Other products" in html
    assert 'href="/therapies/unlistedcel/"' in html


def test_the_list_runs_three_queries(client, catalog, django_assert_num_queries):
    with django_assert_num_queries(3):
        assert client.get("/therapies/").status_code == 200


def test_the_lists_query_count_does_not_grow_with_the_catalog(
    client, catalog, django_assert_num_queries
):
    for code in ("FDA", "EMA", "NMPA"):
        indication = IndicationFactory(regulator=regulator(code))
        RuleFactory.create_batch(2, indication=indication)
    with django_assert_num_queries(3):
        response = client.get("/therapies/")
    assert response.status_code == 200
    assert indication.therapy.brand_name in response.content.decode()


def test_the_list_refuses_a_post(client, catalog):
    assert client.post("/therapies/").status_code == 405
