"""Reverting a catalog record to an earlier version, its linked records and
rules included.

django-simple-history keeps each catalog model's many-to-many fields
(`HistoricalRecords(m2m_fields=...)`, models.py) and every rule's own history.
A version recorded before migration 0008 never kept its linked records, so a
revert to one leaves them as they are now.
"""

from __future__ import annotations

from django.db import transaction

from .models import Rule

# The change reason of the first history record that holds a row's linked
# records (migration 0008 writes it).
LINKS_TRACKED_FROM = "History of linked records starts here"
# The owners of rules, by the rule's foreign key to them.
RULE_OWNERS = ("indication", "topic", "question")


def rule_owner_field(model) -> str | None:
    """The name of Rule's foreign key to `model`, or None when it owns no rules."""
    for name in RULE_OWNERS:
        if Rule._meta.get_field(name).related_model is model:
            return name
    return None


def linked_fields(record) -> tuple[str, ...]:
    """The many-to-many fields a historical record keeps."""
    return tuple(f.name for f in type(record.instance)._meta.many_to_many)


def knows_links(record) -> bool:
    """Whether `record` was kept after its row's linked records were."""
    start = (
        type(record)
        .objects.filter(id=record.id, history_change_reason=LINKS_TRACKED_FROM)
        .values_list("history_date", flat=True)
        .first()
    )
    return start is None or record.history_date >= start


def links_as_of(record) -> dict[str, list]:
    """{field: primary keys} of the linked records `record` kept."""
    if not knows_links(record):
        return {}
    values = {}
    for name in linked_fields(record):
        field = type(record.instance)._meta.get_field(name)
        target = field.m2m_reverse_field_name()
        values[name] = list(
            getattr(record, name).values_list(f"{target}_id", flat=True)
        )
    return values


def rules_as_of(owner, when) -> list[Rule]:
    """The rules `owner` had at `when`, as they were then."""
    name = rule_owner_field(type(owner))
    if name is None:
        return []
    return sorted(
        Rule.history.as_of(when).filter(**{f"{name}_id": owner.pk}),
        key=lambda rule: rule.pk,
    )


@transaction.atomic
def rules_restore(*, owner, when, reason: str) -> None:
    """Put `owner`'s rules back as they were at `when`; every change is kept
    in the rules' history with `reason`."""
    name = rule_owner_field(type(owner))
    if name is None:
        return
    wanted = rules_as_of(owner, when)
    keep = {rule.pk for rule in wanted}
    for rule in Rule.objects.filter(**{name: owner}).exclude(pk__in=keep):
        rule._change_reason = reason
        rule.delete()
    for rule in wanted:
        rule._change_reason = reason
        rule.save()
