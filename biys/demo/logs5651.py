"""Law 5651 demo activity: the log officer's login, three sources of the network unit (a DHCP
server, the firewall, the guest hotspot, each naming its device of the network inventory's
demo) and the files of the last four days, received through
``biys.logs5651.services.ingest_file`` as rsyslog would have written them.

The days get their manifests (the chain), and are not sealed: a demo never spends a paid
timestamp and never makes one up. With no authority configured (``BIYS_TSA_URL``), one attempt
per day fails for that reason, so the log officer sees what an unsealed day looks like (the
reason, the retry, the notification); with one configured, the days wait for ``biys logs
seal``. One search answered for a prosecutor's letter fills the search log.
"""

import os
import random
import time as clock
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from biys.demo.builder import DemoLogin, DemoResult, register_demo_step

USERNAME = "log.sorumlusu"
DAYS = 4
DEVICES = 36
DEPARTMENTS = ["FEN", "ZABITA", "MALI", "IK", "IMAR", "YAZI", "BILGI", "DESTEK", "KULTUR"]
DESTINATIONS = [
    "93.184.216.34",
    "151.101.1.69",
    "185.15.59.224",
    "104.16.132.229",
    "140.82.121.4",
    "2.16.186.32",
]
NAT_ADDRESS = "203.0.113.10"  # the firewall's public address (a documentation range)
SEARCH_REQUEST = "2026/48213 (Ankara C. Başsavcılığı)"
# Which IT unit keeps the logs: the first whose name says network, communication or security.
UNIT_WORDS = ("Ağ", "İletişim", "Güvenlik")


def _network_unit(units):
    it_units = [u for u in units if u.is_it_department]
    for word in UNIT_WORDS:
        for unit in it_units:
            if word in unit.name.split():
                return unit
    root = next(u for u in units if u.parent_id is None)
    return next(u for u in it_units if u.parent_id == root.pk)


def _stamp(at: datetime) -> str:
    """RFC 3164, as rsyslog's traditional file format writes it ("Nov  5 08:00:01")."""
    return f"{at:%b} {at.day:>2} {at:%H:%M:%S}"


def _rsyslog_start(at: datetime, host: str) -> str:
    # rsyslog's own start line: no parser reads it (counted as unreadable, kept in the file).
    # Its pid differs between builds, so a rebuilt demo never collides with stored files.
    pid = (os.getpid() * 7919 + clock.time_ns()) % 90_000 + 10_000
    return (
        f'{_stamp(at)} {host} rsyslogd: [origin software="rsyslogd" swVersion="8.2302.0"'
        f' x-pid="{pid}" x-info="https://www.rsyslog.com"] start'
    )


def _devices(rng: random.Random) -> list[dict]:
    devices = []
    for n in range(DEVICES):
        department = DEPARTMENTS[n % len(DEPARTMENTS)]
        devices.append(
            {
                "ip": f"10.10.1.{20 + n}",
                "mac": "3c:52:82:" + ":".join(f"{rng.randrange(256):02x}" for _ in range(3)),
                "host": f"PC-{department}-{n + 1:03d}",
            }
        )
    return devices


def _day_files(day: date, devices, rng: random.Random, tz) -> dict[str, str]:
    """The day's DHCP, firewall and hotspot files, and the device sessions behind them."""
    start_of_day = datetime.combine(day, time(0), tzinfo=tz)
    dhcp = [_rsyslog_start(start_of_day + timedelta(seconds=1), "dhcp1")]
    events, traffic = [], []
    for device in devices:
        if rng.random() < 0.15:  # on leave, or the computer stayed off
            continue
        arrive = start_of_day + timedelta(hours=7, minutes=45 + rng.randrange(100))
        leave = start_of_day + timedelta(hours=16, minutes=45 + rng.randrange(100))
        ip, mac, host = device["ip"], device["mac"], device["host"]
        events.append((arrive, f"dhcpd[812]: DHCPDISCOVER from {mac} via eth1"))
        events.append((arrive, f"dhcpd[812]: DHCPOFFER on {ip} to {mac} ({host}) via eth1"))
        renew = arrive
        while renew < leave:
            events.append((renew, f"dhcpd[812]: DHCPACK on {ip} to {mac} ({host}) via eth1"))
            renew += timedelta(hours=2, minutes=rng.randrange(-5, 5))
        if rng.random() < 0.7:  # shut down properly: the lease is released
            events.append((leave, f"dhcpd[812]: DHCPRELEASE of {ip} from {mac} ({host}) via eth1"))
        for _ in range(rng.randrange(2, 6)):
            ended = arrive + timedelta(seconds=rng.randrange(int((leave - arrive).total_seconds())))
            traffic.append((ended, ip, mac))
    events.sort(key=lambda item: item[0])
    dhcp += [f"{_stamp(at)} dhcp1 {message}" for at, message in events]

    firewall = [_rsyslog_start(start_of_day + timedelta(seconds=1), "fw1")]
    for ended, ip, mac in sorted(traffic):
        firewall.append(
            f'date={ended:%Y-%m-%d} time={ended:%H:%M:%S} devname="FG100F" tz="+0300"'
            f' logid="0000000013" type="traffic" subtype="forward" level="notice"'
            f' srcip={ip} srcport={rng.randrange(49152, 65535)} srcintf="port2"'
            f' dstip={rng.choice(DESTINATIONS)} dstport=443 dstintf="wan1" proto=6'
            f' action="close" trandisp="snat" transip={NAT_ADDRESS}'
            f" transport={rng.randrange(1024, 65535)} duration={rng.randrange(5, 900)}"
            f' sentbyte={rng.randrange(500, 90000)} srcmac="{mac}"'
        )

    hotspot = [_rsyslog_start(start_of_day + timedelta(seconds=1), "hotspot1")]
    logins = []
    for n in range(rng.randrange(6, 11)):
        phone = f"5{rng.randrange(30, 59)}{rng.randrange(1_000_000, 9_999_999)}"
        ip = f"10.20.0.{30 + n}"
        came = start_of_day + timedelta(hours=9, minutes=rng.randrange(480))
        went = came + timedelta(minutes=rng.randrange(10, 120))
        topics = "hotspot,account,info,debug"
        logins.append((came, f"hotspot1 {topics} {phone} ({ip}): logged in"))
        logins.append((went, f"hotspot1 {topics} {phone} ({ip}): logged out: lost-service"))
    hotspot += [f"{_stamp(at)} {line}" for at, line in sorted(logins)]
    return {
        "merkez-dhcp": "\n".join(dhcp) + "\n",
        "merkez-fw": "\n".join(firewall) + "\n",
        "misafir-hotspot": "\n".join(hotspot) + "\n",
    }


