"""Statements compiled once read what the ORM would read, fresh each time."""

import pytest

from intake.models import Submission
from navigator.statements import Statement
from tests.factories import URGENT_ANSWERS, SubmissionFactory


def _queue_values(alias, disease):
    return (
        Submission.objects.using(alias)
        .filter(disease=disease)
        .order_by("id")
        .values_list("reference", "urgent", "contact_requested_at", "prior_lines")
    )


def _one_submission(alias, reference):
    submissions = Submission.objects.using(alias).only("reference", "disease")
    return submissions.filter(reference=reference)


def test_rows_are_the_values_the_orm_reads_with_their_python_types(db):
    SubmissionFactory(answer_overrides=URGENT_ANSWERS)
    SubmissionFactory()
    SubmissionFactory(answer_overrides={"disease": "mm", "transplant_eligible": ""})
    statement = Statement(_queue_values, disease="stand-in-disease")
    for disease in ("lbcl", "mm", "fl"):
        rows = statement.rows("default", disease=disease)
        assert rows == list(_queue_values("default", disease))
    urgent, not_urgent = statement.rows("default", disease="lbcl")
    assert (urgent[1], not_urgent[1]) == (True, False)
    assert urgent[2].tzinfo is not None


def test_first_gives_the_instance_with_only_what_was_asked_or_none(db):
    submission = SubmissionFactory()
    statement = Statement(_one_submission, reference="STAND-IN")
    found = statement.first("default", reference=submission.reference)
    assert (found.pk, found.reference, found.disease) == (
        submission.pk,
        submission.reference,
        "lbcl",
    )
    assert found.get_deferred_fields() >= {"answers", "contact_email"}
    assert statement.first("default", reference="NO-SUCH") is None
    # Read fresh: a change made after the first run shows on the next.
    Submission.objects.filter(pk=submission.pk).update(disease="mm")
    assert statement.first("default", reference=submission.reference).disease == "mm"


def test_a_stand_in_that_another_parameter_shares_is_refused(db):
    statement = Statement(
        lambda alias, disease: Submission.objects.using(alias).filter(
            disease=disease, relapse_status="lbcl"
        ),
        disease="lbcl",
    )
    with pytest.raises(ValueError, match="stand-in for disease"):
        statement.first("default", disease="mm")


def test_a_run_without_every_value_is_refused(db):
    statement = Statement(_one_submission, reference="STAND-IN")
    with pytest.raises(TypeError):
        statement.first("default")
