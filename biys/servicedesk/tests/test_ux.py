"""What a new user tripped over (issue 8), checked without a browser: the statistics period,
the catalogue's Turkish order."""

import pytest
from django.urls import reverse
from django.utils import timezone

from biys.servicedesk.models import CatalogItem


@pytest.fixture
def chief(make_user, org_tree):
    return make_user("chief", org_tree["helpdesk"])


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2026-03-31", "2026-03-01", "Bitiş tarihi başlangıç tarihinden önce"),
        ("1900-01-01", "2100-12-31", "En fazla 5 yıllık bir dönem seçin."),
    ],
)
def test_statistics_period_is_validated_not_swapped(client, chief, first, last, message):
    client.force_login(chief)
    url = reverse("servicedesk:stats")
    query = {"period": "custom", "first": first, "last": last}
    response = client.get(url, query)
    assert response.status_code == 200
    assert message in response.context["form"].errors["last"][0]
    # the figures are of the default period (this month), not of the swapped or huge one
    assert response.context["statistics"].period.days <= 31
    # no export of a period the page refused
    response = client.get(url, {**query, "export": "xlsx"})
    assert response["Content-Type"].startswith("text/html")


def test_five_years_is_allowed(client, chief):
    client.force_login(chief)
    response = client.get(
        reverse("servicedesk:stats"),
        {"period": "custom", "first": "2021-01-01", "last": "2025-12-31"},
    )
    assert not response.context["form"].errors
    assert response.context["statistics"].period.days == 1826


def test_catalogue_sorts_by_turkish_rules(client, org_tree, make_user):
    for name in ("Yazıcı arızası", "İnternet erişimi", "Işıklı pano", "Çağrı kaydı", "Ağ arızası"):
        CatalogItem.objects.create(name=name, kind="fault", unit=org_tree["helpdesk"])
    expected = ["Ağ arızası", "Çağrı kaydı", "Işıklı pano", "İnternet erişimi", "Yazıcı arızası"]
    assert [item.name for item in CatalogItem.objects.all()] == expected
    client.force_login(make_user("requester", org_tree["roads"]))
    response = client.get(reverse("servicedesk:catalogitem_list"))
    assert [row.record.name for row in response.context["table"].rows] == expected
    response = client.get(reverse("servicedesk:ticket_new"))
    browsed = [item.name for group in response.context["catalogue"] for item in group["items"]]
    assert browsed == expected


def _csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode("utf-8").splitlines()


def test_queue_csv_for_turkish_excel_with_dates_deadlines_and_unit(client, desk):
    from urllib.parse import quote

    from biys.servicedesk import services

    ticket = services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title="Yazıcı kağıt sıkıştırıyor",
        created_by=desk.requester,
    )
    client.force_login(desk.technician)
    response = client.get(reverse("servicedesk:ticket_list"), {"export": "csv"})
    disposition = response["Content-Disposition"]
    # an ASCII fallback with "ı" as "i" (not dropped), and the Turkish name per RFC 6266
    assert 'filename="kayitlar-' in disposition
    assert f"filename*=UTF-8''{quote('kayıtlar-')}" in disposition
    lines = _csv_lines(response)
    assert lines[0].startswith("\ufeff")
    header = lines[0].lstrip("\ufeff").split(";")
    for column in ("Sorumlu birim", "Açılış", "İlk yanıt son zamanı", "Çözüm son zamanı"):
        assert column in header, header
    row = dict(zip(header, lines[1].split(";"), strict=True))
    assert row["Sorumlu birim"] == desk.helpdesk.name
    assert row["Numara"] == ticket.number
    local = timezone.localtime(ticket.resolution_due)
    assert row["Çözüm son zamanı"] == local.strftime("%d.%m.%Y %H:%M")

    comma = _csv_lines(client.get(reverse("servicedesk:ticket_list"), {"export": "csv-comma"}))
    assert "Sorumlu birim" in comma[0].split(",")


