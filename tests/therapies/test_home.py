def test_the_home_page_explains_the_tool_in_plain_words(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "about 5 minutes" in html
    assert "do not need an account" in html
    assert "not medical advice" in html
    assert "delete your answers" in html


def test_the_start_button_opens_the_intake(client):
    html = client.get("/").content.decode()
    assert 'href="/start/"' in html
    assert 'home-start" href="/start/">Get ready for my visit</a>' in html


def test_the_home_page_links_the_therapies_and_the_centres(client):
    html = client.get("/").content.decode()
    assert 'href="/therapies/"' in html
    assert 'href="/centres/"' in html


def test_the_home_page_needs_no_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


def test_the_home_page_refuses_a_post(client):
    assert client.post("/").status_code == 405


def test_the_home_page_is_served_in_spanish_under_its_prefix(client):
    response = client.get("/es/")
    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()


def test_the_home_page_offers_help_to_someone_unwell_after_car_t(client, db):
    html = client.get("/").content.decode()
    assert "Unwell after CAR T? Call your treatment team now" in html
    assert 'href="/help/unwell/"' in html
    assert html.index("Unwell after CAR T?") < html.index("home-title")


def test_the_home_page_shows_the_emergency_number_for_the_browser_region(
    client, catalog, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert 'href="tel:999"' in response.content.decode()
    assert "Accept-Language" in response["Vary"]
    assert "no-store" in response["Cache-Control"]
