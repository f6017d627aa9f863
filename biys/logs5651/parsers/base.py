"""What every log parser shares: the events a line yields, the registry, syslog prefixes and the
merging of events into sessions (one access record per lease, login or NAT session).

A parser reads a day's file line by line (``parse``) and yields events; a line it cannot read is
counted as unreadable (it stays in the stored raw file, it is never silently dropped), a line it
reads but that says nothing about who had an address (a DHCPDISCOVER) is counted as skipped.

Speed: ingest reads a file through ``parse_data``. A line format may add ``fast_line``: one
compiled regular expression for its common lines that returns the event as a plain tuple (or
``SKIP``), and ``None`` for anything else, which then goes through ``parse_line`` as usual. Both
must give the same answer for the lines ``fast_line`` takes (the tests run each sample both
ways). Events become sessions in ``SessionMerger`` on tuples, never one object per line, and
times on that path are integers (microseconds since 1970 UTC, ``micros``): comparing them and
turning them into the database's text costs a fraction of what datetimes do.
"""

import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from socket import AF_INET, inet_pton
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings

START, END, SESSION, SKIP = "start", "end", "session", "skip"
LEASE, NAT, LOGIN = "lease", "nat", "login"


@dataclass(slots=True)
class Line:
    number: int  # 1-based line number in the raw file
    offset: int  # byte offset of the line's first byte in the raw file
    text: str


@dataclass(slots=True)
class Event:
    """What one line says. ``START``/``END`` open and close a lease or login; ``SESSION`` is a
    whole session on one line (a lease block, a closed NAT session); ``SKIP`` a readable line
    about nothing the law asks for."""

    kind: str
    line: Line
    time: datetime | None = None
    ip: str = ""
    mac: str = ""
    end: datetime | None = None
    identity: str = ""
    hostname: str = ""
    record_kind: str = LEASE
    src_port: int | None = None
    nat_ip: str | None = None
    nat_port: int | None = None
    dst_ip: str | None = None
    dst_port: int | None = None

    def astuple(self) -> tuple:
        """The event as ``fast_line`` returns it (see ``EventTuple``)."""
        extra = (self.src_port, self.nat_ip, self.nat_port, self.dst_ip, self.dst_port)
        return (
            self.kind,
            micros(self.time) if self.time is not None else None,
            self.ip,
            self.mac,
            micros(self.end) if self.end is not None else None,
            self.identity,
            self.hostname,
            self.record_kind,
            None if extra == NO_EXTRA else extra,
        )


# What ``fast_line`` returns for a line it reads: (kind, time, ip, mac, end, identity, hostname,
# record_kind, extra), times in ``micros``, extra None or (src_port, nat_ip, nat_port, dst_ip,
# dst_port).
EventTuple = tuple
NO_EXTRA = (None, None, None, None, None)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


# "MM:SS+00:00" of every second of an hour: a time's canonical text (``records.canonical``) is
# its UTC hour's "YYYY-MM-DDTHH:" and one of these.
CLOCKS = tuple(f"{second // 60:02d}:{second % 60:02d}+00:00" for second in range(3600))


# "MM:SS" -> seconds and microseconds into the hour (only real minutes and seconds).
SECONDS_INTO_HOUR = {clock[:5]: second for second, clock in enumerate(CLOCKS)}
MICROS_INTO_HOUR = {clock: second * 1_000_000 for clock, second in SECONDS_INTO_HOUR.items()}


def hour_prefix(hour: int) -> str:
    """ "YYYY-MM-DDTHH:" of the UTC hour ``hour`` (hours since 1970)."""
    return from_micros(hour * 3_600_000_000).isoformat()[:14]


def micros(value: datetime) -> int:
    """An aware datetime as whole microseconds since 1970 UTC (exact)."""
    return (value - EPOCH) // MICROSECOND


