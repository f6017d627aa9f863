"""The institution's e-seal (e-mühür) on e-Yazışma packages (``/Muhur/MuhurCades.imz``, a CAdES
over the exact bytes of the NihaiOzet, named by the NihaiOzet's relationship ``muhurcades``).

Reading: a sealed package is accepted only if its seal verifies against the trust store (the
institution named in the checks and on the incoming document); a package without one is
accepted and reported not sealed. Writing: the sealing agent (a service account with
``evrak.seal_package``) fetches the NihaiOzet's digest, returns the seal made with the
configured seal certificate, and the sealed package is kept as the document's."""

import base64
import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from rest_framework.test import APIClient

from biys.accounts.models import Role, RoleAssignment
from biys.accounts.roles import builtin_roles
from biys.evrak import cades, eyp, revocation, sealing, services, signing
from biys.evrak import outgoing_services as svc
from biys.evrak.models import IncomingDocument, IncomingPackage, OutgoingSeal, SdpCode
from biys.evrak.tests.packages import (
    NIHAI_OZET,
    SEAL,
    conformant_sample,
    read_parts,
    write_parts,
)
from biys.evrak.tests.signer import ThrowawayAuthority, sign_detached
from biys.org.models import Unit

pytestmark = pytest.mark.django_db

INSTITUTION = "Örnek Büyükşehir Belediyesi e-Mühür"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def admin(make_user):
    return make_user(None, None, superuser=True)


@pytest.fixture
def authority(admin):
    root = ThrowawayAuthority()
    signing.add_trusted_certificate(user=admin, data=root.pem(), name="Test Kök SM")
    # The signer's signature is checked against the authority's CRL (biys.evrak.revocation).
    revocation.add_revocation_list(user=admin, data=root.crl())  # none revoked
    return root


@pytest.fixture
def seal_key(authority):
    """The institution's seal certificate and key, issued by the trusted test authority."""
    return authority.issue(name=INSTITUTION)


def sealer_of(seal_key):
    certificate, key = seal_key
    return lambda content: sign_detached(content, certificate, key)


def upload(data: bytes):
    return SimpleUploadedFile("paket.eyp", data, content_type="application/octet-stream")


# ------------------------------------------------------------------ reading


@translation.override("en")
def test_a_sealed_package_imports_and_shows_the_institution(seal_key, make_user, org_tree, client):
    data = conformant_sample(seal=sealer_of(seal_key))
    report = eyp.check_package(data)
    assert report.ok, [str(problem) for problem in report.problems]
    assert report.seal["subject"] == f"CN={INSTITUTION},C=TR"
    assert report.seal["sealed_part"] == "/NihaiOzet/NihaiOzet.xml"
    assert report.seal["fingerprint"] == cades.fingerprint(seal_key[0])
    assert report.as_dict()["seal"] == report.seal
    line = next(check for check in report.checks if "e-seal" in check)
    assert line.startswith("/Muhur/MuhurCades.imz: the institutional e-seal of CN=" + INSTITUTION)
    assert {(p.name, p.role) for p in report.parts} >= {("/Muhur/MuhurCades.imz", "muhurcades")}

    clerk = make_user("evrak_clerk", org_tree["network"])
    document = services.import_eyp_package(
        user=clerk, receiving_unit=org_tree["network"], uploaded_file=upload(data)
    )
    package = IncomingPackage.objects.get(document=document)
    assert line in package.checks
    client.force_login(clerk)
    page = client.get(document.get_absolute_url())
    assert page.status_code == 200
    assert INSTITUTION in page.content.decode()


@translation.override("en")
def test_a_package_without_seal_is_accepted_as_not_sealed():
    report = eyp.check_package(conformant_sample())
    assert report.ok and report.seal == {}
    assert "No institutional e-seal (MuhurCades): the package is not sealed." in report.checks


