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
    with django_assert_num_queries(2):
        assert client.get(f"/i/{submission.token}/results/").status_code == 200


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
