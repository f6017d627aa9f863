"""Sealing against a real RFC 3161 authority (openssl ts on loopback), the chain of manifests,
failures that never make a token up, and verification catching a single changed byte in a
file, a token, a manifest or a record."""

import io
import json
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from rfc3161_client import decode_timestamp_response

from biys.core import tsa
from biys.logs5651 import storage
from biys.logs5651.models import AccessRecord, DailySeal, LogFile, SealStatus
from biys.logs5651.services import ingest_file, retry_seal, seal_day, seal_pending, verify
from biys.logs5651.tests.conftest import DAY
from biys.logs5651.tests.factories import ISC_SYSLOG
from biys.notifications.models import Notification

pytestmark = pytest.mark.django_db
OTHER_DAY_LOG = ISC_SYSLOG.replace(b"Nov 27", b"Nov 28")


@pytest.fixture
def two_sealed_days(source, tsa):
    ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY, name="dhcpd.log")
    ingest_file(source=source, path_or_bytes=OTHER_DAY_LOG, day=DAY + timedelta(days=1))
    first = seal_day(unit=source.unit, day=DAY)
    second = seal_day(unit=source.unit, day=DAY + timedelta(days=1))
    return first, second


def test_a_day_is_sealed_with_a_verified_token(two_sealed_days, tsa):
    first, second = two_sealed_days
    assert first.status == second.status == SealStatus.SEALED
    manifest = json.loads(first.manifest)
    (entry,) = manifest["files"]
    log_file = LogFile.objects.get(day=DAY)
    assert (entry["name"], entry["gz_sha256"], entry["records"]) == (
        "dhcpd.log",
        log_file.gz_sha256,
        3,
    )
    # The chain: the second day's manifest names the first's digest.
    assert json.loads(second.manifest)["previous_sha256"] == first.manifest_sha256
    assert second.previous_sha256 == first.manifest_sha256
    # The token is the authority's, over the manifest.
    response = decode_timestamp_response(bytes(first.tsa_token))
    assert (
        response.tst_info.message_imprint.message
        == __import__("hashlib").sha256(first.manifest.encode()).digest()
    )
    assert len(tsa.requests) == 2
    assert verify().ok


def test_verify_cli_prints_json_and_exits_zero(two_sealed_days):
    out = io.StringIO()
    call_command("logs", "verify", "--from", "2026-11-27", "--to", "2026-11-28", stdout=out)
    report = json.loads(out.getvalue())
    assert report["ok"] and (report["days"], report["sealed_days"], report["files"]) == (2, 2, 2)


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _failures(date_from=None):
    report = verify(date_from=date_from)
    assert not report.ok
    return {(f.day, f.check) for f in report.failures}, report


