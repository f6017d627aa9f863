"""Reading an existing asset register for import: BİYS's own CSV or Excel file, GLPI's computer
export and Snipe-IT's asset export. Pure Python, no database: ``read_file`` gives the rows with
their values under BİYS's field names; ``services.check_import`` resolves and checks them and
``services.import_rows`` writes them, all or nothing.

CSV files are read as Excel writes them in Turkey (``;``, UTF-8 with a BOM) or as other tools do
(``,`` or a tab, plain UTF-8, Windows-1254); the header row names the columns. Each format's
column names are listed in ``COLUMNS`` (compared without case, accents or punctuation, so
``Seri Numarası``, ``seri numarasi`` and ``SERİ NO`` are one column); a header ``Group - Name``
(GLPI's way of naming a linked field) is also looked up by its part after the last dash.
``docs/inventory-import.md`` documents the mapping.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from biys.core.text import fold

BIYS, GLPI, SNIPEIT = "biys", "glpi", "snipeit"
FORMATS = (BIYS, GLPI, SNIPEIT)
FORMAT_LABELS = {BIYS: "BİYS", GLPI: "GLPI", SNIPEIT: "Snipe-IT"}
TEXT_ENCODINGS = ("utf-8-sig", "cp1254")

# BİYS's field (the key of a row's values) -> the column names each format uses for it.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    BIYS: {
        "brand": ("Marka", "Üretici", "Brand", "Manufacturer"),
        "model": ("Model",),
        "category": ("Kategori", "Tür", "Category", "Type"),
        "tasinir_code": ("Taşınır kodu", "Taşınır kod", "Property code", "tasinir_code"),
        "serial_number": ("Seri numarası", "Seri no", "Serial number", "serial_number"),
        "status": ("Durum", "Status"),
        "location": ("Konum", "Yer", "Location"),
        "assigned_to": ("Zimmetli", "Zimmetli kişi", "Custodian", "Assigned to"),
        "acquired_on": ("Edinme tarihi", "Alım tarihi", "Acquisition date", "acquired_on"),
        "value": ("Değer (TL)", "Değer", "Bedel", "Value (TL)", "Value"),
        "warranty_end": ("Garanti bitişi", "Garanti bitiş tarihi", "Warranty end"),
        "supplier": ("Tedarikçi", "Supplier"),
        "invoice_number": ("Fatura numarası", "Fatura no", "Invoice number"),
        "old_number": ("Envanter numarası", "Demirbaş no", "Inventory number"),
        "name": ("Ad", "Adı", "Name"),
        "notes": ("Notlar", "Not", "Açıklama", "Notes"),
    },
    GLPI: {
        "name": ("Name", "Adı", "Ad", "Nom"),
        "status": ("Status", "Durum", "Statut"),
        "brand": ("Manufacturer", "Üretici", "Fabricant"),
        "serial_number": ("Serial number", "Seri numarası", "Numéro de série"),
        "category": ("Type", "Computer type", "Tür", "Tip"),
        "model": ("Model", "Computer model", "Modèle"),
        "location": ("Location", "Konum", "Lieu"),
        "assigned_to": ("User", "Kullanıcı", "Utilisateur"),
        "old_number": ("Inventory number", "Envanter numarası", "Numéro d'inventaire"),
        "acquired_on": ("Date of purchase", "Purchase date", "Satın alma tarihi", "Date d'achat"),
        "value": ("Value", "Değer", "Valeur"),
        "warranty_end": ("Warranty expiration date", "Garanti bitiş tarihi"),
        "supplier": ("Supplier", "Tedarikçi", "Fournisseur"),
        "invoice_number": ("Invoice number", "Fatura numarası", "Numéro de facture"),
        "notes": ("Comments", "Yorumlar", "Commentaires"),
    },
    SNIPEIT: {
        "old_number": ("Asset Tag",),
        "name": ("Asset Name", "Name", "Item Name"),
        "serial_number": ("Serial", "Serial Number"),
        "model": ("Model", "Model Name"),
        "brand": ("Manufacturer",),
        "category": ("Category",),
        "status": ("Status", "Status Label"),
        "location": ("Location", "Default Location"),
        "assigned_to": ("Checked Out To", "Assigned To", "Full Name"),
        "acquired_on": ("Purchase Date",),
        "value": ("Purchase Cost", "Cost"),
        "warranty_months": ("Warranty", "Warranty Months"),
        "warranty_end": ("Warranty Expires",),
        "supplier": ("Supplier",),
        "invoice_number": ("Order Number",),
        "notes": ("Notes",),
    },
}
REQUIRED = ("brand", "model", "acquired_on")
FINANCIAL = ("acquired_on", "value", "warranty_end", "supplier", "invoice_number")
FIELDS = (
    "brand", "model", "category", "tasinir_code", "serial_number", "status", "location",
    "assigned_to", "acquired_on", "value", "warranty_end", "warranty_months", "supplier",
    "invoice_number", "old_number", "name", "notes",
)  # fmt: skip

_PUNCTUATION = re.compile(r"[^a-z0-9]+")


def max_rows() -> int:
    return int(getattr(settings, "BIYS_INVENTORY_IMPORT_MAX_ROWS", 50_000))


def header_key(text) -> str:
    """``Değer (TL)`` -> ``deger tl``: how two column names are compared."""
    return _PUNCTUATION.sub(" ", fold(str(text or ""))).strip()


def _lookup(fmt: str) -> dict[str, str]:
    return {header_key(name): key for key, names in COLUMNS[fmt].items() for name in names}


@dataclass
class ImportRow:
    """One data row: its row number as a spreadsheet shows it (the header is row 1), its values
    under BİYS's field names, and once checked the errors per field."""

    line: int
    raw: dict
    errors: dict[str, str] = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)  # kept, imported, but shown

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportTable:
    format: str
    columns: dict[str, str]  # field -> the file's column name
    ignored: list[str]
    rows: list[ImportRow]


