"""A private link stops working after RESUME_LINK_IDLE_DAYS without a change."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from intake import services
from intake.models import Submission


def idle(submission, days):
    Submission.objects.filter(pk=submission.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=days)
    )


@pytest.mark.parametrize("page", ["", "results/", "print/", "contact/", "delete/"])
def test_an_idle_link_gets_a_clear_410_page(client, make_submission, settings, page):
    settings.RESUME_LINK_IDLE_DAYS = 90
    submission = make_submission(submitted=True)
    idle(submission, 91)
    response = client.get(f"/i/{submission.token}/{page}")
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()


def test_a_link_used_lately_still_works(client, make_submission, settings):
    settings.RESUME_LINK_IDLE_DAYS = 90
    submission = make_submission(submitted=True)
    idle(submission, 89)
    assert client.get(f"/i/{submission.token}/results/").status_code == 200


def test_saving_a_step_counts_as_activity(client, make_submission, settings):
    settings.RESUME_LINK_IDLE_DAYS = 90
    submission = make_submission()
    idle(submission, 80)
    services.draft_save_step(
        submission=submission, step="practical", values={}, language="en"
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=20)):
        assert client.get(f"/i/{submission.token}/").status_code == 302
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91)):
        assert client.get(f"/i/{submission.token}/").status_code == 410
