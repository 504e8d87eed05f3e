import pytest

from intake.answers import answers_from_stored
from intake.models import Submission


def test_an_unknown_or_guessed_token_is_a_404(client, catalog):
    assert client.get("/i/not-a-real-token/disease/").status_code == 404
    assert client.get("/i/" + "A" * 43 + "/disease/").status_code == 404
    assert client.get("/i/" + "A" * 500 + "/disease/").status_code == 404


def test_an_unknown_step_is_a_404(client, make_submission):
    submission = make_submission()
    assert client.get(f"/i/{submission.token}/nonsense/").status_code == 404


def test_the_disease_step_offers_every_contract_code(client, make_submission):
    submission = make_submission()
    html = client.get(f"/i/{submission.token}/disease/").content.decode()
    for code in [
        "b_all",
        "lbcl",
        "fl",
        "mcl",
        "cll",
        "mzl",
        "mm",
        "other_blood",
        "solid",
        "unsure",
    ]:
        assert f'name="disease" value="{code}"' in html


def test_saving_a_step_keeps_the_answer_and_moves_on(client, make_submission):
    submission = make_submission(steps=["safety"])
    response = client.post(f"/i/{submission.token}/disease/", {"disease": "mm"})
    submission.refresh_from_db()
    assert submission.answers["disease"] == "mm"
    assert response.url == f"/i/{submission.token}/about/"


def test_a_bad_value_is_a_field_error_and_the_saved_answers_are_kept(
    client, make_submission
):
    submission = make_submission()
    before = dict(submission.answers)
    response = client.post(
        f"/i/{submission.token}/about/", {"age": "200", "country": "US"}
    )
    assert response.status_code == 400
    assert "less than or equal to 120" in response.content.decode()
    submission.refresh_from_db()
    assert submission.answers == before


def test_the_treatment_list_fits_the_disease(client, make_submission):
    myeloma = make_submission(
        {"disease": "mm", "lenalidomide_refractory": "no", "transplant_eligible": ""}
    )
    html = client.get(f"/i/{myeloma.token}/history/").content.decode()
    assert 'value="anti_cd38"' in html
    assert 'name="lenalidomide_refractory"' in html
    assert 'name="transplant_eligible"' not in html
    lymphoma = make_submission()
    html = client.get(f"/i/{lymphoma.token}/history/").content.decode()
    assert 'value="anti_cd38"' not in html
    assert 'name="lenalidomide_refractory"' not in html
    assert 'name="transplant_eligible"' in html


def test_the_car_t_step_is_skipped_unless_a_car_t_was_given(client, make_submission):
    submission = make_submission(steps=["safety", "disease", "about"])
    response = client.post(
        f"/i/{submission.token}/history/",
        {
            "prior_lines": "2",
            "relapse_status": "refractory",
            "prior_therapies": ["chemoimmunotherapy"],
            "transplant_eligible": "no",
        },
    )
    assert not response.url.endswith("/car-t/")
    assert client.get(f"/i/{submission.token}/car-t/").status_code == 302
    response = client.post(
        f"/i/{submission.token}/history/",
        {
            "prior_lines": "3",
            "relapse_status": "refractory",
            "prior_therapies": ["car_t"],
            "transplant_eligible": "no",
        },
    )
    assert response.url == f"/i/{submission.token}/car-t/"


def test_changing_the_disease_clears_answers_that_no_longer_apply_and_reopens_the_history(
    client, make_submission
):
    submission = make_submission(
        {
            "disease": "mm",
            "prior_lines": 2,
            "prior_therapies": ["pi", "imid"],
            "lenalidomide_refractory": "yes",
            "transplant_eligible": "",
        }
    )
    response = client.post(f"/i/{submission.token}/disease/", {"disease": "fl"})
    submission.refresh_from_db()
    assert answers_from_stored(submission.answers).lenalidomide_refractory == ""
    assert "history" not in submission.completed_steps
    assert response.url == f"/i/{submission.token}/history/"


def test_removing_the_car_t_clears_its_outcome(client, make_submission):
    submission = make_submission(
        {
            "prior_lines": 3,
            "prior_therapies": ["car_t"],
            "prior_car_t": "relapse_early",
            "antigen_loss": "yes",
        }
    )
    client.post(
        f"/i/{submission.token}/history/",
        {
            "prior_lines": "3",
            "relapse_status": "refractory",
            "prior_therapies": ["chemoimmunotherapy"],
            "transplant_eligible": "no",
        },
    )
    submission.refresh_from_db()
    answers = answers_from_stored(submission.answers)
    assert answers.prior_car_t == "none"
    assert answers.antigen_loss == ""


def test_eligibility_questions_use_their_slugs_and_yes_no_unsure(
    client, make_submission, catalog
):
    submission = make_submission()
    html = client.get(f"/i/{submission.token}/eligibility/").content.decode()
    for question in catalog.questions:
        assert f'name="{question.slug}" value="unsure"' in html
    data = {q.slug: "no" for q in catalog.questions}
    client.post(f"/i/{submission.token}/eligibility/", data)
    submission.refresh_from_db()
    assert submission.answers["eligibility"] == data


def test_a_draft_survives_a_new_session(client, make_submission, django_user_model):
    submission = make_submission(steps=["safety", "disease"])
    client.cookies.clear()
    response = client.get(f"/i/{submission.token}/")
    assert response.status_code == 302
    assert response.url == f"/i/{submission.token}/about/"


def test_the_back_link_goes_to_the_previous_step(client, make_submission):
    submission = make_submission()
    html = client.get(f"/i/{submission.token}/about/").content.decode()
    assert f'href="/i/{submission.token}/disease/"' in html


@pytest.mark.parametrize(
    "slug", ["safety", "disease", "about", "history", "eligibility", "practical"]
)
def test_each_step_runs_a_fixed_number_of_queries(
    client, make_submission, django_assert_num_queries, slug
):
    submission = make_submission()
    client.get(f"/i/{submission.token}/{slug}/")  # warm the catalog cache
    with django_assert_num_queries(2):
        assert client.get(f"/i/{submission.token}/{slug}/").status_code == 200


def test_wrong_method_is_refused(client, make_submission):
    submission = make_submission()
    assert client.delete(f"/i/{submission.token}/disease/").status_code == 405


def test_the_step_page_is_never_cached(client, make_submission):
    submission = make_submission()
    response = client.get(f"/i/{submission.token}/disease/")
    assert "no-store" in response["Cache-Control"]
    assert Submission.objects.count() == 1