def from_micros(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


class Session(NamedTuple):
    """One access record: who (MAC, user) had ``ip`` from ``start`` to ``end``. The fields are
    the record's columns in ``records.DIGEST_COLUMNS`` order, the times in ``micros``
    (``start`` and ``end`` give them as datetimes, in UTC)."""

    kind: str
    ip: str
    mac: str
    start_micros: int
    end_micros: int | None
    identity: str
    hostname: str
    src_port: int | None
    nat_ip: str | None
    nat_port: int | None
    dst_ip: str | None
    dst_port: int | None
    line: int
    offset: int

    @property
    def start(self) -> datetime:
        return from_micros(self.start_micros)

    @property
    def end(self) -> datetime | None:
        return None if self.end_micros is None else from_micros(self.end_micros)


@dataclass
class ParseResult:
    sessions: list[Session] = field(default_factory=list)
    lines: int = 0
    skipped: int = 0
    unreadable: int = 0
    unreadable_samples: list[int] = field(default_factory=list)  # first line numbers


class ParseError(ValueError):
    """The line is not in the parser's format."""


class Parser:
    """One log format. Subclasses set ``key`` and ``label`` and implement ``parse_line`` (or
    ``parse`` for formats spanning several lines)."""

    key = ""
    label = ""
    kind = LEASE  # what the records of this format are
    # ``fast_line(text) -> EventTuple | SKIP | None`` in formats that have one (see above).
    fast_line = None
    # ``scan(text) -> list[EventTuple | SKIP | None]``: ``fast_line`` of every line of ``text``
    # (ASCII lines without a carriage return, separated by newlines, the last one maybe not
    # ended), one item a line, read in one go by one regular expression over the whole text
    # (``re.findall`` with a catch-all alternative, so every line gives exactly one match).
    scan = None
    # ``scan_rows(text, first, offsets) -> (rows, rest)``: for bulk loading (COPY), the lines
    # of ``text`` (lines ``first``… of the file, ``offsets`` the file's line offsets) that are
    # whole sessions in the format's usual layout, turned straight into their records'
    # canonical lines (``records.canonical``, which is also their COPY row), without an event
    # or a session a line; ``rest``: the positions in ``text`` of the other lines, in order,
    # for the usual way (``scan``/``fast_line``/``parse_line``), or None to read them all so.
    # The tests hold its rows to the ones the sessions of the usual way give.
    scan_rows = None

    def __init__(self, *, day: date, tz: ZoneInfo | None = None):
        self.day = day
        self.tz = tz or ZoneInfo(settings.TIME_ZONE)
        self._stamps: dict[str, datetime] = {}
        self._hours: dict[str, int] = {}  # "Nov 29 08" -> micros of that local hour

    def parse_line(self, line: Line) -> list[Event]:
        raise NotImplementedError

    def parse(self, lines: Iterable[Line]) -> Iterator[Event | Line]:
        """Events, and the lines that could not be read (yielded as themselves)."""
        for line in lines:
            if not line.text.strip():
                yield Event(SKIP, line)
                continue
            try:
                events = self.parse_line(line)
            except (ParseError, ValueError):
                yield line
                continue
            if not events:
                yield Event(SKIP, line)
            yield from events

    # Helpers shared by the formats.

    def local(self, naive: datetime) -> datetime:
        return naive.replace(tzinfo=self.tz)

    def syslog_time(self, stamp: str) -> datetime:
        """An RFC 3164 ``Nov 30 08:00:01`` (no year, no zone: dated by the file's day, in local
        time; December lines in a January file are of the year before) or an RFC 3339 stamp."""
        if stamp[:4].isdigit():
            return parse_iso(stamp, self.tz)
        cached = self._stamps.get(stamp)
        if cached is None:
            cached = self._rfc3164(stamp)
            if len(self._stamps) > 100_000:
                self._stamps.clear()
            self._stamps[stamp] = cached
        return cached

    def syslog_micros(self, stamp: str) -> int | None:
        """``syslog_time`` of an RFC 3164 stamp as ``micros``, from the local hour's start (one
        datetime per hour of the file, not per line); None when it is not one."""
        base = self._hours.get(stamp[:9])
        if base is None:
            try:
                base = micros(self._rfc3164(stamp[:9] + ":00:00"))
            except ValueError:  # a ParseError too
                return None
            self._hours[stamp[:9]] = base
        # "MM:SS" (the callers' expressions put the colon there): micros into the hour.
        into = MICROS_INTO_HOUR.get(stamp[10:15])
        return None if into is None else base + into

    def _rfc3164(self, stamp: str) -> datetime:
        try:
            name, day_text, clock = stamp.split()  # "Nov  5 08:00:01" or "Nov 5 08:00:01"
            month, day = MONTHS[name], int(day_text)
            hour, minute, second = (int(part) for part in clock.split(":"))
        except (KeyError, ValueError) as error:
            raise ParseError(stamp) from error
        year = self.day.year
        if month == 12 and self.day.month == 1:
            year -= 1
        elif month == 1 and self.day.month == 12:
            year += 1
        return datetime(year, month, day, hour, minute, second, tzinfo=self.tz)


MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


_registry: dict[str, type[Parser]] = {}


def register_parser(cls: type[Parser]) -> type[Parser]:
    if not cls.key or cls.key in _registry:
        raise ValueError(f"parser key {cls.key!r} is empty or taken")
    _registry[cls.key] = cls
    return cls


def get_parser(key: str) -> type[Parser]:
    return _registry[key]


def parser_keys() -> list[str]:
    return list(_registry)


# RFC 3164 ("Nov 30 08:00:01 host prog[pid]: msg") or RFC 3339 ("2026-11-30T08:00:01+03:00
# host prog: msg", rsyslog's RSYSLOG_FileFormat) prefix; an optional "<PRI>" first.
SYSLOG = re.compile(
    r"^(?:<\d{1,3}>)?(?P<stamp>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|"
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)"
    r"\s+(?P<host>\S+)\s+(?P<rest>.*)$"
)
PROGRAM = re.compile(r"^(?P<program>[\w./-]+)(?:\[\d+\])?:\s*(?P<message>.*)$")


