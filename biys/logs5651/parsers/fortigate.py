"""FortiGate's key=value logs: DHCP events and forward traffic (with source NAT)."""

import re
from datetime import datetime, timedelta
from operator import itemgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from biys.logs5651.parsers.base import (
    CLOCKS,
    END,
    NAT,
    NO_EXTRA,
    SECONDS_INTO_HOUR,
    SESSION,
    START,
    Event,
    Line,
    ParseError,
    Parser,
    hour_prefix,
    micros,
    normal_ip,
    normal_mac,
    register_parser,
)

PAIR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)')
DHCP_ACK = "0100026001"
TZ = re.compile(r"^([+-])(\d\d):?(\d\d)$")


def pairs(text: str) -> dict[str, str]:
    return {key: value.strip('"') for key, value in PAIR.findall(text)}


# ``fast_line`` reads a plain traffic line (printable ASCII without a backslash, and no quoted
# value, ``key="..."``, that holds a space or is glued to what follows it) with one regular
# expression: on such a line every " key=" starts a field whose value runs to the next space,
# exactly as ``pairs`` reads it (and ``dict`` keeps the last of a key, as ``pairs`` does).
# Other lines take ``pairs``.
NOT_PLAIN = re.compile(r'="[^"]*(?: |"[^ ])')
FIELDS = re.compile(
    r" (d(?:ate|st(?:ip|port)|uration)|t(?:ime|z|ype|rans(?:ip|port))|src(?:ip|port|mac))=(\S*)"
)


