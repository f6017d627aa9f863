"""Confidential documents and the paper dispatch list in Chromium.

A Gizli document: its named reader (the registry clerk) grants a colleague of another unit the
reading with a reason on the document's page; the colleague reads it; the unit's department
head, not named, sees only the masked "Gizli" row and opens the view log, which names both
readers; the clerk revokes the grant and the colleague no longer finds it. The paper dispatch
list: a writer records how each recipient was sent a signed document, and the day's list for
the post shows the paper ones (a Gizli one with its subject masked) and downloads as PDF and
CSV. Leaves the screenshots evrak-gizli-log.png and evrak-posta-listesi.png."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "Personel soruşturması hakkında gizli yazı"


def test_grant_read_view_log_and_revoke(page, login_as, make_user, org_tree, screenshot):
    from biys.evrak.choices import Confidentiality
    from biys.evrak.models import ConfidentialGrant, ConfidentialView
    from biys.evrak.tests.factories import make_document

    page.set_default_timeout(60_000)  # a long walk on a shared machine
    clerk = make_user("evrak_clerk", org_tree["dept"], first_name="Elif", last_name="Kaya")
    colleague = make_user("requester", org_tree["software"], first_name="Can", last_name="Öz")
    head = make_user("department_head", org_tree["network"])
    secret = make_document(
        org_tree["network"],
        confidentiality=Confidentiality.SECRET,
        subject=SUBJECT,
        sender_name="Mülkiye Müfettişliği Başkanlığı",
        named_readers=[clerk],
    )

    # The named clerk grants the colleague the reading, with the reason.
    login_as(clerk)
    page.goto(secret.get_absolute_url())
    access = page.locator("#confidential-access")
    access.locator("select[name=user]").select_option(str(colleague.pk))
    access.locator("input[name=reason]").last.fill("Soruşturma komisyonu üyesi")
    access.locator("form button[type=submit]").last.click()
    expect(page.locator("#grants tr[data-active=true]")).to_contain_text(
        "Soruşturma komisyonu üyesi"
    )
    grant = ConfidentialGrant.objects.get(incoming=secret, user=colleague)

    # The colleague reads it whole.
    login_as(colleague)
    page.goto(secret.get_absolute_url())
    expect(page.locator("body")).to_contain_text(SUBJECT)

    # The unit's department head, not named: the masked row only, and the view log.
    login_as(head)
    page.goto("/evrak/")
    expect(page.locator("table")).to_contain_text(secret.number)
    expect(page.locator("table")).not_to_contain_text(SUBJECT)
    page.goto(secret.get_absolute_url())
    expect(page.locator("#masked-document")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(SUBJECT)
    page.locator("a[href$='/view-log/']").first.click()
    log = page.locator("#view-log")
    expect(log.locator("tr[data-view]")).to_have_count(
        ConfidentialView.objects.filter(incoming=secret).count()
    )
    expect(log).to_contain_text(str(clerk))
    expect(log).to_contain_text(str(colleague))
    expect(page.locator("#grants")).to_contain_text("Soruşturma komisyonu üyesi")
    expect(page.locator("body")).not_to_contain_text(SUBJECT)
    screenshot(page, "evrak-gizli-log")

    # The clerk revokes the grant; the colleague no longer finds the document.
    login_as(clerk)
    page.goto(secret.get_absolute_url())
    row = page.locator(f"#grants tr[data-grant='{grant.pk}']")
    row.locator("input[name=reason]").fill("Komisyon görevi bitti")
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#grants tr[data-grant='{grant.pk}']")).to_have_attribute(
        "data-active", "false"
    )
    grant.refresh_from_db()
    assert grant.revoked_by == clerk and grant.revoke_reason == "Komisyon görevi bitti"
    login_as(colleague)
    response = page.goto(secret.get_absolute_url())
    assert response.status == 404


def test_record_dispatch_and_the_day_s_paper_list(
    page, login_as, make_user, org_tree, screenshot, tmp_path
):
    from datetime import timedelta

    from django.utils import timezone

    from biys.evrak.choices import Confidentiality, OutgoingState
    from biys.evrak.models import DistributionLine
    from biys.evrak.tests.factories import make_outgoing

    page.set_default_timeout(60_000)  # a long walk on a shared machine
    address = "Hoşnudiye Mah. İsmet İnönü Cad. No:1 Tepebaşı/ESKİŞEHİR"
    writer = make_user("evrak_writer", org_tree["network"])

    def signed(number, **fields):
        document = make_outgoing(
            org_tree["network"],
            state=OutgoingState.SIGNED,
            number=number,
            signed_at=timezone.now() - timedelta(hours=2),
            created_by=writer,
            **fields,
        )
        DistributionLine.objects.filter(document=document).update(address=address)
        return document

    plain = signed("E-12345678-010.01-201", subject="Kaldırım onarımı hk.")
    secret = signed(
        "E-12345678-010.01-202",
        confidentiality=Confidentiality.SECRET,
        subject="Disiplin soruşturması",
    )
    by_kep = signed("E-12345678-010.01-203")

    login_as(writer)
    for document, channel in ((plain, "paper"), (secret, "paper"), (by_kep, "kep")):
        page.goto(document.get_absolute_url())
        form = page.locator("#dispatch form").first
        form.locator("select[name=channel]").select_option(channel)
        form.locator("button[type=submit]").click()
        expect(page.locator(f"#dispatch tr[data-channel={channel}]")).to_have_count(1)

    page.locator("#dispatch a[href$='/dispatch-list/']").click()
    rows = page.locator("#dispatch-list tbody tr[data-line]")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(plain.number)
    expect(rows.nth(0)).to_contain_text(address)
    expect(page.locator("#dispatch-list tr[data-confidential=true]")).to_contain_text("Gizli")
    expect(page.locator("#dispatch-list")).not_to_contain_text("Disiplin")
    expect(page.locator("#dispatch-list")).not_to_contain_text(by_kep.number)
    screenshot(page, "evrak-posta-listesi")

    with page.expect_download() as download:
        page.locator("#dispatch-csv").click()
    csv = tmp_path / "liste.csv"
    download.value.save_as(csv)
    lines = csv.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "Sıra;Sayı;Tarih;Gönderilen;Adres;Konu;Birim"
    assert len(lines) == 3 and "Disiplin" not in "".join(lines)
    # The PDF opens in the browser (inline): fetched with the page's session.
    href = page.locator("#dispatch-pdf").get_attribute("href")
    pdf = page.request.get(page.url.split("?")[0] + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # Another day's list is empty.
    yesterday = timezone.localdate() - timedelta(days=1)
    page.locator("#dispatch-day").fill(yesterday.isoformat())
    page.locator("#main-content form[method=get] button[type=submit]").click()
    expect(page.locator("#dispatch-list tbody tr[data-line]")).to_have_count(0)