def test_excel_export_is_capped(client, desk, monkeypatch):
    import io

    from openpyxl import load_workbook

    from biys.servicedesk import services

    for index in range(3):
        services.create_ticket(
            catalog_item=desk.printer,
            requester=desk.requester.person,
            title=f"Yazıcı {index}",
            created_by=desk.requester,
        )
    monkeypatch.setattr("biys.core.export.XLSX_MAX_ROWS", 2)
    monkeypatch.setattr("biys.core.export.xlsx_response.__defaults__", (2,))
    client.force_login(desk.technician)
    response = client.get(reverse("servicedesk:ticket_list"), {"export": "xlsx"})
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response.streaming  # from a temporary file, never built in the worker's memory
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 2 + 1  # header, two tickets, the note
    assert "yalnızca ilk 2 satır" in rows[-1][0]
    opened = rows[0].index("Açılış")
    assert hasattr(rows[1][opened], "year")  # a real date cell, not text


def test_statistics_pdf_wraps_long_names_numbers_pages_and_names_the_municipality(desk, make_user):
    import io

    from django.utils import translation
    from pypdf import PdfReader

    from biys.org.models import Unit
    from biys.servicedesk import services
    from biys.servicedesk.reports import build_pdf
    from biys.servicedesk.stats import Period, PeriodPreset, ticket_statistics

    long_name = (
        "İmar ve Şehircilik Dairesi Başkanlığı Yapı Kontrol ve Ruhsat İşlemleri "
        "Şube Müdürlüğü Arşiv ve Dijitalleştirme Şefliği"
    )
    unit = Unit.objects.create(name=long_name, kind="seflik", parent=desk.roads)
    requester = make_user("requester", unit)
    for index in range(40):  # enough rows for a second page
        services.create_ticket(
            catalog_item=desk.printer,
            requester=requester.person,
            title=f"Yazıcı {index}",
            created_by=requester,
        )
    with translation.override("tr"):
        period = Period.from_preset(PeriodPreset.THIS_MONTH)
        stats = ticket_statistics(make_user("chief", desk.helpdesk), period=period)
        reader = PdfReader(io.BytesIO(build_pdf(stats)))
    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)
    assert total >= 2
    for number, text in enumerate(pages, start=1):
        assert "Örnek Büyükşehir Belediyesi — Bilgi" in text
        assert f"Sayfa {number} / {total}" in text
    text = "\n".join(pages)
    # the long unit name wraps inside its column instead of running over the next ones
    assert long_name in " ".join(text.split())
    assert not any(long_name in line for line in text.splitlines())


def test_a_ticket_goes_to_it_units_only_through_every_path(client, desk):
    from django.core.exceptions import ValidationError

    from biys.servicedesk import services

    ticket = services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title="Yazıcı",
        created_by=desk.requester,
    )
    with pytest.raises(ValidationError) as error:
        services.transfer_ticket(
            ticket=ticket, unit=desk.roads, user=desk.technician, reason="Yanlış birim"
        )
    assert "Bilgi İşlem" in str(error.value.message_dict["unit"])
    client.force_login(desk.technician)
    response = client.post(
        reverse("servicedesk:ticket_action", args=[ticket.pk, "transfer"]),
        {"transfer-unit": desk.roads.pk, "transfer-reason": "Yanlış birim"},
    )
    assert response.status_code == 400
    assert "Bilgi İşlem birimlerine" in response.context["form"].errors["unit"][0]
    response = client.post(
        reverse("servicedesk:ticket_action", args=[ticket.pk, "transfer"]),
        {"transfer-unit": desk.tree["software"].pk, "transfer-reason": "Yazılım hatası"},
    )
    # the help desk's technician no longer sees it: back to the queue, not a 404
    assert response.status_code == 302
    assert response["Location"] == reverse("servicedesk:ticket_list")
