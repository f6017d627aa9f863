"""Real servers on loopback for the service desk's mail and monitoring tests.

- ``imap_server``: a private Dovecot (Debian's ``dovecot-imapd``) with one mail user, plain IMAP
  on a free port, everything under a temporary directory; ``imap_inbox`` empties its INBOX for
  each test and delivers messages with IMAP ``APPEND``.
- ``smtp_server`` / ``smtp_settings``: the notifications app's aiosmtpd fixture, re-exported.
- ``start_alertmanager``: Debian's ``prometheus-alertmanager`` with a webhook receiver.

Each skips with the reason when its program is not installed.
"""

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from biys.notifications.tests.conftest import smtp_server, smtp_settings  # noqa: F401

DOVECOT = "/usr/sbin/dovecot"
ALERTMANAGER = "/usr/bin/prometheus-alertmanager"
IMAP_USER = "yardim"
IMAP_PASSWORD = "Posta-Parolasi-1"
IMAP_ADDRESS = "yardim@belediye.test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, process=None, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def wait_for(condition, *, timeout: float = 30.0, interval: float = 0.2):
    """Poll ``condition`` until it returns something truthy; returns it, or None on timeout.
    A database busy with the live server's write (SQLite locks) counts as "not yet"."""
    from django.db import OperationalError

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except OperationalError:
            value = None
        if value:
            return value
        time.sleep(interval)
    return None


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _mail_account() -> tuple[int, int, str, str]:
    """(uid, gid, internal user, login user) Dovecot runs the mail user as.

    Dovecot refuses to serve mail as root, so as root the mail user is ``nobody`` (its files
    are chowned to it) and the service users are the package's ``dovecot`` / ``dovenull``;
    as an ordinary user everything runs as that user."""
    if os.geteuid() != 0:
        name = pwd.getpwuid(os.geteuid()).pw_name
        return os.geteuid(), os.getegid(), name, name
    nobody = pwd.getpwnam("nobody")
    try:
        pwd.getpwnam("dovecot")
        pwd.getpwnam("dovenull")
        internal, login = "dovecot", "dovenull"
    except KeyError:
        internal = login = "nobody"
    return nobody.pw_uid, nobody.pw_gid, internal, login


DOVECOT_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = {internal_user}
default_login_user = {login_user}
first_valid_uid = {uid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


class ImapServer:
    def __init__(self, root: Path, port: int):
        self.root, self.host, self.port = root, "127.0.0.1", port
        self.user, self.password, self.address = IMAP_USER, IMAP_PASSWORD, IMAP_ADDRESS

    def connect(self) -> imaplib.IMAP4:
        connection = imaplib.IMAP4(self.host, self.port, timeout=10)
        connection.login(self.user, self.password)
        return connection

    def deliver(self, raw: bytes, *, flags: str = "") -> None:
        """Put a message into the INBOX the way a mail server would: IMAP APPEND."""
        connection = self.connect()
        try:
            status, data = connection.append(
                "INBOX", flags, imaplib.Time2Internaldate(time.time()), raw
            )
            assert status == "OK", data
        finally:
            connection.logout()

    def empty(self) -> None:
        connection = self.connect()
        try:
            connection.select("INBOX")
            _status, data = connection.uid("SEARCH", None, "ALL")
            if data and data[0]:
                connection.uid("STORE", b",".join(data[0].split()), "+FLAGS", r"(\Deleted)")
                connection.expunge()
        finally:
            connection.logout()

    def flags(self) -> dict[int, str]:
        """{uid: flags} of the INBOX."""
        connection = self.connect()
        try:
            connection.select("INBOX", readonly=True)
            _status, data = connection.uid("FETCH", "1:*", "(FLAGS)")
            result = {}
            for line in data:
                if not line:
                    continue
                text = line.decode()
                uid = int(text.split("UID ", 1)[1].split()[0].rstrip(")"))
                result[uid] = text.split("FLAGS (", 1)[1].split(")", 1)[0]
            return result
        finally:
            connection.logout()


@pytest.fixture(scope="session")
def imap_server():
    if not os.path.exists(DOVECOT):
        pytest.skip(f"{DOVECOT} is missing: install dovecot-imapd for the e-mail intake tests")
    root = Path(tempfile.mkdtemp(prefix="biys-dovecot-"))
    uid, gid, internal_user, login_user = _mail_account()
    port = free_port()
    for name in ("run", "state", "mail"):
        (root / name).mkdir()
    os.chmod(root, 0o755)  # the mail user must reach its maildir
    if os.geteuid() == 0:
        os.chown(root / "mail", uid, gid)
    (root / "passwd").write_text(
        f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}:{uid}:{gid}::{root}/mail/{IMAP_USER}\n"
    )
    config = root / "dovecot.conf"
    config.write_text(
        DOVECOT_CONF.format(
            root=root, port=port, uid=uid, internal_user=internal_user, login_user=login_user
        )
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port(port, process=process)
    except RuntimeError as error:
        stop(process)
        output = process.stdout.read().decode(errors="replace") if process.stdout else ""
        log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"dovecot did not start: {error}\n{output}\n{log}") from error
    try:
        yield ImapServer(root, port)
    finally:
        stop(process)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_inbox(imap_server):
    imap_server.empty()
    return imap_server


