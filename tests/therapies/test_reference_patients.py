import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CatalogEditorFactory, sign_in_verified
from therapies.loader import load_catalog
from therapies.models import CatalogVersion, ReferencePatient
from therapies.snapshot import build_catalog

BACKEND = "intake.backends.CoordinatorAwareBackend"
ADD_URL = reverse("admin:therapies_referencepatient_add")
ANSWERS = (
    '{"disease": "mm", "age": 62, "prior_lines": 2, "relapse_status": "refractory",'
    ' "prior_therapies": ["imid", "pi", "anti_cd38"], "country": "US"}'
)


@pytest.fixture
def editor_client(client, catalog):
    sign_in_verified(client, CatalogEditorFactory(), backend=BACKEND)
    return client


def _form(**changes) -> dict:
    data = {
        "name": "adult myeloma, made up for this test",
        "answers": ANSWERS,
        "must_show_therapies": ["abecma"],
        "must_not_show_topics": ["solid-tumor-car-t"],
        "expect_urgent": "false",
        "note": "FDA Abecma after two lines.",
        "last_reviewed": "2026-12-05",
        "change_reason": "A patient for the new label",
    }
    data.update(changes)
    return data


def test_an_editor_adds_a_reference_patient_by_ticking_therapies_and_topics(
    editor_client,
):
    before = CatalogVersion.current()[0]
    response = editor_client.post(ADD_URL, _form())
    assert response.status_code == 302
    patient = ReferencePatient.objects.get(name="adult myeloma, made up for this test")
    assert patient.answers["disease"] == "mm"
    assert patient.must_show_therapies == ["abecma"]
    assert patient.must_not_show_topics == ["solid-tumor-car-t"]
    assert patient.expect_urgent is False
    assert patient.history.count() == 1
    assert CatalogVersion.current()[0] > before


def test_the_form_offers_the_catalog_therapies_and_topics_as_checkboxes(
    editor_client,
):
    html = editor_client.get(ADD_URL).content.decode()
    assert 'type="checkbox" name="must_show_therapies" value="yescarta"' in html
    assert 'type="checkbox" name="must_not_show_topics" value="urgent-symptoms"' in html


def test_a_therapy_slug_outside_the_catalog_is_refused(editor_client):
    response = editor_client.post(
        ADD_URL, _form(must_show_therapies=["abecma", "notacel"])
    )
    assert response.status_code == 200
    assert "notacel" in response.content.decode()
    assert not ReferencePatient.objects.filter(name__startswith="adult myeloma, made")


def test_answers_that_are_not_json_are_refused_with_an_example(editor_client):
    response = editor_client.post(ADD_URL, _form(answers="{disease: mm}"))
    assert response.status_code == 200
    assert "This is not valid JSON" in response.content.decode()


def test_answers_with_an_unknown_code_are_refused_naming_it(editor_client):
    response = editor_client.post(
        ADD_URL, _form(answers='{"disease": "myeloma", "country": "US"}')
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "These answers are not valid" in html
    assert "disease" in html and "myeloma" in html


def test_answers_that_are_a_list_are_refused(editor_client):
    response = editor_client.post(ADD_URL, _form(answers='["mm"]'))
    assert response.status_code == 200
    assert "Write the answers as a JSON object" in response.content.decode()


def test_unknown_slugs_are_refused_by_the_model_naming_them(catalog):
    patient = ReferencePatient(
        name="made up",
        answers={"disease": "lbcl", "country": "US"},
        must_show_therapies=["yescarta", "notacel"],
        must_not_show_topics=["no-such-topic"],
        last_reviewed="2026-12-05",
    )
    with pytest.raises(ValidationError) as exc:
        patient.full_clean()
    errors = exc.value.message_dict
    assert errors["must_show_therapies"] == ["No therapy has the slug notacel."]
    assert errors["must_not_show_topics"] == ["No topic has the slug no-such-topic."]


def test_a_therapy_both_expected_and_forbidden_is_refused(catalog):
    patient = ReferencePatient(
        name="made up",
        answers={"disease": "lbcl", "country": "US"},
        must_show_therapies=["yescarta"],
        must_not_show_therapies=["yescarta"],
        last_reviewed="2026-12-05",
    )
    with pytest.raises(ValidationError) as exc:
        patient.full_clean()
    assert "yescarta" in exc.value.message_dict["must_not_show_therapies"][0]


def test_the_list_shows_each_patients_disease_country_and_expectations(
    editor_client,
):
    url = reverse("admin:therapies_referencepatient_changelist")
    html = editor_client.get(url, {"q": "child B-ALL, second relapse, US"})
    html = html.content.decode()
    assert "child B-ALL, second relapse, US" in html
    assert "b_all" in html and ">US<" in html
    assert "kymriah" in html and "tecartus, aucatzyl" in html


def test_the_snapshot_carries_the_reference_patients_as_plain_values(catalog):
    patient = next(
        p
        for p in catalog.reference_patients
        if p.name == "adult B-ALL in remission, US"
    )
    assert patient.answers["relapse_status"] == "remission"
    assert patient.must_not_show_therapies == ("kymriah", "tecartus", "aucatzyl")
    assert patient.expect_urgent is False
    assert len(catalog.reference_patients) == ReferencePatient.objects.count() >= 40


def test_more_reference_patients_cost_no_more_queries_to_snapshot(catalog):
    with CaptureQueriesContext(connection) as before:
        build_catalog((0, None))
    for n in range(20):
        ReferencePatient.objects.create(
            name=f"extra {n}", answers={"disease": "lbcl"}, last_reviewed="2026-12-05"
        )
    with CaptureQueriesContext(connection) as after:
        build_catalog((0, None))
    assert len(after) == len(before)


def test_loading_keeps_a_staff_edit_to_a_reference_patient_unless_forced(catalog):
    patient = ReferencePatient.objects.get(name="adult DLBCL, third line, Canada")
    patient.must_show_therapies = ["yescarta"]
    patient.save()
    report = load_catalog()
    assert "reference_patient adult DLBCL, third line, Canada" in (
        report.kept_staff_edits
    )
    patient.refresh_from_db()
    assert patient.must_show_therapies == ["yescarta"]
    load_catalog(force=True)
    patient.refresh_from_db()
    assert patient.must_show_therapies == ["kymriah", "yescarta", "breyanzi"]
