"""Queries the ORM builds and compiles once per process and database.

Some statements run on every request of a signed-in user (their session, the
user with their review permission). Building and compiling them took several
times as long as running them, and only their values change: each is compiled
once with stand-in values, and each run puts the real values where the
stand-ins were. What they read is read fresh every time.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections
from django.db.models import Model, QuerySet


def as_datetime(value, connection):
    """A datetime parameter as the database takes it (SQLite: text)."""
    return connection.ops.adapt_datetimefield_value(value)


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
        self._compiled: dict[str, tuple] = {}

    def _value(self, name, value, connection):
        prepare = self._prepare.get(name)
        return prepare(value, connection) if prepare else value

    def _compile(self, alias: str):
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
        # What the ORM does to each column on the way back (SQLite's text
        # into a datetime, its 0/1 into a bool), as `values_list()` would.
        selected = [column for column, _sql, _alias in compiler.select]
        converters = compiler.get_converters(selected[: compiler.col_count])
        return queryset.model, sql, tuple(params), slots, converters

    def _run(self, alias: str, values: dict):
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        model, sql, params, slots, converters = compiled
        if values.keys() != slots.keys():
            raise TypeError(f"values for {sorted(slots)}, not {sorted(values)}")
        params = list(params)
        for name, value in values.items():
            params[slots[name]] = self._value(name, value, connections[alias])
        return model, sql, params, converters

    def first(self, alias: str, **values) -> Model | None:
        model, sql, params, _converters = self._run(alias, values)
        return next(
            iter(model._default_manager.db_manager(alias).raw(sql, params)), None
        )

    def rows(self, alias: str, **values) -> list[tuple]:
        _model, sql, params, converters = self._run(alias, values)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for index, (functions, column) in converters.items():
                for convert in functions:
                    row[index] = convert(row[index], column, connection)
            converted.append(tuple(row))
        return converted
