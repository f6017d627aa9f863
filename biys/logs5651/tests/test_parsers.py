"""Each log format with its sample lines: what becomes an access record, what is skipped, what
is unreadable (counted, never dropped), and how lines merge into sessions."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from biys.logs5651.parsers import (
    PARSER_CHOICES,
    get_parser,
    parse_data,
    parse_lines,
    split_lines,
)
from biys.logs5651.parsers.base import Line, ParseError, Parser, normal_mac, register_parser
from biys.logs5651.tests.factories import ISC_SYSLOG

IST = ZoneInfo("Europe/Istanbul")
DAY = date(2026, 11, 27)


def run(key: str, data: bytes, day: date = DAY):
    return parse_lines(get_parser(key)(day=day, tz=IST), split_lines(data))


def at(*args, tz=IST) -> datetime:
    return datetime(*args, tzinfo=tz)


def test_every_parser_is_a_choice_of_the_source():
    assert {key for key, _label in PARSER_CHOICES} == {
        "isc_dhcpd_syslog",
        "isc_dhcpd_leases",
        "kea_forensic",
        "dnsmasq_leases",
        "windows_dhcp",
        "mikrotik_dhcp",
        "mikrotik_firewall",
        "mikrotik_hotspot",
        "fortigate",
        "pfsense_portal",
    }


def test_a_key_is_registered_once():
    class Twice(Parser):
        key = "isc_dhcpd_syslog"

    with pytest.raises(ValueError):
        register_parser(Twice)


def test_isc_syslog_merges_renewals_and_ends_at_release():
    result = run("isc_dhcpd_syslog", ISC_SYSLOG)
    assert (result.lines, result.unreadable, result.skipped) == (8, 1, 1)
    assert result.unreadable_samples == [7]
    sessions = sorted(result.sessions, key=lambda s: (s.ip, s.start))
    first, second, third = sessions
    assert (first.ip, first.mac, first.start, first.end) == (
        "10.0.0.20",
        "aa:aa:aa:aa:aa:01",
        at(2026, 11, 27, 8, 0, 2),
        at(2026, 11, 27, 12, 30),
    )
    assert (first.line, first.offset, first.hostname) == (
        2,
        len(ISC_SYSLOG.splitlines()[0]) + 1,
        "pc1",
    )
    assert (second.mac, second.start, second.end) == (
        "bb:bb:bb:bb:bb:02",
        at(2026, 11, 27, 13),
        at(2026, 11, 27, 17),
    )
    # Still open at the end of the file: ends at the last line that showed it.
    assert (third.ip, third.start, third.end) == (
        "10.0.0.21",
        at(2026, 11, 27, 13, 5),
        at(2026, 11, 27, 13, 5),
    )


def test_a_new_holder_closes_the_previous_session():
    data = (
        b"Nov 27 08:00:00 gw dhcpd: DHCPACK on 10.0.0.5 to aa:aa:aa:aa:aa:01 via eth0\n"
        b"Nov 27 10:00:00 gw dhcpd: DHCPACK on 10.0.0.5 to bb:bb:bb:bb:bb:02 via eth0\n"
    )
    first, second = run("isc_dhcpd_syslog", data).sessions
    assert first.end == at(2026, 11, 27, 10) and second.start == at(2026, 11, 27, 10)


def test_rfc3164_lines_take_the_year_of_the_file_day():
    data = b"Dec 31 23:59:59 gw dhcpd: DHCPACK on 10.0.0.5 to aa:aa:aa:aa:aa:01 via eth0\n"
    (session,) = run("isc_dhcpd_syslog", data, day=date(2027, 1, 1)).sessions
    assert session.start == at(2026, 12, 31, 23, 59, 59)
    (session,) = run("isc_dhcpd_syslog", data, day=date(2026, 12, 31)).sessions
    assert session.start.year == 2026


def test_rfc3339_stamps_keep_their_offset():
    data = b"2026-11-27T08:00:00+00:00 gw dhcpd[1]: DHCPACK on 10.0.0.5 to aa:aa:aa:aa:aa:01 via eth0\n"
    (session,) = run("isc_dhcpd_syslog", data).sessions
    assert session.start == datetime(2026, 11, 27, 8, tzinfo=UTC)


LEASES = b"""\
# The format of this file is documented in the dhcpd.leases(5) manual page.
authoring-byte-order little-endian;

