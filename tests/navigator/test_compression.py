import gzip


def test_a_page_goes_out_gzipped_to_a_browser_that_accepts_it(client):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert b"CAR T Navigator" in gzip.decompress(response.content)


def test_a_page_goes_out_plain_to_a_client_that_does_not_accept_gzip(client):
    response = client.get("/")
    assert not response.has_header("Content-Encoding")
    assert b"CAR T Navigator" in response.content
