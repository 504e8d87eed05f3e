"""seed_demo, create_demo_users and the Coordinators group migration."""

import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command

from intake.answers import parse_answers
from intake.management.commands.create_demo_users import DEMO_USERS
from intake.models import ReviewEvent, Submission
from intake.permissions import can_review
from intake.review.services import TRANSITIONS


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_the_migration_creates_the_coordinators_group_with_the_review_permission(db):
    group = Group.objects.get(name="Coordinators")
    assert [p.codename for p in group.permissions.all()] == ["review_submission"]


def test_create_demo_users_makes_a_coordinator_and_a_staff_editor(db, rf, settings):
    settings.DEBUG = True
    output = run("create_demo_users")
    assert "LOCAL DEVELOPMENT ONLY" in output
    assert "coordinator-demo-only" in output
    User = get_user_model()
    coordinator = User.objects.get(username="coordinator")
    editor = User.objects.get(username="editor")
    assert can_review(coordinator) and not coordinator.is_staff
    assert editor.is_staff and not can_review(editor) and not editor.is_superuser
    assert editor.has_perm("therapies.change_therapy")
    assert editor.has_perm("therapies.add_price")
    assert not editor.has_perm("therapies.delete_therapy")
    request = rf.post("/accounts/login/")
    assert authenticate(
        request, username="coordinator", password="coordinator-demo-only"
    )


def test_create_demo_users_is_idempotent(db, settings):
    settings.DEBUG = True
    run("create_demo_users")
    User = get_user_model()
    User.objects.filter(username="coordinator").update(is_active=False)
    run("create_demo_users")
    assert User.objects.filter(username__in=["coordinator", "editor"]).count() == 2
    assert can_review(User.objects.get(username="coordinator"))


def test_create_demo_users_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        run("create_demo_users")
    assert not get_user_model().objects.filter(username="coordinator").exists()
    run("create_demo_users", "--force")
    assert get_user_model().objects.filter(username="coordinator").exists()


def test_seed_demo_makes_valid_fake_submissions(db, settings):
    settings.DEBUG = True
    run("create_demo_users")
    run("seed_demo", "--submissions", "300")
    submissions = list(Submission.objects.all())
    assert len(submissions) == 300
    for s in submissions:
        answers = parse_answers(s.answers)  # raises if not per the contract
        assert answers.to_json() == s.answers
        assert (s.disease, s.prior_lines, s.relapse_status, s.urgent) == (
            answers.disease,
            answers.prior_lines,
            answers.relapse_status,
            answers.urgent,
        )
        assert s.stage == "submitted"
        if s.contact_requested:
            assert s.contact_name.startswith("Demo Patient ")
            assert s.contact_email.endswith("@example.org")
            assert s.contact_requested_at >= s.submitted_at
            assert s.consent_version
        if s.first_contacted_at:
            assert s.first_contacted_at >= s.contact_requested_at
    queue = Submission.objects.visible_to_coordinators()
    assert 0.7 < queue.count() / 300 < 0.95
    assert {s.review_status for s in queue} == set(Submission.ReviewStatus.values)
    assert len({s.disease for s in submissions}) >= 6
    assert any(s.urgent for s in submissions)


def test_seeded_timelines_follow_the_workflow(db, settings):
    settings.DEBUG = True
    run("create_demo_users")
    run("seed_demo", "--submissions", "200")
    for event in ReviewEvent.objects.filter(kind="status"):
        assert event.to_status in TRANSITIONS[event.from_status]
    for s in Submission.objects.exclude(review_status="new").filter(
        contact_requested=True
    ):
        last = s.events.filter(kind="status").last()
        assert last.to_status == s.review_status
        assert s.revision == 1 + s.events.count()


def test_seed_demo_is_repeatable_and_adds_to_what_is_there(db):
    run("seed_demo", "--submissions", "20")
    first = list(Submission.objects.order_by("id").values_list("disease", "urgent"))
    Submission.objects.all().delete()
    run("seed_demo", "--submissions", "20")
    assert (
        list(Submission.objects.order_by("id").values_list("disease", "urgent"))
        == first
    )
    run("seed_demo", "--submissions", "5")
    assert Submission.objects.count() == 25
    assert Submission.objects.values("reference").distinct().count() == 25


def test_seed_demo_without_coordinators_leaves_everything_new(db):
    Group.objects.get(name="Coordinators").user_set.clear()
    output = run("seed_demo", "--submissions", "30")
    assert "none assigned" in output
    assert set(Submission.objects.values_list("review_status", flat=True)) == {"new"}
    assert ReviewEvent.objects.count() == 0


def test_seed_demo_if_empty_seeds_only_an_empty_database(db):
    run("seed_demo", "--submissions", "5", "--if-empty")
    output = run("seed_demo", "--submissions", "5", "--if-empty")
    assert "nothing seeded" in output
    assert Submission.objects.count() == 5


def test_create_demo_users_prints_a_working_second_factor_code(client, db, settings):
    settings.DEBUG = True
    output = run("create_demo_users")
    assert "NRXWGYLMFVSGK3LPFVXW43DZFV2G65DQ" in output
    assert "otpauth://totp/CAR%20T%20Navigator%3Acoordinator?secret=" in output
    code = re.search(r"code now: (\d{6})", output)[1]
    client.post(
        "/accounts/login/",
        {"username": "coordinator", "password": "coordinator-demo-only"},
    )
    assert client.get("/review/").status_code == 302
    assert client.post("/accounts/second-factor/", {"code": code}).status_code == 302
    assert client.get("/review/").status_code == 200


def test_the_demo_passwords_are_long_enough_for_the_validators(db, settings):
    settings.DEBUG = True
    run("create_demo_users")
    for user in get_user_model().objects.filter(username__in=DEMO_USERS):
        validate_password(DEMO_USERS[user.username]["password"], user)
