"""Load the seeded catalog from the versioned TOML files in `catalog/`.

Idempotent: a row is created when missing and updated when its seed changed,
but only while it still holds the seed it was last loaded from. Each row keeps
the hash of that seed (`seed_hash`); when the row's present content hashes to
something else, staff edited it, and it is left alone unless `force` is given.

Translated fields (therapies/translation.py) are written per language: `title`
in a seed file is the English text, `title_es` and `title_zh_hans` its
translations, each stored in its own column whatever language is active.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django_countries.fields import (
    Country,
    CountryField,
    MultipleCountriesDescriptor,
)
from modeltranslation.utils import build_localized_fieldname

from . import models as m
from .conditions import CONDITIONS
from .releases import release_publish
from .translation import TRANSLATED_FIELDS

SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
OTHER_LANGUAGES = tuple(
    code for code in settings.MODELTRANSLATION_LANGUAGES if code != SOURCE_LANGUAGE
)

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"

RULE_FIELDS = ["note", *m.Rule.CONDITION_FIELDS, "no_limit_on", "to_check"]
# Rule keys added after rows were first seeded, oldest first: conditions
# (conditions.py), the conditions a rule says the label sets no limit on, and
# the answers it leaves to check.
RULE_FIELDS_ADDED = (
    *(name for c in CONDITIONS if c.added for name in c.fields),
    "no_limit_on",
    "to_check",
)
# What the history of a row the loader writes says about the change.
CHANGE_REASON = "load_catalog"


@dataclass(frozen=True)
class Kind:
    name: str  # the TOML array name, e.g. "topic" for [[topic]]
    model: type[models.Model]
    key: tuple[str, ...]
    fields: tuple[str, ...]
    fks: dict[str, tuple[type[models.Model], str]] = field(default_factory=dict)
    m2m: dict[str, tuple[type[models.Model], str]] = field(default_factory=dict)
    rules_fk: str | None = None
    # Fields added after rows were first seeded: a row hashed before they
    # existed still holds its seed while they keep their default.
    added: tuple[str, ...] = ()
    # Translated fields whose translations came after rows were first seeded:
    # a row hashed before then holds its seed while they are still empty.
    translated_later: tuple[str, ...] = ()

    @property
    def translated(self) -> tuple[str, ...]:
        return TRANSLATED_FIELDS.get(self.model, ())

    @property
    def translations(self) -> tuple[str, ...]:
        """The seed keys of the translations: title_es, title_zh_hans, …"""
        return tuple(
            build_localized_fieldname(name, code)
            for name in self.translated
            for code in OTHER_LANGUAGES
        )

    @property
    def translations_added(self) -> tuple[str, ...]:
        """The seed keys of `translated_later`: brand_name_es, …"""
        return tuple(
            build_localized_fieldname(name, code)
            for name in self.translated_later
            for code in OTHER_LANGUAGES
        )


KINDS = [
    Kind("source", m.Source, ("key",), ("title", "publisher", "url", "published")),
    Kind(
        "regulator",
        m.Regulator,
        ("code",),
        (
            "name",
            "countries",
            "approvals_checked",
            "coverage",
            "order",
            "last_reviewed",
        ),
        m2m={"sources": (m.Source, "key")},
    ),
    Kind(
        "disease",
        m.Disease,
        ("code",),
        ("name", "description", "order", "last_reviewed"),
        m2m={"sources": (m.Source, "key")},
    ),
    Kind(
        "therapy",
        m.Therapy,
        ("slug",),
        (
            "brand_name",
            "generic_name",
            "short_name",
            "maker",
            "target",
            "summary",
            "how_given",
            "key_results",
            "side_effects",
            "order",
            "last_reviewed",
        ),
        m2m={"sources": (m.Source, "key")},
        translated_later=("brand_name", "generic_name"),
    ),
    Kind(
        "topic",
        m.DiscussionTopic,
        ("slug",),
        (
            "title",
            "body",
            "question",
            "priority",
            "when_no_therapy_fits",
            "last_reviewed",
        ),
        m2m={"sources": (m.Source, "key")},
        rules_fk="topic",
        added=("when_no_therapy_fits",),
    ),
    Kind(
        "question",
        m.EligibilityQuestion,
        ("slug",),
        ("text", "help_text", "order", "last_reviewed"),
        fks={
            "topic_if_yes": (m.DiscussionTopic, "slug"),
            "topic_if_no": (m.DiscussionTopic, "slug"),
            "topic_if_unsure": (m.DiscussionTopic, "slug"),
        },
        m2m={"sources": (m.Source, "key"), "diseases": (m.Disease, "code")},
        rules_fk="question",
    ),
    Kind(
        "indication",
        m.Indication,
        ("slug",),
        (
            "label",
            "approved_on",
            "approval_note",
            "approval_kind",
            "wording_confirmed",
            "last_reviewed",
        ),
        fks={
            "therapy": (m.Therapy, "slug"),
            "disease": (m.Disease, "code"),
            "regulator": (m.Regulator, "code"),
        },
        m2m={"sources": (m.Source, "key")},
        rules_fk="indication",
        added=("wording_confirmed",),
    ),
    Kind(
        "center",
        m.TreatmentCenter,
        ("slug",),
        (
            "name",
            "city",
            "country",
            "products_verified",
            "accepts_international",
            "trials",
            "contact",
            "website",
            "last_reviewed",
        ),
        m2m={"sources": (m.Source, "key"), "therapies": (m.Therapy, "slug")},
    ),
    Kind(
        "price",
        m.Price,
        ("therapy", "country", "label"),
        (
            "kind",
            "estimated_by",
            "low_usd",
            "high_usd",
            "currency",
            "low_local",
            "high_local",
            "as_of",
            "note",
            "last_reviewed",
        ),
        fks={"therapy": (m.Therapy, "slug")},
        m2m={"sources": (m.Source, "key")},
        added=("kind", "estimated_by", "currency", "low_local", "high_local"),
    ),
    Kind(
        "cost_note",
        m.CostNote,
        ("slug",),
        ("countries", "title", "body", "last_reviewed"),
        m2m={"sources": (m.Source, "key")},
    ),
    Kind(
        "emergency_number",
        m.EmergencyNumber,
        ("country",),
        ("number", "second_number", "second_number_use", "last_reviewed"),
        m2m={"sources": (m.Source, "key")},
    ),
    Kind(
        "trial",
        m.TrialResult,
        ("slug",),
        (
            "trial",
            "population",
            "patients",
            "results",
            "severe_crs",
            "crs_grade",
            "severe_neuro",
            "neuro_grade",
            "note",
            "order",
            "last_reviewed",
        ),
        fks={"therapy": (m.Therapy, "slug"), "disease": (m.Disease, "code")},
        m2m={"sources": (m.Source, "key")},
    ),
    # Last: its expectations name the therapies and topics loaded above.
    Kind(
        "reference_patient",
        m.ReferencePatient,
        ("name",),
        (
            "answers",
            "must_show_therapies",
            "must_not_show_therapies",
            "must_show_topics",
            "must_not_show_topics",
            "expect_urgent",
            "note",
            "last_reviewed",
        ),
        m2m={"sources": (m.Source, "key")},
    ),
]


class CatalogError(Exception):
    """The seed files are wrong: a missing key, an unknown reference, a bad value."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_staff_edits: list[str] = field(default_factory=list)
    published: int | None = None  # the release number, when one was published

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def read_catalog(directory: Path | None = None) -> dict[str, list[dict]]:
    directory = CATALOG_DIR if directory is None else directory
    data: dict[str, list[dict]] = {kind.name: [] for kind in KINDS}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as fh:
            try:
                parsed = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise CatalogError(f"{path.name}: {exc}") from exc
        for name, entries in parsed.items():
            if name not in data:
                raise CatalogError(f"{path.name}: unknown table [[{name}]]")
            data[name].extend(entries)
    return data


