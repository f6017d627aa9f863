"""The hand-over to the State Archives (devir) in Chromium: the archivist opens the year-end,
finds the file due for hand-over, approves the numbered list with the commission, downloads it
as CSV (Turkish Excel) and PDF, marks it handed over, and the list, the year-end and the
document's page then show the file as handed over (devredildi)."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_archivist_approves_exports_and_hands_over_a_list(page, login_as, make_user, org_tree):
    from biys.evrak import services
    from biys.evrak.choices import ArchiveState
    from biys.evrak.models import DisposalDecision, DocumentFile, IncomingDocument, SdpCode
    from biys.evrak.tests.factories import make_document

    archivist = make_user(
        "evrak_archivist", org_tree["dept"], first_name="Derya", last_name="Arşivci"
    )
    members = [
        make_user(None, org_tree["dept"], first_name=first, last_name=last).person
        for first, last in (("Ali", "Yılmaz"), ("Zeynep", "Çelik"), ("Can", "Öztürk"))
    ]
    code = SdpCode.objects.create(
        code="010.03",
        title="Yönetmelikler",
        unit_retention_years=2,
        archive_retention_years=3,
        final_disposition="state_archives",
    )
    document = make_document(
        org_tree["network"], subject="2020 yılı ağ yönetmeliği taslakları", sdp_code=code
    )
    file = services.file_for(unit=org_tree["network"], sdp_code=code, year=2020)
    DocumentFile.objects.filter(pk=file.pk).update(state=ArchiveState.TRANSFERRED)
    IncomingDocument.objects.filter(pk=document.pk).update(
        file=file, year=2020, archive_state=ArchiveState.TRANSFERRED
    )

    login_as(archivist)
    page.goto("/evrak/year-end/?year=2025")
    # the archivist sees the hand-over list only
    expect(page.locator("#due-transfer")).to_have_count(0)
    expect(page.locator("#due-destroy")).to_have_count(0)
    expect(page.locator(f"#due-handover tr[data-file='{file.pk}']")).to_contain_text("010.03")
    expect(page.locator("#handover-lists")).to_contain_text("Henüz devir listesi yok")
    form = page.locator("#approve-handover")
    form.locator("[name=handover-decision_number]").fill("2026/DA-1")
    form.locator("[name=handover-members]").select_option([str(p.pk) for p in members])
    form.locator("button[type=submit]").click()

    page.wait_for_url("**/evrak/handover/*/")
    decision = DisposalDecision.objects.get(decision_number="2026/DA-1")
    assert page.url.endswith(decision.get_absolute_url())
    expect(page.locator("#handover-list")).to_have_attribute("data-handed-over", "no")
    row = page.locator(f"#handover-items tr[data-file='{file.pk}']")
    expect(row).to_contain_text("Yönetmelikler")
    expect(row).to_contain_text(org_tree["network"].name)
    expect(row).to_contain_text("Kurum arşivine devredildi")  # not yet handed over

    with page.expect_download() as download_info:
        page.locator("#handover-csv").click()
    download = download_info.value
    assert download.suggested_filename == "devir-listesi-2026-DA-1.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert ["Liste No", "2026/DA-1"] in rows
    item = next(row for row in rows if row[:2] == ["1", "010.03"])
    assert item[2:5] == ["Yönetmelikler", org_tree["network"].name, "2020"]

    with page.expect_download() as download_info:
        page.locator("#handover-pdf").click()
    download = download_info.value
    assert download.suggested_filename == "devir-listesi-2026-DA-1.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

    handover = page.locator("#handover-form")
    expect(handover.locator("[name=handed_over_on]")).to_have_value(date.today().isoformat())
    handover.locator("button[type=submit]").click()
    expect(page.locator("#handover-list")).to_have_attribute("data-handed-over", "yes")
    expect(page.locator("#handover-state")).to_contain_text(date.today().strftime("%d.%m.%Y"))
    expect(page.locator("#handover-form")).to_have_count(0)
    expect(page.locator(f"#handover-items tr[data-file='{file.pk}']")).to_contain_text(
        "Devlet Arşivlerine devredildi"
    )

    page.goto("/evrak/year-end/?year=2025")
    expect(page.locator(f"#due-handover tr[data-file='{file.pk}']")).to_have_count(0)
    expect(page.locator(f"#handover-lists [data-handover='{decision.pk}']")).to_contain_text(
        "teslim edildi"
    )

    page.goto(document.get_absolute_url())
    expect(page.locator("#document-handed-over")).to_contain_text("2026/DA-1")
    expect(page.locator("#document-handed-over")).to_contain_text("devredildi")
    assert DocumentFile.objects.get(pk=file.pk).state == ArchiveState.HANDED_OVER
