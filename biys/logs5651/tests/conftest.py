"""A real time-stamping authority for the tests: a throw-away CA and TSA certificate made with
``openssl`` (extendedKeyUsage critical timeStamping), and ``openssl ts -reply`` answering
RFC 3161 requests over HTTP on a loopback port. One per test session (per xdist worker)."""

import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

TSA_CONFIG = """
[ tsa ]
default_tsa = biys_test_tsa

[ biys_test_tsa ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.5651.1
other_policies = 1.3.6.1.4.1.99999.5651.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""

TSA_EXTENSIONS = """
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_authority(directory: Path, name: str = "BIYS Test") -> Path:
    """CA (ca.crt) and TSA (tsa.crt, tsa.key) in ``directory``; returns the config file."""
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3650",
        "-keyout", "ca.key", "-out", "ca.crt", "-subj", f"/CN={name} Root CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=directory,
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-keyout", "tsa.key",
        "-out", "tsa.csr", "-subj", f"/CN={name} TSA",
        cwd=directory,
    )  # fmt: skip
    (directory / "tsa.ext").write_text(TSA_EXTENSIONS)
    _openssl(
        "x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "3650", "-sha256", "-extfile", "tsa.ext", "-out", "tsa.crt",
        cwd=directory,
    )  # fmt: skip
    (directory / "serial").write_text("01\n")
    config = directory / "tsa.cnf"
    config.write_text(TSA_CONFIG.format(dir=directory))
    return config


@dataclass
class LocalTSA:
    """The running authority. ``mode``: "ok" answers; "error" answers HTTP 500; "garbage"
    answers 200 with text (as Kamu SM does on a refused login)."""

    url: str
    ca_file: str
    directory: Path
    mode: str = "ok"
    requests: list = field(default_factory=list)  # (headers, body) of each request


@pytest.fixture(scope="session")
def local_tsa():
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed (scripts/system-packages.sh)")
    directory = Path(tempfile.mkdtemp(prefix="biys-tsa-"))
    config = make_authority(directory)
    lock = threading.Lock()
    state = LocalTSA(url="", ca_file=str(directory / "ca.crt"), directory=directory)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.requests.append((dict(self.headers), body))
            if state.mode == "error":
                self.send_error(500, "TSA down")
                return
            if state.mode == "garbage":
                reply = b"Account could not be authenticated"
            else:
                with lock, tempfile.TemporaryDirectory(dir=directory) as work:
                    query, out = Path(work) / "q.tsq", Path(work) / "r.tsr"
                    query.write_bytes(body)
                    done = subprocess.run(
                        ["openssl", "ts", "-reply", "-config", str(config),
                         "-queryfile", str(query), "-out", str(out)],
                        capture_output=True, timeout=30,
                    )  # fmt: skip
                    if done.returncode != 0:
                        self.send_error(400, done.stderr.decode()[:200])
                        return
                    reply = out.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield state
    server.shutdown()
    server.server_close()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def logs_dir(settings, tmp_path):
    settings.BIYS_LOGS5651_DIR = tmp_path / "logs5651"
    return settings.BIYS_LOGS5651_DIR


@pytest.fixture
def tsa(local_tsa, settings, logs_dir):
    """The local authority configured for the test, answering normally."""
    local_tsa.mode = "ok"
    local_tsa.requests.clear()
    settings.BIYS_TSA_URL = local_tsa.url
    settings.BIYS_TSA_CA_FILE = local_tsa.ca_file
    settings.BIYS_TSA_KAMUSM_USER = ""
    settings.BIYS_TSA_KAMUSM_PASSWORD = ""
    settings.BIYS_TSA_TIMEOUT = 10
    yield local_tsa
    local_tsa.mode = "ok"


@pytest.fixture
def source(org_tree):
    from biys.logs5651.models import LogSource

    return LogSource.objects.create(
        unit=org_tree["network"], name="merkez-dhcp", kind="dhcp", parser="isc_dhcpd_syslog"
    )


DAY = date(2026, 11, 27)
