"""Access records as rows: their canonical text (what ``records_sha256`` is computed over, so a
record changed in the database after ingest is detected) and the bulk load (COPY on
PostgreSQL, ``bulk_create`` elsewhere)."""

import hashlib
import ipaddress
from datetime import UTC, datetime

from django.db import connection

from biys.logs5651.models import AccessRecord

COLUMNS = (
    "source_id",
    "file_id",
    "kind",
    "ip",
    "mac",
    "start",
    "end",
    "identity",
    "hostname",
    "src_port",
    "nat_ip",
    "nat_port",
    "dst_ip",
    "dst_port",
    "line",
    "offset",
)
# The columns a record's digest covers (all but the ids, which the database assigns).
DIGEST_COLUMNS = COLUMNS[2:]


def _text(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if name in ("ip", "nat_ip", "dst_ip"):
        return str(ipaddress.ip_address(str(value)))
    return str(value)


def canonical(row: dict) -> str:
    return "\t".join(_text(name, row.get(name)) for name in DIGEST_COLUMNS)


def digest_rows(rows) -> str:
    """SHA-256 over the sorted canonical lines: independent of the order rows are read in."""
    digest = hashlib.sha256()
    for line in sorted(canonical(row) for row in rows):
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def stored_digest(file_id: int) -> tuple[str, int]:
    rows = list(AccessRecord.objects.filter(file_id=file_id).values(*DIGEST_COLUMNS))
    return digest_rows(rows), len(rows)


def session_rows(sessions, *, source_id: int, file_id: int) -> list[dict]:
    return [
        {
            "source_id": source_id,
            "file_id": file_id,
            "kind": s.kind,
            "ip": s.ip,
            "mac": s.mac,
            "start": s.start,
            "end": s.end,
            "identity": s.identity,
            "hostname": s.hostname,
            "src_port": s.src_port,
            "nat_ip": s.nat_ip,
            "nat_port": s.nat_port,
            "dst_ip": s.dst_ip,
            "dst_port": s.dst_port,
            "line": s.line,
            "offset": s.offset,
        }
        for s in sessions
    ]


def bulk_insert(rows: list[dict]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        table = AccessRecord._meta.db_table
        columns = ", ".join(f'"{name}"' for name in COLUMNS)  # column names as in COLUMNS
        sql = f'COPY "{table}" ({columns}) FROM STDIN'
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([row[name] for name in COLUMNS])
        return
    AccessRecord.objects.bulk_create((AccessRecord(**row) for row in rows), batch_size=2000)
