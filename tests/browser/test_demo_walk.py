"""Each README demo login does its job in the demo data (ankara-bb, what `make demo` loads):
the requester files a ticket, the technician takes and resolves one, the şube müdürü and the
daire başkanı approve their staff's requests, the administrator reads the statistics, the
auditor reads the change log and can change nothing, the 5651 log officer answers who had the
public address at a time and verifies the days."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    from biys.demo.builder import build_demo

    return build_demo(preset="ankara-bb")


def as_login(context, login_as, username):
    from biys.accounts.models import User

    for page in context.pages:
        # A request the last page still has in flight would answer after the cookies are
        # cleared and put back the last user's CSRF cookie (the next form: 403). Leaving the
        # page drops it.
        page.goto("about:blank")
    context.clear_cookies()
    return login_as(User.objects.get(username=username))


def fill_required(form):
    """Answer the catalogue item's own required fields with something valid."""
    for field in form.locator("[required]").all():
        if field.input_value():
            continue
        tag = field.evaluate("e => e.tagName.toLowerCase()")
        kind = field.get_attribute("type") or ""
        if tag == "select":
            field.select_option(index=1)
        elif kind == "number":
            field.fill("1")
        elif kind == "date":
            field.fill("2030-01-15")
        else:
            field.fill("Demo yanıtı")


def success(page, text: str):
    expect(page.locator(".alert-success, [role=alert]").filter(has_text=text).first).to_be_visible()