def test_one_byte_of_a_stored_file(two_sealed_days):
    log_file = LogFile.objects.get(day=DAY)
    path = storage.absolute(log_file.gz_path)
    path.chmod(0o640)
    data = path.read_bytes()
    path.write_bytes(_flip(data, len(data) // 2))
    failures, report = _failures()
    assert failures == {("2026-11-27", "file")}
    (failure,) = report.failures
    assert (failure.source, failure.file, failure.expected) == (
        "merkez-dhcp",
        "dhcpd.log",
        log_file.gz_sha256,
    )
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("logs", "verify", stdout=out)
    assert exit_status.value.code == 1 and not json.loads(out.getvalue())["ok"]


def test_one_byte_of_a_token(two_sealed_days):
    first, _second = two_sealed_days
    token = bytes(first.tsa_token)
    DailySeal.objects.filter(pk=first.pk).update(tsa_token=_flip(token, len(token) - 300))
    assert _failures()[0] == {("2026-11-27", "token")}


def test_one_byte_of_a_manifest(two_sealed_days):
    first, _second = two_sealed_days
    manifest = first.manifest.replace('"lines": 8', '"lines": 9')
    assert manifest != first.manifest
    DailySeal.objects.filter(pk=first.pk).update(manifest=manifest)
    failures, _report = _failures()
    assert ("2026-11-27", "manifest") in failures and ("2026-11-27", "token") in failures


def test_a_manifest_rewritten_with_its_digest_breaks_the_token_and_the_chain(two_sealed_days):
    first, _second = two_sealed_days
    manifest = first.manifest.replace('"lines": 8', '"lines": 9')
    DailySeal.objects.filter(pk=first.pk).update(
        manifest=manifest,
        manifest_sha256=__import__("hashlib").sha256(manifest.encode()).hexdigest(),
    )
    failures, _report = _failures()
    assert failures == {("2026-11-27", "token"), ("2026-11-28", "chain")}


def test_one_byte_of_a_record(two_sealed_days):
    record = AccessRecord.objects.filter(file__day=DAY).order_by("pk").first()
    AccessRecord.objects.filter(pk=record.pk).update(mac="aa:aa:aa:aa:aa:0b")
    failures, report = _failures()
    assert failures == {("2026-11-27", "records")}
    assert report.failures[0].source == "merkez-dhcp"


def test_a_deleted_record_and_a_removed_day(two_sealed_days):
    first, _second = two_sealed_days
    AccessRecord.objects.filter(file__day=DAY + timedelta(days=1)).first().delete()
    DailySeal.objects.filter(pk=first.pk).delete()
    failures, _report = _failures()
    assert failures == {("2026-11-28", "records"), ("2026-11-28", "chain"), ("2026-11-27", "seal")}


def test_a_record_moved_to_another_source_or_to_no_file(two_sealed_days, source, org_tree):
    """The record's references are not database constraints: verification checks them."""
    from biys.logs5651.models import LogSource

    other = LogSource.objects.create(unit=source.unit, name="baska", kind="dhcp",
                                     parser="isc_dhcpd_syslog")  # fmt: skip
    record = AccessRecord.objects.filter(file__day=DAY).order_by("pk").first()
    AccessRecord.objects.filter(pk=record.pk).update(source_id=other.pk)
    failures, report = _failures()
    assert failures == {("2026-11-27", "records")}
    assert "başka bir kaynağı" in report.failures[0].message
    AccessRecord.objects.filter(pk=record.pk).update(source_id=source.pk, file_id=10**9)
    failures, report = _failures()
    # The file lost a record (its digest) and the record has no file.
    assert failures == {("2026-11-27", "records"), ("", "records")}
    orphan = next(f for f in report.failures if not f.day)
    assert (orphan.file, orphan.message) == (
        str(10**9),
        "1 erişim kaydı var olmayan bir dosyaya bağlı",
    )


def test_unsealed_files_are_checked_against_their_ingest_digests(source, logs_dir):
    log_file = ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    assert verify().ok
    AccessRecord.objects.filter(file=log_file).update(ip="10.0.0.99")
    assert _failures()[0] == {("2026-11-27", "records")}


def test_an_unreachable_authority_leaves_the_day_not_sealed(source, tsa, make_user, org_tree):
    officer = make_user("log_officer", org_tree["network"])
    ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    tsa.mode = "error"
    now = timezone.make_aware(datetime(2026, 11, 28, 0, 30))  # the 27th has just ended
    seal = seal_day(unit=source.unit, day=DAY, now=now)
    assert (seal.status, seal.attempts, seal.tsa_token) == (SealStatus.NOT_SEALED, 1, None)
    assert seal.next_retry_at == now + timedelta(minutes=5)
    assert "did not answer" in seal.last_error
    assert Notification.objects.filter(recipient=officer).count() == 1
    # Not due yet: nothing is sent.
    assert seal_pending(now=now + timedelta(minutes=1)) == []
    # A refusal in plain text (Kamu SM's way) is no token either; backoff doubles.
    tsa.mode = "garbage"
    (seal,) = seal_pending(now=now + timedelta(minutes=6))
    assert (seal.status, seal.attempts, seal.tsa_token) == (SealStatus.NOT_SEALED, 2, None)
    assert seal.next_retry_at == now + timedelta(minutes=16)
    tsa.mode = "ok"
    (seal,) = seal_pending(now=now + timedelta(minutes=17))
    assert seal.status == SealStatus.SEALED and seal.last_error == ""
    assert verify().ok


def test_after_the_last_attempt_the_day_is_failed_and_reported(
    source, tsa, settings, make_user, org_tree
):
    officer = make_user("log_officer", org_tree["network"])
    settings.BIYS_TSA_MAX_ATTEMPTS = 2
    ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    tsa.mode = "error"
    seal = seal_day(unit=source.unit, day=DAY)
    seal = retry_seal(seal=seal)
    assert seal.status == SealStatus.FAILED and seal.next_retry_at is None
    assert Notification.objects.filter(recipient=officer).count() == 2
    tsa.mode = "ok"
    assert retry_seal(seal=seal).status == SealStatus.SEALED


def test_a_token_from_another_authority_is_refused(source, tsa, settings, tmp_path):
    from biys.logs5651.tests.conftest import make_authority

    other = tmp_path / "other"
    other.mkdir()
    make_authority(other, "Sahte")
    settings.BIYS_TSA_CA_FILE = str(other / "ca.crt")
    ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    seal = seal_day(unit=source.unit, day=DAY)
    assert seal.status == SealStatus.NOT_SEALED and seal.tsa_token is None
    assert "does not verify" in seal.last_error


def test_no_ca_file_means_no_seal(source, tsa, settings):
    settings.BIYS_TSA_CA_FILE = ""
    ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    seal = seal_day(unit=source.unit, day=DAY)
    assert seal.status == SealStatus.NOT_SEALED and "BIYS_TSA_CA_FILE" in seal.last_error


def test_pending_days_are_sealed_in_order_without_gaps(source, tsa):
    ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    now = timezone.make_aware(datetime(2026, 11, 30, 1, 0))
    seals = seal_pending(now=now)
    # 27 (a file), 28 and 29 (no files: sealed empty, so a removed day shows).
    assert [(s.day, s.status) for s in seals] == [
        (date(2026, 11, 27), "sealed"),
        (date(2026, 11, 28), "sealed"),
        (date(2026, 11, 29), "sealed"),
    ]
    assert json.loads(seals[2].manifest)["files"] == []
    assert verify().ok
    out = io.StringIO()
    call_command("logs", "seal", "--date", "2026-11-29", stdout=out)
    assert json.loads(out.getvalue())["ok"]


def test_a_day_not_ended_cannot_be_sealed(source, tsa):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        seal_day(unit=source.unit, day=timezone.localdate())


def _der_items(data: bytes) -> list[tuple[int, bytes]]:
    """The (tag, content) of each DER element in ``data`` (short and long lengths)."""
    items, at = [], 0
    while at < len(data):
        tag, length = data[at], data[at + 1]
        at += 2
        if length & 0x80:
            size = length & 0x7F
            length = int.from_bytes(data[at : at + size], "big")
            at += size
        items.append((tag, data[at : at + length]))
        at += length
    return items


def test_kamusm_identity_header_as_the_authority_receives_it(source, tsa, settings):
    """What the authority gets on the wire, read as Kamu SM reads it (NOTES.md): an
    ``identity`` header on the same POST as the RFC 3161 request, the lower-case hex of an
    ESYAReqEx whose customer number is ours and whose encrypted imprint, opened with the
    password, is the digest the request's message imprint carries (the day's manifest)."""
    import hashlib

    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    settings.BIYS_TSA_KAMUSM_USER = "12345"
    settings.BIYS_TSA_KAMUSM_PASSWORD = "parola"
    ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    tsa.requests.clear()
    seal = seal_day(unit=source.unit, day=DAY)
    assert seal.status == "sealed"
    ((headers, body),) = tsa.requests
    headers = {name.lower(): value for name, value in headers.items()}
    assert headers["content-type"] == "application/timestamp-query"
    identity = headers["identity"]
    assert identity == identity.lower() and not identity.startswith("0")  # BigInteger hex
    assert set(identity) <= set("0123456789abcdef")

    ((tag, esya),) = _der_items(
        bytes.fromhex(identity if len(identity) % 2 == 0 else "0" + identity)
    )
    assert tag == 0x30
    fields = _der_items(esya)
    assert [tag for tag, _value in fields] == [0x02, 0x04, 0x02, 0x04, 0x04]
    user, salt, iterations, iv, encrypted = (value for _tag, value in fields)
    assert int.from_bytes(user, "big") == 12345
    assert int.from_bytes(iterations, "big") == 100 and len(salt) == 16 and iv == salt
    key = hashlib.pbkdf2_hmac("sha256", b"parola", salt, 100, dklen=32)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    digest = unpadder.update(decryptor.update(encrypted) + decryptor.finalize())
    digest += unpadder.finalize()

    # The RFC 3161 body of that same request: TimeStampReq { version, messageImprint {
    # hashAlgorithm, hashedMessage }, ... }.
    ((_tag, request),) = _der_items(body)
    _version, (_tag, imprint), *_rest = _der_items(request)
    (_tag, _algorithm), (_tag, hashed) = _der_items(imprint)
    assert digest == hashed == hashlib.sha256(seal.manifest.encode()).digest()


def test_no_identity_header_without_kamusm_credentials(source, tsa):
    ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    tsa.requests.clear()
    assert seal_day(unit=source.unit, day=DAY).status == "sealed"
    ((headers, _body),) = tsa.requests
    assert "identity" not in {name.lower() for name in headers}


def test_kamusm_identity_decrypts_to_the_digest():
    import hashlib

    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    salt = bytes(range(16))
    digest = hashlib.sha256(b"manifest").digest()
    value = tsa.kamusm_identity(user_id=7, password="gizli", digest=digest, salt=salt)
    der = bytes.fromhex(value if len(value) % 2 == 0 else "0" + value)
    encrypted = der[-48:]
    key = hashlib.pbkdf2_hmac("sha256", b"gizli", salt, 100, dklen=32)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(salt)).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    plain = (
        unpadder.update(decryptor.update(encrypted) + decryptor.finalize()) + unpadder.finalize()
    )
    assert plain == digest
    assert der.startswith(bytes([0x30, len(der) - 2, 0x02, 0x01, 0x07, 0x04, 0x10]) + salt)
