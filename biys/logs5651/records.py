"""Access records as rows: their canonical text (what ``records_sha256`` is computed over, so a
record changed in the database after ingest is detected) and the bulk load (COPY on
PostgreSQL, one ``executemany`` elsewhere).

At ingest a file's sessions are turned once into both (``prepare``): the canonical lines for
the digest and the rows the database takes (COPY text lines on PostgreSQL, tuples elsewhere),
with each distinct time converted once. ``canonical`` is the same text from a row read back
from the database; ``stored_digest`` and the tests hold the two to each other."""

import hashlib
import ipaddress
from contextlib import ExitStack
from datetime import UTC, datetime
from functools import lru_cache
from socket import AF_INET, inet_pton
from typing import NamedTuple

from django.db import connection

from biys.logs5651.models import AccessRecord, LogFile
from biys.logs5651.parsers.base import CLOCKS, from_micros

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


def _address(value: str) -> str:
    try:
        inet_pton(AF_INET, value)  # already as ipaddress writes it
        return value
    except (OSError, ValueError):
        return _parsed_address(value)


@lru_cache(maxsize=65_536)
def _parsed_address(value: str) -> str:
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


# The columns ``prepare`` gives (a session's fields, in ``Session`` order), then the ids.
LOAD_COLUMNS = (*DIGEST_COLUMNS, "source_id", "file_id")
# On PostgreSQL the rows go in as COPY's CSV with tabs, where an empty unquoted field is NULL
# (the text columns that may be empty but not NULL are forced to ''): a record's canonical line
# is then its row as it is, unless a text value holds a tab, a newline or a quote (quoted).
NOT_NULL_TEXT = ("kind", "mac", "identity", "hostname")
CSV_SPECIAL = frozenset('\t\n\r"')


class Prepared(NamedTuple):
    digest: str  # records_sha256: what ``stored_digest`` gives once the rows are loaded
    rows: list  # COPY CSV lines (PostgreSQL) or parameter tuples, without the ids
    count: int
    vendor: str


def _csv(value: str) -> str:
    if CSV_SPECIAL.isdisjoint(value):
        return value
    return '"' + value.replace('"', '""') + '"'


def _csv_row(kind, ip, mac, start, end, identity, hostname, tail) -> str:
    """The COPY line of a record whose text values need quoting (``tail``: the fields after
    the host name, as in its canonical line)."""
    return f"{kind}\t{ip}\t{_csv(mac)}\t{start}\t{end}\t{_csv(identity)}\t{_csv(hostname)}\t{tail}"