@register_parser
class FortigateLog(Parser):
    """``date=2026-11-30 time=08:00:01 logid="0000000013" type="traffic" subtype="forward"
    srcip=10.0.0.5 srcport=51234 srcmac="aa:.." dstip=1.2.3.4 dstport=443 transip=85.1.2.3
    transport=40000 action="close" duration=120`` (a session, written when it ends) and the DHCP
    event ``logid="0100026001" ... dhcp_msg="Ack" mac="AA:.." ip=10.0.0.9 lease=86400``. A
    syslog prefix before ``date=`` is ignored; ``tz="+0300"`` is honoured."""

    key = "fortigate"
    label = _("FortiGate (DHCP and traffic)")
    kind = NAT

    def when(self, fields: dict[str, str]) -> datetime:
        try:
            naive = datetime.fromisoformat(f"{fields['date']}T{fields['time']}")
        except (KeyError, ValueError) as error:
            raise ParseError(str(fields)) from error
        match = TZ.match(fields.get("tz", ""))
        if match:
            sign = 1 if match[1] == "+" else -1
            offset = timedelta(hours=int(match[2]), minutes=int(match[3])) * sign
            return naive.replace(tzinfo=ZoneInfo("UTC")) - offset
        return self.local(naive)

    def parse_line(self, line: Line) -> list[Event]:
        at = line.text.find("date=")
        if at < 0:
            raise ParseError(line.text)
        fields = pairs(line.text[at:])
        time = self.when(fields)
        if fields.get("type") == "traffic":
            if "srcip" not in fields:
                raise ParseError(line.text)
            duration = int(fields.get("duration") or 0)
            return [
                Event(
                    SESSION,
                    line,
                    time - timedelta(seconds=duration),
                    ip=normal_ip(fields["srcip"]),
                    mac=normal_mac(fields.get("srcmac", "")),
                    end=time,
                    record_kind=NAT,
                    src_port=_port(fields.get("srcport")),
                    nat_ip=normal_ip(fields["transip"]) if fields.get("transip") else None,
                    nat_port=_port(fields.get("transport")),
                    dst_ip=normal_ip(fields["dstip"]) if fields.get("dstip") else None,
                    dst_port=_port(fields.get("dstport")),
                )
            ]
        message = fields.get("dhcp_msg", "").lower()
        if fields.get("logid") == DHCP_ACK or message in ("ack", "release"):
            if message == "release":
                kind, end = END, None
            else:
                kind = START
                lease = fields.get("lease", "")
                end = time + timedelta(seconds=int(lease)) if lease.isdigit() else None
            return [
                Event(
                    kind,
                    line,
                    time,
                    ip=normal_ip(fields.get("ip", "")),
                    mac=normal_mac(fields.get("mac", "")),
                    end=end,
                    hostname=fields.get("hostname", ""),
                )
            ]
        return []

    def fast_line(self, text: str):
        at = text.find("date=")
        if at < 0 or 'type="traffic"' not in text or "\\" in text:
            return None
        if not (text.isascii() and text.isprintable()) or NOT_PLAIN.search(text, at):
            return None
        fields = dict(FIELDS.findall(" " + text[at:]))
        get = fields.get
        if not fields.get("type") or get("type").strip('"') != "traffic":
            return None
        return self._fast(*(get(key) for key in FAST_KEYS))

    def scan(self, text: str) -> list:
        """``fast_line`` of every line, the lines in the file's usual layout read by one
        regular expression (``Layout``) over the whole text, the others one by one."""
        if self._layout is None:
            self._layout = Layout.learn(self, text) or False
        if not self._layout:
            lines = text.split("\n")
            if text.endswith("\n"):
                lines.pop()
            return [self.fast_line(line) for line in lines]
        matches = self._layout.pattern.findall(text)
        if text.endswith("\n"):
            matches.pop()
        fast, line, fields = self._fast, self.fast_line, self._layout.fields
        return [fast(*fields(groups)) if groups[1] else line(groups[-1]) for groups in matches]

    _layout = None
    _row_layout = None

    def scan_rows(self, text: str, first: int, offsets: list) -> tuple[list, list | None]:
        """The canonical lines (``records.canonical``) of the traffic lines of ``text`` in the
        file's layout whose values are in their plain form (``RowLayout``), one string each,
        and the positions of the other lines (``Parser.scan_rows``)."""
        if self._layout is None:
            self._layout = Layout.learn(self, text) or False
        if not self._layout:
            return [], None
        if self._row_layout is None:
            self._row_layout = RowLayout.compile(self._layout.keys) or False
            self._row_hours, self._prefixes, self._addresses = {}, {}, set()
        layout = self._row_layout
        if not layout:
            return [], None
        matches = layout.pattern.findall(text)
        if text.endswith("\n"):
            matches.pop()
        rows: list[str] = []
        rest: list[int] = []
        add, skip = rows.append, rest.append
        fields, hours, prefixes = layout.fields, self._row_hours, self._prefixes
        addresses, clocks, seconds_of = self._addresses, CLOCKS, SECONDS_INTO_HOUR
        number = first + 1
        for position, groups in enumerate(matches):
            day, clock, zone, src_ip, src_port, mac, dst_ip, dst_port, nat_ip, nat_port, took = (
                fields(groups)
            )
            if not day:
                skip(position)
                continue
            if not (
                src_ip in addresses
                and (not dst_ip or dst_ip in addresses)
                and (not nat_ip or nat_ip in addresses)
            ) and not self._plain_addresses(src_ip, dst_ip, nat_ip):
                skip(position)
                continue
            # The local hour: its start in seconds since 1970 and, when it starts a UTC hour
            # too, that hour's "YYYY-MM-DDTHH:"; worked out once per hour (``_fast``'s way).
            hour = hours.get(day + clock[:2] + zone)
            if hour is None:
                hour = self._row_hour(day, clock, zone)
                if hour is None:
                    skip(position)
                    continue
            base, prefix = hour
            into = seconds_of[clock[3:]]
            if prefix is not None:
                end_text = prefix + clocks[into]
                end = base + into
            else:
                end = base + into
                hour_number, rest_seconds = divmod(end, 3600)
                end_text = (prefixes.get(hour_number) or self._prefix(hour_number)) + clocks[
                    rest_seconds
                ]
            if took and took != "0":
                hour_number, rest_seconds = divmod(end - int(took), 3600)
                start_text = (prefixes.get(hour_number) or self._prefix(hour_number)) + clocks[
                    rest_seconds
                ]
            else:
                start_text = end_text
            add(
                f"nat\t{src_ip}\t{mac}\t{start_text}\t{end_text}\t\t\t{src_port}\t{nat_ip}\t"
                f"{nat_port}\t{dst_ip}\t{dst_port}\t{number + position}\t"
                f"{offsets[first + position]}"
            )
        return rows, rest

    def _plain_addresses(self, *values: str) -> bool:
        """Are the addresses as ``normal_ip`` writes them (so copied as they are)?"""
        for value in values:
            if value and value not in self._addresses:
                try:
                    if normal_ip(value) != value:
                        return False
                except ValueError:
                    return False
                self._addresses.add(value)
        return True

    def _row_hour(self, day: str, clock: str, zone: str) -> tuple[int, str | None] | None:
        try:
            fields = {"date": day, "time": clock[:2] + ":00:00", "tz": zone.strip('"')}
            base = micros(self.when(fields)) // 1_000_000
        except ValueError:  # a ParseError too: the line is left to ``_fast``
            return None
        hour_number, rest_seconds = divmod(base, 3600)
        prefix = None if rest_seconds else self._prefix(hour_number)
        hour = self._row_hours[day + clock[:2] + zone] = (base, prefix)
        return hour

    def _prefix(self, hour: int) -> str:
        text = self._prefixes[hour] = hour_prefix(hour)
        return text

    def _fast(self, day, clock, zone, src_ip, src_port, src_mac, dst_ip, dst_port, nat_ip,
              nat_port, duration):  # fmt: skip
        """The session of a plain traffic line, from its fields (``FAST_KEYS``; a field the line
        does not have: None or empty)."""
        if not (day and clock and src_ip):
            return None
        if len(clock) != 8 or clock[2] != ":" or clock[5] != ":":
            return None
        minute, second = clock[3:5], clock[6:8]
        if not (minute.isdigit() and second.isdigit()) or minute > "59" or second > "59":
            return None
        zone = (zone or "").strip('"')
        hour = f"{day}T{clock[:2]}{zone}"
        try:
            base = self._hours.get(hour)
            if base is None:
                hour_fields = {"date": day.strip('"'), "time": clock[:2] + ":00:00", "tz": zone}
                base = self._hours[hour] = micros(self.when(hour_fields))
            time = base + (int(minute) * 60 + int(second)) * 1_000_000
            # normal_ip takes a quoted address too (it strips the quotes), as pairs() would.
            extra = (
                int(src_port) if src_port and src_port.isdigit() else _port(src_port),
                normal_ip(nat_ip) if nat_ip and nat_ip != '""' else None,
                int(nat_port) if nat_port and nat_port.isdigit() else _port(nat_port),
                normal_ip(dst_ip) if dst_ip and dst_ip != '""' else None,
                int(dst_port) if dst_port and dst_port.isdigit() else _port(dst_port),
            )
            if duration:
                seconds = int(duration) if duration.isdigit() else int(duration.strip('"') or 0)
            return (
                SESSION,
                time - seconds * 1_000_000 if duration else time,
                normal_ip(src_ip),
                normal_mac(src_mac or ""),
                time,
                "",
                "",
                NAT,
                None if extra == NO_EXTRA else extra,
            )
        except ValueError:  # a ParseError too: parse_line says why
            return None


