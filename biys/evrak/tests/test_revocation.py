"""Revocation of a signer's certificate (CRLs) and the validation data kept with an accepted
signature: a throw-away certificate authority issues CRLs with ``cryptography``; they are loaded
into the trust store (only if the authority's key signed them), or fetched over HTTP from a
local server standing for the distribution point; a signature is accepted only if a current
CRL of each issuer covers its chain and does not list it; what it was checked with is kept and
checks again later as of then."""

import base64
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from biys.evrak import eyp, revocation, signing
from biys.evrak import outgoing_services as svc
from biys.evrak.models import (
    OutgoingDocument,
    OutgoingNumber,
    RevocationList,
    SignatureValidation,
    TrustedCertificate,
)
from biys.evrak.tests.factories import make_sdp_code
from biys.evrak.tests.signer import (
    ThrowawayAuthority,
    sign_detached,
    with_crls,
    with_revocation_values,
)
from biys.evrak.tests.test_signature import fetch, post
from biys.logs5651.tests.conftest import local_tsa  # noqa: F401 (the local RFC 3161 authority)

pytestmark = pytest.mark.django_db

EMAIL = "baskan@ornek.bel.tr"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.BIYS_EVRAK_REQUIRE_REVOCATION = True
    settings.BIYS_EVRAK_CRL_FETCH = False


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people(make_user, org_tree):
    return {
        "writer": make_user("evrak_writer", org_tree["network"]),
        "chief": make_user("chief", org_tree["network"]),
        "head": make_user("department_head", org_tree["dept"], email=EMAIL),
        "admin": make_user(None, None, superuser=True),
    }


@pytest.fixture
def document(people, org_tree, municipality):
    """An outgoing document with every paraf, waiting for its signature."""
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


@pytest.fixture
def root(people):
    """A root in the trust store, without a CRL yet."""
    authority = ThrowawayAuthority("Test Kök SM")
    signing.add_trusted_certificate(user=people["admin"], data=authority.pem())
    return authority


def content_of(people, document) -> bytes:
    return base64.b64decode(fetch(people["head"], document)["content"])


def refused(people, document, signature: bytes) -> str:
    response = post(people["head"], document, signature)
    assert response.status_code == 400, response.content
    document.refresh_from_db()
    assert document.state == "approval" and not document.number
    assert not SignatureValidation.objects.exists()
    return str(response.json())


def test_a_revoked_certificate_refuses_the_signature(people, root, document):
    content = content_of(people, document)
    mine, key = root.issue(email=EMAIL)
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    revocation.add_revocation_list(
        user=people["admin"],
        data=root.crl(
            revoked=[(mine, when, x509.ReasonFlags.key_compromise)],
            this_update=when + timedelta(minutes=5),
        ),
    )
    text = refused(people, document, sign_detached(content, mine, key))
    assert "was revoked on" in text and f"{when:%Y-%m-%d %H:%M} UTC" in text, text
    assert "key compromise" in text
    # The number reserved for it is cancelled with the reason, as for any refusal.
    number = OutgoingNumber.objects.get(document=document)
    assert number.state == "cancelled" and "revoked" in number.reason


