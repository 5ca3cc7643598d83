"""One-statement updates of many rows with different values.

Django's ``bulk_update`` builds a ``CASE WHEN pk=… THEN …`` expression per row and
field, which costs milliseconds per segment in Python alone. Here the new values
travel as one ``VALUES`` list joined on the primary key: ``UPDATE … FROM (VALUES …)``,
supported by PostgreSQL and by SQLite 3.33+.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

CHUNK_ROWS = 500


def update_rows(objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Write ``fields`` of every object in ``objects`` (all of one model) to the database."""
    if not objects:
        return
    model = type(objects[0])
    concrete = [model._meta.get_field(name) for name in fields]
    for start in range(0, len(objects), CHUNK_ROWS):
        _update_chunk(model, concrete, objects[start : start + CHUNK_ROWS])


def _update_chunk(
    model: type[models.Model], fields: list[Any], objects: Sequence[models.Model]
) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(str(model._meta.pk.column))
    width = len(fields) + 1
    row = "(" + ", ".join(["%s"] * width) + ")"
    params: list[Any] = []
    for obj in objects:
        params.append(obj.pk)
        params.extend(
            field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields
        )
    values = ", ".join([row] * len(objects))
    if connection.vendor == "postgresql":
        names = ", ".join(["id", *(f"c{i}" for i in range(len(fields)))])
        sets = ", ".join(
            f"{quote(f.column)} = v.c{i}::{f.db_type(connection)}" for i, f in enumerate(fields)
        )
        source = f"(VALUES {values}) AS v({names})"
        sql = f"UPDATE {table} SET {sets} FROM {source} WHERE {table}.{pk} = v.id::bigint"
    else:
        sets = ", ".join(f"{quote(f.column)} = v.column{i + 2}" for i, f in enumerate(fields))
        sql = (
            f"UPDATE {table} SET {sets} FROM (VALUES {values}) AS v WHERE {table}.{pk} = v.column1"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
