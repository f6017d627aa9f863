"""Outgoing documents (giden evrak) in Chromium: a document writer drafts a reply to an
incoming document with its distribution list (gereği and bilgi) and ilgi line, and finds it
on its page. Leaves the screenshot evrak-giden.png."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_an_outgoing_document(page, login_as, make_user, org_tree, screenshot):
    from biys.evrak.models import OutgoingDocument
    from biys.evrak.tests.factories import make_document

    writer = make_user("evrak_writer", org_tree["network"], first_name="Ayşe", last_name="Demir")
    incoming = make_document(org_tree["network"], subject="Kent bilgi sistemi veri paylaşımı")

    login_as(writer)
    page.goto("/evrak/outgoing/add/")
    page.locator("#id_unit").select_option(str(org_tree["network"].pk))
    page.locator("#id_subject").fill("Kent bilgi sistemi verilerinin paylaşımı hk.")
    page.locator("#id_urgency").select_option("ACL")
    page.locator("#id_body").fill("İlgi yazınız incelenmiştir. Gereğini arz ederim.")
    page.locator("#id_action_recipients").fill(
        "Çevre, Şehircilik ve İklim Değişikliği Bakanlığı | 24312041"
    )
    page.locator("#id_info_recipients").fill("Eskişehir Valiliği")
    page.locator("#id_related_incoming").select_option(str(incoming.pk))
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("#distribution-action")).to_contain_text("24312041")
    expect(page.locator("#distribution-info")).to_contain_text("Eskişehir Valiliği")
    expect(page.locator("#references")).to_contain_text("E-24312041-702.03-118")
    expect(page.locator("[data-urgency=ACL]")).to_be_visible()
    assert OutgoingDocument.objects.get().state == "draft"
    screenshot(page, "evrak-giden")


def test_sign_export_the_package_and_register_it_as_incoming(
    page, login_as, make_user, org_tree, municipality, screenshot, tmp_path, settings
):
    """The department head signs an initialled reply, downloads its e-Yazışma package, and a
    registry clerk registers that package as an incoming document: the same subject, sayı and
    date come back. Leaves evrak-giden-eyp.png."""
    from biys.evrak import eyp
    from biys.evrak import outgoing_services as svc
    from biys.evrak.models import IncomingDocument, OutgoingDocument, SdpCode

    settings.MEDIA_ROOT = tmp_path / "media"
    writer = make_user("evrak_writer", org_tree["network"])
    chief = make_user("chief", org_tree["network"], first_name="Murat", last_name="Yıldız")
    head = make_user("department_head", org_tree["dept"], first_name="Şükrü", last_name="Çağlar")
    document = svc.save_outgoing_draft(
        user=writer,
        unit=org_tree["network"],
        subject="Kent bilgi sistemi verilerinin paylaşımı hk.",
        body="İlgi yazınız incelenmiştir.\n\nBilgilerinizi ve gereğini arz ederim.",
        sdp_code=SdpCode.objects.create(code="010.03", title="Bilgi edinme"),
        signer=head,
        signer_title="Bilgi İşlem Dairesi Başkanı",
        distribution=[
            {"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "24312041"},
            {"kind": "BLG", "name": "Örnek Mahalle Muhtarlığı"},
        ],
    )
    svc.submit_for_approval(user=writer, document=document, path=[chief])
    svc.paraf(user=chief, document=document)

    login_as(head)
    page.goto(f"/evrak/outgoing/{document.pk}/")
    page.locator("#sign-form button").click()
    document.refresh_from_db()
    assert document.state == "signed" and document.number.startswith("E-12345678-010.03-")
    with page.expect_download() as download:
        page.locator("#outgoing-eyp").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    document.refresh_from_db()
    assert path.name == f"{document.belge_id}.eyp"
    assert eyp.check_package(path.read_bytes()).ok
    screenshot(page, "evrak-giden-eyp")
    assert OutgoingDocument.objects.get().package  # kept

    login_as(make_user("evrak_clerk", org_tree["roads"]))
    page.goto("/evrak/add/")
    page.locator("#id_receiving_unit").select_option(label=str(org_tree["roads"]))
    page.set_input_files("#id_package", str(path))
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#package-parts")).to_contain_text("/NihaiOzet/NihaiOzet.xml")
    incoming = IncomingDocument.objects.get(channel="eyp")
    assert incoming.sender_number == document.number
    assert incoming.subject == document.subject
    assert incoming.sender_detsis_no == "12345678"
