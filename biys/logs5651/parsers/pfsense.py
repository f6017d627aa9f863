"""pfSense's captive portal (``logportalauth``): the hotspot user's logins and logouts."""

import re

from django.utils.translation import gettext_lazy as _

from biys.logs5651.parsers.base import (
    END,
    LOGIN,
    PROGRAM,
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

PORTAL = re.compile(
    r"^Zone: (?P<zone>\S+) - (?P<what>LOGIN|LOGOUT|DISCONNECT|CONCURRENT LOGIN|IDLE TIMEOUT|"
    r"SESSION TIMEOUT|ACCOUNTING LOGOUT)[^:]*: (?P<user>[^,]*), (?P<mac>[0-9A-Fa-f:]{17}), "
    r"(?P<ip>[0-9a-fA-F.:]+)"
)


@register_parser
class PfsensePortal(Parser):
    """``logportalauth[412]: Zone: misafir - LOGIN: 5551234567, aa:bb:cc:dd:ee:ff, 10.0.0.23``
    opens a login; LOGOUT, DISCONNECT and the timeouts close it."""

    key = "pfsense_portal"
    label = _("pfSense captive portal (hotspot)")
    kind = LOGIN

    def parse_line(self, line: Line) -> list[Event]:
        stamp, _host, rest = split_syslog(line.text)
        program = PROGRAM.match(rest)
        if not program:
            raise ParseError(line.text)
        if program["program"] != "logportalauth":
            return []
        match = PORTAL.match(program["message"])
        if not match:
            return []
        kind = START if match["what"] in ("LOGIN", "CONCURRENT LOGIN") else END
        return [
            Event(
                kind,
                line,
                self.syslog_time(stamp),
                ip=normal_ip(match["ip"]),
                mac=normal_mac(match["mac"]),
                identity=match["user"].strip()[:150],
                record_kind=LOGIN,
            )
        ]
