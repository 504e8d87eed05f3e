"""Each catalog row gets one history record holding its linked records
(sources, products, diseases) as they are now: history kept them from here on."""

from django.db import migrations
from django.utils import timezone

# The reason the first history record that knows a row's linked records gives.
# Older records never kept them, so a revert to one leaves them as they are.
LINKS_TRACKED_FROM = "History of linked records starts here"
LINKED = {
    "Disease": ["sources"],
    "Regulator": ["sources"],
    "Therapy": ["sources"],
    "Indication": ["sources"],
    "DiscussionTopic": ["sources"],
    "EligibilityQuestion": ["sources", "diseases"],
    "TreatmentCenter": ["sources", "therapies"],
    "Price": ["sources"],
    "EmergencyNumber": ["sources"],
}


def record_linked_records(apps, schema_editor):
    """One history record per row holding its sources (and products, diseases)
    as they are now, where the history of linked records starts."""
    now = timezone.now()
    for name, fields in LINKED.items():
        model = apps.get_model("therapies", name)
        history = apps.get_model("therapies", f"Historical{name}")
        copied = [
            f.attname for f in history._meta.fields if not f.name.startswith("history_")
        ]
        for row in model.objects.all():
            latest = history.objects.filter(id=row.pk).order_by("-history_date").first()
            if latest is None:
                continue
            record = history.objects.create(
                **{a: getattr(latest, a) for a in copied},
                history_date=now,
                history_type="~",
                history_change_reason=LINKS_TRACKED_FROM,
            )
            for field in fields:
                through = model._meta.get_field(field).remote_field.through
                links = apps.get_model("therapies", f"Historical{name}_{field}")
                links.objects.bulk_create(
                    links(history=record, **{f.attname: getattr(t, f.attname) for f in through._meta.fields})
                    for t in through.objects.filter(**{name.lower(): row})
                )


class Migration(migrations.Migration):
    dependencies = [("therapies", "0010_editor_safeguards")]

    operations = [
        migrations.RunPython(record_linked_records, migrations.RunPython.noop),
    ]