# What ``scan_rows`` takes straight to a record's canonical line: values already in the form
# ``_fast`` and ``records`` would turn them into (an IPv4 address as ``ipaddress`` writes it, a
# port without a leading zero, a lower-case MAC address in quotes, whole seconds), so copied.
# (an address is also checked against ``normal_ip``, once per address)
IPV4 = r"(\d{1,3}(?:\.\d{1,3}){3})"
ROW_VALUES = {
    "date": r"(\d{4}-\d\d-\d\d)",
    "time": r"(\d\d:[0-5]\d:[0-5]\d)",
    "srcip": IPV4,
    "dstip": IPV4,
    "transip": IPV4,
    "srcport": r"(0|[1-9]\d{0,8})",
    "dstport": r"(0|[1-9]\d{0,8})",
    "transport": r"(0|[1-9]\d{0,8})",
    "srcmac": r'"([0-9a-f]{2}(?::[0-9a-f]{2}){5})"',
    "duration": r"(\d{1,9})",
}
# The fields ``scan_rows`` takes, in its order (``tz`` as ``_fast`` takes it).
ROW_KEYS = ("date", "time", "tz", "srcip", "srcport", "srcmac", "dstip", "dstport", "transip",
            "transport", "duration")  # fmt: skip


class RowLayout(NamedTuple):
    """The file's layout (``Layout``) with the values ``scan_rows`` copies as they are held to
    their plain form: a line it matches reads as ``_fast`` reads it, any other line of the
    layout is left to ``_fast`` (through ``fast_line``)."""

    pattern: re.Pattern
    fields: itemgetter

    @classmethod
    def compile(cls, keys: tuple) -> "RowLayout | None":
        if not {"date", "time", "srcip"} <= set(keys):  # not a session ``_fast`` reads
            return None
        parts = []
        for key in keys:
            if key == "type":
                parts.append('type="traffic"')
            elif key in ROW_VALUES:
                parts.append(f"{key}={ROW_VALUES[key]}")
            elif key in ROW_KEYS:  # tz
                parts.append(f"{key}=({VALUE})")
            else:
                parts.append(f"{key}=(?:{VALUE})")
        order = [key for key in keys if key in ROW_KEYS]
        pattern = re.compile(rf"(?m)^(?:(){PREFIX}{' '.join(parts)}|.*)$")
        fields = itemgetter(*(order.index(key) + 1 if key in order else 0 for key in ROW_KEYS))
        return cls(pattern, fields)


