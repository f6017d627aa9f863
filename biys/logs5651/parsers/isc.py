"""ISC dhcpd: its syslog lines and its leases file."""

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from django.utils.translation import gettext_lazy as _

from biys.logs5651.parsers.base import (
    END,
    LEASE,
    MICROS_INTO_HOUR,
    PROGRAM,
    SESSION,
    SKIP,
    START,
    Event,
    Line,
    ParseError,
    Parser,
    normal_ip,
    normal_mac,
    register_parser,
    split_syslog,
)

ACK = re.compile(r"^DHCPACK on (?P<ip>\S+) to (?P<mac>[0-9a-fA-F:]{17})(?: \((?P<host>[^)]*)\))?")
RELEASE = re.compile(
    r"^DHCP(?:RELEASE|EXPIRE) (?:of|on) (?P<ip>\S+) (?:from|to) (?P<mac>[0-9a-fA-F:]{17})"
)
# The common line in one match: an RFC 3164 prefix with single spaces, ``dhcpd``, then an ACK
# (groups 2-4), a RELEASE or EXPIRE (5-6), or any other message (no group: skipped).
FAST_LINE = (
    r"([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) \S+ dhcpd(?:\[\d+\])?: (?:"
    r"DHCPACK on (\S+) to ([0-9a-fA-F:]{17})(?: \(([^)\n]*)\))?"
    r"|DHCP(?:RELEASE|EXPIRE) (?:of|on) (\S+) (?:from|to) ([0-9a-fA-F:]{17}))?"
)
FAST = re.compile(FAST_LINE)
# The same over a whole text, a match a line (``scan``): the line's groups, or (group 7) the
# whole line when it is not one of these (the stamp, group 1, is then empty).
SCAN = re.compile(rf"(?m)^(?:{FAST_LINE}.*|(.*))$")


@register_parser
class IscDhcpdSyslog(Parser):
    """``dhcpd[812]: DHCPACK on 10.0.0.20 to aa:aa:aa:aa:aa:01 (pc1) via eth0``: an ACK opens or
    renews a lease, a RELEASE (or EXPIRE) ends it; other dhcpd lines are skipped."""

    key = "isc_dhcpd_syslog"
    label = _("ISC dhcpd (syslog)")

    def parse_line(self, line: Line) -> list[Event]:
        stamp, _host, rest = split_syslog(line.text)
        program = PROGRAM.match(rest)
        if not program or not program["program"].startswith("dhcpd"):
            raise ParseError(line.text)
        message = program["message"]
        time = self.syslog_time(stamp)
        if match := ACK.match(message):
            return [
                Event(
                    START,
                    line,
                    time,
                    ip=normal_ip(match["ip"]),
                    mac=normal_mac(match["mac"]),
                    hostname=match["host"] or "",
                )
            ]
        if match := RELEASE.match(message):
            return [Event(END, line, time, ip=normal_ip(match["ip"]), mac=normal_mac(match["mac"]))]
        return []

    def fast_line(self, text: str):
        match = FAST.match(text)
        if match is None:
            return None
        return self._fast(*match.groups())

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Addresses and MAC addresses recur: each spelling is normalised once.
        self._known: dict[str, str] = {}

    def scan(self, text: str) -> list:
        """``_fast`` of every line, inline for the lines whose hour, address and MAC address
        were seen before (most of a file), ``_fast`` itself for the others."""
        matches = SCAN.findall(text)
        if text.endswith("\n"):
            matches.pop()
        events: list = []
        add = events.append
        hours, into_hour, known, fast = self._hours, MICROS_INTO_HOUR, self._known, self._fast
        for groups in matches:
            stamp, ip, mac, host, end_ip, end_mac, _line = groups
            if not stamp:
                add(None)
                continue
            base, into = hours.get(stamp[:9]), into_hour.get(stamp[10:15])
            if base is None or into is None:
                add(fast(*groups))
            elif ip:
                address, hardware = known.get(ip), known.get(mac)
                if address is None or hardware is None:
                    add(fast(*groups))
                else:
                    add((START, base + into, address, hardware, None, "", host, LEASE, None))
            elif end_ip:
                address, hardware = known.get(end_ip), known.get(end_mac)
                if address is None or hardware is None:
                    add(fast(*groups))
                else:
                    add((END, base + into, address, hardware, None, "", "", LEASE, None))
            else:
                add(SKIP)
        return events

    def _fast(self, stamp, ip, mac, host, end_ip, end_mac, _line=None):
        """The event of a line ``FAST`` matched (a group it did not match: None or empty)."""
        time = self.syslog_micros(stamp)
        if time is None:
            return None
        try:
            if ip:
                return (START, time, self._normal(ip, normal_ip), self._normal(mac, normal_mac),
                        None, "", host or "", LEASE, None)  # fmt: skip
            if end_ip:
                return (END, time, self._normal(end_ip, normal_ip),
                        self._normal(end_mac, normal_mac), None, "", "", LEASE, None)  # fmt: skip
        except ValueError:  # a ParseError too
            return None  # parse_line says why
        return SKIP

    def _normal(self, value: str, normal) -> str:
        text = self._known.get(value)
        if text is None:
            text = normal(value)
            if len(self._known) > 200_000:
                self._known.clear()
            self._known[value] = text
        return text


