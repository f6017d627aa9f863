"""Excel and PDF exports of the statistics: what the annual activity report will quote."""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from biys.servicedesk.reports import build_pdf, build_xlsx
from biys.servicedesk.stats import ticket_statistics
from biys.servicedesk.tests.test_statistics import MARCH, NOW, dataset  # noqa: F401 - fixture

FILTERS = {"period": "custom", "first": "2025-03-01", "last": "2025-03-31"}


@pytest.fixture
def technician(make_user, org_tree):
    return make_user("technician", org_tree["network"])


def test_excel_has_a_sheet_per_breakdown_with_turkish_headers(dataset, technician, org_tree):  # noqa: F811
    with translation.override("tr"):
        stats = ticket_statistics(technician, period=MARCH, unit=org_tree["network"], now=NOW)
        workbook = load_workbook(io.BytesIO(build_xlsx(stats)))
    assert workbook.sheetnames == [
        "Özet",
        "Açılan ve çözülen",
        "Hizmet kataloğu öğesine göre",
        "Talep eden birime göre",
        "Türe göre",
        "Cihaz grubuna göre",
        "Memnuniyet",
    ]
    summary = workbook["Özet"]
    assert summary["A1"].value.startswith("Arıza ve Talep İstatistikleri — Sistem ve Ağ Şube")
    figures = {row[0]: row[1] for row in summary.iter_rows(min_row=4, values_only=True)}
    assert figures["Açılan"] == 5
    assert figures["Çözülen"] == 3
    assert figures["Dönem sonunda bekleyen"] == 2
    assert figures["Çözüm SLA uyumu (%)"] == pytest.approx(66.7)
    assert figures["Ortalama çözüm süresi (mesai saati)"] == 18.0

    items = list(workbook["Hizmet kataloğu öğesine göre"].iter_rows(values_only=True))
    assert items[0][:4] == ("Hizmet kataloğu öğesi", "Açılan", "Çözülen", "Bekleyen")
    assert items[1][:4] == ("Yazıcı arızası", 5, 3, 2)
    ratings = list(workbook["Memnuniyet"].iter_rows(values_only=True))
    assert ratings[1:] == [(1, 0), (2, 1), (3, 0), (4, 0), (5, 1)]


def test_pdf_title_names_the_unit_and_period(dataset, technician, org_tree):  # noqa: F811
    with translation.override("tr"):
        stats = ticket_statistics(technician, period=MARCH, unit=org_tree["network"], now=NOW)
        content = build_pdf(stats)
    assert content.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    title = "Arıza ve Talep İstatistikleri — Sistem ve Ağ Şube Müdürlüğü — 01.03.2025 – 31.03.2025"
    assert reader.metadata.title == title
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert title in text
    assert "Yazıcı arızası" in text
    assert "Fen İşleri Dairesi Başkanlığı" in text


def test_export_links_download_the_files(client, dataset, technician, org_tree):  # noqa: F811
    client.force_login(technician)
    url = reverse("servicedesk:stats")
    params = {**FILTERS, "unit": org_tree["network"].pk}
    xlsx = client.get(url, {**params, "export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = xlsx["Content-Disposition"]
    assert 'filename="ariza-talep-istatistikleri-20250301-20250331.xlsx"' in disposition
    assert f"filename*=UTF-8''{quote('arıza-talep-istatistikleri-20250301')}" in disposition
    assert load_workbook(io.BytesIO(xlsx.content))["Özet"]["A1"].value.startswith("Arıza ve Talep")
    pdf = client.get(url, {**params, "export": "pdf"})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f"{quote('arıza-talep-istatistikleri-')}" in pdf["Content-Disposition"]


def test_export_is_limited_to_the_viewers_scope(client, dataset, make_user, org_tree):  # noqa: F811
    outsider = make_user("technician", org_tree["software"])
    client.force_login(outsider)
    response = client.get(reverse("servicedesk:stats"), {**FILTERS, "export": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    labels = [
        row[0]
        for row in workbook["Hizmet kataloğu öğesine göre"].iter_rows(min_row=2, values_only=True)
    ]
    assert labels == ["EBYS yetki talebi"]