# The fields ``_fast`` takes, in its order.
FAST_KEYS = ("date", "time", "tz", "srcip", "srcport", "srcmac", "dstip", "dstport", "transip",
             "transport", "duration")  # fmt: skip
# A value on a plain line: printable ASCII without a space, a quote or a backslash, or such
# characters quoted; a prefix before ``date=``: printable ASCII without ``=``.
VALUE = r'"[!#-\[\]-~]*"|[!#-\[\]-~]*'
PREFIX = r"[ -<>-\[\]-~]*"
KEY = re.compile(r"^\w+$", re.ASCII)


class Layout(NamedTuple):
    """A file's usual traffic line: its keys in their order, compiled into one regular
    expression that reads such a line exactly as ``fast_line`` does (a group per key
    ``_fast`` takes, in ``FAST_KEYS`` order, then the whole line when it is not such a line).
    FortiGate writes the fields of a log type in a fixed order, so most lines of a file share
    one layout; the others take ``fast_line``."""

    keys: tuple
    pattern: re.Pattern
    fields: itemgetter  # a match's groups -> the arguments of ``_fast``

    @classmethod
    def learn(cls, parser, text: str, lines: int = 100) -> "Layout | None":
        """The layout of the first plain traffic line among the first ``lines``."""
        for line in text.split("\n", lines)[:lines]:
            at = line.find("date=")
            if at < 0 or parser.fast_line(line) is None:
                continue
            tokens = line[at:].split(" ")
            keys = tuple(token.partition("=")[0] for token in tokens)
            if len(set(keys)) != len(keys) or not all(KEY.match(key) for key in keys):
                return None
            if re.fullmatch(PREFIX, line[:at]) is None:
                return None
            return cls.compile(keys)
        return None

    @classmethod
    def compile(cls, keys: tuple) -> "Layout":
        parts = []
        for key in keys:
            if key == "type":
                parts.append('type="traffic"')
            elif key in FAST_KEYS:
                parts.append(f"{key}=({VALUE})")
            else:
                parts.append(f"{key}=(?:{VALUE})")
        # Groups: an empty one (0), the keys ``_fast`` takes in the line's order (the first
        # is ``date``), then the whole line when it is not in this layout.
        order = [key for key in keys if key in FAST_KEYS]
        pattern = re.compile(rf"(?m)^(?:(){PREFIX}{' '.join(parts)}|(.*))$")
        fields = itemgetter(*(order.index(key) + 1 if key in order else 0 for key in FAST_KEYS))
        return cls(keys, pattern, fields)


def _port(value: str | None) -> int | None:
    if value and '"' in value:
        value = value.strip('"')
    return int(value) if value and value.isdigit() else None