ALERTMANAGER_CONF = """\
route:
  receiver: biys
  group_by: ['alertname', 'instance']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: biys
    webhook_configs:
      - url: '{url}'
        send_resolved: true
        max_alerts: 0
        http_config:
          authorization:
            type: Bearer
            credentials: '{token}'
"""


class Alertmanager:
    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}"

    def post_alerts(self, alerts: list[dict]) -> None:
        import requests

        response = requests.post(f"{self.url}/api/v2/alerts", json=alerts, timeout=10)
        assert response.status_code == 200, response.text


def start_alertmanager(*, webhook_url: str, token: str):
    """A context manager running Alertmanager that sends every alert group to ``webhook_url``
    with ``Authorization: Bearer <token>``."""
    from contextlib import contextmanager

    @contextmanager
    def running():
        if not os.path.exists(ALERTMANAGER):
            pytest.skip(
                f"{ALERTMANAGER} is missing: apt-get install prometheus-alertmanager for the "
                "end-to-end monitoring test"
            )
        root = Path(tempfile.mkdtemp(prefix="biys-alertmanager-"))
        port = free_port()
        config = root / "alertmanager.yml"
        config.write_text(ALERTMANAGER_CONF.format(url=webhook_url, token=token))
        log = open(root / "alertmanager.log", "wb")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [
                ALERTMANAGER,
                f"--config.file={config}",
                f"--storage.path={root / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address=",
                "--log.level=debug",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, process=process)
            server = Alertmanager(port)
            server.log_path = root / "alertmanager.log"
            yield server
        finally:
            stop(process)
            log.close()
            shutil.rmtree(root, ignore_errors=True)

    return running()


# A small service desk ----------------------------------------------------------------------------


class Desk:
    """The network branch's queue, its catalogue item and the people around a ticket."""


@pytest.fixture
def mail_desk(org_tree, make_user):
    from biys.org.models import Position
    from biys.servicedesk.choices import TicketKind
    from biys.servicedesk.models import CatalogItem, Queue

    def person_user(role, unit, email, **extra):
        user = make_user(role, unit, email=email, **extra)
        user.person.email = email
        user.person.save()
        return user

    def manage(unit, user):
        position = Position.objects.create(
            unit=unit, name="Müdür", is_manager=True, holder=user.person
        )
        unit.manager_position = position
        unit.save()

    desk = Desk()
    desk.units = org_tree
    desk.network = org_tree["network"]
    desk.roads = org_tree["roads"]
    desk.item = CatalogItem.objects.create(
        name="Yazıcı arızası", kind=TicketKind.FAULT, unit=desk.network
    )
    desk.technician = person_user("technician", desk.network, "teknisyen@belediye.test")
    desk.colleague = person_user("technician", desk.network, "meslektas@belediye.test")
    desk.requester = person_user("requester", desk.roads, "gulsen.caglayan@belediye.test")
    desk.roads_manager = person_user("chief", desk.roads, "fen.mudur@belediye.test")
    desk.network_manager = person_user("chief", desk.network, "ag.mudur@belediye.test")
    manage(desk.roads, desk.roads_manager)
    manage(desk.network, desk.network_manager)
    desk.queue = Queue.objects.create(unit=desk.network)
    desk.queue.members.set([desk.technician, desk.colleague])
    return desk
