"""What every page gets from templates/base.html."""

import re

import pytest

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]{50,160})">')


@pytest.mark.parametrize(
    "path", ["/", "/start/", "/therapies/", "/therapies/yescarta/", "/centres/"]
)
def test_a_patient_page_has_a_description_for_search_engines(client, catalog, path):
    response = client.get(path)
    assert response.status_code == 200
    assert DESCRIPTION.search(response.content.decode())


def test_the_results_page_has_a_description_for_search_engines(client, make_submission):
    submission = make_submission(submitted=True)
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    assert DESCRIPTION.search(html)
