from intake.models import Submission


def test_the_first_step_asks_the_safety_question_with_contract_codes(client, catalog):
    response = client.get("/start/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="recent_infusion" value="yes"' in html
    assert 'name="symptoms" value="fever"' in html
    assert "Step 1 of" in html
    assert (
        response["Cache-Control"].startswith("max-age=0")
        or "no-store" in response["Cache-Control"]
    )


def test_nothing_is_saved_until_the_patient_answers(client, catalog):
    client.get("/start/")
    assert Submission.objects.count() == 0


def test_answering_creates_a_draft_with_an_unguessable_token(client, catalog):
    response = client.post("/start/", {"recent_infusion": "no"})
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response.url == f"/i/{submission.token}/disease/"
    assert len(submission.token) >= 43  # 256 bits, URL-safe base64
    assert submission.stage == "draft"
    assert submission.answers["recent_infusion"] == "no"


def test_a_missing_answer_is_a_field_error_and_saves_nothing(client, catalog):
    response = client.post("/start/", {})
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    assert Submission.objects.count() == 0


def test_a_recent_infusion_needs_the_symptoms_answered(client, catalog):
    response = client.post("/start/", {"recent_infusion": "yes"})
    assert response.status_code == 400
    assert "None of these" in response.content.decode()


def test_symptoms_after_a_recent_infusion_go_straight_to_the_call_now_page(
    client, catalog
):
    response = client.post(
        "/start/", {"recent_infusion": "yes", "symptoms": ["fever", "confusion"]}
    )
    submission = Submission.objects.get()
    assert response.url == f"/i/{submission.token}/urgent/"
    page = client.get(response.url)
    assert "Call your treatment team now" in page.content.decode()


def test_wrong_method_is_refused(client, catalog):
    assert client.put("/start/").status_code == 405


def test_a_reference_clash_draws_a_new_reference(client, catalog, monkeypatch):
    first = client.post("/start/", {"recent_infusion": "no"})
    taken = Submission.objects.get().reference
    draws = iter([taken, "CT-NEWREF22"])
    field = Submission._meta.get_field("reference")
    monkeypatch.setattr(field, "default", lambda: next(draws))
    field.__dict__.pop("_get_default", None)  # Django caches the default callable
    try:
        client.post("/start/", {"recent_infusion": "no"})
    finally:
        monkeypatch.undo()
        field.__dict__.pop("_get_default", None)
    assert first.status_code == 302
    assert set(Submission.objects.values_list("reference", flat=True)) == {
        taken,
        "CT-NEWREF22",
    }