class Rows:
    """Sessions (``parsers.Session`` tuples, times in micros) turned into the database's rows,
    batch after batch (``add``), with each distinct time and address converted once, and the
    canonical lines kept for the digest of them all (``digest``).

    On PostgreSQL a record's canonical line is its COPY row (see ``NOT_NULL_TEXT``), so each
    record is written out once."""

    def __init__(self, *, vendor: str | None = None):
        self.vendor = vendor = vendor or connection.vendor
        self.copy = vendor == "postgresql"
        self.utc = self.copy or getattr(connection, "timezone", None) == UTC
        self._adapt = connection.ops.adapt_datetimefield_value
        self._hours: dict = {}  # hours since 1970 -> "YYYY-MM-DDTHH:"
        self._addresses: dict = {}
        self.canon: list[str] = []
        self.count = 0

    def _hour(self, hour: int) -> str:
        text = self._hours[hour] = from_micros(hour * 3_600_000_000).isoformat()[:14]
        return text

    def _iso(self, value: int) -> str:
        """A time as the canonical text: ``isoformat`` in UTC."""
        seconds, fraction = divmod(value, 1_000_000)
        hour, rest = divmod(seconds, 3600)
        prefix = self._hours.get(hour) or self._hour(hour)
        if not fraction:
            return prefix + CLOCKS[rest]
        return f"{prefix}{rest // 60:02d}:{rest % 60:02d}.{fraction:06d}+00:00"

    def _database_time(self, value: int, text: str):
        if self.utc:  # "YYYY-MM-DD HH:MM:SS[.ffffff]", as the backend writes a naive UTC time
            return text[:10] + " " + text[11:-6]
        return self._adapt(from_micros(value))

    def _address(self, value: str) -> str:
        text = self._addresses[value] = _address(value)
        return text

    def add(self, sessions) -> list:
        """The rows of ``sessions``: COPY CSV lines (PostgreSQL) or parameter tuples, without
        the ids (``LOAD_COLUMNS``)."""
        canon: list = []
        add_line = canon.append
        hours, clocks, iso = self._hours, CLOCKS, self._iso
        addresses, address = self._addresses, self._address
        special = CSV_SPECIAL.isdisjoint
        quoted: dict = {}  # position in canon -> the COPY line, where it differs
        for session in sessions:
            (kind, ip, mac, start, end, identity, hostname, src_port, nat_ip, nat_port, dst_ip,
             dst_port, line, offset) = session  # fmt: skip
            ip = addresses.get(ip) or address(ip)
            # The canonical time (``_iso``), whole seconds inline.
            seconds, fraction = divmod(start, 1_000_000)
            hour, rest = divmod(seconds, 3600)
            prefix = hours.get(hour)
            start_text = prefix + clocks[rest] if prefix and not fraction else iso(start)
            if end is None:
                end_text = ""
            else:
                seconds, fraction = divmod(end, 1_000_000)
                hour, rest = divmod(seconds, 3600)
                prefix = hours.get(hour)
                end_text = prefix + clocks[rest] if prefix and not fraction else iso(end)
            if (
                nat_ip is None
                and dst_ip is None
                and src_port is None
                and nat_port is None
                and dst_port is None
            ):
                tail = f"\t\t\t\t\t{line}\t{offset}"
            else:
                nat_ip = "" if nat_ip is None else addresses.get(nat_ip) or address(nat_ip)
                dst_ip = "" if dst_ip is None else addresses.get(dst_ip) or address(dst_ip)
                tail = (
                    f"{'' if src_port is None else src_port}\t{nat_ip}\t"
                    f"{'' if nat_port is None else nat_port}\t{dst_ip}\t"
                    f"{'' if dst_port is None else dst_port}\t{line}\t{offset}"
                )
            text = f"{kind}\t{ip}\t{mac}\t{start_text}\t{end_text}\t{identity}\t{hostname}\t{tail}"
            if (identity or hostname or mac) and not (
                special(identity) and special(hostname) and special(mac)
            ):
                quoted[len(canon)] = (kind, ip, mac, start_text, end_text, identity, hostname,
                                      tail)  # fmt: skip
            add_line(text)
        self.canon.extend(canon)
        self.count += len(canon)
        if self.copy:
            rows = canon
            if quoted:
                rows = list(canon)
                for position, fields in quoted.items():
                    rows[position] = _csv_row(*fields)
            return rows
        return [self._row(session) for session in sessions]

    def _row(self, session) -> tuple:
        """A session's parameters for ``executemany`` (other backends)."""
        (kind, ip, mac, start, end, identity, hostname, src_port, nat_ip, nat_port, dst_ip,
         dst_port, line, offset) = session  # fmt: skip
        addresses = self._addresses
        start_db = self._database_time(start, self._iso(start))
        end_db = None if end is None else self._database_time(end, self._iso(end))
        return (kind, addresses.get(ip) or self._address(ip), mac, start_db, end_db, identity,
                hostname, src_port, nat_ip and (addresses.get(nat_ip) or self._address(nat_ip)),
                nat_port, dst_ip and (addresses.get(dst_ip) or self._address(dst_ip)), dst_port,
                line, offset)  # fmt: skip

    def digest(self) -> str:
        """SHA-256 over the sorted canonical lines (``digest_rows`` of the stored rows)."""
        self.canon.sort()
        text = "\n".join(self.canon) + "\n" if self.canon else ""
        return hashlib.sha256(text.encode()).hexdigest()


def prepare(sessions, *, vendor: str | None = None) -> Prepared:
    """The digest and the database rows of ``sessions`` in one go."""
    batch = Rows(vendor=vendor)
    rows = batch.add(sessions)
    return Prepared(batch.digest(), rows, batch.count, batch.vendor)