# source -> the network demo's device writing its logs, by the start of its host name
SOURCE_DEVICES = {"merkez-dhcp": "dhcp", "merkez-fw": "firewall-", "misafir-hotspot": "router-"}


def _source_devices() -> dict[str, int]:
    """The network inventory's devices (through ``biys.core.assets``) the sources name: the
    DHCP server, the firewall and the MikroTik router running the hotspot; none without the
    inventory or its demo."""
    from biys.core import assets

    found = {}
    devices = assets.network_devices()
    for source, start in SOURCE_DEVICES.items():
        device = next((d for d in devices if d.name.startswith(start)), None)
        if device is not None:
            found[source] = device.pk
    return found


@register_demo_step
def build_logs5651(result: DemoResult, rng: random.Random) -> None:
    from zoneinfo import ZoneInfo

    from biys.accounts.models import Role, RoleAssignment
    from biys.demo.builder import create_demo_user
    from biys.logs5651 import sealing, services
    from biys.logs5651.models import LogSource
    from biys.org.models import Unit

    units = list(Unit.objects.order_by("depth", "order", "sort_name"))
    unit = _network_unit(units)
    officer = create_demo_user(USERNAME, unit)
    RoleAssignment.objects.create(
        user=officer, role=Role.objects.get(slug="log_officer"), unit=unit, include_subtree=True
    )
    result.logins.append(DemoLogin(USERNAME, "log_officer", unit.name))

    sources = {
        "merkez-dhcp": ("dhcp", "isc_dhcpd_syslog", "Hizmet binası DHCP sunucusu (dhcp1)."),
        "merkez-fw": ("nat", "fortigate", "İnternet çıkışı, kaynak NAT (FortiGate 100F)."),
        "misafir-hotspot": ("hotspot", "mikrotik_hotspot", "Vatandaş kablosuz ağı (MikroTik)."),
    }
    devices = _source_devices()
    sources = {
        name: LogSource.objects.create(
            unit=unit,
            name=name,
            kind=kind,
            parser=parser,
            notes=note,
            network_device=devices.get(name),
        )
        for name, (kind, parser, note) in sources.items()
    }
    tz = ZoneInfo(settings.TIME_ZONE)
    devices = _devices(rng)
    today = timezone.localdate()
    days = [today - timedelta(days=n) for n in range(DAYS, 0, -1)]
    for day in days:
        received = datetime.combine(day + timedelta(days=1), time(0, 5), tzinfo=tz)
        for name, text in _day_files(day, devices, rng, tz).items():
            services.ingest_file(
                source=sources[name],
                path_or_bytes=text.encode(),
                day=day,
                name=f"{name}-{day:%Y%m%d}.log",
                received_at=received,
            )
        seal = sealing.ensure_manifest(unit=unit, day=day)
        if not settings.BIYS_TSA_URL:
            sealing.timestamp_seal(seal, now=received + timedelta(minutes=10))

    # A prosecutor's question about the day before yesterday, answered and logged.
    asked = datetime.combine(days[-2], time(11, 0), tzinfo=tz)
    services.search_access_records(
        user=officer, ip=NAT_ADDRESS, at=asked, request_number=SEARCH_REQUEST
    )