def test_every_readme_login_does_its_job(context, page, login_as, demo):
    from biys.servicedesk.models import Ticket

    # talep: files a fault in their own words
    as_login(context, login_as, "talep")
    page.goto("/")
    page.locator("#home-new-request").click()
    page.locator("#id_q").press_sequentially("yazıcı çalışmıyor", delay=10)
    page.locator("[data-catalog-item]").first.click()
    form = page.locator("#ticket-create-form")
    fill_required(form)
    before = Ticket.objects.count()
    form.locator("button[type=submit]").click()
    success(page, "talebiniz alındı")
    assert Ticket.objects.count() == before + 1

    # teknisyen: takes a ticket of their queue and resolves it
    as_login(context, login_as, "teknisyen")
    page.goto("/servicedesk/tickets/")
    queue_take = page.locator("[data-take]")
    if queue_take.count():  # an unassigned ticket: take it from the queue
        number = queue_take.first.get_attribute("data-take")
        queue_take.first.click()
        success(page, "Kaydı üstlendiniz")
    else:
        number = page.locator("table[data-table=tickets] tbody tr td a").first.inner_text()
    ticket = Ticket.objects.get(number=number)
    page.goto(f"/servicedesk/tickets/{ticket.pk}/")
    take = page.locator('button[data-action="take"]')
    if take.count():  # a colleague's ticket: take it over on its page
        take.click()
        success(page, "Kaydı üstlendiniz")
    ticket.refresh_from_db()
    page.locator('[data-action="resolve"]').first.click()
    dialog = page.locator("#action-resolve")
    dialog.locator("textarea").first.fill("Sürücü yeniden kuruldu, test çıktısı alındı.")
    dialog.locator("button[type=submit]").click()
    success(page, "Kayıt çözüldü")
    ticket.refresh_from_db()
    assert ticket.state == "resolved"

    # sube.muduru and daire.baskani: open a request awaiting their approval and approve it
    for username in ("sube.muduru", "daire.baskani"):
        as_login(context, login_as, username)
        page.goto("/servicedesk/approvals/")
        link = page.locator("table[data-table=tickets] tbody tr td a").first
        number = link.inner_text()
        link.click()
        card = page.locator("#approval-card")
        expect(card).to_be_visible()
        card.locator("textarea").fill("Uygundur.")
        card.get_by_role("button", name="Onayla", exact=True).click()
        success(page, "Talep onaylandı")
        assert Ticket.objects.get(number=number).state != "pending_approval"

    # the department head and the administrator read the statistics
    for username in ("daire.baskani", "yonetici"):
        as_login(context, login_as, username)
        page.goto("/servicedesk/stats/")
        expect(page.locator("#stats-kpis")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="Excel").click()
        assert download.value.suggested_filename.endswith(".xlsx")

    # denetci: reads the change log, and a ticket page offers no action
    as_login(context, login_as, "denetci")
    page.goto("/changelog/")
    rows = page.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    rows.first.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/changelog/\d+/"))
    page.goto(f"/servicedesk/tickets/{ticket.pk}/")
    expect(page.locator("h1, .page-title").first).to_be_visible()
    assert page.locator("[data-action], [data-take]").count() == 0

    # log.sorumlusu: who had the public address at 11:00 the day before yesterday; the days
    # verify (unsealed, each file against its ingest digests)
    from datetime import timedelta

    from django.utils import timezone

    from biys.demo import logs5651 as demo_logs

    day = timezone.localdate() - timedelta(days=2)
    as_login(context, login_as, "log.sorumlusu")
    page.goto("/logs5651/who/")
    page.fill("#id_ip", demo_logs.NAT_ADDRESS)
    page.fill("#id_at", f"{day.isoformat()}T11:00")
    page.fill("#id_request_number", "E.2026/48214")
    page.locator("#main-content form button[type=submit]").first.click()
    results = page.locator("#who-results")
    expect(results).to_contain_text("merkez-fw")
    expect(results).to_contain_text("10.10.1.")
    page.goto("/logs5651/verify/")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#verification-result")).to_have_class("alert alert-success mt-3")

    # basvuru: records a bilgi edinme request at the counter (the type's own field appears when
    # the type is chosen), extends its period with a reason, records the answer, reads the report
    from biys.applications.models import Application

    as_login(context, login_as, "basvuru")
    page.goto("/applications/add/")
    page.locator("#id_type").select_option(label="Bilgi edinme başvurusu")
    expect(page.locator("#id_field_istenen_bilgi")).to_be_visible()
    page.fill("#id_field_istenen_bilgi", "2025 yılı yazılım alımları")
    page.fill("#id_applicant_name", "Zeynep Arslan")
    page.fill("#id_tc_kimlik_no", "10000000146")
    page.fill("#id_subject", "Yazılım alımları hakkında bilgi talebi")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#deadline-clock")).to_contain_text("iş günü")
    application = Application.objects.get(applicant_name="Zeynep Arslan")
    page.locator("form[action$='/extend/'] textarea").fill("Görüş alınacak birimler var.")
    page.locator("form[action$='/extend/'] button[type=submit]").click()
    success(page, "Süre uzatıldı")
    page.locator("form[action$='/outcome/'] textarea").fill("İstenen liste gönderildi.")
    page.locator("form[action$='/outcome/'] button[type=submit]").click()
    success(page, "Sonuç kaydedildi")
    application.refresh_from_db()
    assert application.extended and application.state == "answered"
    page.goto("/applications/report/")
    expect(page.locator("#applications-report")).to_contain_text("Bilgi edinme başvurusu")

    # some.uzmani: the overdue findings per unit, one of them opened from the list, its risk
    # accepted until next month with the reason
    from biys.secops.models import Finding

    as_login(context, login_as, "some.uzmani")
    page.goto("/secops/findings/overdue/")
    overdue = page.locator("#overdue-table tbody a").first
    expect(overdue).to_be_visible()
    overdue.click()
    rows = page.locator("table tbody tr td a[href*='/secops/findings/']")
    expect(rows.first).to_be_visible()
    rows.first.click()
    finding = Finding.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[-1]))
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    page.fill("#id_accept_risk-note", "Sistem kapatılacak; yeni sunucu Ocak ayında devrede.")
    page.fill("#id_accept_risk-until", until)
    page.locator("button[name=submit-accept_risk]").click()
    expect(page.locator("#risk-acceptance")).to_be_visible()
    finding.refresh_from_db()
    assert finding.state == "risk_accepted"

    # tasinir.yetkilisi: approves the unit's pending stock request and issues it from the store;
    # harcama.yetkilisi approves the draft fişi waiting for them
    from biys.inventory.models import Slip, StockRequest

    request = StockRequest.objects.get(state="submitted")
    as_login(context, login_as, "tasinir.yetkilisi")
    page.goto("/inventory/low-stock/")
    expect(page.locator("#main-content")).to_contain_text("NP7-12")
    page.goto("/inventory/requests/")
    page.get_by_role("link", name=request.number).click()
    page.get_by_role("button", name="Onayla", exact=True).click()
    page.get_by_role("button", name="Stoktan çıkış yap").click()
    request.refresh_from_db()
    assert request.state == "issued"
    draft = Slip.objects.get(state="draft")
    as_login(context, login_as, "harcama.yetkilisi")
    page.goto("/inventory/slips/?state=draft")
    page.get_by_role("link", name=str(draft)).click()
    page.get_by_role("button", name="Onayla", exact=True).click()
    draft.refresh_from_db()
    expect(page.locator("h1.page-title")).to_contain_text(draft.number)

    # bgys.yoneticisi: the questionnaire's level and applicable measures, an SoA entry recorded
    from biys.bgys.models import ApplicabilityEntry, Assessment

    assessment = Assessment.objects.get()
    as_login(context, login_as, "bgys.yoneticisi")
    page.goto(assessment.get_absolute_url() + "?tab=measures")
    expect(page.get_by_test_id("level")).to_contain_text("2")
    expect(page.get_by_test_id("applicable-measures")).to_contain_text("3.1.1.1")
    page.goto("/bgys/soa/?state=partly")
    expect(page.locator("#object-list")).to_contain_text("3.1.1.3")
    entry = ApplicabilityEntry.objects.filter(assessment=assessment, state="").first()
    page.goto(f"/bgys/soa/{entry.pk}/edit/")
    page.locator("#id_state").select_option("partly")
    page.locator("#main-content form button[type=submit]").first.click()
    success(page, entry.measure.number)
    entry.refresh_from_db()
    assert entry.state == "partly"
