"""Queries the ORM builds and compiles once per process and database.

Some statements run on every request of a signed-in user (their session, the
user with their review permission), or on every page of the coordinators'
queue. Building and compiling them took several times as long as running
them, and only their values change: each is compiled once with stand-in
values, and each run puts the real values where the stand-ins were. What they
read is read fresh every time.

The rows come back as the ORM's own iterables give them: each column through
the converters the compiler names (SQLite's text into a datetime, its 0/1
into a bool), a model instance through `Model.from_db` with its annotations
set, as `QuerySet.__iter__` does. `raw()` did the same for a model at twice
the cost, guessing the columns from their names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Model, QuerySet


def as_datetime(value, connection):
    """A datetime parameter as the database takes it (SQLite: text)."""
    return connection.ops.adapt_datetimefield_value(value)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: dict[str, int]
    converters: dict  # column index -> (converter functions, column)
    model: type[Model]
    # For a queryset of model instances: the model's columns and attributes,
    # and the annotations' names and columns.
    fields: slice | None
    attnames: list[str]
    annotations: dict[str, int]


class Statement:
    """`build(alias, **stand_ins)` gives the queryset; `first(alias, **values)`
    runs it with the values in place of the stand-ins: its first row as a
    model instance, or None. For a `values_list()` queryset, `rows(alias,
    **values)` gives its rows as tuples. `prepare` names the stand-ins the ORM
    changes on the way to the database (a datetime), and how. Each stand-in
    must be a value no other parameter of the query has."""

    def __init__(self, build: Callable[..., QuerySet], prepare=None, **stand_ins):
        self._build = build
        self._prepare = prepare or {}
        self._stand_ins = stand_ins
        self._compiled: dict[str, _Compiled] = {}

    def _value(self, name, value, connection):
        prepare = self._prepare.get(name)
        return prepare(value, connection) if prepare else value

    def _compile(self, alias: str) -> _Compiled:
        queryset = self._build(alias, **self._stand_ins)
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = {}
        for name, stand_in in self._stand_ins.items():
            value = self._value(name, stand_in, connections[alias])
            if params.count(value) != 1:
                raise ValueError(f"the stand-in for {name} must be one parameter")
            slots[name] = params.index(value)
        selected = [column for column, _sql, _alias in compiler.select]
        fields, attnames = None, []
        info = compiler.klass_info
        if info is not None:  # model instances, not values
            if info.get("related_klass_infos"):
                raise ValueError("a statement reads one model, without select_related")
            fields = slice(info["select_fields"][0], info["select_fields"][-1] + 1)
            attnames = [column.target.attname for column in selected[fields]]
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            converters=compiler.get_converters(selected[: compiler.col_count]),
            model=queryset.model,
            fields=fields,
            attnames=attnames,
            annotations=dict(compiler.annotation_col_map or {}),
        )

    def _execute(self, alias: str, values: dict, *, one: bool):
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        if values.keys() != compiled.slots.keys():
            raise TypeError(
                f"values for {sorted(compiled.slots)}, not {sorted(values)}"
            )
        connection = connections[alias]
        params = list(compiled.params)
        for name, value in values.items():
            params[compiled.slots[name]] = self._value(name, value, connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            if one:
                row = cursor.fetchone()
                rows = [] if row is None else [row]
            else:
                rows = cursor.fetchall()
        if compiled.converters:
            rows = [self._converted(row, compiled, connection) for row in rows]
        return compiled, rows

    @staticmethod
    def _converted(row, compiled: _Compiled, connection) -> tuple:
        row = list(row)
        for index, (functions, column) in compiled.converters.items():
            for convert in functions:
                row[index] = convert(row[index], column, connection)
        return tuple(row)

    def first(self, alias: str, **values) -> Model | None:
        compiled, rows = self._execute(alias, values, one=True)
        if not rows:
            return None
        row = rows[0]
        instance = compiled.model.from_db(
            alias, compiled.attnames, row[compiled.fields]
        )
        for name, index in compiled.annotations.items():
            setattr(instance, name, row[index])
        return instance

    def rows(self, alias: str, **values) -> list[tuple]:
        return self._execute(alias, values, one=False)[1]
