"""The page of emails that could not be sent: coordinators only, identifiers only."""

from intake.models import UndeliveredEmail
from tests.review.conftest import login_redirect

URL = "/review/undelivered/"


def test_it_sends_anonymous_users_to_the_login_page(client, db):
    assert client.get(URL).url == login_redirect(URL)


def test_it_refuses_staff_who_are_not_coordinators(staff_client):
    assert staff_client.get(URL).status_code == 403


def test_it_refuses_post(coordinator_client):
    assert coordinator_client.post(URL).status_code == 405


def test_it_lists_emails_that_failed_every_attempt(coordinator_client, settings):
    settings.EMAIL_ATTEMPTS = 3
    UndeliveredEmail.objects.create(
        kind="patient_link", reference="CT-GIVENUP2", attempts=3, error="SMTPError"
    )
    UndeliveredEmail.objects.create(
        kind="patient_link", reference="CT-RETRYING", attempts=1, error="SMTPError"
    )
    page = coordinator_client.get(URL).content.decode()
    assert "CT-GIVENUP2" in page
    assert "CT-RETRYING" not in page  # still being tried
