"""The electronic signature in Chromium: the administrator loads a certificate authority's root
into the trust store from its file; the signer uploads a signature file on the document's page,
a broken one is refused with its reason in Turkish and the right one, made over the package's
PaketOzeti downloaded from the page, signs the document."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trust_store_and_e_signature(page, login_as, make_user, org_tree, municipality, tmp_path):
    from biys.evrak import outgoing_services as svc
    from biys.evrak import signing
    from biys.evrak.models import OutgoingDocument, SdpCode, TrustedCertificate
    from biys.evrak.tests.signer import ThrowawayAuthority, sign_detached

    root = ThrowawayAuthority("Test Kamu SM Kök")
    admin = make_user(None, None, superuser=True)
    writer = make_user("evrak_writer", org_tree["network"])
    head = make_user("department_head", org_tree["dept"], email="baskan@ornek.bel.tr")
    document = svc.save_outgoing_draft(
        user=writer,
        unit=org_tree["network"],
        subject="Veri paylaşımı hk.",
        body="Gereğini arz ederim.",
        sdp_code=SdpCode.objects.create(code="010.03", title="Bilgi edinme"),
        signer=head,
        distribution=[{"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "24312041"}],
    )
    svc.submit_for_approval(user=writer, document=document, path=[])

    login_as(admin)
    page.goto("/evrak/trust/add/")
    (tmp_path / "kok.cer").write_bytes(root.der())
    page.locator("#id_upload").set_input_files(str(tmp_path / "kok.cer"))
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("body")).to_contain_text(TrustedCertificate.objects.get().fingerprint)

    from biys.evrak import revocation

    revocation.add_revocation_list(user=admin, data=root.crl())  # none revoked
    login_as(head)
    page.goto(f"/evrak/outgoing/{document.pk}/")
    # The signer downloads what to sign: the e-Yazışma package's PaketOzeti, prepared now.
    with page.expect_download() as download:
        page.locator("#signature-content").click()
    download.value.save_as(tmp_path / "content.xml")
    content = (tmp_path / "content.xml").read_bytes()
    assert b"<PaketOzeti" in content
    assert content == bytes(signing.signature_request(user=head, document=document).content)
    (tmp_path / "bozuk.p7s").write_bytes(b"bozuk imza")
    page.locator("#id_signature").set_input_files(str(tmp_path / "bozuk.p7s"))
    page.locator("#esign-form button").click()
    expect(page.locator("body")).to_contain_text("CAdES imzası değil")
    certificate, key = root.issue(email="baskan@ornek.bel.tr")
    (tmp_path / "imza.p7s").write_bytes(sign_detached(content, certificate, key))
    page.locator("#id_signature").set_input_files(str(tmp_path / "imza.p7s"))
    page.locator("#esign-form button").click()
    expect(page.locator("[data-signature-state=accepted]")).to_be_visible()
    assert OutgoingDocument.objects.get().state == "signed"
    # Its package carries that PaketOzeti byte for byte, and the signature over it verifies.
    from biys.evrak import eyp
    from biys.evrak.tests.packages import read_parts

    data = svc.eyp_package(document=OutgoingDocument.objects.get())
    assert read_parts(data)["PaketOzeti/PaketOzeti.xml"] == content
    assert eyp.check_package(data).signature["signed_part"] == "/PaketOzeti/PaketOzeti.xml"
