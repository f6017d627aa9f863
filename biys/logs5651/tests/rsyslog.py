"""Debian's rsyslogd with the shipped configuration (deploy/rsyslog/biys-5651.conf), run
unprivileged on free loopback ports and writing into a test's watched folder."""

import os
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[3] / "deploy" / "rsyslog" / "biys-5651.conf"
RSYSLOGD = "/usr/sbin/rsyslogd"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Rsyslog:
    udp: int
    tcp: int
    incoming: Path
    process: subprocess.Popen

    def connect(self, timeout: float = 15) -> socket.socket:
        """A TCP connection to the daemon, once it listens."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return socket.create_connection(("127.0.0.1", self.tcp), timeout=1)
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.1)

    def written(self, count: int, timeout: float = 15) -> Path | None:
        """The file rsyslog writes for loopback senders, once it holds ``count`` lines."""
        folder = self.incoming / "127.0.0.1"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = list(folder.glob("*.log")) if folder.is_dir() else []
            if found and found[0].read_bytes().count(b"\n") >= count:
                return found[0]
            time.sleep(0.05)
        return None


@contextmanager
def rsyslogd(incoming: Path, work: Path):
    """The daemon, listening on 127.0.0.1 (UDP and TCP on free ports), writing one file per
    sender and day under ``incoming``; stopped at the end of the block."""
    if not os.access(RSYSLOGD, os.X_OK):
        pytest.skip("Debian's rsyslog is not installed: apt-get install rsyslog")
    udp, tcp = free_port(), free_port()
    work.mkdir(exist_ok=True)
    config = CONFIG.read_text()
    config = config.replace("/var/lib/biys/logs5651-incoming", str(incoming))
    config = config.replace(
        'input(type="imudp" port="514"', f'input(type="imudp" address="127.0.0.1" port="{udp}"'
    )
    config = config.replace(
        'input(type="imtcp" port="514"', f'input(type="imtcp" address="127.0.0.1" port="{tcp}"'
    )
    conf = work / "rsyslog.conf"
    conf.write_text(f'global(workDirectory="{work}")\n' + config)
    checked = subprocess.run([RSYSLOGD, "-N1", "-f", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(
        [RSYSLOGD, "-n", "-f", str(conf), "-i", str(work / "pid")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield Rsyslog(udp, tcp, incoming, process)
    finally:
        process.terminate()
        process.wait(timeout=10)
