"""The ``(unit) -> instance`` callables of the cross-module tests (the permission matrix), and
small sample files."""

import gzip
import hashlib
from datetime import date

from django.utils import timezone

from biys.core.testing import register_factory
from biys.logs5651 import storage
from biys.logs5651.models import DailySeal, LogFile, LogSource

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


@register_factory(LogSource)
def make_log_source(unit, **fields):
    return LogSource.objects.create(
        unit=unit,
        name=fields.pop("name", f"kaynak-{_next()}"),
        kind=fields.pop("kind", "dhcp"),
        parser=fields.pop("parser", "isc_dhcpd_syslog"),
        **fields,
    )


@register_factory(LogFile)
def make_log_file(unit, *, stored: bool = False):
    """A file row (no stored file: the matrix only reads and lists it; ``stored``: an empty
    compressed file where the row says, for the download)."""
    source = make_log_source(unit)
    digest = hashlib.sha256(str(_next()).encode()).hexdigest()
    log_file = LogFile.objects.create(
        source=source,
        day=date(2026, 11, 1),
        name="dhcpd.log",
        size=0,
        sha256=digest,
        gz_path=f"{source.pk}/2026/11/01/x.gz",
        gz_size=20,
        gz_sha256=digest,
        records_sha256=hashlib.sha256(b"").hexdigest(),
        parsed=True,
        received_at=timezone.now(),
    )
    if stored:
        path = storage.absolute(log_file.gz_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(b""))
    return log_file


@register_factory(DailySeal)
def make_daily_seal(unit):
    day = date(2026, 1, 1).replace(day=1 + _next() % 28)
    manifest = '{"files": []}\n'
    return DailySeal.objects.create(
        unit=unit,
        day=day,
        manifest=manifest,
        manifest_sha256=hashlib.sha256(manifest.encode()).hexdigest(),
    )


ISC_SYSLOG = b"""\
Nov 27 08:00:01 gw dhcpd[812]: DHCPDISCOVER from aa:aa:aa:aa:aa:01 via eth0
Nov 27 08:00:02 gw dhcpd[812]: DHCPACK on 10.0.0.20 to aa:aa:aa:aa:aa:01 (pc1) via eth0
Nov 27 09:00:02 gw dhcpd[812]: DHCPACK on 10.0.0.20 to aa:aa:aa:aa:aa:01 (pc1) via eth0
Nov 27 12:30:00 gw dhcpd[812]: DHCPRELEASE of 10.0.0.20 from aa:aa:aa:aa:aa:01 (pc1) via eth0 (found)
Nov 27 13:00:00 gw dhcpd[812]: DHCPACK on 10.0.0.20 to bb:bb:bb:bb:bb:02 (pc2) via eth0
Nov 27 13:05:00 gw dhcpd[812]: DHCPACK on 10.0.0.21 to cc:cc:cc:cc:cc:03 via eth0
this line is not syslog at all
Nov 27 17:00:00 gw dhcpd[812]: DHCPRELEASE of 10.0.0.20 from bb:bb:bb:bb:bb:02 (pc2) via eth0 (found)
"""
