"""CİMER and Alo 153 export files (CSV and Excel): columns matched by header, every row checked,
nothing imported unless all are valid, duplicates by channel reference skipped."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from biys.applications import imports
from biys.applications.models import Application

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 12)

CSV = (
    "\ufeffBaşvuru No;Tarih;Ad Soyad;Konu;Metin;Son Cevap Tarihi;E-posta\n"
    "C-1001;02.11.2026;Ayşe Yılmaz;Kaldırım;Kaldırım bozuk.;20.11.2026;ayse@example.org\n"
    "C-1002;03.11.2026;Ali Veli;Aydınlatma;Sokak lambası yanmıyor.;;\n"
)


def table(text=CSV):
    return imports.read_table(text.encode("utf-8"), "cimer.csv")


def test_a_valid_file_is_imported_and_duplicates_skipped(clerk, bilgi_edinme):
    result = imports.import_applications(
        user=clerk, channel="cimer", type=bilgi_edinme, table=table(), today=TODAY
    )
    assert result.valid and len(result.new_rows) == 2
    first = Application.objects.get(channel_reference="C-1001")
    assert first.channel == "cimer" and first.applicant_name == "Ayşe Yılmaz"
    assert first.received_on == date(2026, 11, 2) and first.channel_due_date == date(2026, 11, 20)
    assert first.email == "ayse@example.org" and first.description == "Kaldırım bozuk."
    again = imports.import_applications(
        user=clerk, channel="cimer", type=bilgi_edinme, table=table(), today=TODAY
    )
    assert again.duplicates == 2 and not again.new_rows
    assert Application.objects.count() == 2


def test_one_bad_row_imports_nothing(clerk, bilgi_edinme):
    bad = CSV + "C-1003;yarın;;Su;;;\nC-1004;04.11.2026;Can Demir;Yol;;;not-an-address\n"
    result = imports.preview(channel="cimer", table=table(bad), today=TODAY)
    assert not result.valid
    errors = {row.line: row.errors for row in result.rows if row.errors}
    assert set(errors) == {4} and len(errors[4]) == 2  # the date and the empty name
    with pytest.raises(ValidationError):
        imports.import_applications(
            user=clerk, channel="cimer", type=bilgi_edinme, table=table(bad), today=TODAY
        )
    # An error only the service finds (the e-mail) also leaves nothing behind.
    service_bad = CSV + "C-1004;04.11.2026;Can Demir;Yol;;;not-an-address\n"
    result = imports.import_applications(
        user=clerk, channel="cimer", type=bilgi_edinme, table=table(service_bad), today=TODAY
    )
    assert not result.valid and any("email" in e for row in result.rows for e in row.errors)
    assert not Application.objects.exists()


def test_missing_columns_and_the_configured_mapping(settings):
    result = imports.preview(channel="alo153", table=table("No;Tarih\n1;02.11.2026\n"))
    assert result.errors and "Başvuru No" in result.errors[0]
    settings.BIYS_APPLICATIONS_IMPORT_COLUMNS = {
        "alo153": {"channel_reference": ["No"], "applicant_name": ["Arayan Kişi"]}
    }
    text = "No;Tarih;ARAYAN KİŞİ;Konu\n153-1;02.11.2026;Ayşe Yılmaz;Çöp\n"
    result = imports.preview(channel="alo153", table=table(text), today=TODAY)
    assert result.valid and result.rows[0].values["channel_reference"] == "153-1"


def test_excel_rows_with_dates(clerk, bilgi_edinme):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Başvuru No", "Başvuru Tarihi", "Adı Soyadı", "Konu"])
    sheet.append([153001, date(2026, 11, 2), "Ayşe Yılmaz", "Park"])
    out = io.BytesIO()
    book.save(out)
    rows = imports.read_table(out.getvalue(), "alo153.xlsx")
    result = imports.import_applications(
        user=clerk, channel="alo153", type=bilgi_edinme, table=rows, today=TODAY
    )
    assert result.valid
    assert Application.objects.get().channel_reference == "153001"
    with pytest.raises(ValidationError):
        imports.read_table(b"PK\x03\x04 not really", "x.xlsx")


def test_the_page_previews_then_imports(clerk, bilgi_edinme, make_user, org_tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(clerk)
    url = reverse("applications:import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("cimer.csv", CSV.encode("utf-8"), content_type="text/csv")
    data = {"channel": "cimer", "type": bilgi_edinme.pk}
    response = client.post(url, {**data, "file": upload, "preview": "1"})
    assert (
        response.status_code == 200 and 'data-testid="confirm-import"' in response.content.decode()
    )
    assert not Application.objects.exists()
    content = response.context["content"]
    response = client.post(url, {**data, "content": content, "confirm": "1"})
    assert response.status_code == 302 and Application.objects.count() == 2
    outsider = Client()
    outsider.force_login(make_user("applications_responder", org_tree["network"]))
    assert outsider.get(url).status_code == 403