@translation.override("en")
def test_a_seal_over_a_changed_nihaiozet_is_refused(seal_key, clerk, org_tree):
    parts = read_parts(conformant_sample(seal=sealer_of(seal_key)))
    # Still valid XML with every digest right, but not the bytes that were sealed.
    parts[NIHAI_OZET] += b"\n"
    data = write_parts(parts)
    report = eyp.check_package(data)
    assert [(p.part, p.code) for p in report.problems] == [("/Muhur/MuhurCades.imz", "seal")]
    assert "The institutional e-seal does not verify" in report.problems[0].message
    assert "over other content" in report.problems[0].message
    with pytest.raises(services.PackageRefused) as error:
        services.import_eyp_package(
            user=clerk, receiving_unit=org_tree["network"], uploaded_file=upload(data)
        )
    assert "/Muhur/MuhurCades.imz" in error.value.message_dict["file"][0]
    assert not IncomingDocument.objects.exists() and not IncomingPackage.objects.exists()


@translation.override("en")
def test_a_seal_by_an_untrusted_authority_is_refused(authority):
    stranger = ThrowawayAuthority(name="Bilinmeyen SM")
    data = conformant_sample(seal=sealer_of(stranger.issue(name=INSTITUTION)))
    report = eyp.check_package(data)
    assert [(p.part, p.code) for p in report.problems] == [("/Muhur/MuhurCades.imz", "seal")]
    assert "does not lead to a root of the trust store" in report.problems[0].message
    assert report.seal == {}


@translation.override("en")
def test_check_eyp_prints_the_seal(seal_key, tmp_path):
    sealed_file = tmp_path / "sealed.eyp"
    sealed_file.write_bytes(conformant_sample(seal=sealer_of(seal_key)))
    out = io.StringIO()
    call_command("evrak", "check-eyp", str(sealed_file), stdout=out)
    assert ": ok" in out.getvalue() and f"sealed by CN={INSTITUTION}" in out.getvalue()
    plain = tmp_path / "plain.eyp"
    plain.write_bytes(conformant_sample())
    out = io.StringIO()
    call_command("documents", "check-eyp", str(plain), stdout=out)
    assert "unsigned, not sealed" in out.getvalue()
    parts = read_parts(sealed_file.read_bytes())
    parts[SEAL] = parts[SEAL][:-3] + b"xyz"
    bad = tmp_path / "bad.eyp"
    bad.write_bytes(write_parts(parts))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("evrak", "check-eyp", str(bad), stdout=out)
    assert "/Muhur/MuhurCades.imz: The institutional e-seal does not verify" in out.getvalue()


# ------------------------------------------------------------------ writing


@pytest.fixture
def people(make_user, org_tree, municipality):
    return {
        "writer": make_user("evrak_writer", org_tree["network"]),
        "head": make_user("department_head", org_tree["dept"], email="baskan@ornek.bel.tr"),
        "chief": make_user("chief", org_tree["network"]),
    }


@pytest.fixture
def sealer(make_user, org_tree):
    """The sealing agent's service account: the e-seal agent role over every top unit."""
    user = make_user("evrak_sealer", org_tree["dept"], username="muhur-ajani")
    role = Role.objects.get(slug="evrak_sealer")
    for unit in Unit.objects.filter(parent__isnull=True).exclude(pk=org_tree["dept"].pk):
        RoleAssignment.objects.create(user=user, role=role, unit=unit, include_subtree=True)
    return user


@pytest.fixture
def configured(settings, seal_key):
    settings.BIYS_EYP_SEAL_CERTIFICATES = cades.fingerprint(seal_key[0])


