"""MikroTik RouterOS lines received over syslog: DHCP leases, firewall/NAT connections and the
hotspot's logins."""

import re

from django.utils.translation import gettext_lazy as _

from biys.logs5651.parsers.base import (
    END,
    LOGIN,
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
    split_syslog,
)

TOPICS = re.compile(r"^(?P<topics>[a-z]+(?:,[a-z]+)*) (?P<message>.*)$")
ASSIGNED = re.compile(
    r"^(?P<server>\S+) (?P<what>assigned|deassigned) (?P<ip>[0-9a-fA-F.:]+) (?:to|from|for) "
    r"(?P<mac>[0-9A-Fa-f:]{17})(?: (?P<host>\S+))?"
)
CONNECTION = re.compile(
    r"(?:src-mac (?P<mac>[0-9A-Fa-f:]{17}), )?proto (?P<proto>\w+)(?: \([^)]*\))?, "
    r"(?P<src>[0-9.]+):(?P<sport>\d+)->(?P<dst>[0-9.]+):(?P<dport>\d+)"
    r"(?:, NAT \((?P<nsrc>[0-9.]+):(?P<nsport>\d+)->(?P<xip>[0-9.]+):(?P<xport>\d+)\)"
    r"->(?P<ndst>[0-9.]+):(?P<ndport>\d+))?"
)
# The common firewall line in one match: an RFC 3164 prefix with single spaces and a topic
# list holding "firewall"; the connection is then searched for as ``parse_line`` does.
FAST_FIREWALL = re.compile(
    r"([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) \S+ (?:[a-z]+,)*firewall(?:,[a-z]+)* "
)
HOTSPOT = re.compile(
    r"^(?:->: )?(?P<user>[^ ]+) \((?P<ip>[0-9a-fA-F.:]+)\): (?P<what>logged in|logged out)"
)


def _syslog(parser: Parser, line: Line) -> tuple:
    stamp, _host, rest = split_syslog(line.text)
    match = TOPICS.match(rest)
    if not match:
        raise ParseError(line.text)
    return parser.syslog_time(stamp), match["topics"].split(","), match["message"]


@register_parser
class MikrotikDhcp(Parser):
    """``dhcp,info dhcp1 assigned 192.168.1.233 to 6C:29:90:6C:DD:36 pc1`` and ``... deassigned
    192.168.1.233 from 6C:29:90:6C:DD:36``."""

    key = "mikrotik_dhcp"
    label = _("MikroTik DHCP server")

    def parse_line(self, line: Line) -> list[Event]:
        time, topics, message = _syslog(self, line)
        if "dhcp" not in topics:
            return []
        match = ASSIGNED.match(message)
        if not match:
            return []
        return [
            Event(
                START if match["what"] == "assigned" else END,
                line,
                time,
                ip=normal_ip(match["ip"]),
                mac=normal_mac(match["mac"]),
                hostname=match["host"] or "",
            )
        ]


@register_parser
class MikrotikFirewall(Parser):
    """Logged firewall connections, ``forward: in:ether1 out:bridge1, connection-state:new
    src-mac aa:bb:.., proto TCP (SYN), 192.168.1.50:51234->1.2.3.4:443, NAT
    (192.168.1.50:51234->85.1.2.3:40000)->1.2.3.4:443, len 60``: one record per connection (its
    start; RouterOS logs no end)."""

    key = "mikrotik_firewall"
    label = _("MikroTik firewall / NAT")
    kind = NAT

    def parse_line(self, line: Line) -> list[Event]:
        time, topics, message = _syslog(self, line)
        if "firewall" not in topics:
            return []
        match = CONNECTION.search(message)
        if not match:
            raise ParseError(line.text)
        return [
            Event(
                SESSION,
                line,
                time,
                ip=normal_ip(match["src"]),
                mac=normal_mac(match["mac"]) if match["mac"] else "",
                end=time,
                record_kind=NAT,
                src_port=int(match["sport"]),
                nat_ip=normal_ip(match["xip"]) if match["xip"] else None,
                nat_port=int(match["xport"]) if match["xport"] else None,
                dst_ip=normal_ip(match["dst"]),
                dst_port=int(match["dport"]),
            )
        ]

    def fast_line(self, text: str):
        prefix = FAST_FIREWALL.match(text)
        if prefix is None:
            return None
        match = CONNECTION.search(text, prefix.end())
        time = self.syslog_micros(prefix[1])
        if match is None or time is None:
            return None
        mac, _proto, src, sport, dst, dport, _nsrc, _nsport, xip, xport, _ndst, _ndport = (
            match.groups()
        )
        try:
            extra = (
                int(sport),
                normal_ip(xip) if xip else None,
                int(xport) if xport else None,
                normal_ip(dst),
                int(dport),
            )
            return (SESSION, time, normal_ip(src), normal_mac(mac) if mac else "", time, "",
                    "", NAT, extra)  # fmt: skip
        except ValueError:  # a ParseError too: parse_line says why
            return None


@register_parser
class MikrotikHotspot(Parser):
    """Hotspot accounting, ``hotspot,account,info,debug 5551234567 (10.5.0.23): logged in`` and
    ``... logged out: session timeout``: the user identity (phone, TC kimlik or guest account)
    who had the address."""

    key = "mikrotik_hotspot"
    label = _("MikroTik hotspot logins")
    kind = LOGIN

    def parse_line(self, line: Line) -> list[Event]:
        time, topics, message = _syslog(self, line)
        if "hotspot" not in topics:
            return []
        match = HOTSPOT.match(message)
        if not match:
            return []
        return [
            Event(
                START if match["what"] == "logged in" else END,
                line,
                time,
                ip=normal_ip(match["ip"]),
                identity=match["user"][:150],
                record_kind=LOGIN,
            )
        ]