def test_a_current_crl_that_does_not_list_it_accepts_and_keeps_the_validation_data(
    people, root, document, client
):
    content = content_of(people, document)
    other, _other_key = root.issue(name="Başka İmzacı")
    revocation.add_revocation_list(user=people["admin"], data=root.crl(revoked=[other]))
    mine, key = root.issue(email=EMAIL)
    response = post(people["head"], document, sign_detached(content, mine, key))
    assert response.status_code == 200, response.json()
    document.refresh_from_db()
    stored = signing.accepted_signature(document)
    validation = stored.validation
    assert validation.checked_at == stored.accepted_at
    assert validation.chain.count("BEGIN CERTIFICATE") == 2  # the signer's, the root
    assert len(revocation.load_crls_pem(validation.crls)) == 1
    assert validation.revocation_checked
    assert [item["status"] for item in validation.coverage] == ["good"]
    assert validation.coverage[0]["crl_number"] == "1"
    # The signature's page shows what it was checked with.
    client.force_login(people["head"])
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'data-validation="revocation-checked"' in page
    assert "Test Kök SM" in page

    # Re-verified as of then with the kept data, even once the store has moved on: the CRL
    # replaced by one listing the certificate now, the root no longer trusted.
    assert revocation.reverify(stored).ok
    later = datetime.now(UTC) + timedelta(minutes=1)
    revocation.add_revocation_list(
        user=people["admin"], data=root.crl(revoked=[(mine, later, None)], this_update=later, number=2)
    )  # fmt: skip
    TrustedCertificate.objects.update(active=False)
    again = revocation.reverify(stored)
    assert again.ok and not again.anchor_trusted_now
    call_command("evrak", "verify-signature", document.number)
    # Kept data that does not hold any more (its CRL gone) does not verify.
    SignatureValidation.objects.filter(pk=validation.pk).update(crls="")
    stored.refresh_from_db()
    result = revocation.reverify(stored)
    assert not result.ok and "No current revocation list" in result.reason
    with pytest.raises(CommandError):
        call_command("evrak", "verify-signature", document.number)


def test_an_expired_crl_or_none_refuses_and_the_setting_allows_none(
    people, root, document, settings
):
    content = content_of(people, document)
    mine, key = root.issue(email=EMAIL)
    text = refused(people, document, sign_detached(content, mine, key))
    assert "No current revocation list (CRL) of CN=Test Kök SM" in text, text
    past = datetime.now(UTC) - timedelta(days=10)
    revocation.add_revocation_list(
        user=people["admin"],
        data=root.crl(this_update=past, next_update=past + timedelta(days=7)),
    )
    text = refused(people, document, sign_detached(content, mine, key))
    assert "No current revocation list" in text
    # An installation that turned the requirement off accepts it, and records it unchecked.
    settings.BIYS_EVRAK_REQUIRE_REVOCATION = False
    assert post(people["head"], document, sign_detached(content, mine, key)).status_code == 200
    validation = signing.accepted_signature(document).validation
    assert not validation.revocation_checked and validation.crls == ""
    assert [item["status"] for item in validation.coverage] == ["unchecked"]
    assert revocation.reverify(signing.accepted_signature(document)).ok


def test_an_intermediate_needs_the_roots_crl_too(people, root, document):
    """Every certificate below the trusted root is checked: the intermediate against the
    root's CRL, the signer against the intermediate's (here carried inside the CMS)."""
    intermediate = ThrowawayAuthority("Test Nitelikli SM", parent=root)
    content = content_of(people, document)
    mine, key = intermediate.issue(email=EMAIL)
    signed = with_crls(
        sign_detached(content, mine, key, extra_certificates=[intermediate.certificate]),
        [intermediate.crl()],
    )
    revocation.add_revocation_list(
        user=people["admin"], data=root.crl(revoked=[intermediate.certificate])
    )
    assert "CN=Test Nitelikli SM,C=TR was revoked" in refused(people, document, signed)
    revocation.add_revocation_list(
        user=people["admin"], data=root.crl(number=2, this_update=datetime.now(UTC))
    )
    response = post(people["head"], document, signed)
    assert response.status_code == 200, response.json()
    coverage = signing.accepted_signature(document).validation.coverage
    assert [item["crl_issuer"] for item in coverage] == [
        "CN=Test Nitelikli SM,C=TR",
        "CN=Test Kök SM,C=TR",
    ]


