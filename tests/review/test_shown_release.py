"""The detail page shows what the patient was shown: the recorded release."""

from django.urls import reverse

from tests.factories import SubmissionFactory
from tests.releases import publish_working_copy
from therapies.models import CatalogVersion, Rule


def _detail(client, submission) -> str:
    response = client.get(reverse("review:detail", args=[submission.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_submit_records_the_release_the_patient_was_shown(make_submission):
    submission = make_submission(submitted=True)
    assert submission.catalog_release_id == 1


def test_a_coordinator_sees_what_release_1_showed_after_release_2_changed_it(
    coordinator_client, catalog
):
    submission = SubmissionFactory(
        catalog_release_id=1, answer_overrides={"lbcl_subtype": "dlbcl"}
    )
    # Release 2 raises Kymriah's age limits above this 58-year-old.
    Rule.objects.filter(indication__slug="kymriah-fda-lbcl").update(min_age=70)
    CatalogVersion.bump()
    publish_working_copy()

    html = _detail(coordinator_client, submission)

    assert "Computed with catalog release 1" in html
    assert "<strong>Kymriah</strong>" in html, "what the patient saw, release 1"
    assert "release 2 shows this patient something else" in html
    assert "No longer shown: Kymriah (FDA)" in html


def test_a_request_from_before_releases_still_opens_with_todays_catalog(
    coordinator_client, catalog
):
    submission = SubmissionFactory(catalog_release_id=None)

    html = _detail(coordinator_client, submission)

    assert "came before catalog releases were recorded" in html
    assert "<strong>Yescarta</strong>" in html


def test_the_same_release_says_nothing_changed(coordinator_client, catalog):
    html = _detail(coordinator_client, SubmissionFactory(catalog_release_id=1))
    assert "Computed with catalog release 1" in html
    assert "something else" not in html
