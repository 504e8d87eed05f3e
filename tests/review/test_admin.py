"""Submissions and audit records in the admin: superusers read, nobody writes."""

import pytest

from intake.models import AuditEvent
from tests.factories import CatalogEditorFactory, ReviewEventFactory, sign_in_verified


@pytest.fixture
def superuser_client(client, django_user_model):
    sign_in_verified(
        client,
        django_user_model.objects.create_superuser("root", "root@example.org", "pw"),
    )
    return client


@pytest.fixture
def audit_event(submission):
    return AuditEvent.objects.create(
        action="view", submission_id=submission.pk, reference=submission.reference
    )


def test_staff_cannot_see_submissions_or_audit_records_even_with_model_permissions(
    client, submission, audit_event
):
    from django.contrib.auth.models import Permission

    editor = CatalogEditorFactory()
    editor.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="intake")
    )
    sign_in_verified(client, editor)
    assert "Patient intake" not in client.get("/admin/").content.decode()
    for path in (
        "/admin/intake/submission/",
        f"/admin/intake/submission/{submission.pk}/change/",
        "/admin/intake/auditevent/",
        f"/admin/intake/auditevent/{audit_event.pk}/change/",
    ):
        assert client.get(path).status_code == 403, path


def test_superusers_can_list_filter_and_read_audit_records(
    superuser_client, audit_event
):
    response = superuser_client.get("/admin/intake/auditevent/?action__exact=view")
    assert response.status_code == 200
    assert audit_event.reference in response.content.decode()
    response = superuser_client.get(
        f"/admin/intake/auditevent/{audit_event.pk}/change/"
    )
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


def test_nobody_can_add_change_or_delete_audit_records(superuser_client, audit_event):
    assert superuser_client.get("/admin/intake/auditevent/add/").status_code == 403
    response = superuser_client.post(
        f"/admin/intake/auditevent/{audit_event.pk}/change/", {"detail": "edited"}
    )
    assert response.status_code == 403
    assert (
        superuser_client.post(
            f"/admin/intake/auditevent/{audit_event.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    response = superuser_client.post(
        "/admin/intake/auditevent/",
        {
            "action": "delete_selected",
            "_selected_action": [audit_event.pk],
            "post": "yes",
        },
    )
    audit_event.refresh_from_db()
    assert audit_event.detail == ""


def test_superusers_read_a_submission_with_its_timeline_and_the_look_is_audited(
    superuser_client, submission
):
    ReviewEventFactory(submission=submission, text="Left a voicemail.")
    response = superuser_client.get(f"/admin/intake/submission/{submission.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Left a voicemail." in html
    assert submission.token not in html
    event = AuditEvent.objects.get()
    assert (event.action, event.detail, event.reference) == (
        "view",
        "admin",
        submission.reference,
    )


def test_submissions_cannot_be_added_changed_or_deleted_in_the_admin(
    superuser_client, submission
):
    assert superuser_client.get("/admin/intake/submission/add/").status_code == 403
    superuser_client.post(
        f"/admin/intake/submission/{submission.pk}/change/", {"review_status": "closed"}
    )
    assert (
        superuser_client.post(
            f"/admin/intake/submission/{submission.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    submission.refresh_from_db()
    assert submission.review_status == "new"