def test_a_cades_x_long_signature_brings_its_own_crl(people, root, document):
    """The CRL in the signer's unsigned attribute id-aa-ets-revocationValues (CAdES-X Long):
    checked against the issuer like any other, and kept with the signature."""
    content = content_of(people, document)
    mine, key = root.issue(email=EMAIL)
    signed = sign_detached(content, mine, key)
    forged = with_revocation_values(signed, [root.crl(key=ThrowawayAuthority("Sahte").key)])
    assert "No current revocation list" in refused(people, document, forged)
    revoking = with_revocation_values(signed, [root.crl(revoked=[mine])])
    assert "was revoked on" in refused(people, document, revoking)
    response = post(people["head"], document, with_revocation_values(signed, [root.crl()]))
    assert response.status_code == 200, response.json()
    assert not RevocationList.objects.exists()
    validation = signing.accepted_signature(document).validation
    assert validation.revocation_checked and "BEGIN X509 CRL" in validation.crls


def test_loading_crls(people, root):
    # Signed by another key: refused at load, nothing stored.
    with pytest.raises(ValidationError, match="No certificate authority of the trust store"):
        revocation.add_revocation_list(
            user=people["admin"], data=root.crl(key=ThrowawayAuthority("Sahte").key)
        )
    with pytest.raises(ValidationError, match="No certificate authority of the trust store"):
        revocation.add_revocation_list(user=people["admin"], data=ThrowawayAuthority("X").crl())
    with pytest.raises(ValidationError, match="not a certificate revocation list"):
        revocation.add_revocation_list(user=people["admin"], data=b"garbage")
    assert not RevocationList.objects.exists()
    issued = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    first = revocation.add_revocation_list(
        user=people["admin"], data=root.crl(encoding="der", this_update=issued)
    )
    assert first.crl_number == "1" and first.revoked_count == 0
    # Not newer than the one loaded: refused; newer: replaces it.
    with pytest.raises(ValidationError, match="as new or newer"):
        revocation.add_revocation_list(user=people["admin"], data=root.crl(this_update=issued))
    leaf, _key = root.issue()
    newer = revocation.add_revocation_list(
        user=people["admin"],
        data=root.crl(revoked=[leaf], number=2, this_update=datetime.now(UTC)),
    )
    assert newer.pk == first.pk and newer.revoked_count == 1 and newer.crl_number == "2"