LEASE_OPEN = re.compile(r"^lease (?P<ip>\S+) \{\s*$")
LEASE_TIME = re.compile(
    r"^(?P<what>starts|ends) (?:\d (?P<stamp>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)|never);$"
)
HARDWARE = re.compile(r"^hardware ethernet (?P<mac>[0-9a-fA-F:]+);$")
HOSTNAME = re.compile(r'^client-hostname "(?P<host>[^"]*)";$')
HEADER = re.compile(r"^(#|authoring-byte-order |server-duid |failover peer |ia-)")


@register_parser
class IscDhcpdLeases(Parser):
    """The ``dhcpd.leases`` file: one record per ``lease IP { starts ...; ends ...; hardware
    ethernet ...; }`` block (times in UTC, as dhcpd writes them). A block without start or
    hardware address is unreadable, every one of its lines counted."""

    key = "isc_dhcpd_leases"
    label = _("ISC dhcpd (leases file)")

    def parse(self, lines: Iterable[Line]) -> Iterator[Event | Line]:
        block: list[Line] = []
        for line in lines:
            text = line.text.strip()
            if block:
                block.append(line)
                if text == "}":
                    yield from self._block(block)
                    block = []
                continue
            if LEASE_OPEN.match(text):
                block = [line]
            elif not text or HEADER.match(text) or text == "}":
                yield Event(SKIP, line)
            else:
                yield line
        yield from block  # an unclosed block at the end of the file

    def _block(self, block: list[Line]) -> Iterator[Event | Line]:
        head = block[0]
        values: dict[str, object] = {}
        try:
            values["ip"] = normal_ip(LEASE_OPEN.match(head.text.strip())["ip"])
            for line in block[1:-1]:
                text = line.text.strip()
                if match := LEASE_TIME.match(text):
                    stamp = match["stamp"]
                    values[match["what"]] = (
                        datetime.strptime(stamp, "%Y/%m/%d %H:%M:%S").replace(tzinfo=UTC)
                        if stamp
                        else None
                    )
                elif match := HARDWARE.match(text):
                    values["mac"] = normal_mac(match["mac"])
                elif match := HOSTNAME.match(text):
                    values["hostname"] = match["host"]
            if not values.get("starts") or "mac" not in values:
                raise ParseError(head.text)
        except ParseError:
            yield from block
            return
        yield Event(
            SESSION,
            head,
            values["starts"],
            ip=values["ip"],
            mac=values["mac"],
            end=values.get("ends"),
            hostname=values.get("hostname", ""),
        )
        for line in block[1:]:
            yield Event(SKIP, line)
