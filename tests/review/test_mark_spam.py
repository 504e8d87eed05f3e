"""Coordinators mark a fake request as spam: it leaves the queue, is counted in
the metrics, and can be taken back to review."""

from intake.models import AuditEvent, ReviewEvent
from tests.factories import URGENT_ANSWERS, SubmissionFactory
from tests.review.conftest import login_redirect


def url(submission) -> str:
    return f"/review/{submission.reference}/spam/"


def test_it_sends_anonymous_users_to_the_login_page(client, submission):
    response = client.post(url(submission), {"revision": submission.revision})
    assert response.url == login_redirect(url(submission))
    submission.refresh_from_db()
    assert submission.review_status == "new"


def test_it_refuses_staff_who_are_not_coordinators(staff_client, submission):
    response = staff_client.post(url(submission), {"revision": submission.revision})
    assert response.status_code == 403


def test_it_refuses_get(coordinator_client, submission):
    assert coordinator_client.get(url(submission)).status_code == 405


def test_a_spam_request_leaves_the_queue(coordinator_client, coordinator):
    spam = SubmissionFactory(answer_overrides=URGENT_ANSWERS)
    real = SubmissionFactory()
    response = coordinator_client.post(url(spam), {"revision": spam.revision})
    assert response.url == "/review/"
    spam.refresh_from_db()
    assert spam.review_status == "spam"
    notice = coordinator_client.get("/review/").content.decode()
    assert "was marked as spam and left the queue" in notice
    page = coordinator_client.get("/review/").content.decode()
    assert spam.reference not in page
    assert real.reference in page
    assert (
        spam.reference
        in coordinator_client.get("/review/?status=spam").content.decode()
    )
    event = ReviewEvent.objects.get()
    assert (event.to_status, event.author) == ("spam", coordinator)
    assert AuditEvent.objects.filter(action="change", reference=spam.reference).exists()


def test_the_detail_page_has_the_spam_button(coordinator_client, submission):
    page = coordinator_client.get(f"/review/{submission.reference}/").content.decode()
    assert f'action="{url(submission)}"' in page


def test_a_stale_page_cannot_mark_it(coordinator_client, submission):
    response = coordinator_client.post(
        url(submission), {"revision": submission.revision + 5}
    )
    assert response.status_code == 409
    submission.refresh_from_db()
    assert submission.review_status == "new"


def test_spam_marked_by_mistake_goes_back_to_review(coordinator_client, submission):
    coordinator_client.post(url(submission), {"revision": submission.revision})
    submission.refresh_from_db()
    coordinator_client.post(
        f"/review/{submission.reference}/status/",
        {"revision": submission.revision, "to_status": "in_review"},
    )
    submission.refresh_from_db()
    assert submission.review_status == "in_review"


def test_the_metrics_count_spam(coordinator_client):
    SubmissionFactory(review_status="spam")
    SubmissionFactory()
    page = coordinator_client.get("/review/metrics/").content.decode()
    assert "1 marked as spam" in page


def test_a_request_marked_as_spam_is_no_longer_counted_as_open(
    coordinator_client, django_capture_on_commit_callbacks
):
    spam = SubmissionFactory()
    SubmissionFactory.create_batch(2)
    assert coordinator_client.get("/review/").context["open_count"] == "3"
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url(spam), {"revision": spam.revision})
    response = coordinator_client.get("/review/")
    assert response.context["open_count"] == "2"
    counts = {code: n for code, _label, n in response.context["status_counts"]}
    assert (counts["new"], counts["spam"]) == ("2", "1")


def test_spam_is_neither_in_the_open_backlog_nor_in_anyones_load(
    coordinator_client, coordinator
):
    SubmissionFactory(assignee=coordinator)
    SubmissionFactory.create_batch(2, assignee=coordinator, review_status="spam")
    response = coordinator_client.get("/review/metrics/")
    assert sum(n for _band, n in response.context["backlog"]) == 1
    assert response.context["per_coordinator"] == [("Nora Navigator", 1)]
    assert "2 marked as spam" in response.content.decode()