def _default(model, name):
    f = model._meta.get_field(name)
    if f.has_default():
        return f.get_default()
    if f.null:
        return None
    if isinstance(f, (models.CharField, models.TextField)):
        return ""
    raise CatalogError(f"{model.__name__}.{name} is required")


def _plain(value):
    if isinstance(value, Decimal):
        return m.rate_text(value)  # a seed's 8 and the column's 8.0 are one value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Country):
        return value.code
    if isinstance(value, MultipleCountriesDescriptor):
        # A CountryField(multiple=True) reads as Country objects.
        return [country.code for country in value]
    return value


def _seed_value(kind: Kind, name: str, value):
    field = kind.model._meta.get_field(name)
    if isinstance(field, CountryField) and field.multiple:
        return sorted(value)  # as the field stores them
    if isinstance(field, models.DecimalField):
        return m.rate_text(value)
    return _plain(value)


def _rule_values(raw: dict) -> dict:
    unknown = set(raw) - set(RULE_FIELDS)
    if unknown:
        raise CatalogError(f"unknown rule fields: {', '.join(sorted(unknown))}")
    return {name: _plain(raw.get(name, _default(m.Rule, name))) for name in RULE_FIELDS}


def _seed_state(kind: Kind, entry: dict) -> dict:
    known = (
        set(kind.key)
        | set(kind.fields)
        | set(kind.translations)
        | set(kind.fks)
        | set(kind.m2m)
        | {"rules"}
    )
    unknown = set(entry) - known
    if unknown:
        raise CatalogError(
            f"{kind.name} {_label(kind, entry)}: unknown fields {', '.join(sorted(unknown))}"
        )
    state = {}
    for name in kind.fields:
        state[name] = _seed_value(
            kind, name, entry[name] if name in entry else _default(kind.model, name)
        )
    for name in kind.translations:
        state[name] = entry.get(name, "")
    for name in kind.fks:
        state[name] = entry.get(name)
    for name in kind.m2m:
        state[name] = sorted(entry.get(name, []))
    if kind.rules_fk:
        state["rules"] = [_rule_values(r) for r in entry.get("rules", [])]
    return state


