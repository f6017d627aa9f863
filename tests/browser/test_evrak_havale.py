"""Routing (havale) in Chromium: the registry clerk routes a document to the unit the
regulation's duties suggest, with an instruction and a due date in working days; the unit's
chief routes it on to a person, who finds it under Bekleyen evrak and closes it with what was
done; a Gizli document routed to a named person shows as handed over until that person clicks
"teslim aldım". Leaves the screenshot evrak-havale.png."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_route_route_on_close_and_acknowledge(
    page, login_as, make_user, org_tree, duties, screenshot
):
    from biys.evrak.choices import Confidentiality
    from biys.evrak.models import Routing
    from biys.evrak.tests.factories import make_document

    clerk = make_user("evrak_clerk", org_tree["dept"], first_name="Elif", last_name="Kaya")
    chief = make_user("chief", org_tree["helpdesk"], first_name="Murat", last_name="Şahin")
    worker = make_user("requester", org_tree["helpdesk"], first_name="Ayşe", last_name="Demir")
    document = make_document(
        org_tree["dept"], subject="Hizmet binasında parmak izi ile kapı geçiş sistemi arızası"
    )
    secret = make_document(
        org_tree["dept"],
        subject="Personel güvenlik soruşturması",
        confidentiality=Confidentiality.SECRET,
        named_readers=[clerk],
    )

    # The clerk: the regulation's duties suggest the help desk, pre-selected.
    login_as(clerk)
    page.goto(document.get_absolute_url())
    expect(page.locator("#duty-suggestions")).to_contain_text(str(org_tree["helpdesk"]))
    form = page.locator("#route-form")
    expect(form.locator("#id_unit")).to_have_value(str(org_tree["helpdesk"].pk))
    form.locator("#id_instruction").fill("Arızanın giderilmesi ve sonucun bildirilmesi.")
    form.locator("#id_due_in_working_days").fill("5")
    form.locator("button[type=submit]").click()
    expect(page.locator("#routings")).to_contain_text(str(org_tree["helpdesk"]))
    routing = Routing.objects.get(document=document)
    assert routing.due_date is not None

    # The chief routes it on to a person of the unit.
    login_as(chief)
    page.goto("/evrak/waiting/")
    expect(page.locator("#waiting-units")).to_contain_text(document.number)
    page.goto(document.get_absolute_url())
    on = page.locator("form.route-on")
    on.locator("select").select_option(str(worker.pk))
    on.locator("button[type=submit]").click()
    expect(page.locator("#responsibility-history")).to_contain_text("Ayşe Demir")

    # The person: Bekleyen evrak, then what was done, and closed.
    login_as(worker)
    page.goto("/evrak/waiting/")
    page.locator("#waiting-mine").get_by_text(document.number).click()
    close = page.locator("form.close-routing")
    close.locator("#id_outcome").fill("Okuyucu değiştirildi, kapı geçiş sistemi çalışıyor.")
    close.locator("button[type=submit]").click()
    expect(page.locator("#routings tr[data-state=closed]")).to_be_visible()

    # The clerk sees who held it from when to when, and what was done.
    login_as(clerk)
    page.goto(document.get_absolute_url())
    expect(page.locator("#responsibility-history li")).to_have_count(2)
    page.locator("#routing").scroll_into_view_if_needed()
    screenshot(page, "evrak-havale")

    # A Gizli document: routed to the named chief, handed over until acknowledged.
    page.goto(secret.get_absolute_url())
    form = page.locator("#route-form")
    form.locator("#id_unit").select_option(str(org_tree["helpdesk"].pk))
    form.locator("#id_assignee").select_option(str(chief.pk))
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-handover=handed]")).to_be_visible()
    login_as(chief)
    page.goto(secret.get_absolute_url())
    page.locator("[id^=acknowledge-]").click()
    expect(page.locator("[data-handover=received]")).to_be_visible()
    assert Routing.objects.get(document=secret).received_at is not None
