"""The electronic signature of an outgoing document: the signing agent fetches the signature
request (the exact bytes and their SHA-256) and returns a detached CAdES signature, which
BİYS accepts only if it verifies against the prepared digest and the trust store and the
certificate is the signer's own. The test signer is a throw-away certificate authority made
here with ``cryptography``. A refused signature cancels the number reserved for it and saves
nothing else."""

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.core.models import ObjectChange
from biys.evrak import cades, revocation, signing
from biys.evrak import outgoing_services as svc
from biys.evrak.models import OutgoingDocument, OutgoingNumber, OutgoingSignature
from biys.evrak.tests.factories import make_sdp_code
from biys.evrak.tests.signer import ThrowawayAuthority, sign_detached, with_crls

pytestmark = pytest.mark.django_db

TCKN = "10000000146"


@pytest.fixture
def people(make_user, org_tree):
    unit = org_tree["network"]
    head = make_user("department_head", org_tree["dept"], email="baskan@ornek.bel.tr")
    return {
        "writer": make_user("evrak_writer", unit),
        "chief": make_user("chief", unit),
        "head": head,
        # The trust store is the whole municipality's: its keeper holds it everywhere.
        "admin": make_user(None, None, superuser=True),
    }


@pytest.fixture
def authority(people):
    """A root in the trust store, loaded by the administrator."""
    root = ThrowawayAuthority()
    signing.add_trusted_certificate(user=people["admin"], data=root.pem(), name="Test Kök SM")
    revocation.add_revocation_list(user=people["admin"], data=root.crl())  # none revoked
    return root


