"""The results page opens with the patient's own short list; the rest is in
sections they open. A just-treated patient gets a page about recovery."""

import re

from django.core import mail

from intake.models import LinkEmail, Submission
from intake.services import LINK_EMAILS_PER_SUBMISSION

RECOVERING = {
    "prior_lines": 3,
    "prior_therapies": ["chemoimmunotherapy", "car_t"],
    "prior_car_t": "too_early",
    "recent_infusion": "yes",
    "symptoms": ["none"],
}


def short_list(html: str) -> str:
    return html[
        html.index('id="shortlist-heading"') : html.index('id="resume-heading"')
    ]


def list_items(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", html, re.S)
    ]


def test_the_short_list_comes_first_with_at_most_eight_questions(
    client, make_submission
):
    submission = make_submission(submitted=True)
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    top = short_list(html)
    questions = list_items(top[top.index("shortlist-questions") :])
    assert 1 <= len(questions) <= 8
    assert len(set(questions)) == len(questions)
    assert "Yescarta" in top  # the therapies to ask about, one line each
    # Everything else is in sections the patient opens.
    assert html.index('id="shortlist-heading"') < html.index("<details")
    assert "<details open" not in html


def test_the_private_link_and_the_deletion_rule_are_near_the_top(
    client, make_submission
):
    submission = make_submission(submitted=True)
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    assert html.index('id="resume-link"') < html.index('id="topics-heading"')
    assert f"/i/{submission.token}/" in html
    assert "deleted after 30 days" in html


def test_a_just_treated_patient_gets_a_page_about_recovery(client, make_submission):
    submission = make_submission(RECOVERING, submitted=True)
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    assert "Your recovery after CAR T" in html
    assert "CAR T therapies to ask about" not in short_list(html)
    # No failure pathway: no second-infusion caution for someone who may be fine.
    assert "does not rule out a second CAR T" not in html


def test_the_print_view_repeats_no_question(client, make_submission):
    submission = make_submission(submitted=True)
    html = client.get(f"/i/{submission.token}/print/").content.decode()
    checklist = html[
        html.index('class="checklist"') : html.index(
            "</ul>", html.index('class="checklist"')
        )
    ]
    items = list_items(checklist)
    assert items
    assert len(set(items)) == len(items)


def test_the_qr_code_is_only_printed_when_asked_for(client, make_submission):
    submission = make_submission(submitted=True)
    plain = client.get(f"/i/{submission.token}/print/").content.decode()
    with_qr = client.get(f"/i/{submission.token}/print/?qr=1").content.decode()
    assert "data:image/svg+xml" not in plain
    assert 'src="data:image/svg+xml' in with_qr


def test_the_link_is_emailed_once_and_the_address_is_not_kept(client, make_submission):
    submission = make_submission()
    response = client.post(
        f"/i/{submission.token}/email-link/", {"email": "someone@example.org"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["someone@example.org"]
    assert f"/i/{submission.token}/" in mail.outbox[0].body
    submission.refresh_from_db()
    assert "someone@example.org" not in str(
        Submission.objects.filter(pk=submission.pk).values().get()
    )


def test_a_bad_address_gets_a_clear_400(client, make_submission):
    submission = make_submission()
    response = client.post(f"/i/{submission.token}/email-link/", {"email": "nope"})
    assert response.status_code == 400
    assert not mail.outbox


def test_one_link_sends_only_a_few_emails(client, make_submission):
    submission = make_submission()
    url = f"/i/{submission.token}/email-link/"
    for _ in range(LINK_EMAILS_PER_SUBMISSION):
        assert client.post(url, {"email": "a@example.org"}).status_code == 302
    response = client.post(url, {"email": "a@example.org"})
    assert response.status_code == 429
    assert len(mail.outbox) == LINK_EMAILS_PER_SUBMISSION
    assert "Copy the link" in response.content.decode()


def test_a_mail_server_failure_does_not_keep_the_patient_waiting(
    client, make_submission, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens: the connection is refused
    submission = make_submission()
    response = client.post(
        f"/i/{submission.token}/email-link/", {"email": "a@example.org"}, follow=True
    )
    assert response.status_code == 200
    assert "We will send your link shortly" in response.content.decode()
    assert not LinkEmail.objects.filter(email="a@example.org").exists()


def test_an_unknown_token_cannot_send_email(client, catalog):
    response = client.post("/i/not-a-token/email-link/", {"email": "a@example.org"})
    assert response.status_code == 404
    assert not mail.outbox


def test_an_unknown_line_count_is_not_told_that_nothing_fits(client, make_submission):
    submission = make_submission(
        {
            "disease": "mm",
            "prior_lines": "unsure",
            "relapse_status": "refractory",
            "prior_therapies": ["pi", "imid"],
            "lenalidomide_refractory": "yes",
            "country": "CN",
        },
        submitted=True,
    )
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    top = short_list(html)
    assert "No approved CAR T therapy has a label" not in html
    assert "We cannot tell yet whether an approved CAR T fits you" in top
    assert "Ask your doctor about these:" in top
    assert "Fucaso" in top


def test_a_recovering_patient_is_not_asked_the_questions_centres_ask(
    client, make_submission
):
    submission = make_submission(RECOVERING)
    html = client.get(f"/i/{submission.token}/eligibility/", follow=True)
    assert html.redirect_chain  # the step does not apply: moved on
    assert "/eligibility/" not in html.redirect_chain[-1][0]


def test_answering_the_infusion_question_after_calling_does_not_repeat_the_warning(
    client, catalog
):
    client.post("/start/", {"symptoms": ["fever", "confusion"]})
    submission = Submission.objects.get()
    response = client.post(f"/i/{submission.token}/urgent/", follow=True)
    assert "One question is left on this page" in response.content.decode()
    response = client.post(
        f"/i/{submission.token}/safety/",
        {"recent_infusion": "yes", "symptoms": ["fever", "confusion"]},
    )
    assert response.url == f"/i/{submission.token}/disease/"