def split_syslog(text: str) -> tuple[str, str, str]:
    """(stamp, host, rest) of a syslog line; ParseError when it has no syslog prefix."""
    match = SYSLOG.match(text)
    if not match:
        raise ParseError(text)
    stamp = match["stamp"]
    if "  " in stamp:
        stamp = re.sub(r"\s+", " ", stamp)
    return stamp, match["host"], match["rest"]


def parse_iso(stamp: str, tz: ZoneInfo) -> datetime:
    value = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=tz)


HEX_MAC = re.compile(r"^[0-9A-Fa-f]{12}$")


@lru_cache(maxsize=65_536)
def normal_mac(value: str) -> str:
    """``aa:bb:cc:dd:ee:ff`` from any of the usual spellings; ParseError if it is not one."""
    value = value.strip().strip('"')
    if not value:
        return ""
    digits = re.sub(r"[:\-.]", "", value)
    if not HEX_MAC.match(digits):
        raise ParseError(value)
    digits = digits.lower()
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def normal_ip(value: str) -> str:
    """The address as ``ipaddress`` writes it; ParseError if it is not one. An IPv4 address
    already written so (what ``inet_pton`` takes: four decimal parts, no leading zero) is
    returned as it is, without building an object."""
    try:
        inet_pton(AF_INET, value)
        return value
    except (OSError, ValueError):
        return _normal_ip(value)


@lru_cache(maxsize=65_536)
def _normal_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip().strip('"')))
    except ValueError as error:
        raise ParseError(value) from error


DURATION_PART = re.compile(r"(\d+)\s*(day|hr|min|sec)s?")


def parse_duration(text: str) -> timedelta:
    """``6 hrs 10 mins 25 secs`` (Kea) -> timedelta."""
    units = {"day": 86400, "hr": 3600, "min": 60, "sec": 1}
    seconds = sum(int(n) * units[u] for n, u in DURATION_PART.findall(text))
    return timedelta(seconds=seconds)


