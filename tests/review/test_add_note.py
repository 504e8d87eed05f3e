import logging

from intake.models import AuditEvent, ReviewEvent
from tests.review.conftest import login_redirect

NOTE = "Spoke with her daughter; call back Tuesday about the lymphoma."


def url(submission) -> str:
    return f"/review/{submission.reference}/notes/"


def form(submission, text=NOTE) -> dict:
    return {"revision": submission.revision, "text": text}


def test_it_sends_anonymous_users_to_the_login_page(client, submission):
    response = client.post(url(submission), form(submission))
    assert response.url == login_redirect(f"/review/{submission.reference}/")
    assert ReviewEvent.objects.count() == 0


def test_it_refuses_staff_who_are_not_coordinators(staff_client, submission):
    assert staff_client.post(url(submission), form(submission)).status_code == 403
    assert ReviewEvent.objects.count() == 0


def test_it_adds_a_note_to_the_timeline(coordinator_client, coordinator, submission):
    response = coordinator_client.post(url(submission), form(submission))
    assert response.status_code == 302
    assert response.url == f"/review/{submission.reference}/"
    note = ReviewEvent.objects.get()
    assert (note.kind, note.text, note.author) == ("note", NOTE, coordinator)
    submission.refresh_from_db()
    assert submission.revision == 2
    assert NOTE in coordinator_client.get(response.url).content.decode()


def test_it_refuses_an_empty_note(coordinator_client, submission):
    coordinator_client.post(url(submission), form(submission, "   "))
    assert ReviewEvent.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_it_refuses_get(coordinator_client, submission):
    assert coordinator_client.get(url(submission)).status_code == 405


def test_it_is_a_404_for_an_unknown_deleted_or_tokened_submission(
    coordinator_client, submission
):
    data = form(submission)
    path = url(submission)
    assert (
        coordinator_client.post("/review/CT-ZZZZZZZZ/notes/", data).status_code == 404
    )
    assert (
        coordinator_client.post(f"/review/{submission.token}/notes/", data).status_code
        == 404
    )
    submission.delete()
    assert coordinator_client.post(path, data).status_code == 404


def test_a_note_writes_one_audit_record_and_logs_nothing_of_it(
    coordinator_client, submission, caplog
):
    caplog.set_level(logging.DEBUG)
    coordinator_client.post(url(submission), form(submission))
    event = AuditEvent.objects.get()
    assert (event.action, event.detail) == ("change", "note")
    assert "daughter" not in caplog.text
    assert "lymphoma" not in caplog.text


def test_a_stale_note_is_refused_but_its_text_is_kept_in_the_form(
    coordinator_client, submission
):
    stale = form(submission, "Will call at noon.")
    coordinator_client.post(url(submission), form(submission))
    response = coordinator_client.post(url(submission), stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this request first" in html
    assert "Will call at noon.</textarea>" in html
    assert ReviewEvent.objects.count() == 1
