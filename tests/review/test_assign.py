import pytest

from intake.models import AuditEvent, ReviewEvent
from tests.factories import CatalogEditorFactory, CoordinatorFactory
from tests.review.conftest import login_redirect


def url(submission) -> str:
    return f"/review/{submission.reference}/assign/"


def form(submission, assignee) -> dict:
    return {
        "revision": submission.revision,
        "assignee": assignee.pk if assignee else "",
    }


def test_it_sends_anonymous_users_to_the_login_page(client, submission, coordinator):
    response = client.post(url(submission), form(submission, coordinator))
    assert response.url == login_redirect(f"/review/{submission.reference}/")
    submission.refresh_from_db()
    assert submission.assignee is None


def test_it_refuses_staff_who_are_not_coordinators(
    staff_client, submission, coordinator
):
    response = staff_client.post(url(submission), form(submission, coordinator))
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.assignee is None
    assert AuditEvent.objects.count() == 0


def test_it_assigns_to_me(coordinator_client, coordinator, submission):
    response = coordinator_client.post(url(submission), form(submission, coordinator))
    assert response.status_code == 302
    assert response.url == f"/review/{submission.reference}/"
    submission.refresh_from_db()
    assert submission.assignee == coordinator
    assert submission.revision == 2
    event = ReviewEvent.objects.get()
    assert (event.kind, event.author, event.assignee) == (
        "assign",
        coordinator,
        coordinator,
    )


def test_it_assigns_to_another_coordinator_and_back_to_nobody(
    coordinator_client, submission
):
    colleague = CoordinatorFactory()
    coordinator_client.post(url(submission), form(submission, colleague))
    submission.refresh_from_db()
    assert submission.assignee == colleague
    coordinator_client.post(url(submission), form(submission, None))
    submission.refresh_from_db()
    assert submission.assignee is None
    assert ReviewEvent.objects.count() == 2


def test_it_will_not_assign_to_someone_who_is_not_a_coordinator(
    coordinator_client, submission
):
    editor = CatalogEditorFactory()
    response = coordinator_client.post(url(submission), form(submission, editor))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.assignee is None
    assert AuditEvent.objects.count() == 0


def test_it_refuses_get(coordinator_client, submission):
    assert coordinator_client.get(url(submission)).status_code == 405


def test_it_is_a_404_for_an_unknown_or_deleted_submission(
    coordinator_client, coordinator, submission
):
    data = form(submission, coordinator)
    path = url(submission)
    assert (
        coordinator_client.post("/review/CT-ZZZZZZZZ/assign/", data).status_code == 404
    )
    submission.delete()
    assert coordinator_client.post(path, data).status_code == 404


def test_it_is_a_404_for_a_patients_resume_token(
    coordinator_client, coordinator, submission
):
    response = coordinator_client.post(
        f"/review/{submission.token}/assign/", form(submission, coordinator)
    )
    assert response.status_code == 404


def test_a_change_writes_exactly_one_audit_record(
    coordinator_client, coordinator, submission
):
    coordinator_client.post(url(submission), form(submission, coordinator))
    event = AuditEvent.objects.get()
    assert (event.action, event.detail, event.user) == (
        "change",
        "assignee",
        coordinator,
    )
    assert (event.submission_id, event.reference) == (
        submission.pk,
        submission.reference,
    )


def test_a_stale_form_is_refused_with_a_conflict_and_changes_nothing(
    coordinator_client, coordinator, submission
):
    colleague = CoordinatorFactory()
    stale = form(submission, coordinator)
    coordinator_client.post(url(submission), form(submission, colleague))
    response = coordinator_client.post(url(submission), stale)
    assert response.status_code == 409
    assert "Someone else changed this request first" in response.content.decode()
    submission.refresh_from_db()
    assert submission.assignee == colleague
    assert submission.revision == 2
    assert ReviewEvent.objects.count() == 1
    # One record for the change, one for the look at the latest version.
    assert list(AuditEvent.objects.order_by("id").values_list("action", "detail")) == [
        ("change", "assignee"),
        ("view", "conflict"),
    ]


@pytest.mark.parametrize("revision", ["", "zero", "0"])
def test_a_missing_revision_changes_nothing(
    coordinator_client, coordinator, submission, revision
):
    response = coordinator_client.post(
        url(submission), {"revision": revision, "assignee": coordinator.pk}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.assignee is None
