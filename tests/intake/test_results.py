from tests.clients import sent_by_a_person
from tests.releases import publish_working_copy


def test_results_open_with_the_therapies_topics_and_the_not_advice_notice(
    client, make_submission
):
    submission = make_submission(submitted=True)
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    assert "It is not medical advice" in html
    assert "Yescarta" in html and "Breyanzi" in html and "Kymriah" in html
    assert "Why it is on your list" in html
    assert "Topics to raise with your oncologist" in html
    assert "2 weeks" in html
    assert "Call your treatment team now" not in html
    assert "{#" not in html and "{%" not in html, "template syntax shown as text"


def test_urgent_results_open_with_the_call_now_message(client, make_submission):
    submission = make_submission(
        {"recent_infusion": "yes", "symptoms": ["seizure"]}, submitted=True
    )
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    assert html.index("Call your treatment team now") < html.index(
        "CAR T therapies to ask about"
    )


def test_a_near_miss_is_shown_as_not_yet_with_what_is_missing(client, make_submission):
    submission = make_submission(
        {
            "prior_lines": 1,
            "relapse_status": "early_relapse",
            "transplant_eligible": "yes",
        },
        submitted=True,
    )
    html = client.get(f"/i/{submission.token}/results/").content.decode()
    assert "Not yet:" in html
    assert (
        "2 or more prior lines of therapy; you have had 1 prior line of therapy" in html
    )


def test_a_draft_has_no_results_yet(client, make_submission):
    submission = make_submission()
    assert client.get(f"/i/{submission.token}/results/").status_code == 302


def test_the_results_page_runs_a_fixed_number_of_queries(
    client, make_submission, django_assert_num_queries
):
    submission = make_submission(submitted=True)
    client.get(f"/i/{submission.token}/results/")
    with django_assert_num_queries(1):  # the submission, with the catalog version
        assert client.get(f"/i/{submission.token}/results/").status_code == 200


def test_a_catalog_change_shows_on_the_next_results_page(client, make_submission):
    from therapies.models import CatalogVersion, DiscussionTopic

    submission = make_submission(submitted=True)
    url = f"/i/{submission.token}/results/"
    topic = DiscussionTopic.objects.get(slug="cost-and-coverage")
    assert topic.title in client.get(url).content.decode()
    topic.title = "Paying for the treatment and the stay"
    topic.save()
    CatalogVersion.bump()  # what every admin save does
    publish_working_copy()
    assert "Paying for the treatment and the stay" in client.get(url).content.decode()


def test_the_results_page_is_never_cached(client, make_submission):
    submission = make_submission(submitted=True)
    assert "no-store" in client.get(f"/i/{submission.token}/results/")["Cache-Control"]


def test_the_print_view_lists_questions_with_boxes_notes_and_answers(
    client, make_submission
):
    submission = make_submission(submitted=True)
    html = client.get(f"/i/{submission.token}/print/").content.decode()
    assert "Questions for my oncologist" in html
    assert "☐" in html
    assert "Notes" in html
    assert "Large B-cell lymphoma" in html
    assert "Content last reviewed" in html


def test_wrong_method_on_results_is_refused(client, make_submission):
    submission = make_submission(submitted=True)
    assert client.post(f"/i/{submission.token}/results/").status_code == 405
    assert client.post(f"/i/{submission.token}/print/").status_code == 405


def test_a_changed_answer_shows_on_the_results_page_at_once(client, make_submission):
    submission = make_submission(submitted=True)
    url = f"/i/{submission.token}/results/"
    one_line = "you have had 1 prior line of therapy"
    assert one_line not in client.get(url).content.decode()
    response = client.post(
        f"/i/{submission.token}/history/",
        {
            "prior_lines": "1",
            "relapse_status": "early_relapse",
            "prior_therapies": "chemoimmunotherapy",
            "transplant_eligible": "no",
        },
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    # Kymriah's lymphoma label needs 2 or more lines: it moves to "not yet".
    assert one_line in html
    assert html.index("Kymriah") > html.index("Close, with one thing to check")


def test_asking_for_contact_changes_the_results_page_at_once(client, make_submission):
    submission = make_submission(submitted=True)
    url = f"/i/{submission.token}/results/"
    assert "Ask a navigator to contact me" in client.get(url).content.decode()
    client.post(
        f"/i/{submission.token}/contact/",
        sent_by_a_person(
            {
                "name": "A Person",
                "email": "person@example.org",
                "phone": "",
                "preferred_language": "en",
                "preferred_time": "",
                "consent": "on",
            }
        ),
    )
    html = client.get(url).content.decode()
    assert "A navigator will contact you" in html


def test_a_second_view_of_the_same_results_does_not_run_the_engine_again(
    client, make_submission, monkeypatch
):
    from intake import views

    calls = []
    real = views.suggest
    monkeypatch.setattr(views, "suggest", lambda *a: calls.append(1) or real(*a))
    submission = make_submission(submitted=True)
    url = f"/i/{submission.token}/results/"
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert len(calls) == 1
    assert first == second
    client.get(f"/es{url}")  # another language is its own page
    assert len(calls) == 2


def test_two_patients_with_the_same_answers_see_their_own_links(
    client, make_submission
):
    one = make_submission(submitted=True)
    two = make_submission(submitted=True)
    client.get(f"/i/{one.token}/results/")
    html = client.get(f"/i/{two.token}/results/").content.decode()
    assert f"/i/{two.token}/" in html
    assert one.token not in html


def test_the_results_page_reuses_the_catalog_other_pages_built(
    client, make_submission, django_assert_num_queries
):
    """The version read with the submission matches the one other pages read,
    so the catalog is not built again for the results page."""
    from therapies.snapshot import clear_cache, get_catalog

    submission = make_submission(submitted=True)
    clear_cache()
    get_catalog()  # as the intake steps build it, reading the version alone
    with django_assert_num_queries(1):
        assert client.get(f"/i/{submission.token}/results/").status_code == 200
