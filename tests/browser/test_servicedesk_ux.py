"""What a new user tripped over on the service desk screens (issue 8): the transfer dialog,
the requester's home page and form, the lists' layout on a laptop and a phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def printer(org_tree):
    from biys.servicedesk.models import CatalogItem

    return CatalogItem.objects.create(
        name="Yazıcı arızası",
        kind="fault",
        unit=org_tree["helpdesk"],
        keywords="yazıcı çalışmıyor, toner",
        form_fields=[{"name": "quantity", "label": "Adet", "type": "number", "required": True}],
    )


@pytest.fixture
def requester(make_user, org_tree):
    return make_user("requester", org_tree["roads"], username="talep", first_name="Ayşe")


def file_ticket(item, user, title="Yazıcı kağıt sıkıştırıyor"):
    from biys.servicedesk import services

    return services.create_ticket(
        catalog_item=item,
        requester=user.person,
        title=title,
        form_data={"quantity": "1"},
        created_by=user,
    )


def test_transfer_offers_it_units_as_a_tree_and_returns_to_the_queue(
    context, page, login_as, make_user, org_tree, printer, requester
):
    from biys.org.models import Unit

    Unit.objects.create(name="Zabıta Dairesi Başkanlığı", kind="daire_baskanligi")
    ticket = file_ticket(printer, requester)
    login_as(make_user("technician", org_tree["helpdesk"], username="teknik"))
    page.goto(f"/servicedesk/tickets/{ticket.pk}/")
    page.locator("#ticket-more-actions").click()
    page.locator('[data-action="transfer"]').click()
    dialog = page.locator("#action-transfer")
    expect(dialog).to_be_visible()
    # the form is loaded when the dialog opens
    expect(dialog.locator("select[name='transfer-unit']")).to_be_visible()
    options = dialog.locator("select[name='transfer-unit'] option").all_inner_texts()
    names = [option.strip("\u00a0 ") for option in options if option.strip("-\u00a0 ")]
    # only IT units, each under its parent, indented by depth
    assert names == [
        "Bilgi İşlem Dairesi Başkanlığı",
        "Sistem ve Ağ Şube Müdürlüğü",
        "Yazılım Şube Müdürlüğü",
    ]
    indented = next(option for option in options if "Yazılım" in option)
    assert indented.startswith("\u00a0")
    expect(dialog).to_contain_text("Yalnızca Bilgi İşlem birimleri listelenir")

    dialog.locator("select[name='transfer-unit']").select_option(label=indented)
    dialog.locator("[name='transfer-reason']").fill("Yazılım hatası")
    dialog.locator("button[type=submit]").click()
    # the technician of the help desk no longer sees it: back to the queue, not a 404
    expect(page.locator(".alert-success, .toast, [role=alert]").first).to_contain_text(
        "Kayıt aktarıldı"
    )
    assert page.url.rstrip("/").endswith("/servicedesk/tickets")


def _right_edge(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().right")


def test_queue_shows_the_sla_column_on_a_laptop(
    context, page, login_as, make_user, org_tree, printer, requester
):
    from biys.servicedesk import services
    from biys.servicedesk.models import CatalogItem, SLATarget

    access = CatalogItem.objects.create(
        name="Uygulama yetki talebi (EBYS / YBS / e-Belediye)", kind="access", unit=printer.unit
    )
    SLATarget.objects.create(priority=4, first_response_minutes=240, resolution_minutes=1440)
    technician = make_user(
        "technician", org_tree["helpdesk"], first_name="Abdurrahman", last_name="Karaosmanoğlu"
    )
    for index, item in enumerate([printer, access, access]):
        ticket = file_ticket(
            item,
            requester,
            title=f"Yazıcı kağıt sıkıştırıyor ve toner uyarısı veriyor, acil bakılması gerekiyor {index}",
        )
        if index:
            services.take_ticket(ticket=ticket, user=technician)
    login_as(technician)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/servicedesk/tickets/")
    sla_header = "table[data-table=tickets] thead th:last-child"
    expect(page.locator(sla_header)).to_contain_text("SLA")
    assert _right_edge(page, sla_header) <= _right_edge(page, ".table-responsive") + 1


def test_my_requests_on_a_phone_newest_first_with_state_and_one_line_number(
    context, page, login_as, printer, requester
):
    tickets = [file_ticket(printer, requester, title=f"Yazıcı arızası {n}") for n in range(3)]
    login_as(requester)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/servicedesk/my/")
    rows = page.locator("table[data-table=tickets] tbody tr")
    expect(rows).to_have_count(3)
    # newest first
    expect(rows.first.locator("td").first).to_have_text(tickets[-1].number)
    state = rows.first.locator("[data-state]")
    expect(state).to_be_visible()
    assert state.evaluate("e => e.getBoundingClientRect().right") <= 390
    number = rows.first.locator("td").first
    line_height = number.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 20")
    assert number.locator("a").evaluate("e => e.getClientRects().length") == 1
    assert number.locator("a").evaluate("e => e.getBoundingClientRect().height") < 2 * line_height


def test_requester_home_offers_new_request_and_open_tickets(
    context, page, login_as, printer, requester
):
    ticket = file_ticket(printer, requester)
    login_as(requester)
    page.goto("/")
    expect(page.locator("#home-new-request")).to_have_text("Yeni talep")
    expect(page.locator(f'[data-ticket="{ticket.number}"]')).to_contain_text(ticket.title)
    expect(page.locator("#main-content")).not_to_contain_text("Görevler")


def test_new_ticket_carries_the_words_checks_the_quantity_and_warns_of_a_duplicate(
    context, page, login_as, printer, requester
):
    from biys.servicedesk.models import Ticket

    login_as(requester)
    page.goto("/servicedesk/new/")
    page.locator("#id_q").press_sequentially("yazıcı çalışmıyor", delay=10)
    suggestion = page.locator(f'[data-catalog-item="{printer.pk}"]')
    # the suggestions are re-rendered as the words arrive: click the one made for all of them
    expect(suggestion).to_have_attribute(
        "href", re.compile(r"q=yaz%C4%B1c%C4%B1(\+|%20)%C3%A7al%C4%B1%C5%9Fm%C4%B1yor")
    )
    suggestion.click()
    expect(page.locator("#id_title")).to_have_value("yazıcı çalışmıyor")
    quantity = page.locator("#id_f_quantity")
    assert quantity.get_attribute("type") == "number"
    # the server checks too (a browser without number inputs, a script): type it as text
    quantity.evaluate("e => e.setAttribute('type', 'text')")
    quantity.fill("abc")
    page.locator("#ticket-create-form button[type=submit]").click()
    expect(page.locator("#id_f_quantity_error")).to_contain_text("sayı")
    assert Ticket.objects.count() == 0
    page.locator("#id_f_quantity").fill("2")
    page.locator("#ticket-create-form button[type=submit]").click()
    expect(page.locator(".alert-success, [role=alert]").first).to_contain_text("talebiniz")
    assert Ticket.objects.count() == 1
    # back to the form and send it again: no silent second ticket
    page.go_back()
    page.locator("#ticket-create-form button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("Bu form zaten gönderildi")
    assert Ticket.objects.count() == 1
    # a fresh form with the same subject asks first
    page.goto(f"/servicedesk/new/{printer.pk}/?q=yazıcı çalışmıyor")
    page.locator("#id_f_quantity").fill("1")
    page.locator("#ticket-create-form button[type=submit]").click()
    expect(page.locator("#duplicate-warning")).to_be_visible()
    assert Ticket.objects.count() == 1
    page.locator("#id_confirm_duplicate").check()
    page.locator("#ticket-create-form button[type=submit]").click()
    expect(page.locator(".alert-success, [role=alert]").first).to_contain_text("talebiniz")
    assert Ticket.objects.count() == 2


def test_chart_axes_print_turkish_numbers(
    context, page, login_as, make_user, org_tree, printer, requester
):
    import re

    from biys.servicedesk import services

    technician = make_user("technician", org_tree["helpdesk"])
    for index in range(4):
        ticket = file_ticket(printer, requester, title=f"Yazıcı {index}")
        if index % 2:
            services.take_ticket(ticket=ticket, user=technician)
            services.resolve_ticket(ticket=ticket, user=technician, resolution="Toner değişti.")
    login_as(make_user("chief", org_tree["helpdesk"]))
    page.goto("/servicedesk/stats/")
    axis = page.locator(".biys-chart[data-chart=series] .apexcharts-yaxis-label tspan")
    expect(axis.first).to_be_visible()
    labels = [text.strip() for text in axis.all_text_contents() if text.strip()]
    percents = [label for label in labels if "%" in label]
    counts = [label for label in labels if "%" not in label]
    assert percents and all(re.fullmatch(r"%\d{1,3},\d", label) for label in percents), labels
    assert counts and all(re.fullmatch(r"\d+", label) for label in counts), labels
