from intake.models import Submission
from tests.releases import publish_working_copy


def test_the_review_lists_every_answer_with_a_change_link(client, make_submission):
    submission = make_submission()
    html = client.get(f"/i/{submission.token}/review/").content.decode()
    assert "Large B-cell lymphoma" in html
    assert f'href="/i/{submission.token}/history/"' in html


def test_the_review_sends_an_unfinished_draft_to_its_next_question(
    client, make_submission
):
    submission = make_submission(steps=["safety", "disease"])
    response = client.get(f"/i/{submission.token}/review/")
    assert response.url == f"/i/{submission.token}/about/"


def test_submitting_flags_the_submission_and_opens_the_results(client, make_submission):
    submission = make_submission()
    response = client.post(f"/i/{submission.token}/review/")
    submission.refresh_from_db()
    assert response.url == f"/i/{submission.token}/results/"
    assert submission.stage == "submitted"
    assert submission.disease == "lbcl"
    assert submission.prior_lines == 2
    assert submission.relapse_status == "refractory"


def test_a_double_clicked_submit_creates_one_submission(client, make_submission):
    submission = make_submission()
    client.post(f"/i/{submission.token}/review/")
    first = Submission.objects.get().submitted_at
    client.post(f"/i/{submission.token}/review/")
    assert Submission.objects.count() == 1
    assert Submission.objects.get().submitted_at == first


def test_an_urgent_draft_is_flagged_urgent_when_submitted(client, make_submission):
    submission = make_submission({"recent_infusion": "yes", "symptoms": ["breathing"]})
    submission.completed_steps.append("urgent-seen")
    submission.save()
    client.post(f"/i/{submission.token}/review/")
    submission.refresh_from_db()
    assert submission.urgent


def test_the_review_hides_answers_to_questions_that_no_longer_apply(
    client, make_submission, catalog
):
    from therapies.models import CatalogVersion, Disease, EligibilityQuestion

    question = EligibilityQuestion.objects.get(slug="insurance")
    question.diseases.set([Disease.objects.get(code="mm")])
    CatalogVersion.bump()
    publish_working_copy()
    submission = make_submission({"eligibility": {"insurance": "no"}})
    html = client.get(f"/i/{submission.token}/review/").content.decode()
    assert question.text not in html
