"""CİMER and Alo 153 entries imported from their export files (CSV or Excel .xlsx).

No sample export was available when this was written: the columns are an assumption, matched
by header names (Turkish casing and diacritics ignored) through a mapping that an installation
changes in the setting ``BIYS_APPLICATIONS_IMPORT_COLUMNS`` once the real export layout is
confirmed (docs/applications.md). Each row is checked as the counter entry would be (the
service's own rules); nothing is imported unless every row is valid; a row whose channel
reference (the CİMER or Alo 153 number) is already recorded on that channel, or repeated in the
file, is skipped.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from biys.applications.choices import Channel
from biys.applications.models import Application
from biys.core.text import fold

IMPORT_CHANNELS = (Channel.CIMER, Channel.ALO153)
MAX_ROWS = 5000

# field -> the header names accepted for it (the first row of the file).
DEFAULT_COLUMNS: dict[str, list[str]] = {
    "channel_reference": ["Başvuru No", "Başvuru Numarası", "Kayıt No", "Çağrı No"],
    "received_on": ["Tarih", "Başvuru Tarihi", "Kayıt Tarihi"],
    "applicant_name": ["Ad Soyad", "Adı Soyadı", "Başvuru Sahibi", "Arayan"],
    "subject": ["Konu", "Başvuru Konusu"],
    "description": ["Metin", "Başvuru Metni", "Açıklama", "Talep"],
    "channel_due_date": ["Son Cevap Tarihi", "Son Tarih", "Cevap Süresi Sonu"],
    "tc_kimlik_no": ["TC Kimlik No", "T.C. Kimlik No", "TCKN"],
    "email": ["E-posta", "Eposta", "E-mail"],
    "phone": ["Telefon", "Telefon No", "Cep Telefonu"],
    "address": ["Adres"],
}
REQUIRED = ("channel_reference", "received_on", "applicant_name", "subject")
DATE_FIELDS = ("received_on", "channel_due_date")
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S",
                "%Y-%m-%d %H:%M:%S")  # fmt: skip


def column_map(channel: str) -> dict[str, list[str]]:
    """The header names per field for ``channel``: the defaults, with the setting's entries
    (``{"cimer": {"subject": ["Konu Başlığı"]}, "alo153": {...}}``) replacing a field's."""
    configured = (getattr(settings, "BIYS_APPLICATIONS_IMPORT_COLUMNS", None) or {}).get(
        channel
    ) or {}
    return {**DEFAULT_COLUMNS, **{name: list(names) for name, names in configured.items()}}


@dataclass
class ImportRow:
    line: int
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    duplicate: bool = False


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # of the file as a whole

    @property
    def valid(self) -> bool:
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def new_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.duplicate and not row.errors]

    @property
    def duplicates(self) -> int:
        return sum(row.duplicate for row in self.rows)


def read_table(data: bytes, filename: str = "") -> list[list]:
    """The rows of a CSV (``;`` or ``,``, UTF-8 with or without BOM, or Windows-1254) or of the
    first sheet of an Excel (.xlsx) file; Excel dates stay dates."""
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(
                {"file": _("This file is damaged or not a real Excel (.xlsx) file.")}
            ) from error
        try:
            return [list(cells) for cells in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    for encoding in ("utf-8-sig", "cp1254"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError({"file": _("The file is neither UTF-8 nor Windows-1254 text.")})
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        return [list(record) for record in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise ValidationError(
            {"file": _("The file is not a readable CSV file: %(error)s") % {"error": error}}
        ) from error


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number Excel stored as 12345.0
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def preview(*, channel: str, table: list[list], today: date | None = None) -> ImportPreview:
    """Each row's values by the column map and its errors (the file's when its header lacks a
    required column); duplicates by channel reference marked, not errors."""
    from biys.applications import selectors

    today = today or selectors.today()
    result = ImportPreview()
    if channel not in IMPORT_CHANNELS:
        result.errors.append(_("Choose CİMER or Alo 153."))
        return result
    rows = [row for row in table if any(_text(cell) for cell in row)]
    if not rows:
        result.errors.append(_("The file has no rows."))
        return result
    if len(rows) - 1 > MAX_ROWS:
        result.errors.append(_("At most %(count)d rows at a time.") % {"count": MAX_ROWS})
        return result
    header = [fold(_text(cell)) for cell in rows[0]]
    positions: dict[str, int] = {}
    for name, labels in column_map(channel).items():
        for label in labels:
            if fold(label) in header:
                positions[name] = header.index(fold(label))
                break
    missing = [column_map(channel)[name][0] for name in REQUIRED if name not in positions]
    if missing:
        result.errors.append(_("Columns not found: %(columns)s.") % {"columns": ", ".join(missing)})
        return result
    known = set(
        Application.objects.filter(channel=channel)
        .exclude(channel_reference="")
        .values_list("channel_reference", flat=True)
    )
    seen: set[str] = set()
    for line, cells in enumerate(table, start=1):
        if line == 1 or not any(_text(cell) for cell in cells):
            continue
        row = ImportRow(line=line)
        for name, position in positions.items():
            value = cells[position] if position < len(cells) else None
            if name in DATE_FIELDS:
                try:
                    row.values[name] = _date(value) if _text(value) else None
                except ValueError:
                    row.errors.append(
                        _("%(column)s: not a date (%(value)s).")
                        % {"column": column_map(channel)[name][0], "value": _text(value)}
                    )
            else:
                row.values[name] = _text(value)
        for name in REQUIRED:
            if name in row.values and not row.values[name]:
                row.errors.append(
                    _("%(column)s is empty.") % {"column": column_map(channel)[name][0]}
                )
        reference = row.values.get("channel_reference", "")
        if reference and (reference in known or reference in seen):
            row.duplicate = True
        seen.add(reference)
        received = row.values.get("received_on")
        if received and received > today:
            row.errors.append(_("An application cannot be received in the future."))
        result.rows.append(row)
    return result


def may_import(user) -> bool:
    from biys.core.access import get_scope

    return get_scope(user).has_perm("applications.add_application")


@transaction.atomic
def import_applications(
    *, user, channel: str, type, table: list[list], responsible_unit=None, today=None
) -> ImportPreview:
    """Record every new row as an application of ``type`` on ``channel`` through the counter's
    service; refused whole (``ValidationError``, nothing saved) when any row has an error,
    including one the service finds (a TC kimlik number, an e-mail, the unit's permission)."""
    from biys.applications import services

    if not may_import(user):
        raise PermissionDenied(_("You may not record applications."))
    result = preview(channel=channel, table=table, today=today)
    if not result.valid:
        raise ValidationError({"file": _("The file has errors: nothing was imported.")})
    for row in result.new_rows:
        try:
            with transaction.atomic():
                services.receive_application(
                    user=user,
                    type=type,
                    channel=channel,
                    responsible_unit=responsible_unit,
                    require_form_fields=False,
                    today=today,
                    **{name: value for name, value in row.values.items() if value is not None},
                )
        except ValidationError as error:
            row.errors.extend(
                f"{name}: {' '.join(problems)}" if name != "__all__" else " ".join(problems)
                for name, problems in error.message_dict.items()
            )
    if not result.valid:
        transaction.set_rollback(True)
    return result
