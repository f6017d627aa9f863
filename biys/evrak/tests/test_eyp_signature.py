"""The signer's electronic signature inside an e-Yazışma package (``/Imzalar/ImzaCades.imz``,
named by the PaketOzeti's relationship ``imzacades``): BİYS writes it into the package of a
document signed with CAdES, and the check (import, ``check-eyp``, the API) verifies a package's
signature against its content and the installation's trust store. A package without one is
unsigned and accepted as such; a package whose signature does not verify is refused whole."""

import base64
import hashlib
import io
import zipfile
from datetime import date, timedelta

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from lxml import etree
from rest_framework.test import APIClient

from biys.evrak import eyp, revocation, services, signing
from biys.evrak import outgoing_services as svc
from biys.evrak.models import (
    IncomingDocument,
    OutgoingDocument,
    OutgoingSignature,
    TrustedCertificate,
)
from biys.evrak.tests.factories import make_sdp_code
from biys.evrak.tests.packages import (
    conformant_sample,
    read_parts,
    write_parts,
)
from biys.evrak.tests.signer import ThrowawayAuthority, sign_detached

pytestmark = pytest.mark.django_db

SIGNATURE = "Imzalar/ImzaCades.imz"
EMAIL = "baskan@ornek.bel.tr"
PO = "urn:dpt:eyazisma:schema:xsd:PaketOzeti-2"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people(make_user, org_tree):
    return {
        "writer": make_user("evrak_writer", org_tree["network"]),
        "chief": make_user("chief", org_tree["network"]),
        "head": make_user("department_head", org_tree["dept"], email=EMAIL),
        "clerk": make_user("evrak_clerk", org_tree["dept"]),
        "admin": make_user(None, None, superuser=True),
    }


@pytest.fixture
def authority(people):
    root = ThrowawayAuthority()
    signing.add_trusted_certificate(user=people["admin"], data=root.pem(), name="Test Kök SM")
    revocation.add_revocation_list(user=people["admin"], data=root.crl())  # none revoked
    return root