def bulk_insert(prepared: Prepared, *, source_id: int, file_id: int, chunk: int = 20_000) -> None:
    """Load prepared rows for one file: COPY on PostgreSQL, one ``executemany`` elsewhere."""
    if not prepared.rows:
        return
    table = AccessRecord._meta.db_table
    columns = ", ".join(f'"{name}"' for name in LOAD_COLUMNS)  # names from our own model
    source_id, file_id = int(source_id), int(file_id)
    with connection.cursor() as cursor:
        if prepared.vendor == "postgresql":
            tail = f"\t{source_id}\t{file_id}\n"
            with cursor.cursor.copy(_copy_sql()) as copy:
                for at in range(0, len(prepared.rows), chunk):
                    copy.write(tail.join(prepared.rows[at : at + chunk]) + tail)
            return
        marks = ", ".join(["%s"] * len(DIGEST_COLUMNS))
        sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks}, {source_id}, {file_id})'
        cursor.executemany(sql, prepared.rows)


class Loader:
    """One file's access records loaded as the parser closes them (``add``, the sink of
    ``parsers.parse_data``), and its ``LogFile`` row created at the end (``finish``), inside the
    caller's transaction.

    On PostgreSQL the file's id is drawn from its sequence first, so COPY streams each batch
    while the next one is parsed (psycopg's queued writer sends from a thread, and the server
    works on its own core); the foreign keys are checked at commit, and the row is created once
    the COPY has ended. Elsewhere the rows wait and go in one ``executemany`` after the row."""

    def __init__(self, *, source_id: int):
        self.source_id = int(source_id)
        self.rows = Rows()
        self.file_id: int | None = None
        self._copy = None
        self._pending: list = []
        self._stack = ExitStack()

    def __enter__(self):
        if self.rows.vendor == "postgresql":
            from psycopg.copy import QueuedLibpqWriter

            cursor = self._stack.enter_context(connection.cursor())
            table = f'"{LogFile._meta.db_table}"'
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            self.file_id = cursor.fetchone()[0]
            self._tail = f"\t{self.source_id}\t{int(self.file_id)}\n"
            raw = cursor.cursor
            self._copy = self._stack.enter_context(
                raw.copy(_copy_sql(), writer=QueuedLibpqWriter(raw))
            )
        return self

    @property
    def row_sink(self):
        """``add_rows`` when the rows go in by COPY (``parsers.parse_data``'s ``row_sink``)."""
        return self.add_rows if self.rows.copy else None

    def add_rows(self, lines: list[str]) -> None:
        """Records already as their canonical lines, which are their COPY rows (a parser's
        ``scan_rows``: no value in them needs quoting)."""
        self.rows.canon.extend(lines)
        self.rows.count += len(lines)
        if self._copy is not None:
            self._copy.write(self._tail.join(lines) + self._tail)

    def add(self, sessions) -> None:
        rows = self.rows.add(sessions)
        if not rows:
            return
        if self._copy is not None:
            self._copy.write(self._tail.join(rows) + self._tail)
        else:
            self._pending.extend(rows)

    def finish(self, create):
        """``create(file_id, records_sha256, records)`` makes the ``LogFile`` row (``file_id``
        None: the database picks it); returns it once its records are written."""
        digest = self.rows.digest()
        if self._copy is not None:
            self._stack.close()  # the end of the COPY: waits for the writer
            self._copy = None
            return create(self.file_id, digest, self.rows.count)
        log_file = create(None, digest, self.rows.count)
        prepared = Prepared(digest, self._pending, self.rows.count, self.rows.vendor)
        bulk_insert(prepared, source_id=self.source_id, file_id=log_file.pk)
        return log_file

    def __exit__(self, *exc_info):
        return self._stack.__exit__(*exc_info)


def _copy_sql() -> str:
    columns = ", ".join(f'"{name}"' for name in LOAD_COLUMNS)  # names from our own model
    not_null = ", ".join(f'"{name}"' for name in NOT_NULL_TEXT)
    return (
        f'COPY "{AccessRecord._meta.db_table}" ({columns}) FROM STDIN'
        f" (FORMAT csv, DELIMITER E'\\t', NULL '', FORCE_NOT_NULL ({not_null}))"
    )
