"""Outgoing documents (giden evrak) in Chromium: a document writer drafts a reply to an
incoming document with its distribution list (gereği and bilgi: a public institution with its
DETSİS number and a unit of the municipality chosen from the units) and ilgi line, and finds it
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
    page.locator("#id_info_recipients").fill("Eskişehir Valiliği | 38417202")
    page.locator("#id_info_units").select_option(str(org_tree["roads"].pk))
    page.locator("#id_related_incoming").select_option(str(incoming.pk))
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("#distribution-action")).to_contain_text("24312041")
    valilik = page.locator("#distribution-info [data-recipient-kind=institution]")
    expect(valilik).to_contain_text("Eskişehir Valiliği")
    expect(valilik).to_contain_text("DETSİS 38417202")
    unit = page.locator(f"#distribution-info [data-unit='{org_tree['roads'].pk}']")
    expect(unit).to_contain_text("Fen İşleri Dairesi Başkanlığı")
    expect(page.locator("#references")).to_contain_text("E-24312041-702.03-118")
    expect(page.locator("[data-urgency=ACL]")).to_be_visible()
    assert OutgoingDocument.objects.get().state == "draft"
    screenshot(page, "evrak-giden")


def test_draft_sign_export_and_import_on_another_installation(
    page, login_as, make_user, org_tree, screenshot, tmp_path, settings, in_flight
):
    """e-Yazışma from end to end. Installation A: a document writer drafts a letter and names
    the head of the department above the unit as its signer, the unit's chief initials it, the
    head signs it and downloads its package. A's database is then emptied and installation B,
    another municipality set up anew, registers the package as an incoming document: the
    checks pass and the register is filled from the package's Üstveri, with nothing of A's
    rows left to lean on. Leaves evrak-giden-eyp.png."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.utils.timezone import localdate

    from biys.evrak import eyp
    from biys.evrak.models import IncomingDocument, OutgoingDocument, SdpCode
    from biys.org.models import Municipality, Unit

    settings.MEDIA_ROOT = tmp_path / "media"
    code = SdpCode.objects.create(code="010.03", title="Bilgi edinme")
    writer = make_user("evrak_writer", org_tree["network"], first_name="Ayşe", last_name="Demir")
    chief = make_user("chief", org_tree["network"], first_name="Murat", last_name="Yıldız")
    head = make_user("department_head", org_tree["dept"], first_name="Şükrü", last_name="Çağlar")
    subject = "Kent bilgi sistemi verilerinin paylaşımı hk."

    # A: the writer drafts the letter, the head of the department as its signer.
    login_as(writer)
    page.goto("/evrak/outgoing/add/")
    page.locator("#id_unit").select_option(str(org_tree["network"].pk))
    page.locator("#id_subject").fill(subject)
    page.locator("#id_sdp_code").select_option(str(code.pk))
    page.locator("#id_body").fill("İlgi yazınız incelenmiştir. Gereğini arz ederim.")
    page.locator("#id_signer").select_option(str(head.pk))
    page.locator("#id_signer_title").fill("Bilgi İşlem Dairesi Başkanı")
    page.locator("#id_action_recipients").fill("Eskişehir Valiliği | 24312041")
    page.locator("form button[type=submit]").last.click()
    page.locator("#id_first").select_option(str(chief.pk))
    page.locator("#submit-form button").click()
    expect(page.locator("#approval-path")).to_contain_text("Murat Yıldız")
    document = OutgoingDocument.objects.get()
    assert document.state == "approval" and document.signer == head

    # The chief initials, the head signs and downloads the package.
    login_as(chief)
    page.goto(f"/evrak/outgoing/{document.pk}/")
    page.locator("#paraf-form button").click()
    expect(page.locator("#approval-path [data-parafed=yes]")).to_have_count(1)
    login_as(head)
    page.goto(f"/evrak/outgoing/{document.pk}/")
    page.locator("#sign-form button").click()
    expect(page.locator("#outgoing-eyp")).to_be_visible()
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
    number, signed_on = document.number, localdate(document.signed_at)

    # B: another installation. A's database is emptied (its own cache too) and B set up anew.
    in_flight.wait_until_idle()
    call_command("flush", interactive=False, verbosity=0)
    cache.clear()
    assert not OutgoingDocument.objects.exists() and not Municipality.objects.exists()
    Municipality.objects.create(name="Tepebaşı Belediyesi", kind="ilce", detsis_no="87654321")
    registry = Unit.objects.create(name="Yazı İşleri Müdürlüğü", kind="mudurluk")
    login_as(make_user("evrak_clerk", registry))
    page.goto("/evrak/add/")
    page.locator("#id_receiving_unit").select_option(str(registry.pk))
    page.set_input_files("#id_package", str(path))
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#package-check")).to_be_visible()
    expect(page.locator("#package-parts")).to_contain_text("/NihaiOzet/NihaiOzet.xml")
    expect(page.locator("#main-content")).to_contain_text(number)
    incoming = IncomingDocument.objects.get()
    assert incoming.channel == "eyp" and incoming.receiving_unit == registry
    assert incoming.sender_number == number and incoming.subject == subject
    assert incoming.sender_detsis_no == "12345678" and incoming.sender_date == signed_on


def test_reveal_a_person_recipients_tc_kimlik_number_and_find_the_view_logged(
    page, login_as, make_user, org_tree
):
    """A registry clerk of the drafting unit clicks *Göster* next to a person recipient's
    masked TC kimlik number and sees it whole; the KVKK contact person then finds exactly one
    record of it in the log of personal data seen (Denetim → Görülen kişisel veriler)."""
    from biys.core.models import PersonalDataView
    from biys.evrak import outgoing_services
    from biys.evrak.tests.factories import make_sdp_code

    tckn = "10000000146"
    writer = make_user("evrak_writer", org_tree["network"])
    clerk = make_user("evrak_clerk", org_tree["network"], first_name="Elif", last_name="Kaya")
    document = outgoing_services.save_outgoing_draft(
        user=writer,
        unit=org_tree["network"],
        subject="Kazı ruhsatı başvurunuz hk.",
        body="Gereğini rica ederim.",
        sdp_code=make_sdp_code(code="010.03"),
        distribution=[
            {"kind": "GRG", "name": "Şule Işık", "tc_kimlik_no": tckn, "address": "Merkez"}
        ],
    )
    line = document.distribution.get()

    login_as(clerk)
    page.goto(f"/evrak/outgoing/{document.pk}/")
    data = page.locator(f"#recipient-data-{line.pk}")
    expect(data).to_contain_text("*********46")
    expect(page.locator("#main-content")).not_to_contain_text(tckn)
    data.get_by_role("button").click()
    expect(page.locator(f"#recipient-data-{line.pk} [data-field=tc_kimlik_no]")).to_have_text(tckn)
    assert PersonalDataView.objects.count() == 1

    login_as(make_user("kvkk_contact", org_tree["dept"]))
    page.goto(f"/personal-data-views/?user={clerk.username}")
    rows = page.locator("#main-content table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(clerk.username)
    expect(rows.first).to_contain_text("Şule Işık")
    expect(page.locator("#main-content")).not_to_contain_text(tckn)
