"""The rendered results page kept in the `pages` cache (intake.views.results)."""

from django.core.cache import caches

from intake.views import results_page_key
from tests.clients import sent_by_a_person
from tests.releases import publish_working_copy
from therapies.models import CatalogRelease, CatalogVersion

CONTACT = {
    "name": "Pat Example",
    "email": "pat@example.org",
    "phone": "",
    "preferred_language": "en",
    "preferred_time": "",
    "consent": "on",
}


def key_for(submission, language="en"):
    return results_page_key(
        submission, CatalogRelease.objects.latest_version(), language
    )


def test_the_kept_page_is_found_by_the_submission_never_by_its_token(
    client, make_submission
):
    submission = make_submission(submitted=True)
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    key = key_for(submission)
    assert caches["pages"].get(key) == html
    assert submission.token not in key
    assert str(submission.pk) in key


def test_what_the_page_shows_gives_it_another_key(make_submission):
    submission = make_submission(submitted=True)
    first = key_for(submission)
    assert key_for(submission, "es") != first
    submission.answers = {**submission.answers, "caregiver": "no"}
    assert key_for(submission) != first
    submission.answers = make_submission(submitted=True).answers
    submission.contact_requested = True
    assert key_for(submission) != first
    submission.contact_requested = False
    CatalogVersion.bump()
    assert key_for(submission) == first  # the working copy: patients see no change
    publish_working_copy()
    assert key_for(submission) != first


def test_each_language_gets_its_own_page(client, make_submission):
    submission = make_submission(submitted=True)
    english = client.get(f"/i/{submission.token}/results/").content.decode()
    spanish = client.get(f"/es/i/{submission.token}/results/").content.decode()
    assert '<html lang="en"' in english
    assert '<html lang="es"' in spanish


def test_a_deleted_submissions_kept_page_can_no_longer_be_reached(
    client, make_submission
):
    submission = make_submission(submitted=True)
    url = f"/i/{submission.token}/results/"
    assert client.get(url).status_code == 200
    client.post(f"/i/{submission.token}/delete/")
    response = client.get(url)
    assert response.status_code == 404
    assert "Getting ready to talk with your doctor" not in response.content.decode()


def test_the_thank_you_after_a_contact_request_shows_once(client, make_submission):
    submission = make_submission(submitted=True)
    url = f"/i/{submission.token}/results/"
    client.get(url)
    response = client.post(
        f"/i/{submission.token}/contact/", sent_by_a_person(CONTACT), follow=True
    )
    assert "A patient navigator will contact you" in response.content.decode()
    again = client.get(url).content.decode()
    assert "Thank you." not in again
    assert "A navigator will contact you" in again
    assert client.get(url).content.decode() == again