lease 10.0.0.20 {
  starts 5 2026/11/27 05:00:00;
  ends 5 2026/11/27 17:00:00;
  cltt 5 2026/11/27 05:00:00;
  binding state active;
  hardware ethernet aa:aa:aa:aa:aa:01;
  client-hostname "pc1";
}
lease 10.0.0.21 {
  starts 5 2026/11/27 06:00:00;
  ends never;
}
lease 10.0.0.22 {
  starts 5 2026/11/27 07:00:00;
  ends never;
  hardware ethernet cc:cc:cc:cc:cc:03;
}
"""


def test_isc_leases_file_one_record_per_block():
    result = run("isc_dhcpd_leases", LEASES)
    assert result.unreadable == 4  # the block without a hardware address, every line of it
    first, second = result.sessions
    assert (first.ip, first.mac, first.hostname, first.line) == (
        "10.0.0.20",
        "aa:aa:aa:aa:aa:01",
        "pc1",
        4,
    )
    assert (first.start, first.end) == (at(2026, 11, 27, 5, tz=UTC), at(2026, 11, 27, 17, tz=UTC))
    assert (second.ip, second.end) == ("10.0.0.22", None)


def test_kea_forensic_log():
    data = (
        b"2026-11-27 08:00:00 +03 Address: 10.0.1.5 has been assigned for 1 hrs 0 mins 0 secs"
        b" to a device with hardware address: hwtype=1 08:00:2b:02:3f:4e, client-id: 17:34\n"
        b"2026-11-27 08:30:00 +03 Address: 10.0.1.5 has been renewed for 1 hrs 0 mins 0 secs"
        b" to a device with hardware address: hwtype=1 08:00:2b:02:3f:4e\n"
        b"2026-11-27 11:00:00 +03 Address: 10.0.1.6 has been released from a device with"
        b" hardware address: hwtype=1 08:00:2b:02:3f:4f\n"
        b"garbage\n"
    )
    result = run("kea_forensic", data)
    assert result.unreadable == 1
    lease, release = sorted(result.sessions, key=lambda s: s.ip)
    assert (lease.mac, lease.start, lease.end) == (
        "08:00:2b:02:3f:4e",
        at(2026, 11, 27, 8),
        at(2026, 11, 27, 9, 30),
    )
    assert (release.ip, release.start, release.end) == (
        "10.0.1.6",
        at(2026, 11, 27, 11),
        at(2026, 11, 27, 11),
    )


def test_dnsmasq_leases():
    expiry = int(datetime(2026, 11, 27, 10, tzinfo=UTC).timestamp())
    data = f"{expiry} aa:bb:cc:dd:ee:ff 192.168.1.50 pc1 01:aa:bb:cc:dd:ee:ff\n{expiry} zz 1.2.3.4 * *\nduid 00:01\n".encode()
    result = run("dnsmasq_leases", data)
    assert (result.unreadable, result.skipped) == (1, 1)
    (lease,) = result.sessions
    assert (lease.ip, lease.mac, lease.hostname) == ("192.168.1.50", "aa:bb:cc:dd:ee:ff", "pc1")
    assert (lease.start, lease.end) == (at(2026, 11, 27, 9, tz=UTC), at(2026, 11, 27, 10, tz=UTC))


WINDOWS = b"""\
\t\tMicrosoft DHCP Service Activity Log