def draft_document(people):
    return svc.save_outgoing_draft(
        user=people["writer"],
        unit=people["writer"].person.unit,
        subject="Veri paylaşımı hk.",
        body="Gereğini arz ederim.",
        sdp_code=SdpCode.objects.get_or_create(code="010.03", defaults={"title": "Bilgi"})[0],
        signer=people["head"],
        distribution=[{"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "87654321"}],
        attachments=[SimpleUploadedFile("liste.csv", b"ad;adres\n")],
    )


def signed_document(people, *, cades_signed=None):
    document = draft_document(people)
    if cades_signed is None:
        svc.submit_for_approval(user=people["writer"], document=document, path=[])
        return svc.sign(user=people["head"], document=document)
    svc.submit_for_approval(user=people["writer"], document=document, path=[people["chief"]])
    svc.paraf(user=people["chief"], document=document)
    request = signing.signature_request(user=people["head"], document=document)
    certificate, key = cades_signed.issue(email="baskan@ornek.bel.tr")
    signature = sign_detached(bytes(request.content), certificate, key)
    return signing.sign_with_cades(user=people["head"], document=document, signature=signature)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@translation.override("en")
def test_the_sealing_agent_seals_the_package_which_validates_and_reads_back(
    people, sealer, configured, seal_key, authority, org_tree, make_user
):
    document = signed_document(people, cades_signed=authority)
    # While the installation seals, the package is not written unsealed.
    with pytest.raises(ValidationError) as error:
        svc.eyp_package(document=document)
    assert "awaits the institution's e-seal" in str(error.value)
    client = api(sealer)
    listed = client.get("/api/v1/evrak/seal-requests/")
    assert listed.status_code == 200
    assert [row["document"] for row in listed.json()] == [document.pk]
    assert "subject" not in listed.json()[0]
    url = f"/api/v1/evrak/seal-requests/{document.pk}/"
    first = client.get(url)
    assert first.status_code == 200, first.content
    body = first.json()
    content = base64.b64decode(body["content"])
    assert body["digest"] == hashlib.sha256(content).hexdigest()
    assert body["digest_algorithm"] == "sha-256" and body["content_type"] == "application/xml"
    assert client.get(url).json() == body  # kept: the same bytes on every call
    document.refresh_from_db()
    assert body["belge_id"] == document.belge_id and not document.package

    certificate, key = seal_key
    seal = sign_detached(content, certificate, key)
    answer = client.post(f"{url}seal/", {"seal": base64.b64encode(seal).decode()}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["subject"] == f"CN={INSTITUTION},C=TR"
    assert answer.json()["state"] == "accepted"

    data = svc.eyp_package(document=document)
    assert svc.eyp_package(document=document) == data  # kept: the same bytes
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("Muhur/MuhurCades.imz") == seal
        assert archive.read("NihaiOzet/NihaiOzet.xml") == content
        rels = archive.read("NihaiOzet/_rels/NihaiOzet.xml.rels").decode()
    assert 'Target="../Muhur/MuhurCades.imz"' in rels and 'Id="IdMuhurCades"' in rels
    assert "http://eyazisma.dpt/iliskiler/muhurcades" in rels
    # Every part of the prepared package is in the sealed one, byte for byte.
    prepared = read_parts(bytes(OutgoingSeal.objects.get(document=document).package))
    sealed_parts = read_parts(data)
    assert {name: content for name, content in sealed_parts.items() if name in prepared} | {
        "[Content_Types].xml": prepared["[Content_Types].xml"]
    } == prepared
    report = eyp.check_package(data)
    assert report.ok, [str(problem) for problem in report.problems]
    assert report.signature["signer"] and report.seal["subject"] == f"CN={INSTITUTION},C=TR"
    # It reads back on another installation's register as the document it is.
    clerk = make_user("evrak_clerk", org_tree["dept"])
    incoming = services.import_eyp_package(
        user=clerk, receiving_unit=org_tree["dept"], uploaded_file=upload(data)
    )
    assert (incoming.subject, incoming.sender_number) == (document.subject, document.number)
    assert any(INSTITUTION in line for line in incoming.package.checks)
    # Sealed once: the agent finds nothing more to do.
    assert client.get("/api/v1/evrak/seal-requests/").json() == []
    again = client.get(url)
    assert again.status_code == 400 and "zaten yazıldı" in again.json()["errors"]["seal"][0]


@translation.override("en")
def test_a_seal_by_another_certificate_or_over_other_content_is_refused(
    people, sealer, configured, seal_key, authority
):
    document = signed_document(people)
    client = api(sealer)
    url = f"/api/v1/evrak/seal-requests/{document.pk}/"
    content = base64.b64decode(client.get(url).json()["content"])

    def post(seal: bytes):
        return client.post(f"{url}seal/", {"seal": base64.b64encode(seal).decode()}, format="json")

    # Trusted, but not the configured seal certificate (a person's, say).
    other, other_key = authority.issue(name="Test İmzacı")
    refused = post(sign_detached(content, other, other_key))
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "kurum mühür sertifikası değil" in refused.json()["errors"]["seal"][0]  # Turkish UI
    # The seal certificate, over other content.
    certificate, key = seal_key
    refused = post(sign_detached(content + b" ", certificate, key))
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["seal"]
    # Not base64.
    assert client.post(f"{url}seal/", {"seal": "***"}, format="json").status_code == 400
    document.refresh_from_db()
    assert not document.package
    assert OutgoingSeal.objects.get(document=document).state == "pending"
    # The right one is then accepted.
    assert post(sign_detached(content, certificate, key)).status_code == 200


@translation.override("en")
def test_the_seal_services_refuse_without_configuration_or_a_package(
    people, sealer, seal_key, settings
):
    document = signed_document(people)
    settings.BIYS_EYP_SEAL_CERTIFICATES = ""
    with pytest.raises(ValidationError) as error:
        sealing.seal_request(user=sealer, document_id=document.pk)
    assert "does not seal" in str(error.value)
    # Not configured: exported unsealed, as before; then there is nothing left to seal.
    svc.eyp_package(document=document)
    settings.BIYS_EYP_SEAL_CERTIFICATES = f"CN={INSTITUTION},C=TR"
    assert sealing.is_seal_certificate(seal_key[0])
    with pytest.raises(ValidationError) as error:
        sealing.seal_request(user=sealer, document_id=document.pk)
    assert "written already" in str(error.value)
    draft = draft_document(people)
    with pytest.raises(ValidationError) as error:
        sealing.seal_request(user=sealer, document_id=draft.pk)
    assert "Only a signed document" in str(error.value)


def test_seal_certificates_read_fingerprints_files_and_subjects(settings, seal_key, tmp_path):
    certificate = seal_key[0]
    pem = tmp_path / "muhur.pem"
    pem.write_bytes(cades.to_pem(certificate).encode())
    printed = cades.fingerprint(certificate)
    colons = ":".join(printed[i : i + 2] for i in range(0, 64, 2)).upper()
    for value in (colons, str(pem), f"CN={INSTITUTION},C=TR", ["x", printed]):
        settings.BIYS_EYP_SEAL_CERTIFICATES = value
        assert sealing.is_seal_certificate(certificate), value
    settings.BIYS_EYP_SEAL_CERTIFICATES = "CN=Başka Kurum,C=TR; " + "0" * 64
    assert sealing.sealing_configured() and not sealing.is_seal_certificate(certificate)


def test_only_the_sealing_permission_over_the_whole_municipality_reaches_the_agent_routes(
    people, make_user, org_tree, configured, sealer
):
    """Every built-in role held over one department (of two) is refused with 403 on the three
    routes, the sealing agent's and the administrator's included: the seal is the whole
    municipality's. The agent's role over every top unit, and a superuser, reach them."""
    document = signed_document(people)
    routes = [
        ("get", "/api/v1/evrak/seal-requests/", {}),
        ("get", f"/api/v1/evrak/seal-requests/{document.pk}/", {}),
        ("post", f"/api/v1/evrak/seal-requests/{document.pk}/seal/", {"seal": "MA=="}),
    ]
    slugs = [role.slug for role in builtin_roles()]
    assert "evrak_sealer" in slugs
    for slug in slugs:
        user = make_user(slug, org_tree["dept"])
        client = api(user)
        for method, url, data in routes:
            answer = getattr(client, method)(url, data, format="json")
            assert answer.status_code == 403, (slug, url, answer.status_code)
    superuser = api(make_user(None, None, superuser=True))
    assert superuser.get(routes[0][1]).status_code == 200
    anonymous = APIClient()
    assert anonymous.get(routes[0][1]).status_code in (401, 403)
    assert api(sealer).get(routes[1][1]).status_code == 200
    assert api(sealer).get(f"/api/v1/evrak/seal-requests/{document.pk + 999}/").status_code == 404
