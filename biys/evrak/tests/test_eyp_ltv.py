"""The signer's signature as an exported package carries it: extended with its signature
time-stamp (CAdES-T, the unsigned attribute id-aa-signatureTimeStampToken over the signature
value) and the chain, CRLs and OCSP responses it was accepted with (``SignedData.certificates``
and ``crls``), the signature as the signer returned it kept unchanged; and, reading a package,
the time-stamp checked and reported, and the CRLs it carries used where the installation has
none, only when they verify against the issuer."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from django.core.management import call_command
from django.utils import translation

from biys.evrak import cades, cades_ltv, eyp, revocation, services, signing
from biys.evrak import outgoing_services as svc
from biys.evrak.models import RevocationList
from biys.evrak.tests.packages import read_parts
from biys.evrak.tests.signer import ThrowawayAuthority, sign_detached, with_crls
from biys.evrak.tests.test_eyp_signature import (  # noqa: F401 (fixtures)
    SIGNATURE,
    authority,
    cades_signed,
    people,
    resealed,
    upload,
)
from biys.logs5651.tests.conftest import local_tsa  # noqa: F401 (the local RFC 3161 authority)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BIYS_EVRAK_REQUIRE_REVOCATION = True
    settings.BIYS_EVRAK_CRL_FETCH = False
    settings.BIYS_EVRAK_TIMESTAMP = False


@pytest.fixture
def stamping(settings, local_tsa):  # noqa: F811
    settings.BIYS_TSA_URL = local_tsa.url
    settings.BIYS_TSA_CA_FILE = local_tsa.ca_file
    settings.BIYS_TSA_KAMUSM_USER = settings.BIYS_TSA_KAMUSM_PASSWORD = ""
    settings.BIYS_TSA_TIMEOUT = 10
    settings.BIYS_EVRAK_TIMESTAMP = True
    local_tsa.mode = "ok"
    return local_tsa


def _signer(stored) -> x509.Certificate:
    return cades.load_certificate(stored.certificate.encode("ascii"))


def _with_signature(data: bytes, signature: bytes) -> bytes:
    parts = read_parts(data)
    parts[SIGNATURE] = signature
    return resealed(parts)


def _problems(report) -> str:
    return " ".join(str(problem) for problem in report.problems)


@translation.override("en")
def test_the_package_carries_the_validation_data_and_reads_without_a_crl_loaded(
    people,  # noqa: F811
    org_tree,
    authority,  # noqa: F811
    municipality,
):
    document = cades_signed(people, org_tree, authority)
    stored = signing.accepted_signature(document)
    original = bytes(stored.signature)
    data = svc.eyp_package(document=document)
    carried = read_parts(data)[SIGNATURE]
    # The signer's signature is extended, not changed: the same signed attributes and value.
    assert carried != original
    assert revocation.signature_value(carried) == revocation.signature_value(original)
    stored.refresh_from_db()
    assert bytes(stored.signature) == original
    crls = revocation.embedded_crls(carried)
    assert [crl.issuer for crl in crls] == [authority.certificate.subject]
    assert not revocation.embedded_crls(original)
    assert b"signatureTimeStamp" not in carried  # no time-stamp was taken
    # Another installation: the same root trusted, no CRL loaded.
    RevocationList.objects.all().delete()
    report = eyp.check_package(data)
    assert report.ok, _problems(report)
    assert report.signature["timestamps"] == []
    # The signature as the signer returned it would be refused there: it carries no CRL.
    bare = eyp.check_package(_with_signature(data, original))
    assert not bare.ok and "No current revocation list" in _problems(bare)
    incoming = services.import_eyp_package(
        user=people["clerk"], receiving_unit=org_tree["dept"], uploaded_file=upload(data)
    )
    assert incoming.sender_number == document.number


@translation.override("en")
def test_a_carried_crl_that_revokes_the_signer_refuses_the_package(
    people,  # noqa: F811
    org_tree,
    authority,  # noqa: F811
    municipality,
):
    document = cades_signed(people, org_tree, authority)
    stored = signing.accepted_signature(document)
    data = svc.eyp_package(document=document)
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
    revoking = authority.crl(
        revoked=[(_signer(stored), when, x509.ReasonFlags.key_compromise)],
        this_update=when + timedelta(minutes=1),
        number=2,
    )
    tampered = _with_signature(data, with_crls(bytes(stored.signature), [revoking]))
    RevocationList.objects.all().delete()
    report = eyp.check_package(tampered)
    assert not report.ok and "was revoked on" in _problems(report), _problems(report)
    # The same with the installation's own (older, current) CRL loaded: the newest counts.
    revocation.add_revocation_list(
        user=people["admin"], data=authority.crl(this_update=when - timedelta(hours=1))
    )
    report = eyp.check_package(tampered)
    assert not report.ok and "key compromise" in _problems(report), _problems(report)


@translation.override("en")
def test_a_forged_crl_in_the_package_is_ignored(
    people,  # noqa: F811
    org_tree,
    authority,  # noqa: F811
    municipality,
):
    document = cades_signed(people, org_tree, authority)
    stored = signing.accepted_signature(document)
    data = svc.eyp_package(document=document)
    forger = ThrowawayAuthority()  # the same name, another key
    assert forger.certificate.subject == authority.certificate.subject
    RevocationList.objects.all().delete()
    # Only a forged CRL: it covers nothing, the package is refused for want of one.
    forged = _with_signature(data, with_crls(bytes(stored.signature), [forger.crl(number=5)]))
    report = eyp.check_package(forged)
    assert not report.ok and "No current revocation list" in _problems(report)
    # A forged CRL revoking the signer beside the genuine one the package carries: ignored.
    carried = read_parts(data)[SIGNATURE]
    lying = x509.load_pem_x509_crl(forger.crl(revoked=[_signer(stored)], number=9))
    report = eyp.check_package(_with_signature(data, cades_ltv.extend(carried, crls=[lying])))
    assert report.ok, _problems(report)


@translation.override("en")
def test_the_signature_time_stamp_travels_in_the_package_and_is_checked(
    people,  # noqa: F811
    org_tree,
    authority,  # noqa: F811
    municipality,
    stamping,
    settings,
    tmp_path,
):
    document = cades_signed(people, org_tree, authority)
    stored = signing.accepted_signature(document)
    validation = stored.validation
    assert validation.timestamp_token and validation.timestamp_time
    data = svc.eyp_package(document=document)
    carried = read_parts(data)[SIGNATURE]
    assert bytes(stored.signature) != carried
    token = cades_ltv.token_of(bytes(validation.timestamp_token))
    assert token in carried
    report = eyp.check_package(data)
    assert report.ok, _problems(report)
    [stamp] = report.signature["timestamps"]
    assert stamp["verified"] and stamp["authority"]
    assert stamp["time"] == validation.timestamp_time.isoformat()
    assert any("time-stamped" in check and "verifies" in check for check in report.checks)
    path = tmp_path / "paket.eyp"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("documents", "check-eyp", str(path), stdout=out)
    assert f"time-stamped {stamp['time']} (verified)" in out.getvalue()
    # Without the authority's certificates the imprint is still checked, the time reported.
    settings.BIYS_TSA_CA_FILE = ""
    report = eyp.check_package(data)
    assert report.ok and report.signature["timestamps"][0]["verified"] is False
    assert any("not checked" in check for check in report.checks)
    # Another authority than the installation's: reported, not refused.
    other_ca = tmp_path / "other-tsa.pem"
    other_ca.write_bytes(authority.pem())
    settings.BIYS_TSA_CA_FILE = str(other_ca)
    report = eyp.check_package(data)
    assert report.ok, _problems(report)
    [stamp] = report.signature["timestamps"]
    assert not stamp["verified"] and stamp["problem"]
    assert any("does not verify against this installation's" in line for line in report.checks)
    # A token over another signature's value refuses the package, saying why.
    settings.BIYS_TSA_CA_FILE = stamping.ca_file
    other = sign_detached(b"other", *authority.issue(email="x@ornek.bel.tr"))
    from biys.core import tsa

    wrong = cades_ltv.token_of(tsa.request_timestamp(revocation.signature_value(other)).token)
    swapped = cades_ltv.extend(
        bytes(stored.signature),
        timestamp_token=wrong,
        crls=[x509.load_pem_x509_crl(authority.crl(number=3))],
    )
    report = eyp.check_package(_with_signature(data, swapped))
    assert not report.ok
    assert "message imprint is not the digest of this signature" in _problems(report)


@translation.override("en")
def test_a_time_stamped_package_verifies_as_of_its_time_stamp_once_the_certificate_expired(
    people,  # noqa: F811
    org_tree,
    authority,  # noqa: F811
    municipality,
    stamping,
    settings,
):
    """Read a year and more later (the signer's certificate expired, the carried CRL long
    stale), a package whose signature time-stamp verifies against this installation's
    authority is verified as of that time-stamp; without a verified time-stamp it is refused;
    a revocation dated before the time-stamp still refuses it, one dated after does not."""
    document = cades_signed(people, org_tree, authority)
    data = svc.eyp_package(document=document)
    stamped_at = signing.accepted_signature(document).validation.timestamp_time
    later = datetime.now(UTC) + timedelta(days=400)  # the certificate was valid for 365

    report = eyp.check_package(data, at=later)
    assert report.ok, _problems(report)
    assert report.signature["validated_at"] == stamped_at.isoformat()
    assert any("verified as of its signature time-stamp" in line for line in report.checks)
    now = eyp.check_package(data)  # today it verifies as of now
    assert now.ok and now.signature["validated_at"] != stamped_at.isoformat()
    assert not any("verified as of its signature time-stamp" in line for line in now.checks)

    settings.BIYS_TSA_CA_FILE = ""  # the time-stamp's authority unchecked: not relied upon
    refused = eyp.check_package(data, at=later)
    assert not refused.ok and "not valid" in _problems(refused)
    settings.BIYS_TSA_CA_FILE = stamping.ca_file

    signer = _signer(signing.accepted_signature(document))
    for revoked_at, ok in (
        (stamped_at + timedelta(days=30), True),
        (stamped_at - timedelta(minutes=5), False),
    ):
        RevocationList.objects.all().delete()
        revocation.add_revocation_list(
            user=None,
            data=authority.crl(
                revoked=[(signer, revoked_at, x509.ReasonFlags.key_compromise)],
                this_update=stamped_at + timedelta(seconds=1),
                number=7,
            ),
        )
        report = eyp.check_package(data, at=later)
        assert report.ok is ok, (revoked_at, _problems(report))
        if not ok:
            assert "was revoked on" in _problems(report)


def test_extend_keeps_what_was_signed_and_refuses_garbage(authority):  # noqa: F811
    certificate, key = authority.issue(email="a@ornek.bel.tr")
    signature = sign_detached(b"content", certificate, key)
    crl = x509.load_pem_x509_crl(authority.crl())
    extended = cades_ltv.extend(signature, certificates=[authority.certificate], crls=[crl])
    again = cades_ltv.extend(extended, certificates=[authority.certificate], crls=[crl])
    assert again == extended  # nothing added twice
    assert len(revocation.embedded_crls(extended)) == 1
    verified = cades.verify_detached(
        extended, digest=cades.digest_of(b"content"), trusted=[authority.certificate]
    )
    assert verified.certificate == certificate
    with pytest.raises(ValueError):
        cades_ltv.extend(b"\x30\x03\x02\x01\x00", crls=[crl])
    with pytest.raises(ValueError):
        cades_ltv.extend(signature, timestamp_token=b"not a token")
    assert cades_ltv.check_timestamps(b"garbage") == []
    assert cades_ltv.carried_ocsp(b"garbage") == []


@translation.override("en")
def test_an_ocsp_response_carried_in_the_package_counts_when_the_issuer_signed_it(
    people,  # noqa: F811
    org_tree,
    authority,  # noqa: F811
    municipality,
):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509 import ocsp

    document = cades_signed(people, org_tree, authority)
    stored = signing.accepted_signature(document)
    data = svc.eyp_package(document=document)
    signer = _signer(stored)
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(signer, authority.certificate, hashes.SHA1())
        .build()
        .public_bytes(serialization.Encoding.DER)
    )
    RevocationList.objects.all().delete()

    def carrying(answer: bytes) -> bytes:
        extended = cades_ltv.extend(bytes(stored.signature), ocsp_responses=[answer])
        assert cades_ltv.carried_ocsp(extended) == [answer]
        return _with_signature(data, extended)

    good = authority.ocsp_answer(request, {signer.serial_number: (signer, None)})
    report = eyp.check_package(carrying(good))
    assert report.ok, _problems(report)
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    revoked = authority.ocsp_answer(request, {signer.serial_number: (signer, when)})
    report = eyp.check_package(carrying(revoked))
    assert not report.ok and "as the OCSP responder of" in _problems(report), _problems(report)
    # An impostor's answer (the same name, another key) covers nothing.
    forged = authority.ocsp_answer(
        request, {signer.serial_number: (signer, None)}, signer=ThrowawayAuthority()
    )
    report = eyp.check_package(carrying(forged))
    assert not report.ok and "No current revocation list" in _problems(report)
