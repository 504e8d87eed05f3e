"""Every place a rule condition shows up is built from the conditions table."""

from django.core.validators import MaxValueValidator
from django.db import models

from therapies import admin as catalog_admin
from therapies.admin import IndicationRuleInline, RuleAdmin, RuleForm, RuleInline
from therapies.conditions import (
    CODES_TO_CHECK,
    CONDITION_FIELDS,
    CONDITIONS,
    VOCABULARIES,
    Condition,
    Match,
)
from therapies.criteria import Criteria
from therapies.loader import RULE_FIELDS
from therapies.models import CodesValidator, Rule

OWNER_FIELDS = {"id", "indication", "topic", "question", "note"}


def flattened(rows) -> list[str]:
    return [name for row in rows for name in ((row,) if isinstance(row, str) else row)]


def test_the_criteria_fields_are_the_table_s_in_its_order():
    # Then what the rule leaves to check of its conditions' answers.
    assert tuple(Criteria.__dataclass_fields__) == (*CONDITION_FIELDS, "to_check")
    assert CONDITION_FIELDS == tuple(n for c in CONDITIONS for n in c.fields)
    assert "lbcl_subtypes" in CONDITION_FIELDS


def test_the_rule_model_holds_each_condition_with_its_vocabulary_or_range():
    stored = {f.name for f in Rule._meta.concrete_fields} - OWNER_FIELDS
    # Besides the conditions, a rule may say the label sets no limit on one,
    # and which answers it leaves to check.
    assert stored == {*CONDITION_FIELDS, "no_limit_on", "to_check"}
    assert Rule.CONDITION_FIELDS == CONDITION_FIELDS
    for condition in CONDITIONS:
        for name, label in zip(condition.fields, condition.labels, strict=True):
            field = Rule._meta.get_field(name)
            assert field.verbose_name == label
            if condition.takes_codes:
                assert isinstance(field, models.JSONField)
                assert CodesValidator(condition.vocabulary) in field.validators
            elif condition.match is Match.RANGE:
                assert MaxValueValidator(condition.bounds[1]) in field.validators
            else:
                assert isinstance(field, models.BooleanField)


def test_every_range_condition_keeps_its_ends_in_order_in_the_database():
    names = {c.name for c in Rule._meta.constraints}
    for condition in CONDITIONS:
        if condition.match is Match.RANGE:
            assert f"rule_{condition.name}_range_ordered" in names


def test_the_admin_and_the_seed_files_offer_every_condition():
    assert RuleForm.Meta.fields[4:] == [*CONDITION_FIELDS, "no_limit_on", "to_check"]
    # Each rule also shows its one-line summary; an indication's may say the
    # label sets no limit on a condition.
    assert sorted(flattened(RuleInline.fields)) == sorted(
        ["rule_summary", "note", *CONDITION_FIELDS]
    )
    assert sorted(flattened(IndicationRuleInline.fields)) == sorted(
        [
            "rule_summary",
            "note",
            "no_limit_on",
            "to_check",
            *(n for n in CONDITION_FIELDS if n != "diseases"),
        ]
    )
    assert set(flattened(RuleAdmin.fieldsets[1][1]["fields"])) >= set(CONDITION_FIELDS)
    assert RULE_FIELDS == ["note", *CONDITION_FIELDS, "no_limit_on", "to_check"]
    form = RuleForm()
    for condition in CONDITIONS:
        if condition.takes_codes:
            assert list(form.fields[condition.name].choices) == list(condition.choices)


def test_the_admin_offers_to_leave_to_check_every_answer_an_indication_s_rule_reads():
    offered = {
        code
        for _group, codes in RuleForm().fields["to_check"].choices
        for code, _label in codes
    }
    # "not sure" is unknown anyway; the disease is the indication's own.
    assert "unsure" not in offered
    assert offered == CODES_TO_CHECK - set(VOCABULARIES["disease"].values)
    assert {"late_relapse", "other", "no", "relapse_late"} <= offered


def test_a_new_row_in_the_table_appears_in_the_admin_layout(monkeypatch):
    extra = Condition(
        "blood_types",
        "blood_type",
        Match.ANY_OF,
        ("blood types",),
        vocabulary="yes_no_unsure",
        topic="Blood type",
    )
    monkeypatch.setattr(catalog_admin, "CONDITIONS", (*CONDITIONS, extra))
    assert "blood_types" in flattened(catalog_admin.condition_rows())
    assert "blood_types" in flattened(
        catalog_admin.condition_rows(leave_out=("diseases",))
    )
