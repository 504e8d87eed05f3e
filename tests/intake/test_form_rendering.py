"""What the step, contact and sign-in forms tell a screen reader (crispy-forms with
the templates under templates/bootstrap5/)."""

from html.parser import HTMLParser

from tests.clients import sent_by_a_person
from tests.releases import publish_working_copy
from therapies.models import CatalogVersion, EligibilityQuestion


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict] = {}
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.by_id[attrs["id"]] = {"tag": tag, **attrs}


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def test_a_choice_group_with_an_error_is_a_fieldset_described_by_its_help_and_error(
    client, catalog
):
    response = client.post("/start/", {"recent_infusion": "yes"})
    assert response.status_code == 400
    html = response.content.decode()
    page = elements(html)
    group = page.by_id["div_id_symptoms"]
    assert group["tag"] == "fieldset"
    assert group["aria-describedby"] == "id_symptoms_helptext id_symptoms_error"
    assert page.by_id["id_symptoms_helptext"]
    assert "Pick the symptoms you have now" in html.split('id="id_symptoms_error"')[1]
    boxes = [a for tag, a in page.tags if tag == "input" and a["name"] == "symptoms"]
    assert boxes and all(box["aria-invalid"] == "true" for box in boxes)
    assert "<legend><span>Do you have any of these now?</span></legend>" in html


def test_every_radio_and_checkbox_group_has_a_legend(client, make_submission):
    submission = make_submission({"disease": "mm"})
    for step in ("disease", "history", "eligibility", "practical"):
        html = client.get(f"/i/{submission.token}/{step}/").content.decode()
        assert html.count("<fieldset") == html.count("<legend>") > 0
        assert 'type="radio"' in html


def test_a_typed_answer_with_an_error_points_to_its_help_and_its_error(
    client, make_submission
):
    submission = make_submission()
    response = client.post(
        f"/i/{submission.token}/about/", {"age": "200", "country": "US"}
    )
    page = elements(response.content.decode())
    age = page.by_id["id_age"]
    assert age["aria-invalid"] == "true"
    assert age["aria-describedby"] == "id_age_helptext id_age_error"
    assert page.by_id["id_age_error"]
    assert "aria-invalid" not in page.by_id["id_country"]


def test_the_country_list_keeps_the_chosen_country(client, make_submission):
    submission = make_submission({"country": "FR"})
    html = client.get(f"/i/{submission.token}/about/").content.decode()
    assert '<option value="FR" selected>France</option>' in html
    assert html.count(" selected>") == 1


def test_a_staff_kept_question_without_a_translation_is_read_in_english_and_says_so(
    client, make_submission
):
    EligibilityQuestion.objects.filter(slug="insurance").update(help_text_es=None)
    CatalogVersion.bump()
    publish_working_copy()
    submission = make_submission()
    html = client.get(f"/es/i/{submission.token}/eligibility/").content.decode()
    question = next(b for b in html.split("<fieldset") if "id_insurance" in b)
    assert "Solo en inglés" in question.split("</legend>")[0]
    help_text = elements(question).by_id["id_insurance_helptext"]
    assert help_text["lang"] == "en"
    others = [b for b in html.split("<fieldset")[1:] if "id_insurance" not in b]
    assert others and not any("Solo en inglés" in b for b in others)


def test_optional_contact_details_say_so_and_required_ones_have_no_asterisk(
    client, make_submission
):
    submission = make_submission(submitted=True)
    html = client.get(f"/i/{submission.token}/contact/").content.decode()
    phone_label = html.split('for="id_phone"')[1].split("</label>")[0]
    name_label = html.split('for="id_name"')[1].split("</label>")[0]
    assert "(optional)" in phone_label and "(optional)" not in name_label
    assert "asteriskField" not in html


def test_a_contact_request_without_a_way_to_reach_the_patient_is_announced(
    client, make_submission
):
    submission = make_submission(submitted=True)
    response = client.post(
        f"/i/{submission.token}/contact/",
        sent_by_a_person({"name": "Pat", "preferred_language": "en", "consent": "on"}),
    )
    assert response.status_code == 400
    alert = response.content.decode().split('role="alert"')[1].split("</div>")[0]
    assert "Give an email or a phone number" in alert


def test_the_sign_in_form_labels_both_fields(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username"' in html and '<label for="id_password"' in html
    assert 'type="password"' in html