def parse_lines(parser: Parser, lines: Iterable[Line]) -> ParseResult:
    """Run ``parser`` over ``lines`` (its ``parse``, line by line) and merge its events into
    sessions. ``parse_data`` is the fast way to the same result for a whole file."""
    result = ParseResult()
    merger = SessionMerger()
    add = merger.add
    seen = set()
    for item in parser.parse(lines):
        if isinstance(item, Line):
            seen.add(item.number)
            result.unreadable += 1
            if len(result.unreadable_samples) < 20:
                result.unreadable_samples.append(item.number)
            continue
        seen.add(item.line.number)
        if item.kind == SKIP:
            result.skipped += 1
        else:
            add(*item.astuple(), item.line.number, item.line.offset)
    result.lines = len(seen)
    result.sessions = merger.finish()
    # A line counts once: skipped if it yielded nothing else.
    result.skipped = max(0, min(result.skipped, result.lines - result.unreadable))
    return result


def parse_data(
    parser: Parser, data: bytes, *, sink=None, batch: int = 20_000, row_sink=None
) -> ParseResult:
    """The whole file ``data`` through ``parser``: the same result as ``parse_lines(parser,
    split_lines(data))``, without an object per line. Formats spanning several lines (their own
    ``parse``) take the line-by-line way.

    With ``sink``, sessions are handed to it as they close, a list every ``batch`` lines and the
    rest at the end (so loading can start before the file is read), and ``result.sessions``
    stays empty.

    With ``row_sink`` too (bulk loading on PostgreSQL), a format with ``scan_rows`` hands the
    canonical lines of the whole sessions it reads to ``row_sink`` (a list a batch) instead of
    sessions to ``sink``; the counts are the same."""
    if type(parser).parse is not Parser.parse:
        result = parse_lines(parser, split_lines(data))
        if sink is not None:
            sink(result.sessions)
            result.sessions = []
        return result
    texts, offsets = line_texts(data)
    result = ParseResult(lines=len(texts))
    merger = SessionMerger()
    add = merger.add
    fast = parser.fast_line
    slow = parser.parse_line
    # ``scan`` reads a batch of plain lines at once: the common case of a big file.
    scan = parser.scan if b"\r" not in data and data.isascii() else None
    skipped = unreadable = 0
    samples = result.unreadable_samples
    done, new_session = merger.done, tuple.__new__
    step = batch if sink is not None else max(len(texts), 1)
    scan_rows = parser.scan_rows if scan is not None and row_sink is not None else None

    def read_slowly(index: int):
        """A line through ``parse_line``: its events merged; SKIP for a line about nothing,
        ``False`` for an unreadable one (its number kept among the samples), else None."""
        text = texts[index]
        if not text.strip():
            return SKIP
        try:
            events = slow(Line(index + 1, offsets[index], text))
        except (ParseError, ValueError):
            if len(samples) < 20:
                samples.append(index + 1)
            return False
        for item in events:
            add(*item.astuple(), index + 1, offsets[index])
        return None if events else SKIP

    for first in range(0, len(texts), step):
        last = min(first + step, len(texts))
        indexes = range(first, last)
        scanned = None
        if scan is not None:
            # The batch's lines as the file has them (ASCII: a byte is a character).
            chunk = data[offsets[first] : offsets[last]].decode("ascii")
            rest = None
            if scan_rows is not None:
                rows, rest = scan_rows(chunk, first, offsets)
                if rows:
                    row_sink(rows)
            if rest is None:
                scanned = scan(chunk)
            else:  # the lines scan_rows left, the usual way (fast_line, then parse_line)
                indexes = [first + position for position in rest]
        if scanned is not None:
            # The scanned batch: most lines read; the others (None: fast_line read them not
            # either) by parse_line, in their place.
            for index, event in enumerate(scanned, first):
                if event is None:
                    outcome = read_slowly(index)
                    if outcome is not None:
                        if outcome is SKIP:
                            skipped += 1
                        else:
                            unreadable += 1
                elif event is SKIP:
                    skipped += 1
                elif event[0] is SESSION:  # a whole session: no merging, straight out
                    _kind, time, ip, mac, end, identity, hostname, record_kind, extra = event
                    src_port, nat_ip, nat_port, dst_ip, dst_port = extra or NO_EXTRA
                    done.append(
                        new_session(Session, (record_kind, ip, mac, time, end, identity,
                                    hostname[:100], src_port, nat_ip, nat_port, dst_ip,
                                    dst_port, index + 1, offsets[index]))
                    )  # fmt: skip
                else:
                    add(*event, index + 1, offsets[index])
            indexes = ()
        for index in indexes:
            if fast is not None:
                event = fast(texts[index])
                if event is not None:
                    if event is SKIP:
                        skipped += 1
                    else:
                        add(*event, index + 1, offsets[index])
                    continue
            outcome = read_slowly(index)
            if outcome is not None:
                if outcome is SKIP:
                    skipped += 1
                else:
                    unreadable += 1
        if sink is not None and merger.done:
            sink(merger.done)
            merger.done = done = []
    result.skipped, result.unreadable = skipped, unreadable
    result.sessions = merger.finish()
    if sink is not None:
        sink(result.sessions)
        result.sessions = []
    return result


