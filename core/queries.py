"""Rows of ORM queries whose SQL is compiled once per shape.

Building and compiling a Django query can cost more than running it (on a catalog page, about a
millisecond against a few tenths). The SQL and parameters of a given shape never change, only
the rows do: a shape is any hashable that decides both entirely, e.g. a page's filters, sort,
slice and reader.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

# Emptied when full rather than kept in order: a few hundred shapes cover the traffic.
_COMPILED: dict[Hashable, "_Compiled"] = {}
_COMPILED_MAX = 1024


@dataclass(frozen=True, slots=True)
class _Compiled:
    using: str
    sql: str
    params: tuple
    # Django's per-column converters (JSON decoding, SQLite's booleans and decimals).
    converters: dict


def _compile(values: QuerySet) -> _Compiled | None:
    """The SQL of a values_list() queryset and its converters; None if it can match nothing."""
    compiler = values.query.get_compiler(using=values.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    return _Compiled(values.db, sql, tuple(params), compiler.get_converters(fields))


def _run(compiled: _Compiled) -> list:
    connection = connections[compiled.using]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
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


def compiled_rows(build: Callable[[], QuerySet], *, shape: Hashable | None = None) -> list:
    """The rows of the values_list() queryset `build()` makes, as its iteration would give them.

    With a `shape`, `build` is called only the first time: the SQL is kept under the shape.
    """
    compiled = _COMPILED.get(shape) if shape is not None else None
    if compiled is None:
        compiled = _compile(build())
        if compiled is None:
            return []
        if shape is not None:
            if len(_COMPILED) >= _COMPILED_MAX:
                _COMPILED.clear()
            _COMPILED[shape] = compiled
    return _run(compiled)
