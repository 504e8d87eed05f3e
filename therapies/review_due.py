"""What staff should review next, across every kind of catalog record.

A record is due a review `REVIEW_INTERVAL` after its last one; the page lists
what is overdue, what falls due within `DUE_SOON`, sources nobody has checked
yet, and translations older than their English text. A translation is older
when its row's history shows the English text changing after the translation
last did: the history keeps every language's column (therapies/translation.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from . import models as m
from .translation import TRANSLATED_FIELDS

DUE_SOON = datetime.timedelta(days=60)
SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
OTHER_LANGUAGES = [
    code for code in settings.MODELTRANSLATION_LANGUAGES if code != SOURCE_LANGUAGE
]
# Every kind of record with a review date, with what its name reads.
REVIEWED = {
    m.Source: (),
    m.Regulator: (),
    m.Disease: (),
    m.Therapy: (),
    m.Indication: ("therapy", "disease"),
    m.DiscussionTopic: (),
    m.EligibilityQuestion: (),
    m.TreatmentCenter: (),
    m.Price: ("therapy",),
    m.EmergencyNumber: (),
}


@dataclass(frozen=True)
class Due:
    kind: str
    name: str
    url: str
    last_reviewed: datetime.date | None
    due_on: datetime.date | None


@dataclass(frozen=True)
class StaleTranslation:
    kind: str
    name: str
    url: str
    field: str
    language: str
    english_changed: datetime.date
    translated_changed: datetime.date


def _url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _shown(model):
    if any(f.name == "retired_on" for f in model._meta.fields):
        return model.objects.filter(retired_on__isnull=True)
    return model.objects.all()


def due_records(today: datetime.date) -> list[Due]:
    """Records never reviewed or due by `today + DUE_SOON`, oldest first;
    one query per kind of record."""
    found = []
    cutoff = today - m.REVIEW_INTERVAL + DUE_SOON
    for model, related in REVIEWED.items():
        rows = (
            _shown(model)
            .filter(Q(last_reviewed__lte=cutoff) | Q(last_reviewed__isnull=True))
            .select_related(*related)
        )
        found += [
            Due(
                str(model._meta.verbose_name),
                str(row),
                _url(row),
                row.last_reviewed,
                row.last_reviewed + m.REVIEW_INTERVAL if row.last_reviewed else None,
            )
            for row in rows
        ]
    return sorted(found, key=lambda d: (d.due_on or datetime.date.min, d.kind))


def _last_changes(model, fields: tuple[str, ...]) -> dict:
    """{(pk, column): when it last changed} from the rows' history, and
    {(pk, column): its value now}."""
    columns = [
        build_localized_fieldname(name, code)
        for name in fields
        for code in (SOURCE_LANGUAGE, *OTHER_LANGUAGES)
    ]
    changed, now = {}, {}
    records = model.history.order_by("id", "history_date", "history_id").values(
        "id", "history_date", "history_type", *columns
    )
    for record in records:
        for column in columns:
            key = (record["id"], column)
            if key not in now or now[key] != record[column]:
                changed[key] = record["history_date"]
            now[key] = record[column]
        if record["history_type"] == "-":
            for column in columns:
                now.pop((record["id"], column), None)
    return {"changed": changed, "now": now}


def stale_translations() -> list[StaleTranslation]:
    """Translations whose English text changed after they last did; two
    queries per translated kind of record."""
    found = []
    names = dict(settings.LANGUAGES)
    for model, fields in TRANSLATED_FIELDS.items():
        seen = _last_changes(model, fields)
        stale = []
        for name in fields:
            english = build_localized_fieldname(name, SOURCE_LANGUAGE)
            for code in OTHER_LANGUAGES:
                column = build_localized_fieldname(name, code)
                for (pk, col), value in seen["now"].items():
                    if col != column or not value:
                        continue
                    then = seen["changed"][(pk, column)]
                    english_then = seen["changed"][(pk, english)]
                    if english_then > then:
                        stale.append((pk, name, code, english_then, then))
        rows = _shown(model).in_bulk({pk for pk, *_rest in stale})
        found += [
            StaleTranslation(
                str(model._meta.verbose_name),
                str(rows[pk]),
                _url(rows[pk]),
                str(model._meta.get_field(name).verbose_name),
                str(names.get(code, code)),
                english_then.date(),
                then.date(),
            )
            for pk, name, code, english_then, then in stale
            if pk in rows
        ]
    return found


def review_due_view(request):
    """The admin's "Review due" page (wrapped by admin.site.admin_view)."""
    if not request.user.has_module_perms("therapies"):
        raise PermissionDenied
    today = timezone.now().date()
    due = due_records(today)
    context = {
        **admin.site.each_context(request),
        "title": _("Review due"),
        "overdue": [d for d in due if d.due_on is not None and d.due_on < today],
        "due_soon": [d for d in due if d.due_on is not None and d.due_on >= today],
        "never": [d for d in due if d.due_on is None],
        "stale_translations": stale_translations(),
        "due_soon_days": DUE_SOON.days,
    }
    return TemplateResponse(request, "admin/therapies/review_due.html", context)
