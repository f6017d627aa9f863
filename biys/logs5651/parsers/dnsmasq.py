"""dnsmasq's leases file."""

from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext_lazy as _

from biys.logs5651.parsers.base import (
    SESSION,
    Event,
    Line,
    ParseError,
    Parser,
    normal_ip,
    normal_mac,
    register_parser,
)


@register_parser
class DnsmasqLeases(Parser):
    """``1764489600 aa:bb:cc:dd:ee:ff 192.168.1.50 pc1 01:aa:bb:cc:dd:ee:ff``: expiry (epoch),
    MAC, address, host name (``*`` for none), client id. The file says when a lease ends, not
    when it began: the start is the expiry less ``lease_seconds`` (dnsmasq's default hour),
    never before the file's day."""

    key = "dnsmasq_leases"
    label = _("dnsmasq (leases file)")
    lease_seconds = 3600

    def parse_line(self, line: Line) -> list[Event]:
        parts = line.text.split()
        if parts and parts[0] == "duid":
            return []
        if len(parts) < 3 or not parts[0].isdigit():
            raise ParseError(line.text)
        expiry = datetime.fromtimestamp(int(parts[0]), tz=UTC)
        day_start = datetime.combine(self.day, datetime.min.time(), tzinfo=self.tz)
        start = max(expiry - timedelta(seconds=self.lease_seconds), day_start)
        hostname = parts[3] if len(parts) > 3 and parts[3] != "*" else ""
        return [
            Event(
                SESSION,
                line,
                min(start, expiry),
                ip=normal_ip(parts[2]),
                mac=normal_mac(parts[1]),
                end=expiry,
                hostname=hostname,
            )
        ]
