"""The Windows DHCP server's audit log (``DhcpSrvLog-<Day>.log``)."""

import csv
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
    register_parser,
)

STARTS = {"10", "11"}  # new lease, renewal
ENDS = {"12", "16", "17", "18"}  # released, deleted, expired


@register_parser
class WindowsDhcp(Parser):
    """``10,11/30/26,08:00:01,Assign,10.0.0.50,PC-01.belediye.local,AABBCCDDEEFF,,...``: the
    CSV after the file's explanatory preface (skipped up to the ``ID,Date,Time`` header); dates month/day/year, local time."""

    key = "windows_dhcp"
    label = _("Windows DHCP server (audit log)")

    def parse_line(self, line: Line) -> list[Event]:
        text = line.text.strip()
        if text.startswith("ID,Date,Time"):
            self.header_seen = True
            return []
        row = next(csv.reader([text])) if text else []
        if len(row) < 7 or not row[0].isdigit():
            if not getattr(self, "header_seen", False):
                return []  # the preface's prose before the CSV header
            raise ParseError(text)
        event_id = row[0]
        if event_id not in STARTS | ENDS:
            return []
        try:
            month, day, year = (int(part) for part in row[1].split("/"))
            year += 2000 if year < 100 else 0
            stamp = datetime.fromisoformat(f"{year:04d}-{month:02d}-{day:02d}T{row[2]}")
        except ValueError as error:
            raise ParseError(text) from error
        kind = START if event_id in STARTS else END
        return [
            Event(
                kind,
                line,
                self.local(stamp),
                ip=normal_ip(row[4]),
                mac=normal_mac(row[6]) if row[6] else "",
                hostname=row[5],
            )
        ]
