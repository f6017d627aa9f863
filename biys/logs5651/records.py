"""Access records as rows: their canonical text (what ``records_sha256`` is computed over, so a
record changed in the database after ingest is detected) and the bulk load (COPY on
PostgreSQL, ``bulk_create`` elsewhere)."""

import hashlib
import ipaddress
from datetime import UTC, datetime
from functools import lru_cache

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


@lru_cache(maxsize=65_536)
def _address(value: str) -> str:
    return str(ipaddress.ip_address(value))


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat() if value is not None else ""


def _address_text(value) -> str:
    return _address(str(value)) if value is not None else ""


def _number(value) -> str:
    return "" if value is None else str(value)


def canonical(row: dict) -> str:
    """One record as text: every column but the ids, addresses normalised, times in UTC."""
    return (
        f"{row['kind']}\t{_address_text(row['ip'])}\t{row['mac']}\t{_when(row['start'])}\t"
        f"{_when(row['end'])}\t{row['identity']}\t{row['hostname']}\t"
        f"{_number(row['src_port'])}\t{_address_text(row['nat_ip'])}\t"
        f"{_number(row['nat_port'])}\t{_address_text(row['dst_ip'])}\t"
        f"{_number(row['dst_port'])}\t{row['line']}\t{row['offset']}"
    )


def digest_rows(rows) -> str:
    """SHA-256 over the sorted canonical lines: independent of the order rows are read in."""
    lines = sorted(canonical(row) for row in rows)
    return hashlib.sha256("".join(line + "\n" for line in lines).encode()).hexdigest()


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
