"""Writing many rows at once, from plain tuples rather than model instances.

Segments are the pipeline's bulk: thousands per document, written at extraction and
updated by translation and QA. Building a model instance per row and Django's
per-field preparation cost more than the database does (measured: a third of the
pipeline's own time on a 100-page document), so the hot paths read ``values_list``
tuples and write them back here:

- :func:`update_values`: one ``UPDATE … FROM`` statement per chunk, the new values
  joined on the primary key: ``unnest`` of one array per column on PostgreSQL,
  ``(VALUES …)`` on SQLite 3.33+. Django's ``bulk_update`` builds a ``CASE WHEN pk=…``
  per row and field instead.
- :func:`insert_values`: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.
- :func:`in_pages`: reading many rows in bounded memory, a page per query.

Values are written as the ORM would write them, but prepared once per column rather
than per value through the field's methods: text, numbers and foreign keys as they
come (the hot paths hand in ``str``, ``int`` and ``None``), JSON columns encoded with
the field's encoder, any other field through its own ``get_db_prep_save``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models import QuerySet

CHUNK_ROWS = 500


_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.FloatField)


def _as_is(value: Any) -> Any:
    return value


def _preparer(field: Any) -> Callable[[Any], Any]:
    """How a value of ``field`` is written (see the module's docstring)."""
    if field.is_relation:
        return _preparer(field.target_field)
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def as_json(value: Any) -> str | None:
            if value is None:
                return None
            # Most rows hold an empty list (no issue, no match): its text is known.
            return "[]" if value == [] else json.dumps(value, cls=encoder)

        return as_json
    if isinstance(field, _AS_IS):
        return _as_is
    return lambda value: field.get_db_prep_save(value, connection)


def _prepare(preparers: Sequence[Callable[[Any], Any]], row: Sequence[Any]) -> list[Any]:
    return [prepare(value) for prepare, value in zip(preparers, row, strict=True)]


def update_values(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Write ``names`` of each row ``(pk, value, …)`` of ``model`` in few statements."""
    fields = [model._meta.get_field(name) for name in names]
    for start in range(0, len(rows), CHUNK_ROWS):
        _update_chunk(model, fields, rows[start : start + CHUNK_ROWS])


def _update_chunk(
    model: type[models.Model], fields: list[Any], rows: Sequence[Sequence[Any]]
) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(str(model._meta.pk.column))
    if connection.vendor == "postgresql":
        sql, params = _update_by_arrays(table, pk, fields, rows)
    else:
        sql, params = _update_by_values(table, pk, fields, rows)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _update_by_arrays(
    table: str, pk: str, fields: list[Any], rows: Sequence[Sequence[Any]]
) -> tuple[str, list[Any]]:
    # One array per column: a short statement with len(fields) + 1 parameters,
    # whatever the number of rows (psycopg adapts whole arrays in C).
    quote = connection.ops.quote_name
    columns: list[list[Any]] = [[row[0] for row in rows]]
    for i, field in enumerate(fields, start=1):
        prepare = _preparer(field)
        columns.append([_as_text(prepare(row[i])) for row in rows])
    names = ", ".join(["id", *(f"c{i}" for i in range(len(fields)))])
    arrays = ", ".join(["%s::bigint[]", *(["%s::text[]"] * len(fields))])
    sets = ", ".join(
        f"{quote(f.column)} = v.c{i}::{f.db_type(connection)}" for i, f in enumerate(fields)
    )
    sql = f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS v({names}) WHERE {table}.{pk} = v.id"
    return sql, columns


def _as_text(value: Any) -> str | None:
    """A prepared value as an element of a ``text[]`` parameter (cast back to the
    column's type in the statement)."""
    return value if value is None or isinstance(value, str) else str(value)


def _update_by_values(
    table: str, pk: str, fields: list[Any], rows: Sequence[Sequence[Any]]
) -> tuple[str, list[Any]]:
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    preparers = [_preparer(field) for field in fields]
    params: list[Any] = []
    for values in rows:
        params.append(values[0])
        params.extend(_prepare(preparers, values[1:]))
    sets = ", ".join(f"{quote(f.column)} = v.column{i + 2}" for i, f in enumerate(fields))
    source = f"(VALUES {', '.join([row] * len(rows))}) AS v"
    return f"UPDATE {table} SET {sets} FROM {source} WHERE {table}.{pk} = v.column1", params


def prepared_rows(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Iterator[list[Any]]:
    """Each row of values for ``names`` of ``model`` as the database takes them (see
    the module's docstring), for a caller that writes them itself."""
    preparers = [_preparer(model._meta.get_field(name)) for name in names]
    return (_prepare(preparers, values) for values in rows)


def insert_values(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert one row of ``model`` per tuple of values for ``names``.

    PostgreSQL gets the rows through ``COPY`` (adapted in C, one round trip); SQLite,
    an in-process library, through ``executemany``.
    """
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(getattr(field, "column", ""))) for field in fields)
    prepared = prepared_rows(model, names, rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in prepared:
                    copy.write_row(values)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            # Streamed, never all rows at once (Django's executemany takes any iterable).
            cursor.executemany(sql, prepared)  # type: ignore[arg-type]


Row = TypeVar("Row")


def in_pages(
    rows: QuerySet[Any, Row], size: int = 2000, key: Callable[[Row], Any] = attrgetter("pk")
) -> Iterator[Row]:
    """The rows of ``rows`` in primary-key order, ``size`` per query: each page asks
    for the rows after the last key seen (``key``: of a model instance its pk, of a
    ``values_list`` row the pk's position). Memory stays bounded with or without
    server-side cursors: through PgBouncer in transaction mode there are none, and
    ``.iterator()`` would fetch the whole result at once. No transaction is held
    open between pages; rows added meanwhile after the last key are included."""
    ordered = rows.order_by("pk")
    page = list(ordered[:size])
    while page:
        yield from page
        if len(page) < size:
            return
        page = list(ordered.filter(pk__gt=key(page[-1]))[:size])
