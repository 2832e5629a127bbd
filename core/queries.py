"""Rows of ORM queries whose SQL is compiled once per shape.

Building and compiling a Django query can cost more than running it (on a catalog page, about a
millisecond against a few tenths). The SQL and parameters of a given shape never change, only
the rows do: a shape is any hashable that decides both entirely, e.g. a page's filters, sort,
slice and reader.

A value that changes on every run (a search's words, the ids of one page) stays out of the shape
as a `slot`: the query is built with the slot's stand-in, and `compiled_rows(fill=...)` puts the
value in its place at each run.
"""

import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Lookup, QuerySet

# Emptied when full rather than kept in order: a few hundred shapes cover the traffic.
_COMPILED: dict[Hashable, "_Compiled"] = {}
_COMPILED_MAX = 1024
# Random per process, so that no value a user types can pass for a slot.
_SLOT_PREFIX = f"slot-{uuid.uuid4().hex}:"


def slot(name: str) -> str:
    """The stand-in for a query parameter that compiled_rows() fills at each run."""
    return _SLOT_PREFIX + name


class InArray(Lookup):
    """`InArray(F("pk"), array_literal(ids))`: `pk = ANY(ids)` (PostgreSQL).

    One SQL text and one parameter type for any number of ids: `pk__in` writes one placeholder
    per id, so each page length would compile, and PostgreSQL prepare, a statement of its own.
    """

    lookup_name = "in_array"
    prepare_rhs = False  # the ids go as one array (or a slot), not through the column's type

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs}::bigint[])", (*lhs_params, *rhs_params)


def array_literal(ids: Iterable[int]) -> str:
    """PostgreSQL's text form of an integer array: a Python list would be sent as int2[], int4[]
    or int8[] by its largest id, each a statement of its own for the server."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


@dataclass(frozen=True, slots=True)
class _Compiled:
    using: str
    sql: str
    params: tuple
    # Django's per-column converters (JSON decoding, SQLite's booleans and decimals).
    converters: dict
    # (parameter position, slot name) for each parameter filled at run time.
    slots: tuple[tuple[int, str], ...] = ()


def _compile(values: QuerySet) -> _Compiled | None:
    """The SQL of a values_list() queryset and its converters; None if it can match nothing."""
    compiler = values.query.get_compiler(using=values.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    slots = tuple(
        (position, param.removeprefix(_SLOT_PREFIX))
        for position, param in enumerate(params)
        if isinstance(param, str) and param.startswith(_SLOT_PREFIX)
    )
    return _Compiled(values.db, sql, tuple(params), compiler.get_converters(fields), slots)


def _run(compiled: _Compiled, fill: Mapping[str, object]) -> list:
    params = compiled.params
    if compiled.slots:
        params = list(params)
        for position, name in compiled.slots:
            params[position] = fill[name]
    connection = connections[compiled.using]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    if not compiled.converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for position, (functions, expression) in compiled.converters.items():
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        converted.append(row)
    return converted


def compiled_rows(
    build: Callable[[], QuerySet],
    *,
    shape: Hashable | None = None,
    fill: Mapping[str, object] | None = None,
) -> list:
    """The rows of the values_list() queryset `build()` makes, as its iteration would give them.

    With a `shape`, `build` is called only the first time: the SQL is kept under the shape.
    `fill` gives the value of each slot() that `build()` used; every slot must be filled.
    """
    fill = fill or {}
    compiled = _COMPILED.get(shape) if shape is not None else None
    if compiled is None:
        compiled = _compile(build())
        if compiled is None:
            return []
        missing = {name for _position, name in compiled.slots} - fill.keys()
        if missing:
            raise ValueError(f"No value to fill slot(s) {sorted(missing)}")
        if shape is not None:
            if len(_COMPILED) >= _COMPILED_MAX:
                _COMPILED.clear()
            _COMPILED[shape] = compiled
    return _run(compiled, fill)
