"""The KVKK module in Chromium: the KVKK contact person adds a processing activity to the
inventory (its data categories, purpose, legal basis, subject group and measures ticked from
the pick-lists), exports the inventory in VERBİS's layout as CSV for Turkish Excel, registers a
data subject's request (its 30-day deadline shown), reveals the applicant's TC kimlik number
(the view logged) and answers the request. Leaves the screenshots kvkk-inventory.png and
kvkk-request.png."""

import csv
import io
from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VALID_TC = "10000000146"


def test_inventory_export_and_a_request_answered(page, login_as, make_user, org_tree, screenshot):
    from django.utils import timezone

    from biys.core.models import PersonalDataView
    from biys.kvkk.choices import ListKind
    from biys.kvkk.listdata import load_shipped
    from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest
    from biys.kvkk.tests.factories import make_activity

    load_shipped(ListItem)  # a transactional test empties the migration's rows
    contact = make_user("kvkk_contact", org_tree["dept"])
    make_activity(org_tree["software"], name="Yazılım geliştirme test verileri")
    login_as(contact)

    def tick(field, kind, **filters):
        item = ListItem.objects.filter(kind=kind, **filters).get()
        page.locator(f"input[name={field}][value='{item.pk}']").check()

    # A processing activity of the network unit.
    page.goto("/kvkk/inventory/add/")
    page.locator("#id_unit").select_option(str(org_tree["network"].pk))
    page.fill("#id_name", "Kablosuz ağ misafir erişim kayıtları")
    page.fill("#id_personal_data", "Ad soyad, cep telefonu, MAC adresi, IP adresi")
    tick("data_categories", ListKind.DATA_CATEGORY, name="Kimlik")
    tick("data_categories", ListKind.DATA_CATEGORY, name="İşlem Güvenliği")
    tick("purposes", ListKind.PURPOSE, name="Bilgi Güvenliği Süreçlerinin Yürütülmesi")
    tick("legal_bases", ListKind.LEGAL_BASIS, code="5/2-a")
    tick("subject_groups", ListKind.SUBJECT_GROUP, name="Ziyaretçi")
    tick("technical_measures", ListKind.TECHNICAL_MEASURE, name="Şifreleme yapılmaktadır")
    page.fill("#id_retention_period", "2 yıl (5651 sayılı Kanun)")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#main-content")).to_contain_text("Kablosuz ağ misafir erişim kayıtları")
    activity = ProcessingActivity.objects.get(name="Kablosuz ağ misafir erişim kayıtları")
    assert activity.data_categories.count() == 2 and activity.unit == org_tree["network"]

    # The inventory, exported for VERBİS: one row per activity and data category.
    page.goto("/kvkk/inventory/")
    expect(page.locator("#object-list")).to_contain_text("Kablosuz ağ misafir erişim kayıtları")
    screenshot(page, "kvkk-inventory")
    with page.expect_download() as download_info:
        page.get_by_test_id("verbis-csv").click()
    raw = download_info.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Birim", "İşleme faaliyeti", "Veri kategorisi"]
    ours = [row for row in rows if row[1] == "Kablosuz ağ misafir erişim kayıtları"]
    assert [row[2] for row in ours] == ["Kimlik", "İşlem Güvenliği"]
    assert ours[0][6].startswith("5/2-a ") and ours[0][12] == "2 yıl (5651 sayılı Kanun)"
    assert len(rows) == 1 + 2 + 1  # the header, ours, the software unit's one

    # A data subject's request, received three days ago.
    received = timezone.localdate() - timedelta(days=3)
    page.goto("/kvkk/requests/add/")
    page.fill("#id_received_on", received.isoformat())
    page.locator("#id_channel").select_option("kep")
    page.locator("#id_right").select_option("erasure")
    page.fill(
        "#id_request_text", "Misafir ağ kayıtlarındaki telefon numaramın silinmesini istiyorum."
    )
    page.fill("#id_applicant_name", "Şule Işık")
    page.fill("#id_tc_kimlik_no", VALID_TC)
    page.fill("#id_phone", "0532 000 00 00")
    page.locator("#id_unit").select_option(str(org_tree["network"].pk))
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#object-list")).to_contain_text("Şule Işık")
    request = SubjectRequest.objects.get()
    page.goto(request.get_absolute_url())
    expect(page.get_by_test_id("due-date")).to_be_visible()
    assert request.due_date >= received + timedelta(days=30)
    expect(page.get_by_test_id("clock")).to_contain_text("gün kaldı")
    tc_cell = page.locator("#identity [data-field=tc_kimlik_no]")
    expect(tc_cell).not_to_contain_text(VALID_TC)
    page.get_by_test_id("reveal").click()
    expect(tc_cell).to_have_text(VALID_TC)
    assert PersonalDataView.objects.filter(user=contact, object_id=str(request.pk)).count() == 1
    page.reload()
    page.get_by_test_id("request-start").click()
    expect(page.get_by_test_id("answer-form")).to_be_visible()
    screenshot(page, "kvkk-request")

    # The written answer.
    page.locator("#id_answer-outcome").select_option("accepted")
    page.fill("#id_answer-answer", "Telefon numaranız misafir ağ kayıtlarından silinmiştir.")
    page.get_by_test_id("answer-submit").click()
    expect(page.locator("#main-content")).to_contain_text("Cevaplandı")
    request.refresh_from_db()
    assert request.state == "answered" and request.answered_by == contact
    expect(page.get_by_test_id("request-reopen")).to_be_visible()