def _english(kind: Kind, name: str) -> str:
    """The column holding a field's seed value: `title_en` for a translated field."""
    if name in kind.translated:
        return build_localized_fieldname(name, SOURCE_LANGUAGE)
    return name


def _row_state(kind: Kind, obj) -> dict:
    state = {}
    for name in kind.fields:
        state[name] = _plain(getattr(obj, _english(kind, name)))
    for name in kind.translations:
        state[name] = getattr(obj, name) or ""
    for name, (_model, key) in kind.fks.items():
        related = getattr(obj, name)
        state[name] = getattr(related, key) if related is not None else None
    for name, (_model, key) in kind.m2m.items():
        state[name] = sorted(getattr(obj, name).values_list(key, flat=True))
    if kind.rules_fk:
        state["rules"] = [
            {name: _plain(getattr(rule, name)) for name in RULE_FIELDS}
            for rule in obj.rules.order_by("id")
        ]
    return state


def _holds_an_older_seed(kind: Kind, obj, current: dict) -> bool:
    """The row still holds the seed it got before some of today's keys existed.

    Its `seed_hash` was taken without the translation keys, or without fields
    added since (`Kind.added`, `Kind.translated_later`, and a rule's
    `Condition.added`). It may take the new seed as long as nobody has typed a
    translation in the admin, or changed an added field from its default, yet.
    """
    translations = (
        set(kind.translations)
        if not any(current[name] for name in kind.translations)
        else set()
    )
    added = {
        name
        for name in kind.added
        if current[name] == _plain(_default(kind.model, name))
    } | {name for name in kind.translations_added if not current[name]}
    states = [current]
    for older_rules in _rules_before_added_fields(kind, current):
        states.append({**current, "rules": older_rules})
    for state in states:
        for dropped in (set(), translations, added, translations | added):
            if state is current and not dropped:
                continue  # today's state: not an older seed
            legacy = {k: v for k, v in state.items() if k not in dropped}
            if _hash(legacy) == obj.seed_hash:
                return True
    return False


def _rules_before_added_fields(kind: Kind, current: dict) -> list[list]:
    """The row's rules as older seeds hashed them, before the newest rule keys
    existed (`RULE_FIELDS_ADDED`, oldest first): one list per generation, as
    long as every rule keeps those keys at their defaults."""
    if not kind.rules_fk:
        return []
    rules = current["rules"]
    found = []
    for first in range(len(RULE_FIELDS_ADDED) - 1, -1, -1):
        newer = RULE_FIELDS_ADDED[first:]
        defaults = {n: _plain(_default(m.Rule, n)) for n in newer}
        if any(rule[n] != value for rule in rules for n, value in defaults.items()):
            break
        found.append([{k: v for k, v in r.items() if k not in newer} for r in rules])
    return found


