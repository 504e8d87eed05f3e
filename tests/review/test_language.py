"""A coordinator's language: chosen on their preferences page, used by the
workspace's pages and the CSV export, and by nothing else."""

import csv
import io

import pytest
from django.utils import translation

from intake.models import CoordinatorPreference
from tests.factories import SubmissionFactory
from tests.review.conftest import login_redirect

URL = "/review/time-zone/"
QUEUE_HEADING_ES = "Pacientes que pidieron que los contacten"


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_it_sends_anonymous_users_to_the_login_page(client):
    response = client.post(URL, {"language": "es"})
    assert response.url == login_redirect(URL)


def test_it_refuses_staff_who_are_not_coordinators(staff_client):
    assert staff_client.get(URL).status_code == 403
    assert staff_client.post(URL, {"language": "es"}).status_code == 403
    assert CoordinatorPreference.objects.count() == 0


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_it_refuses_other_methods(coordinator_client, method):
    response = getattr(coordinator_client, method)(URL, {"language": "es"})
    assert response.status_code == 405
    assert CoordinatorPreference.objects.count() == 0


def test_the_workspace_is_in_the_teams_language_until_a_coordinator_chooses(
    coordinator_client, settings
):
    settings.COORDINATOR_LANGUAGE = "es"
    page = coordinator_client.get(URL).content.decode()
    assert '<html lang="es"' in page
    assert "Zona horaria" in page
    assert "El idioma del equipo (Español)" in page


def test_a_coordinator_chooses_spanish_and_the_queue_is_in_spanish(
    coordinator_client, coordinator
):
    response = coordinator_client.post(URL, {"language": "es", "time_zone": ""})
    assert response.status_code == 302
    assert CoordinatorPreference.objects.get(user=coordinator).language == "es"
    saved = coordinator_client.get(response.url).content.decode()
    assert "la exportación CSV están en español" in saved
    queue = coordinator_client.get("/review/")
    page = queue.content.decode()
    assert '<html lang="es"' in page
    assert QUEUE_HEADING_ES in page
    assert queue["Content-Language"] == "es"


def test_a_coordinator_who_chose_spanish_exports_headings_and_values_in_spanish(
    coordinator_client,
):
    coordinator_client.post(URL, {"language": "es", "time_zone": ""})
    SubmissionFactory(
        answer_overrides={"disease": "mm", "transplant_eligible": ""},
        review_status="in_review",
        country="FR",
    )
    (row,) = csv_rows(coordinator_client.get("/review/export.csv"))
    assert row["Enfermedad"] == "Mieloma múltiple"
    assert row["Estado"] == "En revisión"
    assert row["País"] == "Francia"


def test_choosing_the_teams_language_again_clears_the_choice(
    coordinator_client, coordinator
):
    CoordinatorPreference.objects.create(user=coordinator, language="es")
    coordinator_client.post(URL, {"language": "", "time_zone": ""})
    assert CoordinatorPreference.objects.get(user=coordinator).language == ""
    assert '<html lang="en"' in coordinator_client.get("/review/").content.decode()


@pytest.mark.parametrize("code", ["fr", "<b>es</b>", "x" * 300])
def test_a_language_not_offered_is_a_400_with_a_message_and_nothing_saved(
    coordinator_client, code
):
    response = coordinator_client.post(URL, {"language": code, "time_zone": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your preferences were not changed." in page
    assert "is not a language we offer. Choose one from the list." in page
    assert "<b>es</b>" not in page
    assert CoordinatorPreference.objects.count() == 0


def test_a_language_the_site_no_longer_offers_falls_back_to_the_teams(
    coordinator_client, coordinator, settings
):
    settings.COORDINATOR_LANGUAGE = "es"
    CoordinatorPreference.objects.create(user=coordinator, language="zh-hans")
    settings.LANGUAGES = [("en", "English"), ("es", "Spanish")]
    assert '<html lang="es"' in coordinator_client.get("/review/").content.decode()


def test_patient_pages_keep_the_language_of_their_address_for_coordinators(
    coordinator_client, coordinator
):
    CoordinatorPreference.objects.create(user=coordinator, language="es")
    assert '<html lang="en"' in coordinator_client.get("/").content.decode()
    assert '<html lang="zh-hans"' in (
        coordinator_client.get("/zh-hans/").content.decode()
    )


def test_the_language_does_not_stay_active_after_a_coordinators_request(
    coordinator_client, coordinator
):
    CoordinatorPreference.objects.create(user=coordinator, language="es")
    coordinator_client.get("/review/")
    assert translation.get_language() == "en"