def test_the_admin_loads_a_crl(client, people, root, tmp_path):
    client.force_login(people["admin"])
    add = reverse("admin:evrak_revocationlist_add")
    wrong = SimpleUploadedFile("x.crl", root.crl(key=ThrowawayAuthority("Sahte").key))
    response = client.post(add, {"upload": wrong, "url": ""})
    assert response.status_code == 200 and "No certificate authority" in response.content.decode()
    response = client.post(add, {"upload": SimpleUploadedFile("kok.crl", root.crl()), "url": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert RevocationList.objects.get().authority.name
    path = tmp_path / "kok2.crl"
    path.write_bytes(root.crl(number=2, this_update=datetime.now(UTC)))
    call_command("evrak", "load-crl", str(path))
    held = RevocationList.objects.get()
    assert held.crl_number == "2"
    # The trust store's page of the authority shows its CRL (to everyone who reads the store).
    client.force_login(people["writer"])
    page = client.get(held.authority.get_absolute_url() + "?tab=crl").content.decode()
    assert 'data-crl-current="yes"' in page and held.fingerprint in page
    other = signing.add_trusted_certificate(user=None, data=ThrowawayAuthority("Y").pem())
    page = client.get(other.get_absolute_url() + "?tab=crl").content.decode()
    assert 'id="revocation-list"' in page and held.fingerprint not in page
    # And the API's trust store, read only.
    listed = client.get("/api/v1/evrak/trusted-certificates/").json()["results"]
    by_name = {item["subject"]: item["revocation_list"] for item in listed}
    assert by_name["CN=Test Kök SM,C=TR"]["crl_number"] == "2"
    assert by_name["CN=Y,C=TR"] is None


def test_a_package_whose_signer_was_revoked_since_is_refused(people, root, document):
    revocation.add_revocation_list(user=people["admin"], data=root.crl())
    content = content_of(people, document)
    mine, key = root.issue(email=EMAIL)
    assert post(people["head"], document, sign_detached(content, mine, key)).status_code == 200
    document.refresh_from_db()
    data = svc.eyp_package(document=document)
    assert eyp.check_package(data).ok
    revocation.add_revocation_list(
        user=people["admin"],
        data=root.crl(revoked=[mine], number=2, this_update=datetime.now(UTC)),
    )
    problems = [str(problem) for problem in eyp.check_package(data).problems]
    assert any("was revoked on" in problem for problem in problems), problems


# ------------------------------------------------------------------ fetching over HTTP


class _Files(BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    responder = None  # (authority, known, signer) of the OCSP responder at /ocsp

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != "/ocsp" or self.responder is None:
            self.send_error(404)
            return
        authority, known, signer = self.responder
        answer = authority.ocsp_answer(body, known, signer=signer)
        self.send_response(200)
        self.send_header("Content-Type", "application/ocsp-response")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def do_GET(self):
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/pkix-crl")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def distribution_point():
    """A local HTTP server standing for the certificate authority's distribution point."""
    files: dict[str, bytes] = {}
    handler = type("Files", (_Files,), {"files": files})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", files, handler
    server.shutdown()
    server.server_close()


def test_crls_are_fetched_from_the_distribution_point(
    people, root, document, settings, distribution_point
):
    base, files, _handler = distribution_point
    url = f"{base}/kok.crl"
    content = content_of(people, document)
    mine, key = root.issue(email=EMAIL, crl_url=url)
    signature = sign_detached(content, mine, key)
    # Fetching off (a closed network): refused for want of a CRL, nothing fetched.
    files["/kok.crl"] = root.crl(encoding="der")
    assert "No current revocation list" in refused(people, document, signature)
    assert not RevocationList.objects.exists()
    assert revocation.refresh_revocation_lists() == {
        "loaded": 0, "unchanged": 0, "failed": {}, "no_address": 0, "disabled": True,
    }  # fmt: skip
    # On: fetched from the certificate's distribution point before the check, and kept.
    settings.BIYS_EVRAK_CRL_FETCH = True
    response = post(people["head"], document, signature)
    assert response.status_code == 200, response.json()
    held = RevocationList.objects.get()
    assert held.url == url and held.crl_number == "1"
    # The periodic refresh: nothing newer, then a newer CRL, then the server fails (the last
    # CRL kept, the error recorded).
    assert revocation.refresh_revocation_lists()["unchanged"] == 1
    files["/kok.crl"] = root.crl(number=2, this_update=datetime.now(UTC))
    call_command("documents", "refresh-crls")
    held.refresh_from_db()
    assert held.crl_number == "2" and not held.last_error
    files.clear()
    with pytest.raises(CommandError, match="could not be fetched"):
        call_command("documents", "refresh-crls")
    held.refresh_from_db()
    assert held.crl_number == "2" and "404" in held.last_error and held.last_attempt


def test_an_authority_without_distribution_points_is_fetched_from_its_known_address(
    people, root, document, settings, distribution_point
):
    """A certificate that names no CRL distribution point: before the check, its issuer's CRL
    is fetched from the address the installation keeps for that authority (set by hand on
    its CRL), so a stale CRL is renewed rather than the signature refused."""
    base, files, _handler = distribution_point
    settings.BIYS_EVRAK_CRL_FETCH = True
    stale = root.crl(
        this_update=datetime.now(UTC) - timedelta(days=9),
        next_update=datetime.now(UTC) - timedelta(days=2),
    )
    held = revocation.add_revocation_list(user=None, data=stale)
    content = content_of(people, document)
    mine, key = root.issue(email=EMAIL)  # no distribution point
    signature = sign_detached(content, mine, key)
    assert "No current revocation list" in refused(people, document, signature)
    revocation.set_revocation_list_url(
        user=people["admin"], revocation_list=held, url=f"{base}/elle.crl"
    )
    files["/elle.crl"] = root.crl(number=2, this_update=datetime.now(UTC))
    response = post(people["head"], document, signature)
    assert response.status_code == 200, response.json()
    held.refresh_from_db()
    assert held.crl_number == "2" and held.url == f"{base}/elle.crl"


def test_an_ocsp_responder_answers_when_no_crl_covers_it(
    people, root, document, settings, distribution_point
):
    base, _files, handler = distribution_point
    content = content_of(people, document)
    mine, key = root.issue(email=EMAIL, ocsp_url=f"{base}/ocsp")
    signature = sign_detached(content, mine, key)
    known = {mine.serial_number: (mine, None)}
    # OCSP off: the responder is not asked.
    handler.responder = (root, known, None)
    assert "No current revocation list" in refused(people, document, signature)
    settings.BIYS_EVRAK_OCSP = True
    # An answer signed by another key (an impostor of the root's name) is not taken;
    # "revoked" refuses with its date.
    handler.responder = (root, known, ThrowawayAuthority("Test Kök SM"))
    assert "No current revocation list" in refused(people, document, signature)
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    handler.responder = (root, {mine.serial_number: (mine, when)}, None)
    text = refused(people, document, signature)
    assert "as the OCSP responder of CN=Test Kök SM,C=TR said" in text, text
    assert f"{when:%Y-%m-%d %H:%M} UTC" in text and "key compromise" in text
    # "Good": accepted, the response kept with the signature and re-verified from it.
    handler.responder = (root, known, None)
    response = post(people["head"], document, signature)
    assert response.status_code == 200, response.json()
    stored = signing.accepted_signature(document)
    validation = stored.validation
    assert validation.revocation_checked and validation.crls == ""
    assert validation.ocsp_responses and validation.coverage[0]["source"] == "ocsp"
    handler.responder = None
    assert revocation.reverify(stored).ok


# ------------------------------------------------------------------ the signature time-stamp


def test_an_accepted_signature_is_time_stamped(people, root, document, settings, local_tsa):  # noqa: F811
    """The local RFC 3161 authority of the 5651 tests (openssl ts) stamps the signature value;
    the token is verified, kept, shown and checked again; an authority that is down fails only
    the time-stamp."""
    settings.BIYS_TSA_URL = local_tsa.url
    settings.BIYS_TSA_CA_FILE = local_tsa.ca_file
    settings.BIYS_TSA_KAMUSM_USER = settings.BIYS_TSA_KAMUSM_PASSWORD = ""
    settings.BIYS_EVRAK_TIMESTAMP = True
    revocation.add_revocation_list(user=people["admin"], data=root.crl())
    content = content_of(people, document)
    mine, key = root.issue(email=EMAIL)
    signature = sign_detached(content, mine, key)
    local_tsa.mode = "error"
    try:
        assert post(people["head"], document, signature).status_code == 200
    finally:
        local_tsa.mode = "ok"
    stored = signing.accepted_signature(document)
    assert stored.validation.timestamp_time is None and "500" in stored.validation.timestamp_error
    # Stamped now (as a retry would): the token covers the signature value.
    assert revocation.timestamp_signature(stored)
    stored = signing.accepted_signature(document)
    validation = stored.validation
    assert validation.timestamp_time is not None and not validation.timestamp_error
    assert abs(validation.timestamp_time - datetime.now(UTC)) < timedelta(minutes=5)
    result = revocation.reverify(stored)
    assert result.ok and result.timestamp_time is not None
    # A token over something else does not verify.
    other = sign_detached(b"other", mine, key)
    SignatureValidation.objects.filter(pk=validation.pk).update(
        timestamp_token=_token_over(revocation.signature_value(other))
    )
    broken = revocation.reverify(signing.accepted_signature(document))
    assert not broken.ok and "time-stamp does not verify" in broken.reason


def _token_over(data: bytes) -> bytes:
    from biys.core import tsa

    return tsa.request_timestamp(data).token
