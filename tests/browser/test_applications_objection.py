"""An objection in Chromium: a bilgi edinme request refused a few days ago; the applications
clerk records the applicant's objection from its page (the form comes filled from the original)
and the two pages link each other; the unit drafts the objection's answer as an outgoing
document (giden evrak) addressed to the applicant and citing the objection, cannot close the
objection before that document is signed, and closes it once the department head has signed
it, dated by the signature. Leaves the screenshot applications-objection.png."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_objection_is_recorded_and_answered_by_an_outgoing_document(
    context, page, login_as, make_user, org_tree, screenshot
):
    from django.utils import timezone

    from biys.accounts.models import Role, RoleAssignment
    from biys.applications import services
    from biys.applications.choices import PeriodUnit
    from biys.applications.models import Application
    from biys.applications.selectors import today
    from biys.applications.tests.factories import make_application_type
    from biys.evrak import outgoing_services as evrak
    from biys.evrak.models import OutgoingDocument
    from biys.evrak.tests.factories import make_sdp_code

    unit = org_tree["network"]
    itiraz = make_application_type(
        unit, code="bilgi-edinme-itiraz", name="Bilgi edinme ret kararına itiraz", period=15,
        period_unit=PeriodUnit.DAYS, extended_period=None,
        form_fields=[{"name": "itiraz_edilen_karar", "label": "İtiraz edilen karar",
                      "required": True}],
    )  # fmt: skip
    bilgi = make_application_type(
        unit, code="bilgi-edinme", name="Bilgi edinme başvurusu", objection_period=15,
        objection_type=itiraz,
        form_fields=[{"name": "istenen_bilgi", "label": "İstenen bilgi", "required": True}],
    )  # fmt: skip
    clerk = make_user("applications_clerk", org_tree["dept"])
    answerer = make_user("applications_responder", unit, first_name="Selin", last_name="Öz")
    RoleAssignment.objects.create(
        user=answerer, role=Role.objects.get(slug="evrak_writer"), unit=unit
    )
    day = today()
    original = services.receive_application(
        user=clerk, type=bilgi, received_on=day - timedelta(days=12),
        subject="Kent kameralarının ihale dosyası", applicant_name="Ayşe Yılmaz",
        form_data={"istenen_bilgi": "İhale dosyası ve sözleşme"},
        address="Cumhuriyet Mah. 1. Sok. No 2", today=day - timedelta(days=12),
    )  # fmt: skip
    original = services.record_outcome(
        user=answerer, application=original, outcome="refused", refusal_ground="4982 md. 23",
        note="Ticari sır niteliğinde.", answered_on=day - timedelta(days=2),
    )  # fmt: skip
    page.set_default_navigation_timeout(60_000)  # a loaded CI machine renders the first page slowly

    # The clerk records the objection from the refused request's page.
    login_as(clerk)
    page.goto(original.get_absolute_url())
    page.get_by_test_id("record-objection").click()
    expect(page.locator("#id_objection_to_number")).to_have_value(original.number)
    expect(page.locator("#id_applicant_name")).to_have_value("Ayşe Yılmaz")
    expect(page.locator("#id_field_itiraz_edilen_karar")).to_be_visible()
    page.fill("#id_field_itiraz_edilen_karar", f"{original.number} sayılı ret kararı")
    page.fill("#id_address", "Cumhuriyet Mah. 1. Sok. No 2")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.get_by_test_id("objection-to")).to_contain_text(original.number)
    objection = Application.objects.get(objection_to=original)
    assert objection.type == itiraz and objection.state == "open"
    page.goto(original.get_absolute_url())
    expect(page.get_by_test_id("objections")).to_contain_text(objection.number)

    # The unit drafts the answer as an outgoing document, addressed to the applicant.
    context.clear_cookies()
    login_as(answerer)
    page.goto(objection.get_absolute_url())
    page.get_by_test_id("draft-answer").click()
    expect(page.locator("#distribution-action")).to_contain_text("Ayşe Yılmaz")
    expect(page.get_by_test_id("linked-record")).to_contain_text(objection.number)
    objection.refresh_from_db()
    document = OutgoingDocument.objects.get(pk=objection.answer_document_id)
    assert document.state == "draft" and document.unit == unit
    assert objection.number in document.references.get().text

    # Not closed while the document is unsigned.
    page.goto(objection.get_absolute_url())
    expect(page.get_by_test_id("answer-document")).to_be_visible()
    outcome = page.locator("form[action$='/outcome/']")
    outcome.locator("select[name=outcome]").select_option("answered")
    outcome.locator("textarea[name=note]").fill("İtiraz değerlendirildi.")
    outcome.locator("button[type=submit]").click()
    expect(page.locator(".alert-danger").first).to_be_visible()
    objection.refresh_from_db()
    assert objection.state == "open"

    # The writer completes the text; the department head signs it on its page.
    head = make_user("department_head", org_tree["dept"])
    document = evrak.save_outgoing_draft(
        user=answerer, document=document, sdp_code=make_sdp_code(code="010.03"), signer=head,
        body="İtirazınız incelenmiş, istenen bilgilerin bir kısmı ekte sunulmuştur.",
    )  # fmt: skip
    evrak.submit_for_approval(user=answerer, document=document, path=[])
    context.clear_cookies()
    login_as(head)
    page.goto(document.get_absolute_url())
    page.locator("#sign-form button").click()
    expect(page.locator("#sign-form")).to_have_count(0)
    document.refresh_from_db()
    assert document.state == "signed" and document.number.startswith("E-")

    # Now the objection closes, dated by the signature.
    context.clear_cookies()
    login_as(answerer)
    page.goto(objection.get_absolute_url())
    expect(page.get_by_test_id("answer-document")).to_contain_text(document.number)
    outcome.locator("select[name=outcome]").select_option("answered")
    outcome.locator("textarea[name=note]").fill("İtiraz kısmen kabul edildi.")
    outcome.locator("button[type=submit]").click()
    expect(page.locator("#deadline-clock")).to_have_attribute("data-clock", "done")
    screenshot(page, "applications-objection")
    objection.refresh_from_db()
    assert objection.state == "answered"
    assert objection.answered_on == timezone.localdate(document.signed_at)
