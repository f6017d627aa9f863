"""Bulk writes Django's ORM makes slow.

``QuerySet.bulk_update`` writes one ``CASE WHEN id = … THEN …`` per field and row; building
those expressions costs Django about 2 ms a value, so re-importing a scanner report of 20,000
known findings spent minutes in Python before the database saw a query. ``update_rows`` sends
the same rows as one ``UPDATE … FROM (VALUES …)`` per batch: PostgreSQL and SQLite from 3.33
(the same result, one query per batch, no expression per value). On an older SQLite it falls
back to ``bulk_update``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from django.db import connections, router

#: rows per statement; 25 fields x 400 rows stay far below SQLite's 32,766 parameters.
BATCH = 400


def _supports_update_from(connection) -> bool:
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 33)


def update_rows(model, objs: Sequence, fields: Iterable[str], *, batch_size: int = BATCH) -> int:
    """Write ``fields`` of every object of ``objs`` (saved instances of ``model``) in one
    statement per ``batch_size`` rows; returns the number of rows written. No signals, no
    ``auto_now`` (set it on the objects, as ``bulk_update`` wants), like ``bulk_update``."""
    objs = list(objs)
    if not objs:
        return 0
    meta = model._meta
    names = list(dict.fromkeys(fields))
    concrete = [meta.get_field(name) for name in names]
    using = router.db_for_write(model)
    connection = connections[using]
    if not _supports_update_from(connection):
        return model._base_manager.using(using).bulk_update(objs, names, batch_size=batch_size)
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    pk = meta.pk
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            width = len(concrete) + 1
            row = "(" + ", ".join(["%s"] * width) + ")"
            params = []
            for obj in batch:
                params.append(pk.get_db_prep_value(obj.pk, connection))
                for field in concrete:
                    params.append(field.get_db_prep_save(getattr(obj, field.attname), connection))
            if connection.vendor == "postgresql":
                columns = ["id", *(f"c{n}" for n in range(1, width))]
                values = f"(VALUES {', '.join([row] * len(batch))}) AS v({', '.join(columns)})"
                assignments = ", ".join(
                    f"{quote(field.column)} = CAST(v.c{n} AS {field.db_type(connection)})"
                    for n, field in enumerate(concrete, start=1)
                )
                key = f"CAST(v.id AS {pk.db_type(connection)})"
            else:  # SQLite names a VALUES table's columns column1, column2, …
                values = f"(VALUES {', '.join([row] * len(batch))}) AS v"
                assignments = ", ".join(
                    f"{quote(field.column)} = v.column{n}"
                    for n, field in enumerate(concrete, start=2)
                )
                key = "v.column1"
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM {values}"
                f" WHERE {table}.{quote(pk.column)} = {key}",
                params,
            )
            written += cursor.rowcount
    return written
