"""Every place a rule condition shows up is built from the conditions table."""

from django.core.validators import MaxValueValidator
from django.db import models

from therapies import admin as catalog_admin
from therapies.admin import IndicationRuleInline, RuleAdmin, RuleForm, RuleInline
from therapies.conditions import CONDITION_FIELDS, CONDITIONS, Condition, Match
from therapies.criteria import Criteria
from therapies.loader import RULE_FIELDS
from therapies.models import CodesValidator, Rule

OWNER_FIELDS = {"id", "indication", "topic", "question", "note"}


def flattened(rows) -> list[str]:
    return [name for row in rows for name in ((row,) if isinstance(row, str) else row)]


def test_the_criteria_fields_are_the_table_s_in_its_order():
    assert tuple(Criteria.__dataclass_fields__) == CONDITION_FIELDS
    assert CONDITION_FIELDS == tuple(n for c in CONDITIONS for n in c.fields)
    assert "lbcl_subtypes" in CONDITION_FIELDS


def test_the_rule_model_holds_each_condition_with_its_vocabulary_or_range():
    stored = {f.name for f in Rule._meta.concrete_fields} - OWNER_FIELDS
    assert stored == set(CONDITION_FIELDS)
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
    assert RuleForm.Meta.fields[4:] == list(CONDITION_FIELDS)
    assert sorted(flattened(RuleInline.fields)) == sorted(["note", *CONDITION_FIELDS])
    assert sorted(flattened(IndicationRuleInline.fields)) == sorted(
        ["note", *(n for n in CONDITION_FIELDS if n != "diseases")]
    )
    assert RuleAdmin.fieldsets[1][1]["fields"] == RuleInline.fields
    assert RULE_FIELDS == ["note", *CONDITION_FIELDS]
    form = RuleForm()
    for condition in CONDITIONS:
        if condition.takes_codes:
            assert list(form.fields[condition.name].choices) == list(condition.choices)


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
