"""The hand-over list (devir listesi) of files to the State Archives (Devlet Arşivleri
Başkanlığı), as PDF and as CSV for a Turkish Excel. In Turkish whatever the reader's language:
it is the list that goes with the material, not the UI.

The layout is the one such lists have (RULES.md is silent on it; see docs/evrak-archive.md): a
heading with the municipality, the list's title, number and date, then one numbered row per
item: sıra no, dosya plan kodu, dosyanın konusu (the SDP title), birim, yılı, tarihi (first and
last document), belge sayısı and açıklama; the total and the commission's members at the end,
each with their unit and sicil number as in the pickers (two namesakes told apart)."""

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone, translation

from biys.evrak.outgoing_pdf import (
    PDF_VARIANT,
    _font_css,
    _font_files,
    _municipality_name,
    _url_fetcher,
    load_weasyprint,
    upper_tr,
)
from biys.org.pickers import person_labels

TITLE = "DEVLET ARŞİVLERİNE DEVREDİLECEK ARŞİV MALZEMESİ LİSTESİ"
COLUMNS = [
    "Sıra No",
    "Dosya Plan Kodu",
    "Dosyanın Konusu",
    "Birim",
    "Yılı",
    "Tarihi (İlk – Son)",
    "Belge Sayısı",
    "Açıklama",
]


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value:%d.%m.%Y}"


def item_rows(items) -> list[list]:
    """The numbered rows of the list, from ``selectors.handover_items``."""
    rows = []
    for file in items:
        first, last = _day(file.first_date), _day(file.last_date)
        dates = f"{first} – {last}" if first and last and first != last else first or last
        rows.append(
            [
                file.handover_item,
                file.sdp_code.code,
                file.sdp_code.title,
                file.unit.name,
                file.year,
                dates,
                file.incoming_count + file.outgoing_count,
                "",
            ]
        )
    return rows


def _heading(decision) -> dict:
    with translation.override("tr"):  # the list is in Turkish, as its other words
        members = person_labels(decision.members.all())
    handed = decision.handed_over_on
    return {
        "municipality": upper_tr(_municipality_name()),
        "title": TITLE,
        "number": decision.decision_number,
        "date": _day(decision.decision_date),
        "year": decision.year,
        "members": members,
        "handed_over_on": _day(handed) if handed else "",
    }


def _csv_cell(value):
    """A cell Excel cannot take for a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def handover_csv(decision, items) -> bytes:
    """The list as a Turkish Excel reads it: ``;`` between cells, UTF-8 with a byte order
    mark; the heading lines first, then the column titles and the numbered rows."""
    heading = _heading(decision)
    rows = item_rows(items)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["T.C."])
    writer.writerow([_csv_cell(heading["municipality"])])
    writer.writerow([heading["title"]])
    writer.writerow(["Liste No", _csv_cell(heading["number"])])
    writer.writerow(["Liste Tarihi", heading["date"]])
    if heading["handed_over_on"]:
        writer.writerow(["Teslim Tarihi", heading["handed_over_on"]])
    writer.writerow([])
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    writer.writerow([])
    writer.writerow(["Toplam", len(rows), "", "", "", "", sum(row[6] for row in rows), ""])
    writer.writerow(["Komisyon", *[_csv_cell(name) for name in heading["members"]]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def handover_pdf(decision, items) -> bytes:
    """The list as PDF/A-2b with the bundled DejaVu fonts embedded (Turkish letters kept)."""
    rows = item_rows(items)
    context = _heading(decision) | {
        "columns": COLUMNS,
        "rows": rows,
        "total_items": len(rows),
        "total_documents": sum(row[6] for row in rows),
        "author": _municipality_name() or "BİYS",
    }
    renderer = load_weasyprint()
    html = render_to_string("evrak/pdf/handover.html", context)
    files = _font_files()
    fetcher = _url_fetcher({path.as_uri() for path in files.values()})
    fonts = renderer.text.fonts.FontConfiguration()
    stylesheet = renderer.CSS(string=_font_css(files), font_config=fonts, url_fetcher=fetcher)
    return renderer.HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], font_config=fonts, pdf_variant=PDF_VARIANT
    )
