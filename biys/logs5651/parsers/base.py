"""What every log parser shares: the events a line yields, the registry, syslog prefixes and the
merging of events into sessions (one access record per lease, login or NAT session).

A parser reads a day's file line by line (``parse``) and yields events; a line it cannot read is
counted as unreadable (it stays in the stored raw file, it is never silently dropped), a line it
reads but that says nothing about who had an address (a DHCPDISCOVER) is counted as skipped.
"""

import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings

START, END, SESSION, SKIP = "start", "end", "session", "skip"
LEASE, NAT, LOGIN = "lease", "nat", "login"


@dataclass
class Line:
    number: int  # 1-based line number in the raw file
    offset: int  # byte offset of the line's first byte in the raw file
    text: str


@dataclass
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


@dataclass
class Session:
    """One access record: who (MAC, user) had ``ip`` from ``start`` to ``end``."""

    ip: str
    mac: str
    start: datetime
    end: datetime | None
    line: int
    offset: int
    kind: str = LEASE
    identity: str = ""
    hostname: str = ""
    src_port: int | None = None
    nat_ip: str | None = None
    nat_port: int | None = None
    dst_ip: str | None = None
    dst_port: int | None = None


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

    def __init__(self, *, day: date, tz: ZoneInfo | None = None):
        self.day = day
        self.tz = tz or ZoneInfo(settings.TIME_ZONE)
        self._stamps: dict[str, datetime] = {}

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

    def _rfc3164(self, stamp: str) -> datetime:
        try:
            month = MONTHS[stamp[:3]]
            day = int(stamp[4:6])
            hour, minute, second = int(stamp[7:9]), int(stamp[10:12]), int(stamp[13:15])
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


@lru_cache(maxsize=65_536)
def normal_ip(value: str) -> str:
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
    """Run ``parser`` over ``lines`` and merge its events into sessions."""
    result = ParseResult()
    merger = SessionMerger()
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
            merger.add(item)
    result.lines = len(seen)
    result.sessions = merger.finish()
    # A line counts once: skipped if it yielded nothing else.
    result.skipped = max(0, min(result.skipped, result.lines - result.unreadable))
    return result


class SessionMerger:
    """Events into sessions. A START for an address opens a session or, for the same device,
    extends it (a renewal); a START for another device closes the previous holder's session; an
    END closes it. Sessions still open at the end of the file end at their last known expiry,
    else at the last line that showed them (never later than anything in the file says)."""

    def __init__(self):
        self.open: dict[tuple[str, str], dict] = {}
        self.done: list[Session] = []

    def _close(self, key, when: datetime | None) -> None:
        state = self.open.pop(key)
        end = when if when is not None else (state["expiry"] or state["seen"])
        self.done.append(_session(state["event"], state["start"], max(end, state["start"])))

    def add(self, event: Event) -> None:
        if event.kind == SESSION:
            self.done.append(_session(event, event.time, event.end))
            return
        key = (event.record_kind, event.ip)
        state = self.open.get(key)
        if event.kind == START:
            if state and (state["event"].mac, state["event"].identity) != (
                event.mac,
                event.identity,
            ):
                self._close(key, event.time)
                state = None
            if state is None:
                self.open[key] = {
                    "event": event,
                    "start": event.time,
                    "seen": event.time,
                    "expiry": event.end,
                }
            else:
                state["seen"] = max(state["seen"], event.time)
                if event.end and (state["expiry"] is None or event.end > state["expiry"]):
                    state["expiry"] = event.end
                if event.hostname and not state["event"].hostname:
                    state["event"].hostname = event.hostname
        elif event.kind == END:
            if state and (not event.mac or state["event"].mac == event.mac):
                self._close(key, event.time)
            else:
                # A release whose start is in an earlier file: the device held the address
                # until then, from a time this file does not show.
                self.done.append(_session(event, event.time, event.time))

    def finish(self) -> list[Session]:
        for key in list(self.open):
            self._close(key, None)
        return self.done


def _session(event: Event, start: datetime, end: datetime | None) -> Session:
    return Session(
        ip=event.ip,
        mac=event.mac,
        start=start,
        end=end,
        line=event.line.number,
        offset=event.line.offset,
        kind=event.record_kind,
        identity=event.identity,
        hostname=event.hostname[:100],
        src_port=event.src_port,
        nat_ip=event.nat_ip,
        nat_port=event.nat_port,
        dst_ip=event.dst_ip,
        dst_port=event.dst_port,
    )


def split_lines(data: bytes) -> Iterator[Line]:
    """The raw file's lines with their number and byte offset (UTF-8, undecodable bytes
    replaced, so a stray byte never loses a line)."""
    offset = 0
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        yield Line(number, offset, raw.decode("utf-8", "replace").rstrip("\r\n"))
        offset += len(raw)
