"""FortiGate's key=value logs: DHCP events and forward traffic (with source NAT)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from biys.logs5651.parsers.base import (
    END,
    NAT,
    SESSION,
    START,
    Event,
    Line,
    ParseError,
    Parser,
    normal_ip,
    normal_mac,
    register_parser,
)

PAIR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)')
DHCP_ACK = "0100026001"
TZ = re.compile(r"^([+-])(\d\d):?(\d\d)$")


def pairs(text: str) -> dict[str, str]:
    return {key: value.strip('"') for key, value in PAIR.findall(text)}


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


def _port(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
