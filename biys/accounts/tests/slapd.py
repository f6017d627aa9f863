"""A real OpenLDAP server (Debian's slapd) on loopback for the directory tests."""

import base64
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
SUFFIX = "dc=belediye,dc=local"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "slapd-test-root"

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {root}/slapd.pid
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {root}/db
access to attrs=userPassword by anonymous auth by * none
access to * by * read
"""


def ldif_entry(dn: str, attrs: dict) -> str:
    """One LDIF record; non-ASCII values (Turkish names) are base64 encoded as LDIF requires."""
    lines = [f"dn: {dn}"]
    for name, values in attrs.items():
        for value in values if isinstance(values, list) else [values]:
            if value.isascii():
                lines.append(f"{name}: {value}")
            else:
                lines.append(f"{name}:: {base64.b64encode(value.encode()).decode()}")
    return "\n".join(lines) + "\n"


def person_entry(uid: str, given: str, surname: str, mail: str, password: str, sicil: str = ""):
    attrs = {
        "objectClass": "inetOrgPerson",
        "uid": uid,
        "cn": f"{given} {surname}",
        "givenName": given,
        "sn": surname,
        "mail": mail,
        "userPassword": password,
    }
    if sicil:
        attrs["employeeNumber"] = sicil
    return f"uid={uid},ou=people,{SUFFIX}", attrs


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Slapd:
    def __init__(self, entries: list[tuple[str, dict]]):
        self.root = Path(tempfile.mkdtemp(prefix="biys-slapd-"))
        self.port = _free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}/"
        self.entries = entries
        self.process = None

    def start(self) -> "Slapd":
        (self.root / "db").mkdir()
        conf = self.root / "slapd.conf"
        conf.write_text(
            CONFIG.format(
                root=self.root, suffix=SUFFIX, root_dn=ROOT_DN, root_password=ROOT_PASSWORD
            )
        )
        base = [
            (
                SUFFIX,
                {"objectClass": ["dcObject", "organization"], "o": "Belediye", "dc": "belediye"},
            ),
            (f"ou=people,{SUFFIX}", {"objectClass": "organizationalUnit", "ou": "people"}),
            (f"ou=groups,{SUFFIX}", {"objectClass": "organizationalUnit", "ou": "groups"}),
        ]
        ldif = self.root / "data.ldif"
        ldif.write_text("\n".join(ldif_entry(dn, attrs) for dn, attrs in base + self.entries))
        subprocess.run(
            [SLAPADD, "-f", conf, "-l", ldif], check=True, capture_output=True, timeout=30
        )
        self.process = subprocess.Popen(
            [SLAPD, "-d", "0", "-h", self.uri, "-f", conf],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd exited: {self.process.stderr.read().decode()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("slapd did not start listening in time")

    def admin_connection(self):
        import ldap

        connection = ldap.initialize(self.uri)
        connection.simple_bind_s(ROOT_DN, ROOT_PASSWORD)
        return connection

    def add(self, dn: str, attrs: dict) -> None:
        import ldap.modlist

        values = {
            name: [v.encode() for v in (value if isinstance(value, list) else [value])]
            for name, value in attrs.items()
        }
        connection = self.admin_connection()
        try:
            connection.add_s(dn, ldap.modlist.addModlist(values))
        finally:
            connection.unbind_s()

    def delete(self, dn: str) -> None:
        connection = self.admin_connection()
        try:
            connection.delete_s(dn)
        finally:
            connection.unbind_s()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process.stderr.close()
        shutil.rmtree(self.root, ignore_errors=True)
