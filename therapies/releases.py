"""Publishing the catalog: numbered, immutable releases reviewed by a second person.

Staff edit the working copy in the admin; `release_publish` copies the whole
working copy (every language) into a new `CatalogRelease`, which patients see
from their next request. By default nobody publishes a release holding their
own edits (`CATALOG_ALLOW_PUBLISHING_OWN_EDITS` lets a one-person deployment
do it, and the release then says so). Rolling back is publishing an earlier
release's catalog again, as a new release.

What changed since the last release is read from the snapshots themselves
(`catalog_changes`), record by record and field by field; who changed it is
read from django-simple-history.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import models as m
from .snapshot import SOURCE_LANGUAGE, build_catalog, release_data
from .snapshot_json import to_json

# Every model of the working copy; its history says who edited it when.
CATALOG_MODELS = (
    m.Source,
    m.Disease,
    m.Regulator,
    m.Therapy,
    m.Indication,
    m.DiscussionTopic,
    m.EligibilityQuestion,
    m.Rule,
    m.TreatmentCenter,
    m.Price,
    m.TrialResult,
    m.CostNote,
    m.EmergencyNumber,
    m.ReferencePatient,
)

# How the records of each collection of a snapshot are told apart; the
# default is the first of "slug", "code", "name" a record has.
RECORD_KEYS = {"prices": ("therapy_name", "country", "label")}
NAMED_BY = ("slug", "code", "name")


class PublishRefused(Exception):
    """Publishing is not allowed; the message says why, in plain words."""


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class RecordChange:
    collection: str
    key: str
    kind: str  # "added", "changed" or "removed"
    fields: tuple[FieldChange, ...] = ()


def latest_release() -> m.CatalogRelease | None:
    return m.CatalogRelease.objects.with_publisher().order_by("-number").first()


def catalog_editors_since(when: datetime.datetime | None) -> set[int]:
    """Ids of the users whose edits of the working copy came after `when`."""
    editors = set()
    for model in CATALOG_MODELS:
        edits = model.history.filter(history_user__isnull=False)
        if when is not None:
            edits = edits.filter(history_date__gt=when)
        editors.update(edits.values_list("history_user", flat=True).distinct())
    return editors


def editor_names(ids: set[int]) -> list[str]:
    users = get_user_model().objects.filter(pk__in=ids).order_by("username")
    return [user.get_full_name() or user.get_username() for user in users]


def working_copy_json(language: str = SOURCE_LANGUAGE) -> dict:
    """The working copy as a release would store it, in one language."""
    return to_json(build_catalog(m.CatalogVersion.current(), language))


def pending_changes(release: m.CatalogRelease | None) -> list[RecordChange]:
    """What the working copy changes in `release` (everything when None)."""
    before = release.data.get(SOURCE_LANGUAGE, {}) if release else {}
    return catalog_changes(before, working_copy_json())


def may_publish_own_edits() -> bool:
    return settings.CATALOG_ALLOW_PUBLISHING_OWN_EDITS


@transaction.atomic
def release_publish(*, by, note: str, seed: bool = False) -> m.CatalogRelease:
    """Publish the working copy as the next release.

    `by` is the reviewer (None for `load_catalog`'s seed with `seed=True`).
    Refused when nothing changed, when `by` may not publish, or when `by`
    edited the working copy since the last release (unless allowed).
    """
    last = latest_release()
    own = False
    if not seed:
        _check_reviewer(by)
        if last is not None and not pending_changes(last):
            raise PublishRefused(
                _("Nothing has changed since release %(number)s.")
                % {"number": last.number}
            )
        own = by.pk in catalog_editors_since(last.published_at if last else None)
        if own and not may_publish_own_edits():
            raise PublishRefused(
                _(
                    "You edited this release yourself: another clinical reviewer "
                    "must check and publish it."
                )
            )
    return _create(
        number=(last.number + 1) if last else 1,
        by=by,
        note=note,
        own=own,
        data=release_data(),
    )


@transaction.atomic
def release_republish(*, release: m.CatalogRelease, by, note: str) -> m.CatalogRelease:
    """Roll back: publish `release`'s catalog again, as the next release."""
    _check_reviewer(by)
    last = latest_release()
    if last is not None and last.data == release.data:
        raise PublishRefused(
            _("Release %(number)s already shows this catalog.")
            % {"number": last.number}
        )
    return _create(
        number=last.number + 1,
        by=by,
        note=note,
        own=False,
        data=release.data,
        republishes=release,
    )


def _check_reviewer(user) -> None:
    if user is None or not user.has_perm("therapies.publish_catalogrelease"):
        raise PublishRefused(_("Only a clinical reviewer can publish a release."))


def _create(*, number, by, note, own, data, republishes=None) -> m.CatalogRelease:
    try:
        with transaction.atomic():
            return m.CatalogRelease.objects.create(
                number=number,
                published_by=by,
                note=note,
                published_own_edits=own,
                data=data,
                republishes=republishes,
            )
    except IntegrityError as exc:
        raise PublishRefused(
            _(
                "Someone else published release %(number)s a moment ago: "
                "reload the page to see what it holds."
            )
            % {"number": number}
        ) from exc


def catalog_changes(before: dict, after: dict) -> list[RecordChange]:
    """Records added, changed or removed between two stored snapshots."""
    changes = []
    for collection in sorted(set(before) | set(after)):
        old, new = before.get(collection), after.get(collection)
        if not isinstance(old or new, dict | list) or old == new:
            continue
        changes.extend(_collection_changes(collection, old or [], new or []))
    return changes


def _records(collection: str, value) -> dict:
    if isinstance(value, dict):
        return value
    if value and isinstance(value[0], list):  # a dict stored as [key, value] pairs
        return dict(value)
    names = RECORD_KEYS.get(collection)
    records = {}
    for record in value:
        fields = names or [next(n for n in NAMED_BY if n in record)]
        records[" · ".join(_plain(record.get(f)) for f in fields)] = record
    return records


def _collection_changes(collection, old, new) -> list[RecordChange]:
    old, new = _records(collection, old), _records(collection, new)
    changes = []
    for key in sorted(set(old) | set(new)):
        if key not in new:
            changes.append(RecordChange(collection, key, "removed"))
        elif key not in old:
            changes.append(RecordChange(collection, key, "added"))
        elif old[key] != new[key]:
            fields = _field_changes(_as_record(old[key]), _as_record(new[key]))
            if fields:
                changes.append(RecordChange(collection, key, "changed", fields))
    return changes


def _as_record(value) -> dict:
    """A record's fields; a plain value (a country's regulator) is one field."""
    return value if isinstance(value, dict) else {"value": value}


def _field_changes(old: dict, new: dict) -> tuple[FieldChange, ...]:
    changed = []
    for name in sorted(set(old) | set(new)):
        before, after = _shown(old.get(name)), _shown(new.get(name))
        if before != after:
            changed.append(FieldChange(name, before, after))
    return tuple(changed)


def _shown(value):
    # A nested record (an indication's therapy) is named, not compared again.
    if isinstance(value, dict) and "slug" in value:
        return value["slug"]
    return _plain(value)


def _plain(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], bool):
        return str(value[0])  # a translated text: [text, english_only]
    if isinstance(value, dict):
        # Sorted: PostgreSQL's jsonb keeps an object's keys in an order of its own.
        return ", ".join(
            f"{k}={_plain(v)}"
            for k, v in sorted(value.items())
            if v not in (None, [], "")
        )
    if isinstance(value, list):
        return "; ".join(_plain(item) for item in value)
    return str(value)