@pytest.fixture
def document(people, org_tree, municipality):
    draft = svc.save_outgoing_draft(
        user=people["writer"],
        unit=org_tree["network"],
        subject="Veri paylaşımı hk.",
        body="Gereğini arz ederim.",
        sdp_code=make_sdp_code(code="010.03"),
        signer=people["head"],
        distribution=[{"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "87654321"}],
    )
    svc.submit_for_approval(user=people["writer"], document=draft, path=[people["chief"]])
    svc.paraf(user=people["chief"], document=draft)
    return OutgoingDocument.objects.get(pk=draft.pk)


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def fetch(user, document) -> dict:
    response = api_for(user).get(f"/api/v1/evrak/outgoing/{document.pk}/signature-request/")
    assert response.status_code == 200, response.content
    return response.json()


def post(user, document, signature: bytes):
    return api_for(user).post(
        f"/api/v1/evrak/outgoing/{document.pk}/signature/",
        {"signature": base64.b64encode(signature).decode()},
        format="json",
    )


def numbers(document) -> list[str]:
    return list(OutgoingNumber.objects.filter(document=document).values_list("state", flat=True))


def test_an_accepted_signature_signs_the_document(people, authority, document, municipality):
    request = fetch(people["head"], document)
    content = base64.b64decode(request["content"])
    assert request["digest_algorithm"] == "sha-256"
    assert request["digest"] == hashlib.sha256(content).hexdigest()
    # The document goes to a public institution: its package's PaketOzeti is signed.
    assert request["content_type"] == "application/xml"
    assert content.startswith("\ufeff<?xml".encode()) and b"<PaketOzeti" in content
    # The same request (the same bytes) on every fetch until the document changes.
    assert fetch(people["head"], document)["digest"] == request["digest"]

    certificate, key = authority.issue(email="Baskan@ornek.bel.tr")
    response = post(people["head"], document, sign_detached(content, certificate, key))
    assert response.status_code == 200, response.json()
    assert response.json()["number"] == f"E-{municipality.detsis_no}-010.03-1"
    document.refresh_from_db()
    assert document.state == "signed"
    assert numbers(document) == ["used"]
    stored = signing.accepted_signature(document)
    assert stored.digest == request["digest"] and bytes(stored.content) == content
    assert "Test İmzacı" in stored.signer_subject and stored.signing_time is not None
    assert bytes(stored.signature)[:1] == b"\x30"
    approval = api_for(people["head"]).get(f"/api/v1/evrak/outgoing/{document.pk}/approval/")
    assert approval.json()["signatures"][0]["state"] == "accepted"
    # Signed: no more requests.
    again = api_for(people["head"]).get(f"/api/v1/evrak/outgoing/{document.pk}/signature-request/")
    assert again.status_code == 403


def test_an_intermediate_in_the_cms_leads_to_the_root_and_tc_kimlik_decides(
    people, authority, document
):
    people["head"].person.tc_kimlik_no = TCKN
    people["head"].person.save()
    intermediate = ThrowawayAuthority("Test Nitelikli SM", parent=authority)
    content = base64.b64decode(fetch(people["head"], document)["content"])
    # The e-mail matches but the TC kimlik number is another person's: refused.
    other, other_key = intermediate.issue(tc_kimlik_no="10000000078", email="baskan@ornek.bel.tr")
    refused = post(
        people["head"], document,
        sign_detached(content, other, other_key, extra_certificates=[intermediate.certificate]),
    )  # fmt: skip
    assert refused.status_code == 400
    certificate, key = intermediate.issue(tc_kimlik_no=f"PNOTR-{TCKN}", key_kind="rsa")
    signature = sign_detached(
        content, certificate, key, extra_certificates=[intermediate.certificate]
    )
    # The intermediate is not in the trust store: its CRL travels inside the signature.
    response = post(people["head"], document, with_crls(signature, [intermediate.crl()]))
    assert response.status_code == 200, response.json()
    assert numbers(document) == ["cancelled", "used"]


def _refused(people, document, signature: bytes, words: str):
    response = post(people["head"], document, signature)
    assert response.status_code == 400, response.content
    body = response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    text = str(body)
    assert words in text, text
    document.refresh_from_db()
    assert document.state == "approval" and not document.number
    assert not OutgoingSignature.objects.filter(document=document, state="accepted").exists()
    assert OutgoingSignature.objects.filter(document=document, state="pending").count() == 1
    return body


def test_refusals(people, authority, document, settings):
    settings.LANGUAGE_CODE = "en"
    content = base64.b64decode(fetch(people["head"], document)["content"])
    mine, key = authority.issue(email="baskan@ornek.bel.tr")
    now = datetime.now(UTC)
    cases = [
        (b"not a signature at all", "not a CAdES signature"),
        (sign_detached(b"other content", mine, key), "over other content"),
        (sign_detached(content, *ThrowawayAuthority("Başka SM").issue(email="baskan@ornek.bel.tr")),
         "does not lead to a root"),
        (sign_detached(content, *authority.issue(
            email="baskan@ornek.bel.tr", not_before=now - timedelta(days=30),
            not_after=now - timedelta(days=1))), "is not valid at"),
        (sign_detached(content, *authority.issue(email="someone@else.tr")), "not the signer's"),
    ]  # fmt: skip
    for signature, words in cases:
        _refused(people, document, signature, words)
    # Every refusal cancelled the number reserved for it, with the reason; none is used.
    rows = OutgoingNumber.objects.filter(document=document).order_by("record_no")
    assert [row.state for row in rows] == ["cancelled"] * len(cases)
    assert "not a CAdES signature" in rows[0].reason
    # Then the right one is accepted with the next number.
    assert post(people["head"], document, sign_detached(content, mine, key)).status_code == 200
    document.refresh_from_db()
    assert document.record_no == len(cases) + 1


def test_a_signature_that_does_not_verify_is_refused(people, authority, document):
    content = base64.b64decode(fetch(people["head"], document)["content"])
    mine, key = authority.issue(email="baskan@ornek.bel.tr")
    data = bytearray(sign_detached(content, mine, key))
    # The ECDSA signature value is the last OCTET STRING: change its last byte.
    data[-1] ^= 0x01
    with pytest.raises(ValidationError) as error:
        signing.sign_with_cades(user=people["head"], document=document, signature=bytes(data))
    assert "signature" in error.value.message_dict


def test_an_inactive_root_is_not_trusted(people, authority, document):
    from biys.evrak.models import TrustedCertificate

    TrustedCertificate.objects.update(active=False)
    content = base64.b64decode(fetch(people["head"], document)["content"])
    with pytest.raises(ValidationError, match="köke ulaşmıyor"):
        signing.sign_with_cades(
            user=people["head"], document=document,
            signature=sign_detached(content, *authority.issue(email="baskan@ornek.bel.tr")),
        )  # fmt: skip


def test_a_change_supersedes_the_request(people, authority, document):
    first = fetch(people["head"], document)
    content = base64.b64decode(first["content"])
    svc.save_outgoing_draft(user=people["writer"], document=document, body="Yeni metin.")
    document.refresh_from_db()
    # The change sent it back (the paraf reset): no signature now, even the old request's.
    with pytest.raises(PermissionDenied):
        signing.sign_with_cades(
            user=people["head"], document=document,
            signature=sign_detached(content, *authority.issue(email="baskan@ornek.bel.tr")),
        )  # fmt: skip
    svc.paraf(user=people["chief"], document=document)
    second = fetch(people["head"], document)
    assert second["version"] == first["version"] + 1 and second["id"] != first["id"]
    assert OutgoingSignature.objects.get(pk=first["id"]).state == "superseded"


def test_only_the_designated_signer_fetches_and_posts(
    people, authority, document, make_user, org_tree
):
    """The matrix of the two routes: every role, inside and outside the document's unit, and
    the people of the path, are refused (403, or 404 where the document is not visible);
    nothing is prepared or reserved for them."""
    from tests.permissions.matrix import ROLE_SPECS

    signature = base64.b64encode(b"\x30\x00").decode()
    url = f"/api/v1/evrak/outgoing/{document.pk}/"
    others = [people["writer"], people["chief"], people["admin"]] + [
        make_user(role, unit) for role in ROLE_SPECS for unit in (org_tree["network"], org_tree["roads"])
    ]  # fmt: skip
    page_url = reverse("evrak:outgoing_signature_content", args=[document.pk])
    failures = []
    for user in others:
        client = api_for(user)
        got = client.get(url + "signature-request/").status_code
        sent = client.post(url + "signature/", {"signature": signature}, format="json").status_code
        browser = Client()
        browser.force_login(user)
        downloaded = browser.get(page_url).status_code
        if got not in (403, 404) or sent not in (403, 404) or downloaded not in (403, 404):
            failures.append(f"{user}: GET {got}, POST {sent}, page {downloaded}")
    assert not failures, failures
    assert not OutgoingSignature.objects.filter(document=document).exists()
    document.refresh_from_db()
    assert document.state == "approval" and numbers(document) == []
    # The signer, before the last paraf: refused too.
    svc.return_to_writer(user=people["head"], document=document, note="Düzeltme")
    assert api_for(people["head"]).get(url + "signature-request/").status_code == 403


def test_the_signature_from_the_page(client, people, authority, document, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.LANGUAGE_CODE = "tr"
    client.force_login(people["head"])
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'id="esign-form"' in page
    # The signer downloads the content to sign from the page (as a signing tool signs it):
    # the PaketOzeti of the package, the same bytes as the signing agent's API gives.
    download = client.get(reverse("evrak:outgoing_signature_content", args=[document.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/xml"
    document.refresh_from_db()
    assert f"PaketOzeti-{document.belge_id}.xml" in download["Content-Disposition"]
    content = download.content
    assert base64.b64decode(fetch(people["head"], document)["content"]) == content
    url = reverse("evrak:outgoing_action", args=[document.pk, "esign"])
    garbage = SimpleUploadedFile("imza.p7s", b"\x30\x03\x02\x01\x01")
    response = client.post(url, {"signature": garbage}, follow=True, HTTP_ACCEPT_LANGUAGE="tr")
    page = response.content.decode()
    assert "CAdES imzası değil" in page, page[:3000]
    armoured = (
        b"-----BEGIN PKCS7-----\n"
        + base64.encodebytes(sign_detached(content, *authority.issue(email="baskan@ornek.bel.tr")))
        + b"-----END PKCS7-----\n"
    )
    response = client.post(url, {"signature": SimpleUploadedFile("imza.p7s", armoured)})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == "signed" and numbers(document) == ["cancelled", "used"]
    page = client.get(document.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert 'data-signature-state="accepted"' in page
    assert "e-Yazışma paketinin PaketOzeti" in page  # what was signed


# ------------------------------------------------------------------ the trust store


def test_the_trust_store_through_the_api(people):
    root = ThrowawayAuthority("Kamu SM Test Kök")
    api = api_for(people["admin"])
    created = api.post(
        "/api/v1/evrak/trusted-certificates/",
        {"certificate": root.pem().decode(), "name": "Kamu SM (test)"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["fingerprint"] == cades.fingerprint(root.certificate)
    assert body["is_root"] is True and "Kamu SM Test Kök" in body["subject"]
    # The same certificate again, as base64 DER: refused; a signer's certificate too.
    again = api.post(
        "/api/v1/evrak/trusted-certificates/",
        {"certificate": base64.b64encode(root.der()).decode()},
        format="json",
    )
    assert again.status_code == 400 and "certificate" in str(again.json())
    leaf, _key = root.issue()
    leaf_pem = cades.to_pem(leaf).encode()
    refused = api.post(
        "/api/v1/evrak/trusted-certificates/", {"certificate": leaf_pem.decode()}, format="json"
    )
    assert refused.status_code == 400
    garbage = api.post("/api/v1/evrak/trusted-certificates/", {"certificate": "çöp"}, format="json")
    assert garbage.status_code == 400
    changed = api.patch(
        f"/api/v1/evrak/trusted-certificates/{body['id']}/", {"active": False}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["active"] is False
    history = ObjectChange.objects.filter(object_repr="Kamu SM (test)")
    assert history.count() == 2, list(history.values_list("action", flat=True))
    # A writer reads the store but does not load it.
    writer = api_for(people["writer"]).post(
        "/api/v1/evrak/trusted-certificates/", {"certificate": root.pem().decode()}, format="json"
    )
    assert writer.status_code == 403


def test_the_trust_store_pages(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    root = ThrowawayAuthority("Kamu SM Test Kök")
    client.force_login(people["admin"])
    add = reverse("evrak:trustedcertificate_add")
    assert client.get(add).status_code == 200
    bad = client.post(add, {"upload": SimpleUploadedFile("x.cer", b"garbage"), "active": "on"})
    assert bad.status_code == 400
    response = client.post(
        add, {"upload": SimpleUploadedFile("kok.cer", root.der()), "name": "", "active": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    assert cades.fingerprint(root.certificate) in page
    listing = client.get(reverse("evrak:trustedcertificate_list")).content.decode()
    assert "Kamu SM Test Kök" in listing
    for who in ("writer", "head"):  # the head of one department: not the municipality's
        client.force_login(people[who])
        assert client.get(add).status_code == 403
