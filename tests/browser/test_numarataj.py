"""Address numbering in Chromium: the counter clerk records a citizen's building-number request
(street, block and parcel); the unit's numbering staff records the field visit and gives the
door number, and is offered no accrual (that is the manager's); the applications manager
accrues the fee, records its payment and issues the certificate, whose PDF downloads with the
address given. Leaves the screenshot numarataj-request.png."""

import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_building_number_is_visited_given_accrued_and_certified(
    context, page, login_as, make_user, org_tree, screenshot
):
    from django.utils import timezone
    from pypdf import PdfReader

    from biys.applications.numarataj.models import Building, NumberingRequest
    from biys.applications.tests.factories import make_street, numbering_type

    unit = org_tree["network"]
    numbering_type(unit)
    street = make_street(unit, name="Lale", neighbourhood="Kemerkaya")
    year = timezone.localdate().year
    page.set_default_navigation_timeout(60_000)  # a loaded CI machine renders the first page slowly

    # At the counter: the request, with the parcel and the building as the applicant says.
    login_as(make_user("applications_clerk", org_tree["dept"]))
    page.goto("/applications/numarataj/requests/add/")
    page.locator("#id_applicant_kind").select_option("person")
    page.fill("#id_applicant_name", "Mehmet Kaya")
    page.fill("#id_tc_kimlik_no", "10000000146")
    page.locator("#id_street").select_option(str(street.pk))
    page.fill("#id_block", "312")
    page.fill("#id_parcel", "7")
    page.fill("#id_building_description", "Yeni yapılan üç katlı konut")
    page.locator("#id_responsible_unit").select_option(str(unit.pk))
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.get_by_test_id("request-state")).to_have_text("Alındı")
    numbering = NumberingRequest.objects.get()
    assert numbering.application.type.code == "numarataj"
    assert "10000000146" not in page.content()  # masked on the page
    expect(page.get_by_test_id("visit-form")).to_have_count(0)  # the clerk only records it

    # The unit's numbering staff: the field visit, then the number.
    context.clear_cookies()
    login_as(make_user("applications_responder", unit))
    page.goto(numbering.get_absolute_url())
    page.fill("#id_visit-note", "Yapı tamamlanmış, iskan alınmış.")
    page.get_by_test_id("visit").click()
    expect(page.get_by_test_id("request-state")).to_have_text("Yerinde incelendi")
    page.fill("#id_number-door_number", "14")
    page.fill("#id_number-inner_numbers", "1, 2, 3")
    page.get_by_test_id("number").click()
    expect(page.locator(".alert-success").first).to_contain_text("14")
    expect(page.locator("#main-content")).to_contain_text("Kemerkaya Mah. Lale Sk. No: 14")
    expect(page.get_by_test_id("accrue-form")).to_have_count(0)  # the fee is the manager's
    building = Building.objects.get()
    assert (building.street, building.door_number, building.block, building.parcel) == (
        street, "14", "312", "7",
    )  # fmt: skip

    # The applications manager: the fee accrued and paid, the certificate issued.
    context.clear_cookies()
    login_as(make_user("applications_manager", org_tree["dept"]))
    page.goto(numbering.get_absolute_url())
    page.fill("#id_accrue-fee", "350.00")
    page.get_by_test_id("accrue").click()
    expect(page.get_by_test_id("accrual-number")).to_have_text(f"NUM-TAH-{year}-00001")
    expect(page.locator("#id_pay-amount")).to_have_value("350.00")
    page.fill("#id_pay-payment_reference", "MKB-2026-7781")
    page.get_by_test_id("pay").click()
    expect(page.get_by_test_id("issue-form")).to_be_visible()
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("certificate-number")).to_have_text(f"NUM-BLG-{year}-00001")
    screenshot(page, "numarataj-request")

    numbering.refresh_from_db()
    assert numbering.state == "issued" and numbering.fee == Decimal("350.00")
    assert numbering.payment_reference == "MKB-2026-7781"
    assert numbering.application.state == "answered"

    link = page.get_by_test_id("certificate-pdf")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert f"NUM-BLG-{year}-00001" in response.headers["content-disposition"]
    text = "".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(response.body())).pages)
    assert f"NUM-BLG-{year}-00001" in text and "Lale" in text and "14" in text
