"""ISC Kea's forensic (legal) log, written by the ``libdhcp_legal_log.so`` hook."""

import re
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from biys.logs5651.parsers.base import (
    END,
    START,
    Event,
    Line,
    ParseError,
    Parser,
    normal_ip,
    normal_mac,
    parse_duration,
    register_parser,
)

STAMP = re.compile(
    r"^(?P<stamp>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?: (?P<zone>[A-Z+\-0-9]{1,6}))? (?P<rest>.*)$"
)
ASSIGNED = re.compile(
    r"^Address:? (?P<ip>\S+) has been (?P<how>assigned|renewed) for (?P<duration>.+?) to a device"
    r" with hardware address: hwtype=\d+ (?P<mac>[0-9a-fA-F:]{17})"
)
RELEASED = re.compile(
    r"^Address:? (?P<ip>\S+) has been released from a device with hardware address:"
    r" hwtype=\d+ (?P<mac>[0-9a-fA-F:]{17})"
)


@register_parser
class KeaForensic(Parser):
    """``2026-11-30 08:00:01 +03 Address: 10.0.0.20 has been assigned for 6 hrs 10 mins 25 secs
    to a device with hardware address: hwtype=1 08:00:2b:02:3f:4e, client-id: ...``. The time
    is read in the installation's time zone (Kea writes local time)."""

    key = "kea_forensic"
    label = _("ISC Kea (forensic log)")

    def parse_line(self, line: Line) -> list[Event]:
        match = STAMP.match(line.text)
        if not match:
            raise ParseError(line.text)
        time = self.local(datetime.fromisoformat(match["stamp"]))
        rest = match["rest"]
        if found := ASSIGNED.match(rest):
            return [
                Event(
                    START,
                    line,
                    time,
                    ip=normal_ip(found["ip"]),
                    mac=normal_mac(found["mac"]),
                    end=time + parse_duration(found["duration"]),
                )
            ]
        if found := RELEASED.match(rest):
            return [Event(END, line, time, ip=normal_ip(found["ip"]), mac=normal_mac(found["mac"]))]
        raise ParseError(line.text)