# --------------------------------------------------------------------------- reading the file


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor Windows-1254 text."), code="encoding")


def _csv_cells(data: bytes) -> list[tuple[int, list]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, cells) for number, cells in enumerate(reader, start=1)]
    except csv.Error as error:
        raise ValidationError(
            _("The file is not a readable CSV file: %(error)s") % {"error": error}, code="csv"
        ) from error


def _xlsx_cells(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(
            _("This file is damaged or not a real Excel (.xlsx) file."), code="xlsx"
        ) from error
    try:
        sheet = book.worksheets[0]
        return [
            (number, list(cells))
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _clean(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date() if not (value.hour or value.minute or value.second) else value
    if isinstance(value, str):
        return value.strip()
    return value


def detect_format(headers: list[str]) -> str:
    keys = {header_key(header) for header in headers}
    if "asset tag" in keys or "checked out to" in keys or "purchase cost" in keys:
        return SNIPEIT
    if "manufacturer" in keys and ({"inventory number", "serial number", "user"} & keys):
        return GLPI
    return BIYS


def read_file(
    data: bytes,
    *,
    filename: str = "",
    format: str | None = None,
    columns: dict[str, tuple[str, ...]] | None = None,
    required: tuple[str, ...] | None = None,
) -> ImportTable:
    """The rows of an uploaded register (CSV or .xlsx), or a ``ValidationError`` saying why the
    file as a whole cannot be read (no rows, a required column missing, too many rows).
    ``columns`` and ``required`` read another kind of file (the network inventory's) in BİYS's
    format: field -> its column names, and the fields whose column must be there."""
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        cells = _xlsx_cells(data)
    else:
        cells = _csv_cells(data)
    cells = [(number, row) for number, row in cells if any(_clean(cell) != "" for cell in row)]
    if not cells:
        raise ValidationError(_("The file has no rows."), code="empty")
    header_number, headers = cells[0]
    headers = [str(_clean(header)) for header in headers]
    if format and format not in FORMATS:
        raise ValidationError(_("Unknown format: %(format)s.") % {"format": format})
    if columns is not None:
        fmt = BIYS
        lookup = {header_key(name): key for key, names in columns.items() for name in names}
    else:
        fmt = format or detect_format(headers)
        lookup = _lookup(fmt)
        columns, required = COLUMNS[fmt], REQUIRED
    positions: dict[str, int] = {}
    found: dict[str, str] = {}
    ignored = []
    for position, header in enumerate(headers):
        key = lookup.get(header_key(header))
        if key is None and " - " in header:
            # GLPI names a financial field "Financial and administrative information - Value"
            key = lookup.get(header_key(header.rsplit(" - ", 1)[-1]))
            key = key if key in FINANCIAL else None
        if key is None or key in positions:
            if header:
                ignored.append(header)
            continue
        positions[key], found[key] = position, header
    missing = [key for key in required if key not in positions]
    if missing:
        names = ", ".join(f"“{columns[key][0]}”" for key in missing)
        raise ValidationError(
            _("The %(format)s file has no column %(columns)s (the header row is row %(row)s).")
            % {"format": FORMAT_LABELS[fmt], "columns": names, "row": header_number},
            code="columns",
        )
    body = cells[1:]
    if not body:
        raise ValidationError(_("The file has a header row and no data rows."), code="empty")
    if len(body) > max_rows():
        raise ValidationError(
            _("The file has %(count)s rows; import at most %(max)s at a time.")
            % {"count": len(body), "max": max_rows()},
            code="too_many",
        )
    rows = []
    for number, cells_of_row in body:
        raw = {}
        for key, position in positions.items():
            raw[key] = _clean(cells_of_row[position]) if position < len(cells_of_row) else ""
        rows.append(ImportRow(line=number, raw=raw))
    return ImportTable(format=fmt, columns=found, ignored=ignored, rows=rows)


# --------------------------------------------------------------------------- values

_DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%y")


def parse_date(value) -> date | None:
    """``2023-04-15``, ``15.04.2023``, ``15/04/2023`` (day first, as in Turkey), an Excel date;
    ``None`` when empty; ``ValueError`` otherwise."""
    if value in ("", None):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().split(" ")[0]
    match = _DAY_FIRST.match(text)
    if match:  # the common case, without strptime's cost
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    match = _ISO.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return date(year, month, day)
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


_MONEY_NOISE = re.compile(r"(?i)\s|₺|tl|try|\$|€")


def parse_money(value) -> Decimal | None:
    """``1.234,56`` (Turkish), ``1,234.56``, ``1234.56``, ``12.500 TL``, ``₺1.500``, a number."""
    if value in ("", None):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = _MONEY_NOISE.sub("", str(value))
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        head, _sep, tail = text.rpartition(",")
        text = f"{head.replace(',', '')}.{tail}" if len(tail) != 3 else text.replace(",", "")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.rpartition(".")[2]) == 3):
        text = text.replace(".", "")  # 12.500 is twelve thousand five hundred liras
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise ValueError(str(value)) from error


def parse_months(value) -> int | None:
    """Snipe-IT's warranty: ``36`` or ``36 months``."""
    if value in ("", None):
        return None
    match = re.match(r"^\s*(\d{1,3})", str(value))
    if not match:
        raise ValueError(str(value))
    return int(match.group(1))


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


# --------------------------------------------------------------------------- statuses, categories

# Status words of the three tools -> BİYS's status. An asset in someone's hands arrives in store:
# a custody needs its Zimmet Fişi signed by the person, so it is handed over in BİYS afterwards.
STATUS_WORDS = {
    "in_store": (
        "", "in store", "depoda", "depo", "stokta", "stock", "in stock", "ready to deploy",
        "deployable", "deployed", "pending", "beklemede", "in use", "kullanımda", "zimmetli",
        "zimmette", "in custody", "active", "aktif", "available", "production", "üretimde",
    ),
    "faulty": ("faulty", "arızalı", "bozuk", "broken", "broken not fixable", "out of order"),
    "at_repair": (
        "at repair", "tamirde", "onarımda", "serviste", "out for repair", "in repair", "repair",
    ),
}  # fmt: skip
CATEGORY_WORDS = {
    "desktop": ("desktop", "masaüstü", "masaüstü bilgisayar", "pc", "computer", "bilgisayar",
                "workstation", "iş istasyonu", "all in one", "desktops", "computers"),
    "laptop": ("laptop", "notebook", "dizüstü", "dizüstü bilgisayar", "portable", "laptops", "notebooks"),
    "tablet": ("tablet", "tablets"),
    "server": ("server", "servers", "sunucu"),
    "monitor": ("monitor", "monitors", "monitör", "ekran", "display", "displays"),
    "printer": ("printer", "printers", "yazıcı"),
    "scanner": ("scanner", "scanners", "tarayıcı"),
    "multifunction": ("multifunction", "mfp", "çok fonksiyonlu", "fotokopi"),
    "projector": ("projector", "projectors", "projeksiyon"),
    "storage": ("storage", "nas", "san", "depolama"),
    "ups": ("ups", "kgk", "kesintisiz güç kaynağı"),
    "network": ("network", "network device", "ağ cihazı", "switch", "router", "firewall",
                "güvenlik duvarı", "access point", "erişim noktası"),
    "phone": ("phone", "phones", "telefon", "ip phone", "mobile phone", "cep telefonu"),
    "camera": ("camera", "cameras", "kamera"),
}  # fmt: skip


def _word_table(words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {header_key(word): value for value, names in words.items() for word in names}


_STATUS = _word_table(STATUS_WORDS)
_CATEGORY = _word_table(CATEGORY_WORDS)


def parse_status(value) -> str:
    """BİYS's status for a status word of BİYS, GLPI or Snipe-IT; ``ValueError`` otherwise."""
    from biys.inventory.models import AssetStatus

    key = header_key(value)
    if key in _STATUS:
        return _STATUS[key]
    for status in (AssetStatus.IN_STORE, AssetStatus.FAULTY, AssetStatus.AT_REPAIR):
        if key in (status.value.replace("_", " "), header_key(status.label)):
            return status.value
    raise ValueError(str(value))


def parse_category(value) -> str:
    """BİYS's item category for a type or category word; ``other`` when unknown."""
    from biys.inventory.models import ItemCategory

    key = header_key(value)
    if key in _CATEGORY:
        return _CATEGORY[key]
    for category in ItemCategory:
        if key in (category.value, header_key(category.label)):
            return category.value
    return ItemCategory.OTHER.value