def in_approval(people, org_tree, **values) -> OutgoingDocument:
    """An outgoing document to a public institution, with an attachment, initialled and
    waiting for the signature of ``people["head"]``."""
    document = svc.save_outgoing_draft(
        user=people["writer"],
        unit=org_tree["network"],
        subject="Veri paylaşımı hk.",
        body="Gereğini arz ederim.",
        sdp_code=make_sdp_code(code="010.03"),
        signer=people["head"],
        distribution=[{"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "87654321"}],
        attachments=[SimpleUploadedFile("liste.csv", b"ad;adres\n")],
        **values,
    )
    svc.submit_for_approval(user=people["writer"], document=document, path=[people["chief"]])
    svc.paraf(user=people["chief"], document=document)
    return OutgoingDocument.objects.get(pk=document.pk)


def cades_signed(people, org_tree, authority) -> OutgoingDocument:
    """An outgoing document signed through the signing agent's flow with a CAdES signature."""
    document = in_approval(people, org_tree)
    request = signing.signature_request(user=people["head"], document=document)
    certificate, key = authority.issue(email=EMAIL)
    signature = sign_detached(bytes(request.content), certificate, key)
    return signing.sign_with_cades(user=people["head"], document=document, signature=signature)


def upload(data: bytes, name: str = "paket.eyp") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _redigest(parts: dict[str, bytes], list_name: str) -> None:
    """The digest list rewritten where a part it lists changed (left byte for byte if none
    did: a signature over it still holds)."""
    root = etree.fromstring(parts[list_name])
    changed = False
    for reference in root.iter(f"{{{PO}}}Reference"):
        content = parts[reference.get("URI").lstrip("/")]
        for item in reference.iter(f"{{{PO}}}DigestItem"):
            method = item.find(f"{{{PO}}}DigestMethod").get("Algorithm")
            value = base64.b64encode(hashlib.new(eyp.DIGESTS[method], content).digest()).decode()
            held = item.find(f"{{{PO}}}DigestValue")
            changed = changed or held.text != value
            held.text = value
    if changed:
        parts[list_name] = etree.tostring(root, xml_declaration=True, encoding="utf-8")


def resealed(parts: dict[str, bytes]) -> bytes:
    """Both digest lists recomputed, as a forger who can rewrite them would."""
    _redigest(parts, "PaketOzeti/PaketOzeti.xml")
    _redigest(parts, "NihaiOzet/NihaiOzet.xml")
    return write_parts(parts)


@translation.override("en")
def test_the_package_of_a_cades_signed_document_carries_its_signature(
    people, org_tree, authority, municipality
):
    document = cades_signed(people, org_tree, authority)
    stored = signing.accepted_signature(document)
    data = svc.eyp_package(document=document)
    parts = read_parts(data)
    # The signature as accepted (extended with its validation data: test_eyp_ltv), named by
    # the PaketOzeti's relationship, listed in NihaiOzet.
    assert revocation.signature_value(parts[SIGNATURE]) == revocation.signature_value(
        bytes(stored.signature)
    )
    rels = parts["PaketOzeti/_rels/PaketOzeti.xml.rels"].decode()
    assert 'Type="http://eyazisma.dpt/iliskiler/imzacades"' in rels
    assert 'Target="../Imzalar/ImzaCades.imz"' in rels and 'Id="IdImzaCades"' in rels
    assert "/Imzalar/ImzaCades.imz" in parts["NihaiOzet/NihaiOzet.xml"].decode("utf-8-sig")
    assert "/Imzalar/ImzaCades.imz" not in parts["PaketOzeti/PaketOzeti.xml"].decode("utf-8-sig")
    assert b'Extension="imz" ContentType="application/octet-stream"' in parts["[Content_Types].xml"]
    # The signer signed the PaketOzeti, prepared at the request with the parts it lists: the
    # package carries them byte for byte, the üst yazı named by the BelgeId (given then).
    assert stored.signs_package and stored.content_type == "application/xml"
    assert parts["PaketOzeti/PaketOzeti.xml"] == bytes(stored.content)
    assert parts["Ustveri/Ustveri.xml"] == bytes(stored.ustveri)
    assert parts[f"UstYazi/{document.belge_id}.pdf"] == bytes(stored.ust_yazi)
    assert bytes(stored.ust_yazi).startswith(b"%PDF")
    assert f"<tipler:DosyaAdi>{document.belge_id}.pdf<" in parts["Ustveri/Ustveri.xml"].decode()
    report = eyp.check_package(data)
    assert report.ok, [str(problem) for problem in report.problems]
    assert report.signature["signed_part"] == "/PaketOzeti/PaketOzeti.xml"
    assert "Test İmzacı" in report.signature["signer"]
    assert "Test Kök" in report.signature["issuer"]
    assert any("electronic signature of" in check for check in report.checks)
    assert {p.role for p in report.parts if p.name == "/" + SIGNATURE} == {"imzacades"}
    # It reads back as a signed incoming document; the check is kept with the package.
    incoming = services.import_eyp_package(
        user=people["clerk"], receiving_unit=org_tree["dept"], uploaded_file=upload(data)
    )
    assert incoming.sender_number == document.number
    assert any("electronic signature of" in check for check in incoming.package.checks)


@translation.override("en")
def test_an_approval_only_signature_gives_an_unsigned_package(people, org_tree, municipality):
    document = svc.save_outgoing_draft(
        user=people["writer"],
        unit=org_tree["network"],
        subject="Onay",
        body="Metin.",
        sdp_code=make_sdp_code(code="010.03"),
        signer=people["head"],
        distribution=[{"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "87654321"}],
    )
    svc.submit_for_approval(user=people["writer"], document=document, path=[])
    data = svc.eyp_package(document=svc.sign(user=people["head"], document=document))
    assert not any(name.startswith("Imzalar/") for name in read_parts(data))
    report = eyp.check_package(data)
    assert report.ok and report.signature == {}
    assert "No electronic signature (ImzaCades): the package is unsigned." in report.checks


def refused(data: bytes) -> list[str]:
    report = eyp.check_package(data)
    assert not report.ok
    return [(p.part, p.code, p.message) for p in report.problems]


@translation.override("en")
def test_a_signature_that_does_not_verify_refuses_the_package(
    people, org_tree, authority, municipality
):
    data = svc.eyp_package(document=cades_signed(people, org_tree, authority))
    parts = read_parts(data)
    ust_yazi = next(name for name in parts if name.startswith("UstYazi/"))

    # 1. The üst yazı changed and both digest lists rewritten to match: only the signature
    #    tells.
    changed = dict(parts)
    changed[ust_yazi] = parts[ust_yazi].replace(b"%PDF-1.7", b"%PDF-1.7 ", 1)
    assert changed[ust_yazi] != parts[ust_yazi]
    problems = refused(resealed(changed))
    assert [(part, code) for part, code, _m in problems] == [("/" + SIGNATURE, "signature")]
    assert "over other content" in problems[0][2]

    # 2. Another signature by a certificate authority this installation does not trust.
    stranger = ThrowawayAuthority(name="Tanınmayan SM")
    certificate, key = stranger.issue(email=EMAIL)
    forged = dict(parts)
    forged[SIGNATURE] = sign_detached(parts[ust_yazi], certificate, key)
    problems = refused(resealed(forged))
    assert [(part, code) for part, code, _m in problems] == [("/" + SIGNATURE, "signature")]
    assert "trust store" in problems[0][2]

    # 3. Not a signature at all.
    broken = dict(parts)
    broken[SIGNATURE] = b"\x01\x02\x03\x04"
    assert [code for _p, code, _m in refused(resealed(broken))] == ["signature"]

    # 4. The same package on an installation that does not trust the signer's root: the
    #    import is refused whole, nothing registered.
    TrustedCertificate.objects.update(active=False)
    before = IncomingDocument.objects.count()
    with pytest.raises(services.PackageRefused) as error:
        services.import_eyp_package(
            user=people["clerk"], receiving_unit=org_tree["dept"], uploaded_file=upload(data)
        )
    assert [p.code for p in error.value.report.problems] == ["signature"]
    assert IncomingDocument.objects.count() == before


@translation.override("en")
def test_a_signature_the_nihai_ozet_does_not_list_is_refused(
    people, org_tree, authority, municipality
):
    parts = read_parts(svc.eyp_package(document=cades_signed(people, org_tree, authority)))
    text = parts["NihaiOzet/NihaiOzet.xml"].decode("utf-8-sig")
    start = text.index('<Reference xmlns="urn:dpt:eyazisma:schema:xsd:PaketOzeti-2" URI="/Imzalar')
    end = text.index("</Reference>", start) + len("</Reference>")
    parts["NihaiOzet/NihaiOzet.xml"] = "\ufeff".encode() + (text[:start] + text[end:]).encode()
    problems = refused(write_parts(parts))
    assert [(part, code) for part, code, _m in problems] == [("/" + SIGNATURE, "not_covered")]


def _enveloping(content: bytes, certificate, key) -> bytes:
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(certificate, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )


@translation.override("en")
@pytest.mark.parametrize("style", ["detached", "enveloping"])
def test_another_systems_signature_over_the_paketozeti_verifies(people, org_tree, authority, style):
    certificate, key = authority.issue(name="Başka Kurum İmzacısı")
    make = sign_detached if style == "detached" else _enveloping
    data = conformant_sample(sign=lambda content: make(content, certificate, key))
    report = eyp.check_package(data)
    assert report.ok, report.problems
    assert report.signature["signed_part"] == "/PaketOzeti/PaketOzeti.xml"
    assert "Başka Kurum" in report.signature["signer"]
    incoming = services.import_eyp_package(
        user=people["clerk"], receiving_unit=org_tree["dept"], uploaded_file=upload(data)
    )
    assert incoming.subject == "Olustur Versiyon 2X"

    # An enveloping signature whose content is not the PaketOzeti is refused.
    other = conformant_sample(sign=lambda content: _enveloping(b"<x/>", certificate, key))
    assert [code for _p, code, _m in refused(other)] == ["signature"]


@translation.override("en")
def test_check_eyp_reports_the_signature(people, org_tree, authority, municipality, tmp_path):
    data = svc.eyp_package(document=cades_signed(people, org_tree, authority))
    good = tmp_path / "good.eyp"
    good.write_bytes(data)
    out = io.StringIO()
    call_command("documents", "check-eyp", str(good), stdout=out)
    assert ": ok" in out.getvalue() and "signed by CN=Test İmzacı" in out.getvalue()

    parts = read_parts(data)
    parts[SIGNATURE] = b"\x01\x02\x03\x04"
    bad = tmp_path / "bad.eyp"
    bad.write_bytes(resealed(parts))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("documents", "check-eyp", str(bad), stdout=out)
    assert "/Imzalar/ImzaCades.imz: The electronic signature does not verify" in out.getvalue()
    with zipfile.ZipFile(bad) as archive:
        assert SIGNATURE in archive.namelist()


@translation.override("en")
def test_the_signer_signs_the_paketozeti_prepared_at_the_request(
    people, org_tree, authority, municipality
):
    document = in_approval(people, org_tree, urgency="GNL", due_date=date.today() + timedelta(10))
    request = signing.signature_request(user=people["head"], document=document)
    document.refresh_from_db()
    # The package's BelgeId is given at the request: the PaketOzeti carries it and lists the
    # üst yazı (named by it), the Üstveri and the attachment, each with its two digests.
    assert document.belge_id and document.number == ""
    paket_ozeti = etree.fromstring(bytes(request.content))
    assert paket_ozeti.get("Id") == document.belge_id
    listed = {
        reference.get("URI"): [
            item.find(f"{{{PO}}}DigestValue").text for item in reference.iter(f"{{{PO}}}DigestItem")
        ]
        for reference in paket_ozeti.iter(f"{{{PO}}}Reference")
    }
    pdf = f"/UstYazi/{document.belge_id}.pdf"
    assert set(listed) == {pdf, "/Ustveri/Ustveri.xml", "/Ekler/liste.csv"}
    assert (
        listed[pdf][0]
        == base64.b64encode(hashlib.sha384(bytes(request.ust_yazi)).digest()).decode()
    )
    assert (
        listed["/Ekler/liste.csv"][1]
        == base64.b64encode(hashlib.sha512(b"ad;adres\n").digest()).decode()
    )
    # The Miat counts from the request's day.
    assert "<tipler:Miat>P10D</tipler:Miat>" in bytes(request.ustveri).decode()
    assert request.digest == hashlib.sha256(bytes(request.content)).hexdigest()

    certificate, key = authority.issue(email=EMAIL)
    signing.sign_with_cades(
        user=people["head"],
        document=document,
        signature=sign_detached(bytes(request.content), certificate, key),
    )
    document.refresh_from_db()
    data = svc.eyp_package(document=document)
    parts = read_parts(data)
    assert parts["PaketOzeti/PaketOzeti.xml"] == bytes(request.content)
    assert parts["Ustveri/Ustveri.xml"] == bytes(request.ustveri)
    assert parts[pdf.lstrip("/")] == bytes(request.ust_yazi)
    # The sayı given at signature is in the NihaiÜstveri.
    assert document.number in parts["NihaiUstveri/NihaiUstveri.xml"].decode("utf-8-sig")
    report = eyp.check_package(data)
    assert report.ok, [str(problem) for problem in report.problems]
    assert report.signature["signed_part"] == "/PaketOzeti/PaketOzeti.xml"
    # It reads back on the receiving side, the attachment and the sayı with it.
    incoming = services.import_eyp_package(
        user=people["clerk"], receiving_unit=org_tree["dept"], uploaded_file=upload(data)
    )
    assert incoming.sender_number == document.number and incoming.belge_id == document.belge_id


def test_a_signature_over_the_pdf_signed_earlier_still_gives_a_valid_package(
    people, org_tree, authority, municipality
):
    """A document whose signer signed the üst yazı PDF (as BİYS asked before it signed
    PaketOzetis) keeps its package as then: the üst yazı named by the sayı, signed itself."""
    document = in_approval(people, org_tree)
    request = signing.signature_request(user=people["head"], document=document)
    pdf = bytes(request.ust_yazi)
    request.content, request.content_type, request.digest = (
        pdf,
        signing.PDF,
        hashlib.sha256(pdf).hexdigest(),
    )
    request.ust_yazi = request.ustveri = None
    request.save()
    certificate, key = authority.issue(email=EMAIL)
    signing.sign_with_cades(
        user=people["head"], document=document, signature=sign_detached(pdf, certificate, key)
    )
    document.refresh_from_db()
    parts = read_parts(svc.eyp_package(document=document))
    name = f"UstYazi/{document.number}.pdf"
    assert parts[name] == pdf
    report = eyp.check_package(write_parts(parts))
    assert report.ok, [str(problem) for problem in report.problems]
    assert report.signature["signed_part"] == "/" + name


def test_a_document_to_no_public_institution_signs_its_pdf(people, org_tree, authority):
    document = svc.save_outgoing_draft(
        user=people["writer"],
        unit=org_tree["network"],
        subject="Bilgi",
        body="Metin.",
        sdp_code=make_sdp_code(code="010.03"),
        signer=people["head"],
        distribution=[{"kind": "GRG", "name": "Örnek A.Ş.", "vkn": "1234567890"}],
    )
    svc.submit_for_approval(user=people["writer"], document=document, path=[])
    request = signing.signature_request(user=people["head"], document=document)
    assert not request.signs_package and request.content_type == "application/pdf"
    assert bytes(request.content).startswith(b"%PDF") and request.ust_yazi_pdf == bytes(
        request.content
    )
    document.refresh_from_db()
    assert document.belge_id == ""


def test_a_gunludur_request_of_an_earlier_day_is_prepared_again(
    people, org_tree, authority, municipality
):
    dated = in_approval(people, org_tree, urgency="GNL", due_date=date.today() + timedelta(10))
    first = signing.signature_request(user=people["head"], document=dated)
    assert signing.signature_request(user=people["head"], document=dated).pk == first.pk
    OutgoingSignature.objects.filter(pk=first.pk).update(
        requested_at=first.requested_at - timedelta(days=1)
    )
    again = signing.signature_request(user=people["head"], document=dated)
    assert again.pk != first.pk and again.version == first.version
    assert OutgoingSignature.objects.get(pk=first.pk).state == "superseded"
    assert "<tipler:Miat>P10D</tipler:Miat>" in bytes(again.ustveri).decode()
    # A normal one is not dated: its request stays.
    OutgoingSignature.objects.filter(pk=again.pk).update(
        requested_at=again.requested_at - timedelta(days=1)
    )
    dated.refresh_from_db()
    svc.save_outgoing_draft(user=people["writer"], document=dated, urgency="NRM", due_date=None)
    svc.paraf(user=people["chief"], document=dated)
    normal = signing.signature_request(user=people["head"], document=dated)
    OutgoingSignature.objects.filter(pk=normal.pk).update(
        requested_at=normal.requested_at - timedelta(days=1)
    )
    assert signing.signature_request(user=people["head"], document=dated).pk == normal.pk


def test_attachments_are_content_and_frozen_once_signed(people, org_tree, authority, municipality):
    """An attachment added or removed after a paraf sends the document back and supersedes its
    signature request (page, API and draft form alike go through the same hook); once signed,
    the attachments the signer signed no longer change."""
    from biys.attachments import services as attachments
    from biys.attachments.models import Attachment

    document = in_approval(people, org_tree)
    request = signing.signature_request(user=people["head"], document=document)
    extra = attachments.add_attachment(
        obj=document,
        uploaded_file=SimpleUploadedFile("ek2.txt", b"ikinci ek\n"),
        user=people["writer"],
    )
    document.refresh_from_db()
    assert document.version == request.version + 1
    assert not document.approval_steps.filter(parafed_at__isnull=False).exists()
    attachments.delete_attachment(attachment=extra, user=people["writer"])
    document.refresh_from_db()
    assert document.version == request.version + 2

    svc.paraf(user=people["chief"], document=document)
    first, request = request, signing.signature_request(user=people["head"], document=document)
    assert request.pk != first.pk and request.version == first.version + 2
    assert OutgoingSignature.objects.get(pk=first.pk).state == "superseded"
    certificate, key = authority.issue(email=EMAIL)
    signing.sign_with_cades(
        user=people["head"],
        document=document,
        signature=sign_detached(bytes(request.content), certificate, key),
    )
    document.refresh_from_db()
    signed_file = Attachment.objects.get(object_id=str(document.pk), filename="liste.csv")
    with pytest.raises(PermissionDenied):
        attachments.add_attachment(
            obj=document,
            uploaded_file=SimpleUploadedFile("geç.txt", b"sonra\n"),
            user=people["writer"],
        )
    with pytest.raises(PermissionDenied):
        attachments.delete_attachment(attachment=signed_file, user=people["writer"])
    rest = APIClient()
    rest.force_authenticate(people["writer"])
    assert rest.delete(f"/api/v1/attachments/{signed_file.pk}/").status_code == 403
    assert Attachment.objects.filter(pk=signed_file.pk).exists()
    assert eyp.check_package(svc.eyp_package(document=document)).ok


def test_an_attachment_added_through_an_older_copy_still_makes_a_new_version(
    people, org_tree, municipality
):
    from biys.attachments import services as attachments

    document = in_approval(people, org_tree)
    older = OutgoingDocument.objects.get(pk=document.pk)  # as a page loaded it
    svc.save_outgoing_draft(user=people["writer"], document=document, body="Düzeltilmiş metin.")
    svc.paraf(user=people["chief"], document=document)
    request = signing.signature_request(user=people["head"], document=document)
    attachments.add_attachment(
        obj=older,
        uploaded_file=SimpleUploadedFile("ek2.txt", b"ikinci ek\n"),
        user=people["writer"],
    )
    document.refresh_from_db()
    assert document.version == request.version + 1
