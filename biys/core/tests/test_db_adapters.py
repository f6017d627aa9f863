"""Timestamps read by psycopg's C loader (``biys.core.db_adapters``) equal Django's own."""

from datetime import UTC

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loader"),
]

VALUES = [
    "2026-03-29 00:59:59.999999+00",
    "2026-10-25 03:30:00+03",
    "1970-01-01 00:00:00+00",
    "2038-01-19 03:14:08.5-05:30",
    "2000-02-29 23:59:59.000001+14",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]


def _read(cursor) -> list:
    cursor.execute(
        "SELECT value::timestamptz FROM unnest(%s::text[]) WITH ORDINALITY AS v(value, n) "
        "ORDER BY n",
        [VALUES],
    )
    return [row[0] for row in cursor.fetchall()]


def test_c_loader_reads_what_djangos_loader_reads():
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(1184, 0)
    assert loader.__name__ == "UTCTimestamptzLoader"
    with connection.cursor() as cursor:
        fast = _read(cursor)
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)  # Django's Python loader
        django = _read(cursor)
    assert fast == django
    assert all(value.tzinfo is UTC for value in fast)
    assert [value.utcoffset() for value in fast] == [value.utcoffset() for value in django]