class SessionMerger:
    """Events into sessions. A START for an address opens a session or, for the same device,
    extends it (a renewal); a START for another device closes the previous holder's session; an
    END closes it. Sessions still open at the end of the file end at their last known expiry,
    else at the last line that showed them (never later than anything in the file says).

    An open session is a list [start, seen, expiry, mac, identity, hostname, extra, line,
    offset] under (record kind, address)."""

    def __init__(self):
        self.open: dict[tuple[str, str], list] = {}
        self.done: list[Session] = []

    def _close(self, key, when: datetime | None) -> None:
        start, seen, expiry, mac, identity, hostname, extra, line, offset = self.open.pop(key)
        end = when if when is not None else (expiry or seen)
        self.done.append(
            _session(key[0], key[1], mac, start, max(end, start), identity, hostname, extra,
                     line, offset)
        )  # fmt: skip

    def add(self, kind, time, ip, mac, end, identity, hostname, record_kind, extra, line, offset):
        if kind == SESSION:
            self.done.append(
                _session(record_kind, ip, mac, time, end, identity, hostname, extra, line, offset)
            )
            return
        key = (record_kind, ip)
        state = self.open.get(key)
        if kind == START:
            if state is not None and (state[3] != mac or state[4] != identity):
                self._close(key, time)
                state = None
            if state is None:
                self.open[key] = [time, time, end, mac, identity, hostname, extra, line, offset]
            else:
                if time > state[1]:
                    state[1] = time
                if end is not None and (state[2] is None or end > state[2]):
                    state[2] = end
                if hostname and not state[5]:
                    state[5] = hostname
        elif kind == END:
            if state is not None and (not mac or state[3] == mac):
                self._close(key, time)
            else:
                # A release whose start is in an earlier file: the device held the address
                # until then, from a time this file does not show.
                self.done.append(
                    _session(record_kind, ip, mac, time, time, identity, hostname, extra,
                             line, offset)
                )  # fmt: skip

    def finish(self) -> list[Session]:
        for key in list(self.open):
            self._close(key, None)
        return self.done


def _session(kind, ip, mac, start, end, identity, hostname, extra, line, offset) -> Session:
    src_port, nat_ip, nat_port, dst_ip, dst_port = extra or NO_EXTRA
    return Session(
        kind, ip, mac, start, end, identity, hostname[:100], src_port, nat_ip, nat_port,
        dst_ip, dst_port, line, offset,
    )  # fmt: skip


def line_texts(data: bytes) -> tuple[list[str], list[int]]:
    """The raw file's lines (as ``split_lines`` cuts them) and each one's byte offset."""
    if b"\r" not in data and data.isascii():
        # The common case, all in C: one decode, one split.
        texts = data.decode("ascii").split("\n")
        if texts[-1] == "":
            texts.pop()
        offsets = [0, *accumulate(map((1).__add__, map(len, texts)))]
        return texts, offsets
    raw = data.splitlines(keepends=True)
    offsets = [0, *accumulate(map(len, raw))]
    texts = [item.decode("utf-8", "replace").rstrip("\r\n") for item in raw]
    return texts, offsets


def split_lines(data: bytes) -> Iterator[Line]:
    """The raw file's lines with their number and byte offset (UTF-8, undecodable bytes
    replaced, so a stray byte never loses a line)."""
    offset = 0
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        yield Line(number, offset, raw.decode("utf-8", "replace").rstrip("\r\n"))
        offset += len(raw)