def _hash(state: dict) -> str:
    return hashlib.sha256(
        json.dumps(state, sort_keys=True, default=str).encode()
    ).hexdigest()


def _label(kind: Kind, entry: dict) -> str:
    return "/".join(str(entry.get(k) or "-") for k in kind.key)


def _lookup(kind: Kind, entry: dict):
    filters = {}
    for k in kind.key:
        value = entry.get(k)
        if k in kind.fks:
            model, key = kind.fks[k]
            filters[k] = _resolve(model, key, value) if value else None
        else:
            filters[k] = value if value is not None else _default(kind.model, k)
    return kind.model.objects.filter(**filters).first(), filters


def _resolve(model, key, value):
    try:
        return model.objects.get(**{key: value})
    except model.DoesNotExist:
        raise CatalogError(
            f"{model.__name__} {value!r} is referenced but not in the catalog"
        ) from None


def _write(kind: Kind, obj, key_values: dict, state: dict, seed_hash: str):
    if obj is None:
        obj = kind.model(**key_values)
    for name in kind.fields:
        setattr(obj, _english(kind, name), state[name])
    for name in kind.translations:
        setattr(obj, name, state[name])
    for name, (model, key) in kind.fks.items():
        value = state[name]
        setattr(obj, name, _resolve(model, key, value) if value else None)
    obj.seed_hash = seed_hash
    obj.full_clean(exclude=["seed_hash"], validate_unique=False)
    obj._change_reason = CHANGE_REASON
    obj.save()
    for name, (model, key) in kind.m2m.items():
        wanted = state[name]
        found = list(model.objects.filter(**{f"{key}__in": wanted}))
        if len(found) != len(set(wanted)):
            missing = set(wanted) - {getattr(r, key) for r in found}
            raise CatalogError(
                f"{kind.name} {obj}: unknown {name} {', '.join(sorted(missing))}"
            )
        getattr(obj, name).set(found)
    if kind.rules_fk:
        obj.rules.all().delete()
        for values in state["rules"]:
            rule = m.Rule(**{kind.rules_fk: obj}, **values)
            try:
                rule.full_clean()
            except ValidationError as exc:
                raise CatalogError(
                    f"{kind.name} {obj}, rule {values['note']!r}: "
                    + " ".join(exc.messages)
                ) from None
            rule._change_reason = CHANGE_REASON
            rule.save()
    return obj


@transaction.atomic
def load_catalog(
    *,
    data: dict[str, list[dict]] | None = None,
    force: bool = False,
    publish: bool = False,
) -> LoadReport:
    """Load the seed files into the working copy.

    On a database with no release yet the seed is published as release 1, so
    patients have a catalog at once; later changes wait in the working copy
    for a clinical reviewer unless `publish` (an operator's explicit choice).
    """
    # In English, so the base columns modeltranslation keeps hold English.
    with translation.override(SOURCE_LANGUAGE), transaction.atomic():
        report = _load(read_catalog() if data is None else data, force=force)
        first = not m.CatalogRelease.objects.exists()
        if first or (publish and report.changed):
            note = (
                "The seeded catalog, published by load_catalog."
                if first
                else "Seed files published by load_catalog --publish."
            )
            report.published = release_publish(by=None, note=note, seed=True).number
        return report


def _load(data: dict[str, list[dict]], *, force: bool) -> LoadReport:
    report = LoadReport()
    for kind in KINDS:
        for entry in data.get(kind.name, []):
            label = f"{kind.name} {_label(kind, entry)}"
            state = _seed_state(kind, entry)
            seed_hash = _hash(state)
            obj, key_values = _lookup(kind, entry)
            if obj is None:
                _write(kind, None, key_values, state, seed_hash)
                report.created.append(label)
                continue
            row = _row_state(kind, obj)
            current = _hash(row)
            if current == seed_hash:
                if obj.seed_hash != seed_hash:
                    obj.seed_hash = seed_hash
                    obj.save(update_fields=["seed_hash"])
                report.unchanged += 1
            elif (
                current == obj.seed_hash
                or force
                or _holds_an_older_seed(kind, obj, row)
            ):
                _write(kind, obj, key_values, state, seed_hash)
                report.updated.append(label)
            else:
                report.kept_staff_edits.append(label)
    if report.changed:
        m.CatalogVersion.bump()
    else:
        m.CatalogVersion.objects.get_or_create(pk=1)
    return report
