"""The admin's publish, roll back and preview pages."""

import json

import pytest
from django.urls import reverse

from tests.factories import (
    CatalogEditorFactory,
    ClinicalReviewerFactory,
    CoordinatorFactory,
    sign_in_verified,
)
from tests.releases import publish_working_copy
from therapies.models import CatalogRelease, CatalogVersion, DiscussionTopic, Rule
from therapies.snapshot import get_catalog

PUBLISH = "/admin/therapies/catalogrelease/publish/"
PREVIEW = "/admin/therapies/catalogrelease/preview/"
BACKEND = "intake.backends.CoordinatorAwareBackend"


def _signed_in(client, user):
    sign_in_verified(client, user, backend=BACKEND)
    return client


def _retitle(title="Paying for CAR T", by=None):
    topic = DiscussionTopic.objects.get(slug="cost-and-coverage")
    topic.title = title
    topic.save()
    if by is not None:
        latest = topic.history.latest()
        topic.history.filter(pk=latest.pk).update(history_user=by)
    CatalogVersion.bump()


def test_an_editor_sees_the_changes_but_cannot_publish(client, catalog):
    _retitle()
    _signed_in(client, CatalogEditorFactory())

    page = client.get(PUBLISH).content.decode()
    refused = client.post(PUBLISH, {"note": "please"})

    assert "Paying for CAR T" in page
    assert "Only a clinical reviewer can publish" in page
    assert refused.status_code == 403
    assert CatalogRelease.objects.count() == 1


def test_a_reviewer_publishes_and_patients_see_it(client, catalog):
    _retitle()
    _signed_in(client, ClinicalReviewerFactory())

    response = client.post(PUBLISH, {"note": "clearer title"})

    assert response.status_code == 302
    release = CatalogRelease.objects.get(number=2)
    assert release.note == "clearer title"
    assert get_catalog().topics["cost-and-coverage"].title == "Paying for CAR T"


def test_a_reviewer_cannot_publish_their_own_edit(client, catalog):
    reviewer = ClinicalReviewerFactory()
    _retitle(by=reviewer)
    _signed_in(client, reviewer)

    assert (
        "another clinical reviewer must check" in client.get(PUBLISH).content.decode()
    )
    response = client.post(PUBLISH, {"note": "mine"})

    assert response.status_code == 409
    assert CatalogRelease.objects.count() == 1


def test_a_failing_reference_patient_blocks_publishing(client, catalog):
    # Kymriah's FDA lymphoma rule now wants patients of 70 or more.
    Rule.objects.filter(indication__slug="kymriah-fda-lbcl").update(min_age=70)
    CatalogVersion.bump()
    _signed_in(client, ClinicalReviewerFactory())

    page = client.get(PUBLISH).content.decode()
    response = client.post(PUBLISH, {"note": "age change"})

    assert "1 of " in page and "with the working copy" in page
    assert "expected kymriah, not shown" in page
    assert response.status_code == 409
    assert CatalogRelease.objects.count() == 1


def test_a_note_is_required(client, catalog):
    _retitle()
    _signed_in(client, ClinicalReviewerFactory())
    assert client.post(PUBLISH, {"note": ""}).status_code == 400
    assert CatalogRelease.objects.count() == 1


def test_rolling_back_from_the_list(client, catalog):
    _retitle()
    publish_working_copy()
    _signed_in(client, ClinicalReviewerFactory())
    url = reverse("admin:catalog_republish", args=[1])

    page = client.get(url).content.decode()
    response = client.post(url, {"note": "back to the old title"})

    assert "Paying for CAR T" in page, "what patients would see differently"
    assert response.status_code == 302
    assert CatalogRelease.objects.get(number=3).republishes_id == 1


def test_releases_cannot_be_changed_or_deleted_in_the_admin(client, catalog):
    _signed_in(client, ClinicalReviewerFactory())
    change = reverse("admin:therapies_catalogrelease_change", args=[1])
    delete = reverse("admin:therapies_catalogrelease_delete", args=[1])
    assert client.post(change, {"note": "x"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert CatalogRelease.objects.filter(number=1).exists()


def test_the_preview_shows_the_working_copy_in_the_language_asked(client, catalog):
    _retitle("Paying for CAR T")
    _signed_in(client, CatalogEditorFactory())
    name = catalog.reference_patients[0].name

    english = client.get(PREVIEW, {"patient": name, "language": "en"})
    chinese = client.get(PREVIEW, {"patient": name, "language": "zh-hans"})

    assert english.status_code == 200
    assert "Preview for staff" in english.content.decode()
    assert '<html lang="zh-hans"' in chinese.content.decode()


def test_the_preview_takes_typed_answers_and_explains_bad_ones(client, catalog):
    _signed_in(client, CatalogEditorFactory())
    typed = {"disease": "lbcl", "age": 61, "country": "DE", "prior_lines": 1}

    good = client.get(PREVIEW, {"answers": json.dumps(typed), "language": "en"})
    bad_json = client.get(PREVIEW, {"answers": "{disease", "language": "en"})
    bad_code = client.get(PREVIEW, {"answers": '{"disease": "flu"}', "language": "en"})

    assert good.status_code == 200
    assert bad_json.status_code == 400
    assert "not valid JSON" in bad_json.content.decode()
    assert bad_code.status_code == 400
    assert "disease" in bad_code.content.decode()


@pytest.mark.parametrize("path", [PUBLISH, PREVIEW])
def test_people_who_are_not_staff_are_sent_to_the_admin_sign_in(client, catalog, path):
    assert client.get(path).status_code == 302
    _signed_in(client, CoordinatorFactory())
    response = client.get(path)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
