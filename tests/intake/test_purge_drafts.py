import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from intake.models import Submission


def age(submission, days):
    Submission.objects.filter(pk=submission.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_it_deletes_only_old_drafts(make_submission):
    old_draft = make_submission()
    new_draft = make_submission()
    old_submitted = make_submission(submitted=True)
    age(old_draft, 31)
    age(old_submitted, 400)
    out = io.StringIO()
    call_command("purge_drafts", "--older-than", "30d", stdout=out)
    assert "Deleted 1" in out.getvalue()
    assert set(Submission.objects.values_list("pk", flat=True)) == {
        new_draft.pk,
        old_submitted.pk,
    }


def test_a_dry_run_deletes_nothing(make_submission):
    age(make_submission(), 60)
    out = io.StringIO()
    call_command("purge_drafts", "--dry-run", stdout=out)
    assert "1 abandoned drafts would be deleted" in out.getvalue()
    assert Submission.objects.count() == 1


@pytest.mark.parametrize("bad", ["30", "thirty days", "0d", "-5d"])
def test_a_bad_duration_is_refused(db, bad):
    with pytest.raises(CommandError):
        call_command("purge_drafts", "--older-than", bad, stdout=io.StringIO())
