import dataclasses
import io

import pytest
from django.core.management import CommandError, call_command

from intake.reference import run_reference_patients
from therapies.models import CatalogVersion, Rule
from therapies.snapshot import ReferencePatientInfo, working_catalog

pytestmark = pytest.mark.django_db


def check(*args) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("check_reference_patients", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


def patient(**fields) -> ReferencePatientInfo:
    values = {
        "name": "made up",
        "answers": {"disease": "lbcl", "country": "US"},
        "must_show_therapies": (),
        "must_not_show_therapies": (),
        "must_show_topics": (),
        "must_not_show_topics": (),
        "expect_urgent": None,
        "note": "",
        **fields,
    }
    return ReferencePatientInfo(**values)


def with_patients(catalog, *patients):
    return dataclasses.replace(catalog, reference_patients=patients)


def test_every_seeded_reference_patient_passes(catalog):
    results = run_reference_patients(catalog)
    assert len(results) >= 40
    assert [(r.name, r.differences) for r in results if not r.passed] == []


def test_the_command_passes_on_the_seeded_catalog(catalog):
    output, status = check()
    assert status == 0
    count = len(catalog.reference_patients)
    assert output.splitlines() == [f"reference patients: {count}/{count} passed"]


def test_every_indication_has_a_reference_patient_in_its_country_who_meets_it(
    catalog,
):
    from intake.answers import parse_answers
    from intake.suggestions import suggest

    answers = {
        p.name: suggest(parse_answers(p.answers), catalog).answers
        for p in catalog.reference_patients
    }
    uncovered = []
    for indication in catalog.indications:
        meeting = [
            p.name
            for p in catalog.reference_patients
            if indication.therapy.slug in p.must_show_therapies
            and catalog.country_regulators.get(p.answers.get("country"))
            == indication.regulator
            and any(r.criteria.matches(answers[p.name]) for r in indication.rules)
        ]
        if not meeting:
            uncovered.append(indication.slug)
    assert uncovered == []


def test_raising_an_age_limit_fails_the_patient_it_now_leaves_out(catalog):
    rule = Rule.objects.get(
        indication__slug="kymriah-fda-b-all", note="Refractory"
    )  # up to 25 years
    rule.max_age = 21
    rule.save()
    CatalogVersion.bump()
    output, status = check("--working-copy")
    assert status == 1
    lines = output.splitlines()
    assert "young adult B-ALL, refractory, US: expected kymriah, not shown" in lines
    count = len(catalog.reference_patients)
    assert lines[-1] == f"reference patients: {count - 1}/{count} passed"


def test_a_therapy_shown_that_must_not_be_is_named(catalog):
    rule = Rule.objects.get(indication__slug="carvykti-fda-mm")
    rule.lenalidomide_refractory = []  # dropped by mistake: the label needs it
    rule.save()
    CatalogVersion.bump()
    results = run_reference_patients(working_catalog())
    failed = {r.name: r.differences for r in results if not r.passed}
    assert failed == {
        "adult myeloma, one line, not lenalidomide-refractory, US": (
            "showed carvykti, must not",
        )
    }


def test_topic_and_urgent_differences_are_named(catalog):
    expecting = patient(
        answers={"disease": "lbcl", "country": "US", "symptoms": ["none"]},
        must_show_topics=("solid-tumor-car-t",),
        must_not_show_topics=("cost-and-coverage",),
        expect_urgent=True,
    )
    [result] = run_reference_patients(with_patients(catalog, expecting))
    assert not result.passed
    assert result.differences == (
        "expected topic solid-tumor-car-t, not shown",
        "showed topic cost-and-coverage, must not",
        "urgent expected true, got false",
    )


def test_a_patient_whose_answers_no_longer_parse_fails_naming_the_answer(catalog):
    broken = patient(answers={"disease": "lbcl", "prior_lines": 40})
    [result] = run_reference_patients(with_patients(catalog, broken))
    assert not result.passed
    assert result.differences[0].startswith("answers not valid: prior_lines")


def test_urgent_left_open_is_not_checked(catalog):
    ticked = patient(answers={"disease": "mm", "symptoms": ["fever"]})
    [result] = run_reference_patients(with_patients(catalog, ticked))
    assert result.passed


def test_the_working_copy_option_checks_the_working_copy(catalog, monkeypatch):
    failing = with_patients(catalog, patient(must_show_therapies=("abecma",)))
    monkeypatch.setattr(
        "intake.management.commands.check_reference_patients.get_catalog",
        lambda: failing,
    )
    output, status = check()
    assert status == 1
    assert output.splitlines() == [
        "made up: expected abecma, not shown",
        "reference patients: 0/1 passed",
    ]
    output, status = check("--working-copy")
    assert status == 0