Event ID  Meaning
00\tThe log was started.
10\tA new IP address was leased to a client.
QResult: 0: NoQuarantine, 1:Quarantine, 2:Drop Packet
ID,Date,Time,Description,IP Address,Host Name,MAC Address,User Name, TransactionID, QResult,Probationtime, CorrelationID,Dhcid,VendorClass(Hex),VendorClass(ASCII),UserClass(Hex),UserClass(ASCII),RelayAgentInformation,DnsRegError.
00,11/27/26,00:00:01,Started,,,,,0,6,,,,,,,,,0
10,11/27/26,08:00:01,Assign,10.0.0.50,PC-01.belediye.local,AABBCCDDEEFF,,12345,0,,,,,,,,,0
11,11/27/26,12:00:01,Renew,10.0.0.50,PC-01.belediye.local,AABBCCDDEEFF,,12346,0,,,,,,,,,0
12,11/27/26,16:00:00,Release,10.0.0.50,PC-01.belediye.local,AABBCCDDEEFF,,12347,0,,,,,,,,,0
broken line after the header
"""


def test_windows_dhcp_audit_log():
    result = run("windows_dhcp", WINDOWS)
    assert result.unreadable == 1 and result.unreadable_samples == [12]
    (lease,) = result.sessions
    assert (lease.ip, lease.mac, lease.hostname) == (
        "10.0.0.50",
        "aa:bb:cc:dd:ee:ff",
        "PC-01.belediye.local",
    )
    assert (lease.start, lease.end) == (at(2026, 11, 27, 8, 0, 1), at(2026, 11, 27, 16))


def test_mikrotik_dhcp():
    data = (
        b"Nov 27 08:00:01 192.168.88.1 dhcp,info dhcp1 assigned 192.168.1.233 to 6C:29:90:6C:DD:36 tel\n"
        b"Nov 27 09:00:01 192.168.88.1 dhcp,info dhcp1 deassigned 192.168.1.233 from 6C:29:90:6C:DD:36\n"
        b"Nov 27 09:00:02 192.168.88.1 system,info user admin logged in\n"
    )
    result = run("mikrotik_dhcp", data)
    assert (result.unreadable, result.skipped) == (0, 1)
    (lease,) = result.sessions
    assert (lease.ip, lease.mac, lease.hostname, lease.start, lease.end) == (
        "192.168.1.233",
        "6c:29:90:6c:dd:36",
        "tel",
        at(2026, 11, 27, 8, 0, 1),
        at(2026, 11, 27, 9, 0, 1),
    )


def test_mikrotik_firewall_nat():
    data = (
        b"Nov 27 08:00:01 gw firewall,info forward: in:ether1 out:bridge1, connection-state:new"
        b" src-mac aa:bb:cc:dd:ee:ff, proto TCP (SYN), 192.168.1.50:51234->1.2.3.4:443, NAT"
        b" (192.168.1.50:51234->85.1.2.3:40000)->1.2.3.4:443, len 60\n"
        b"Nov 27 08:00:02 gw firewall,info forward: in:ether1 out:bridge1, nonsense\n"
    )
    result = run("mikrotik_firewall", data)
    assert result.unreadable == 1
    (nat,) = result.sessions
    assert (nat.kind, nat.ip, nat.mac, nat.src_port, nat.nat_ip, nat.nat_port, nat.dst_ip, nat.dst_port) == (
        "nat", "192.168.1.50", "aa:bb:cc:dd:ee:ff", 51234, "85.1.2.3", 40000, "1.2.3.4", 443
    )  # fmt: skip


def test_mikrotik_hotspot_logins():
    data = (
        b"Nov 27 10:00:00 gw hotspot,account,info,debug 5551234567 (10.5.0.23): logged in\n"
        b"Nov 27 11:00:00 gw hotspot,account,info,debug 5551234567 (10.5.0.23): logged out: session timeout\n"
    )
    (login,) = run("mikrotik_hotspot", data).sessions
    assert (login.kind, login.identity, login.ip, login.start, login.end) == (
        "login", "5551234567", "10.5.0.23", at(2026, 11, 27, 10), at(2026, 11, 27, 11)
    )  # fmt: skip


def test_fortigate_traffic_and_dhcp():
    data = (
        b'<189>date=2026-11-27 time=08:02:00 devname="FG100" logid="0000000013" type="traffic"'
        b' subtype="forward" srcip=10.0.0.5 srcport=51234 srcmac="aa:bb:cc:00:11:22"'
        b' dstip=1.2.3.4 dstport=443 transip=85.1.2.3 transport=40000 proto=6 action="close"'
        b" duration=120 sentbyte=100\n"
        b'date=2026-11-27 time=08:00:00 tz="+0000" logid="0100026001" type="event"'
        b' subtype="system" interface="port2" dhcp_msg="Ack" mac="AA:BB:CC:00:11:22"'
        b' ip=10.0.0.5 lease=3600 hostname="pc5"\n'
        b'date=2026-11-27 time=08:00:00 logid="0100032001" type="event" subtype="system" msg="x"\n'
        b"no fields here\n"
    )
    result = run("fortigate", data)
    assert (result.unreadable, result.skipped) == (1, 1)
    nat, lease = result.sessions
    assert (nat.kind, nat.start, nat.end, nat.nat_ip, nat.nat_port) == (
        "nat", at(2026, 11, 27, 8), at(2026, 11, 27, 8, 2), "85.1.2.3", 40000
    )  # fmt: skip
    assert (lease.kind, lease.mac, lease.start, lease.end, lease.hostname) == (
        "lease", "aa:bb:cc:00:11:22", at(2026, 11, 27, 8, tz=UTC), at(2026, 11, 27, 9, tz=UTC), "pc5"
    )  # fmt: skip


def test_pfsense_captive_portal():
    data = (
        b"Nov 27 10:00:00 fw logportalauth[412]: Zone: misafir - LOGIN: 5551234567,"
        b" aa:bb:cc:dd:ee:01, 10.0.0.23\n"
        b"Nov 27 10:45:00 fw logportalauth[412]: Zone: misafir - LOGOUT: 5551234567,"
        b" aa:bb:cc:dd:ee:01, 10.0.0.23\n"
        b"Nov 27 10:45:01 fw php-fpm[1]: something else\n"
    )
    result = run("pfsense_portal", data)
    assert result.skipped == 1
    (login,) = result.sessions
    assert (login.identity, login.mac, login.start, login.end) == (
        "5551234567", "aa:bb:cc:dd:ee:01", at(2026, 11, 27, 10), at(2026, 11, 27, 10, 45)
    )  # fmt: skip


def test_line_offsets_count_bytes_and_survive_bad_utf8():
    data = b"\xff\xfe bozuk\r\nNov 27 08:00:00 gw dhcpd: DHCPACK on 10.0.0.5 to aa:aa:aa:aa:aa:01\n"
    lines = list(split_lines(data))
    assert [(line.number, line.offset) for line in lines] == [(1, 0), (2, 10)]
    result = run("isc_dhcpd_syslog", data)
    assert (result.unreadable, result.sessions[0].offset) == (1, 10)


@pytest.mark.parametrize("value", ["AABBCCDDEEFF", "aa-bb-cc-dd-ee-ff", "aabb.ccdd.eeff"])
def test_mac_spellings(value):
    assert normal_mac(value) == "aa:bb:cc:dd:ee:ff"


def test_a_bad_mac_is_a_parse_error():
    with pytest.raises(ParseError):
        normal_mac("zz:zz")
    assert Line(1, 0, "x").text == "x"


def test_rfc3164_days_below_ten_are_read():
    """Syslog pads a day below ten with a space ("Dec  1"): such lines are access records too."""
    data = b"Dec  1 08:00:00 gw dhcpd: DHCPACK on 10.0.0.5 to aa:aa:aa:aa:aa:01 via eth0\n"
    for result in (run("isc_dhcpd_syslog", data, day=date(2026, 12, 1)),
                   parse_data(get_parser("isc_dhcpd_syslog")(day=date(2026, 12, 1), tz=IST), data)):  # fmt: skip
        assert result.unreadable == 0
        assert result.sessions[0].start == at(2026, 12, 1, 8)


# Lines the fast path of a format takes, and lines next to them it must leave to parse_line.
FAST_SAMPLES = {
    "isc_dhcpd_syslog": ISC_SYSLOG
    + b"Dec  1 08:00:00 gw dhcpd: DHCPACK on 10.0.0.5 to aa:aa:aa:aa:aa:01 via eth0\n"
    + b"Nov 27 08:61:00 gw dhcpd[812]: DHCPACK on 10.0.0.6 to aa:aa:aa:aa:aa:02 via eth0\n"
    + b"Nov 27 25:00:00 gw dhcpd[812]: DHCPACK on 10.0.0.6 to aa:aa:aa:aa:aa:02 via eth0\n"
    + b"Nov 27 08:00:00 gw dhcpd[812]: DHCPACK on 010.0.0.7 to aa:aa:aa:aa:aa:03 via eth0\n"
    + b"Nov 27 08:00:00 gw dhcpd[812]: DHCPACK on 10.0.0.8 to aa:aa:aa:aa:aa:zz via eth0\n"
    + b"Nov 27 08:00:00 gw dhcpd[812]: DHCPACK on 10.0.0.9 to aa:aa:aa:aa:aa:04 (a\\b\tc) via e\n"
    + b"Nov 27 08:00:00 gw  dhcpd[812]: DHCPACK on 10.0.0.10 to aa:aa:aa:aa:aa:05 via eth0\n"
    + b"Nov 27 08:00:00 gw dhcpd6[9]: DHCPACK on 10.0.0.11 to aa:aa:aa:aa:aa:06 via eth0\n"
    + b"2026-11-27T08:00:00+00:00 gw dhcpd[1]: DHCPACK on 10.0.0.12 to aa:aa:aa:aa:aa:07\n"
    + b"Nov 27 08:00:00 gw dhcpd[812]: DHCPACK on 2001:db8::0:1 to aa:aa:aa:aa:aa:08 via eth0\n"
    + b"\n",
    "mikrotik_firewall": (
        b"Nov 27 08:00:01 gw firewall,info forward: in:ether1 out:bridge1, connection-state:new"
        b" src-mac aa:bb:cc:dd:ee:ff, proto TCP (SYN), 192.168.1.50:51234->1.2.3.4:443, NAT"
        b" (192.168.1.50:51234->85.1.2.3:40000)->1.2.3.4:443, len 60\n"
        b"Nov  2 08:00:02 gw info,firewall,debug srcnat: in:bridge1 out:ether1, proto UDP,"
        b" 192.168.1.51:5353->8.8.8.8:53, len 70\n"
        b"Nov 27 08:00:03 gw firewall,info forward: in:ether1 out:bridge1, nonsense\n"
        b"Nov 27 08:00:04 gw dhcp,info dhcp1 assigned 192.168.1.233 to 6C:29:90:6C:DD:36 pc1\n"
        b"Nov 27 08:00:05 gw firewall,info forward: proto TCP, 192.168.1.300:1->1.2.3.4:443\n"
        b"Nov 27 08:61:05 gw firewall,info forward: proto TCP, 192.168.1.52:1->1.2.3.4:443\n"
        b"Nov 27 08:00:06 gw firewallx,info forward: proto TCP, 192.168.1.53:1->1.2.3.4:443\n"
        b"Nov 27 08:00:07 gw  firewall,info forward: proto TCP, 192.168.1.54:1->1.2.3.4:443\n"
        b"Nov 27 08:00:08 gw firewall,info src-mac zz:bb:cc:dd:ee:ff, proto TCP,"
        b" 192.168.1.55:1->1.2.3.4:443\n"
    ),
    "fortigate": (
        b'date=2026-11-27 time=08:02:00 devname="FG100" type="traffic" subtype="forward"'
        b' srcip=10.0.0.5 srcport=51234 srcmac="aa:bb:cc:00:11:22" dstip=1.2.3.4 dstport=443'
        b" transip=85.1.2.3 transport=40000 duration=120\n"
        # A field named again: the last one counts, as pairs() reads it.
        b'date=2026-11-27 time=08:03:00 type="traffic" srcip=10.0.0.6 srcip=10.0.0.7\n'
        # A quoted value holding what looks like a field: only pairs() may read this line.
        b'date=2026-11-27 time=08:04:00 type="traffic" srcip=10.0.0.8 msg="x srcip=6.6.6.6"\n'
        b'date=2026-11-27 time=08:05:00 type="traffic" srcip=10.0.0.9 msg="x"srcip=6.6.6.6\n'
        b'<189>date=2026-11-27 time=08:06:00 tz="+0000" type="traffic" srcip=10.0.0.10'
        b" duration=60 dstip=\n"
        b'date=2026-11-27 time=08x07x00 type="traffic" srcip=10.0.0.11\n'
        b'date=2026-11-27 time=08:08:00 type="traffic" srcip=10.0.0.12 srcport=12"\n'
        b'date=2026-11-27 time=08:09:00 type="traffic" srcip=10.0.0.256\n'
        b'date=2026-11-27 time=08:10:00 subtype="traffic" srcip=10.0.0.13\n'
        b'date=2026-11-27 time=08:11:00 type="traffic" srcip=10.0.0.14 duration=x\n'
        b'date=2026-11-27 time="08:12:00" type="traffic" srcip=10.0.0.15\n'
        b'date=2026-11-27 time=08:13:00 type="traffic" srcip=10.0.0.16 hostname="\xc3\xa7"\n'
        b'date=2026-11-27 time=08:14:00 type="traffic" srcip="10.0.0.17" srcport="12"'
        b' transip="" dstip="1.2.3.4" dstport=0443 transport=x duration="5"\n'
        b'date=2026-11-27 time=08:15:00 type="traffic" srcip="" duration=""\n'
        b'date=2026-11-27 time=08:00:00 tz="+0000" logid="0100026001" type="event"'
        b' dhcp_msg="Ack" mac="AA:BB:CC:00:11:22" ip=10.0.0.5 lease=3600 hostname="pc5"\n'
    ),
}


@pytest.mark.parametrize("key", sorted(FAST_SAMPLES))
def test_the_fast_path_reads_as_parse_line_does(key):
    """parse_data (fast_line where it applies) and parse_lines (parse_line on every line) give
    the same sessions, counts and samples; and the fast path did take lines."""
    data = FAST_SAMPLES[key]
    fast = parse_data(get_parser(key)(day=DAY, tz=IST), data)
    slow = run(key, data)
    assert fast.sessions == slow.sessions
    assert (fast.lines, fast.skipped, fast.unreadable, fast.unreadable_samples) == (
        slow.lines, slow.skipped, slow.unreadable, slow.unreadable_samples
    )  # fmt: skip
    parser = get_parser(key)(day=DAY, tz=IST)
    taken = [parser.fast_line(line.text) for line in split_lines(data)]
    assert 0 < sum(item is not None for item in taken) < len(taken)


def _bench_lines(key: str, count: int) -> bytes:
    from bench.logs5651 import dhcp_lines, traffic_lines

    return (dhcp_lines if key == "isc_dhcpd_syslog" else traffic_lines)(count, DAY)


@pytest.mark.parametrize("key", ["fortigate", "isc_dhcpd_syslog"])
def test_scan_reads_every_line_as_fast_line_does(key):
    """``scan`` (one regular expression over the whole text; FortiGate's in the layout it learns
    from the file) gives what ``fast_line`` gives line by line: on the samples next to plain
    lines, with and without a last newline, and on a file of odd lines only."""
    plain = _bench_lines(key, 300)
    for data in (plain + FAST_SAMPLES[key] + plain[:-1], FAST_SAMPLES[key], plain):
        text = data.decode()
        lines = text.split("\n")
        if text.endswith("\n"):
            lines.pop()
        one_by_one = get_parser(key)(day=DAY, tz=IST)
        expected = [one_by_one.fast_line(line) for line in lines]
        assert get_parser(key)(day=DAY, tz=IST).scan(text) == expected
    assert sum(item is None for item in expected) == 0


def test_the_fortigate_layout_leaves_lines_in_another_layout_to_fast_line():
    plain = _bench_lines("fortigate", 3)
    # The same line with its fields in another order, and one with a quoted space.
    lines = plain.decode().splitlines()
    tokens = lines[1].split(" ")
    other = " ".join([*tokens[:2], *reversed(tokens[2:])])
    spaced = lines[2].replace('devname="FG100"', 'devname="FG 100"')
    text = "\n".join([lines[0], other, spaced]) + "\n"
    parser = get_parser("fortigate")(day=DAY, tz=IST)
    scanned = parser.scan(text)
    layout = parser._layout.pattern.findall(text)
    assert [bool(groups[1]) for groups in layout[:3]] == [True, False, False]
    one_by_one = get_parser("fortigate")(day=DAY, tz=IST)
    assert scanned == [one_by_one.fast_line(line) for line in text.splitlines()]
    assert None not in scanned[:2]


def test_a_quoted_field_is_not_taken_for_the_real_one():
    data = FAST_SAMPLES["fortigate"]
    result = parse_data(get_parser("fortigate")(day=DAY, tz=IST), data)
    by_line = {session.line: session.ip for session in result.sessions}
    assert (by_line[2], by_line[3]) == ("10.0.0.7", "10.0.0.8")


def _layout_variants() -> bytes:
    """Lines in the bench's FortiGate layout whose values ``scan_rows`` must not copy (it
    leaves them to ``_fast``), and lines it copies at the edges of the day and the hour."""
    line = _bench_lines("fortigate", 1).decode().rstrip("\n")
    variants = [
        line.replace("time=00:00:00", "time=23:59:59").replace("duration=", "duration=9"),
        line.replace('srcmac="02:', 'srcmac="AA:'),  # upper case: normalised by _fast
        line.replace("srcport=1024", "srcport=01024"),  # a leading zero
        line.replace("dstip=93.184.0.1", "dstip=093.184.0.1"),  # not as ipaddress writes it
        line.replace("transip=85.1.2.3", "transip=85.1.2.300"),  # not an address
        line.replace("time=00:00:00", "time=25:00:00"),  # unreadable
        line.replace("time=00:00:00", "time=08:60:00"),
        line.replace("duration=", 'duration="7"').replace('"7"', '"7"', 1),
        line.replace("duration=", "duration=0"),
        line.replace("sentbyte=1000", "sentbyte=1000 extra=1"),  # another layout
        line.replace("date=2026-11-27", "date=2026-02-30"),
    ]
    return ("\n".join(variants) + "\n").encode()


@pytest.mark.parametrize("batch", [1, 7, 20_000])
def test_scan_rows_gives_the_rows_the_sessions_give(batch):
    """``scan_rows`` (FortiGate's whole sessions straight to their canonical lines, for COPY)
    gives the rows, digest and counts that the sessions of the usual way give."""
    from biys.logs5651.records import Rows

    plain = _bench_lines("fortigate", 400)
    tz_line = _bench_lines("fortigate", 1).replace(
        b'devname="FG100"', b'devname="FG100" tz="+0100"'
    )
    for data in (plain, plain + _layout_variants() + plain[:-1], _layout_variants(), tz_line):
        usual = parse_data(get_parser("fortigate")(day=DAY, tz=IST), data)
        expected = Rows(vendor="postgresql")
        expected_rows = expected.add(usual.sessions)
        rows, sessions = Rows(vendor="postgresql"), []
        copied: list[str] = []

        def take(lines, rows=rows, copied=copied):
            rows.canon.extend(lines)
            copied.extend(lines)

        fused = parse_data(
            get_parser("fortigate")(day=DAY, tz=IST), data, sink=sessions.extend,
            row_sink=take, batch=batch,
        )  # fmt: skip
        all_rows = copied + rows.add(sessions)
        assert sorted(all_rows) == sorted(expected_rows)
        assert rows.digest() == expected.digest()
        assert (fused.lines, fused.skipped, fused.unreadable, fused.unreadable_samples) == (
            usual.lines, usual.skipped, usual.unreadable, usual.unreadable_samples
        )  # fmt: skip
    # The line with a time zone was copied (the last data); the plain lines too, the odd ones
    # left to the usual way.
    assert len(copied) == 1
    parser = get_parser("fortigate")(day=DAY, tz=IST)
    text = (plain + _layout_variants()).decode()
    copied, rest = parser.scan_rows(text, 0, [0] * (text.count("\n") + 1))
    assert len(copied) == 400 + 2 and len(rest) == len(_layout_variants().splitlines()) - 2
