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
