"""The service desk in Chromium: a requester files a fault through the catalogue search, a
technician takes it from the queue, replies and resolves it, the requester rates it. Leaves
screenshots servicedesk-new.png, servicedesk-queue.png and servicedesk-ticket.png."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def printer_item(org_tree, duties):
    from biys.servicedesk.models import CatalogItem, KnowledgeArticle, SLATarget

    item = CatalogItem.objects.create(
        name="Yazıcı arızası",
        kind="fault",
        description="Yazıcı, tarayıcı ve fotokopi makinesi arızaları.",
        unit=org_tree["helpdesk"],
        duty=duties[1],
        keywords="yazıcı çalışmıyor, toner, kağıt sıkıştı",
        form_fields=[{"name": "model", "label": "Yazıcı modeli", "type": "text", "required": True}],
    )
    CatalogItem.objects.create(
        name="E-imza başvurusu", kind="esignature", unit=org_tree["helpdesk"], duty=duties[3]
    )
    SLATarget.objects.create(
        catalog_item=item, priority=4, first_response_minutes=120, resolution_minutes=960
    )
    KnowledgeArticle.objects.create(
        unit=org_tree["helpdesk"],
        title="Yazıcıda kağıt sıkışırsa",
        body="Arka kapağı açın ve kağıdı yavaşça çekin.",
        keywords="yazıcı kağıt sıkıştı",
        is_public=True,
    )
    return item


@pytest.fixture
def requester(make_user, org_tree):
    user = make_user("requester", org_tree["roads"], username="talep", first_name="Ayşe")
    person = user.person
    person.first_name, person.last_name = "Ayşe", "Yıldırım"
    person.work_phone = "0222 213 00 00"
    person.location = "Fen İşleri, 2. kat, oda 204"
    person.save()
    return user


@pytest.fixture
def technician(make_user, org_tree):
    return make_user(
        "technician", org_tree["helpdesk"], username="teknik", first_name="Mert", last_name="Kaya"
    )


def sign_in(context, login_as, user):
    context.clear_cookies()
    login_as(user)


def test_fault_from_catalogue_search_to_rating(
    context, page, login_as, requester, technician, printer_item, screenshot
):
    from biys.servicedesk.models import Ticket

    # The requester describes the problem in their own words and picks the suggestion.
    sign_in(context, login_as, requester)
    page.goto("/servicedesk/new/")
    page.locator("#id_q").press_sequentially("yazıcı çalışmıyor", delay=20)
    suggestion = page.locator(f'[data-catalog-item="{printer_item.pk}"]')
    expect(suggestion).to_be_visible()
    expect(suggestion).to_contain_text("Teknik Destek Şefliği")
    expect(suggestion).to_contain_text("MADDE 10 (1) b")
    expect(page.locator("[data-articles]")).to_contain_text("Yazıcıda kağıt sıkışırsa")
    screenshot(page, "servicedesk-new")
    suggestion.click()

    form = page.locator("#ticket-create-form")
    expect(form.locator("#id_contact_phone")).to_have_value("0222 213 00 00")
    expect(form.locator("#id_location")).to_have_value("Fen İşleri, 2. kat, oda 204")
    form.locator("#id_title").fill("Yazıcı kağıt çekmiyor")
    form.locator("#id_description").fill("Kırmızı ışık yanıp sönüyor.")
    form.locator("button[type=submit]").click()
    # the item's own required field is checked at the field
    expect(form.locator("#id_f_model")).to_have_class("form-control is-invalid")
    form.locator("#id_f_model").fill("HP LaserJet 402")
    form.locator("button[type=submit]").click()

    expect(page.locator("#ticket-status [data-state]")).to_have_attribute("data-state", "new")
    ticket = Ticket.objects.get()
    assert ticket.requester == requester.person and ticket.form_data == {"model": "HP LaserJet 402"}
    expect(page.locator("h1.page-title")).to_contain_text(ticket.number)

    # The technician takes it from the queue.
    sign_in(context, login_as, technician)
    page.goto("/servicedesk/tickets/")
    row = page.locator("table[data-table=tickets] tbody tr").filter(has_text=ticket.number)
    expect(row.locator("[data-sla]")).to_have_attribute("data-sla", "ok")
    screenshot(page, "servicedesk-queue")
    row.locator(f'[data-take="{ticket.number}"]').click()
    expect(row).to_contain_text("Mert Kaya")
    row.get_by_role("link", name=ticket.number).click()

    # ... replies, then resolves it through the modal.
    page.locator("#reply-form textarea").fill("Toner kartuşunu değiştirmeye geliyorum.")
    page.locator("#reply-form button[type=submit]").click()
    expect(page.locator("#ticket-conversation")).to_contain_text("Toner kartuşunu")
    page.locator('[data-action="resolve"]').click()
    modal = page.locator("#action-resolve")
    expect(modal).to_be_visible()
    modal.locator("textarea").fill("Toner kartuşu değiştirildi, test sayfası basıldı.")
    modal.locator("button[type=submit]").click()
    expect(page.locator("#ticket-status [data-state]")).to_have_attribute("data-state", "resolved")
    screenshot(page, "servicedesk-ticket")

    # The requester sees the answer and rates the solution.
    sign_in(context, login_as, requester)
    page.goto(f"/servicedesk/tickets/{ticket.pk}/")
    expect(page.locator("#ticket-conversation")).to_contain_text("Toner kartuşunu")
    rate = page.locator("#rate-card")
    rate.locator("label", has_text="5").click()
    rate.locator("textarea").fill("Çok hızlıydı, teşekkürler.")
    rate.locator("button[type=submit]").click()
    expect(page.locator("#rate-card")).to_have_count(0)
    ticket.refresh_from_db()
    assert (ticket.state, ticket.rating) == ("resolved", 5)


def test_new_request_page_fits_a_phone(browser, live_server, login_as, requester, printer_item):
    context = browser.new_context(
        base_url=live_server.url, locale="tr-TR", viewport={"width": 390, "height": 844}
    )
    try:
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(requester)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        page = context.new_page()
        for url in ("/servicedesk/new/?q=yazıcı", f"/servicedesk/new/{printer_item.pk}/"):
            page.goto(url)
            expect(page.locator("h1.page-title")).to_be_visible()
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px"
    finally:
        context.close()
