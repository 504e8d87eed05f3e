from intake.models import CONSENT_VERSION, AuditEvent, Submission
from tests.clients import sent_by_a_person

CONTACT = {
    "name": "Pat Example",
    "email": "pat@example.org",
    "phone": "",
    "preferred_language": "en",
    "preferred_time": "mornings",
    "consent": "on",
}


def test_asking_to_be_contacted_stores_the_consent_version(client, make_submission):
    submission = make_submission(submitted=True)
    response = client.post(f"/i/{submission.token}/contact/", sent_by_a_person(CONTACT))
    submission.refresh_from_db()
    assert response.url == f"/i/{submission.token}/results/"
    assert submission.contact_requested
    assert submission.consent_version == CONSENT_VERSION
    assert submission.contact_email == "pat@example.org"
    assert Submission.objects.visible_to_coordinators().count() == 1


def test_contact_needs_consent_and_a_way_to_reach_the_patient(client, make_submission):
    submission = make_submission(submitted=True)
    response = client.post(
        f"/i/{submission.token}/contact/",
        sent_by_a_person({**CONTACT, "consent": "", "email": ""}),
    )
    assert response.status_code == 400
    submission.refresh_from_db()
    assert not submission.contact_requested
    assert Submission.objects.visible_to_coordinators().count() == 0


def test_submissions_without_contact_are_not_visible_to_coordinators(make_submission):
    make_submission(submitted=True)
    assert Submission.objects.visible_to_coordinators().count() == 0


def test_delete_asks_for_confirmation_first(client, make_submission):
    submission = make_submission(submitted=True)
    response = client.get(f"/i/{submission.token}/delete/")
    assert response.status_code == 200
    assert Submission.objects.count() == 1


def test_deleting_removes_the_answers_for_good_and_the_link_stops_working(
    client, make_submission
):
    submission = make_submission(submitted=True)
    response = client.post(f"/i/{submission.token}/delete/")
    assert response.url == "/deleted/"
    assert Submission.objects.count() == 0
    assert client.get(f"/i/{submission.token}/results/").status_code == 404
    event = AuditEvent.objects.get()
    assert event.action == "delete" and event.reference == submission.reference
    assert "lbcl" not in str(vars(event))
