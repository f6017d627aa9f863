"""FortiGate's key=value logs: DHCP events and forward traffic (with source NAT)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from biys.logs5651.parsers.base import (
    END,
    NAT,
    NO_EXTRA,
    SESSION,
    START,
    Event,
    Line,
    ParseError,
    Parser,
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
        day, clock, src_ip, kind = get("date"), get("time"), get("srcip"), get("type")
        if not (day and clock and src_ip and kind) or kind.strip('"') != "traffic":
            return None
        if len(clock) != 8 or clock[2] != ":" or clock[5] != ":":
            return None
        minute, second = clock[3:5], clock[6:8]
        if not (minute.isdigit() and second.isdigit()) or minute > "59" or second > "59":
            return None
        zone = get("tz", "").strip('"')
        hour = f"{day}T{clock[:2]}{zone}"
        try:
            base = self._hours.get(hour)
            if base is None:
                hour_fields = {"date": day.strip('"'), "time": clock[:2] + ":00:00", "tz": zone}
                base = self._hours[hour] = micros(self.when(hour_fields))
            time = base + (int(minute) * 60 + int(second)) * 1_000_000
            # normal_ip takes a quoted address too (it strips the quotes), as pairs() would.
            nat_ip, dst_ip, duration = get("transip"), get("dstip"), get("duration")
            src_port, nat_port, dst_port = get("srcport"), get("transport"), get("dstport")
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
                normal_mac(get("srcmac") or ""),
                time,
                "",
                "",
                NAT,
                None if extra == NO_EXTRA else extra,
            )
        except ValueError:  # a ParseError too: parse_line says why
            return None


def _port(value: str | None) -> int | None:
    if value and '"' in value:
        value = value.strip('"')
    return int(value) if value and value.isdigit() else None
