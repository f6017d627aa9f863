"""Importing an existing asset register: check every row (the preview), then register all of
them in one transaction or none.

``check_import`` resolves a file's rows (``importing.read_file``) against the database without
writing: the item model by brand and model (an unknown one is created with the row's taşınır
code or the import's default code), the location by its name (an unknown one is created on the
importing unit), the serial number (unique in the file and on the register), dates, value,
status; each problem is kept at its row and column. ``import_rows`` refuses the whole file when
any row has an error, and otherwise writes the new item models and locations through the
services, takes the inventory numbers of each taşınır code in one statement, inserts the assets
with ``bulk_create`` and seals their change records in batches (``changelog.record_changes``).
The asset rules (a fixed-asset model, no future acquisition, warranty after acquisition, no
negative value, the number format) are the ones ``services.register_asset`` applies.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core import changelog
from biys.core.access import can_add
from biys.core.context import change_context
from biys.core.text import fold
from biys.inventory import importing, network_import, services
from biys.inventory.models import (
    AcquisitionMethod,
    Asset,
    AssetImport,
    AssetStatus,
    ImportKind,
    ImportState,
    ItemKind,
    ItemModel,
    Location,
    TasinirCode,
)

logger = logging.getLogger(__name__)
Progress = Callable[[float], None]
BATCH = 1000
TEXT_LIMITS = {
    field: Asset._meta.get_field(field).max_length
    for field in ("serial_number", "supplier", "invoice_number")
}


class ImportRefused(ValidationError):
    """Some rows have errors: nothing was imported. ``rows`` are the checked rows."""

    def __init__(self, rows: list[importing.ImportRow]):
        self.rows = rows
        bad = [row for row in rows if not row.ok]
        super().__init__(
            [
                f"{_('row %(row)s') % {'row': row.line}}: {name}: {message}"
                for row in bad
                for name, message in row.errors.items()
            ]
        )

    @property
    def bad_rows(self) -> list[importing.ImportRow]:
        return [row for row in self.rows if not row.ok]


@dataclass
class CheckedImport:
    rows: list[importing.ImportRow]
    new_models: dict = field(default_factory=dict)  # key -> unsaved ItemModel
    new_locations: dict = field(default_factory=dict)  # key -> unsaved Location
    note_labels: tuple = ()

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if not row.ok)


@dataclass
class ImportReport:
    created: int
    item_models_created: int
    locations_created: int
    seconds: float
    assets: list = field(default_factory=list, repr=False)

    @property
    def rows_per_second(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "item_models_created": self.item_models_created,
            "locations_created": self.locations_created,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
        }


def may_import(user, unit, kind: str = ImportKind.ASSETS) -> bool:
    """Importing registers assets: the permission to add an asset to ``unit``'s register (for a
    file of the network inventory, to add its kind of record)."""
    if kind != ImportKind.ASSETS:
        return network_import.may_import(user, unit, kind)
    return user is None or can_add(user, Asset, unit.pk)


def _require(user, unit, kind: str = ImportKind.ASSETS) -> None:
    if not may_import(user, unit, kind):
        if kind != ImportKind.ASSETS:
            raise PermissionDenied(_("You may not add these records for that unit."))
        raise PermissionDenied(_("You may not register assets for that unit."))


def _rows(rows: Iterable) -> list[importing.ImportRow]:
    """``ImportRow``s as they are; mappings (the bench, the API) numbered from row 2."""
    result = []
    for number, row in enumerate(rows, start=2):
        if isinstance(row, importing.ImportRow):
            result.append(importing.ImportRow(line=row.line, raw=dict(row.raw)))
        elif isinstance(row, Mapping):
            result.append(importing.ImportRow(line=number, raw=dict(row)))
        else:
            raise TypeError(row)
    return result


def _text(raw: dict, name: str) -> str:
    value = raw.get(name, "")
    return "" if value is None else str(value).strip()


def _serials_on_register(serials: list[str]) -> set[str]:
    found = set()
    for start in range(0, len(serials), 1000):
        chunk = serials[start : start + 1000]
        found.update(
            Asset.objects.annotate(folded=Upper("serial_number"))
            .filter(folded__in=chunk)
            .values_list("folded", flat=True)
        )
    return found


def check_import(
    *,
    unit,
    rows: Iterable,
    default_code: TasinirCode | None = None,
    progress: Progress | None = None,
) -> CheckedImport:
    """Resolve and check every row without writing (the preview). Each row gets ``values`` (what
    would be registered, for display) and ``errors`` (field -> message)."""
    rows = _rows(rows)
    models = {}
    for item_model in ItemModel.objects.select_related("tasinir_code").order_by("pk"):
        models.setdefault((fold(item_model.brand), fold(item_model.name)), item_model)
    locations = {}
    for location in Location.objects.order_by("pk"):
        locations.setdefault(fold(str(location)), location)
        if not location.floor and not location.room:
            locations.setdefault(fold(location.building), location)
    codes = {code.code: code for code in TasinirCode.objects.filter(is_active=True)}
    checked = CheckedImport(rows=rows, note_labels=_note_labels())
    serial_rows: dict[str, int] = {}
    today = timezone.localdate()
    for index, row in enumerate(rows):
        _check_row(row, checked, models, locations, codes, default_code, serial_rows, unit, today)
        if progress and index % 1000 == 999:
            progress((index + 1) / len(rows))
    taken = _serials_on_register(list(serial_rows))
    for row in rows:
        serial = row.values.get("serial_number")
        if serial and serial.upper() in taken:
            row.errors.setdefault(
                "serial_number", _("An asset with this serial number is already registered.")
            )
    return checked


def _check_row(row, checked, models, locations, codes, default_code, serial_rows, unit, today):
    raw, errors, values = row.raw, row.errors, row.values
    brand, model_name = _text(raw, "brand"), _text(raw, "model")
    if not brand:
        errors["brand"] = _("The brand is required.")
    if not model_name:
        errors["model"] = _("The model is required.")
    values["brand"], values["model"] = brand, model_name
    code_text = _text(raw, "tasinir_code")
    code = None
    if code_text:
        code = codes.get(code_text)
        if code is None:
            errors["tasinir_code"] = _("No property code %(code)s in the code list.") % {
                "code": code_text
            }
    item_model = None
    if brand and model_name:
        key = (fold(brand), fold(model_name))
        item_model = models.get(key) or checked.new_models.get(key)
        if item_model is None:
            code = code or (None if code_text else default_code)
            if code is None:
                errors.setdefault(
                    "tasinir_code",
                    _(
                        "The model is not in BİYS yet: give its property code (a column or the"
                        " import's default code)."
                    ),
                )
            elif code.kind != ItemKind.FIXED:
                errors["tasinir_code"] = _(
                    "Code %(code)s is a consumable code: consumables are kept as stock."
                ) % {"code": code.code}
            else:
                item_model = ItemModel(
                    unit=unit,
                    brand=brand[:100],
                    name=model_name[:150],
                    category=importing.parse_category(raw.get("category")),
                    tasinir_code=code,
                    kind=code.kind,
                )
                checked.new_models[key] = item_model
                if len(brand) > 100 or len(model_name) > 150:
                    errors["model"] = _("The brand or model name is too long.")
        elif code is not None and item_model.tasinir_code_id != code.pk:
            errors["tasinir_code"] = _("Model %(model)s has property code %(code)s.") % {
                "model": f"{item_model.brand} {item_model.name}",
                "code": item_model.tasinir_code.code,
            }
    values["item_model"] = item_model
    values["tasinir_code"] = item_model.tasinir_code.code if item_model is not None else code_text

    serial = _text(raw, "serial_number")
    values["serial_number"] = serial or None
    if serial:
        if len(serial) > TEXT_LIMITS["serial_number"]:
            errors["serial_number"] = _("The serial number is too long.")
        elif serial.upper() in serial_rows:
            errors["serial_number"] = _("The same serial number is on row %(row)s.") % {
                "row": serial_rows[serial.upper()]
            }
        else:
            serial_rows[serial.upper()] = row.line

    values["status"] = None
    try:
        values["status"] = importing.parse_status(raw.get("status"))
    except ValueError:
        errors["status"] = _(
            "“%(status)s” cannot be imported: only assets in store, faulty or at repair are"
            " (a custody is handed over in BİYS)."
        ) % {"status": _text(raw, "status")}

    location_text = _text(raw, "location")
    values["location"] = None
    if location_text:
        key = fold(location_text)
        location = locations.get(key) or checked.new_locations.get(key)
        if location is None:
            if len(location_text) > 150:
                errors["location"] = _("The location's name is too long.")
            else:
                location = Location(unit=unit, building=location_text)
                checked.new_locations[key] = location
        values["location"] = location

    for name in ("acquired_on", "warranty_end"):
        try:
            values[name] = importing.parse_date(raw.get(name))
        except ValueError:
            values[name] = None
            errors[name] = _("“%(value)s” is not a date (e.g. 15.04.2023 or 2023-04-15).") % {
                "value": _text(raw, name)
            }
    if values["acquired_on"] is None and "acquired_on" not in errors:
        errors["acquired_on"] = _("The acquisition date is required.")
    try:
        months = importing.parse_months(raw.get("warranty_months"))
    except ValueError:
        months = None
        errors["warranty_end"] = _("The warranty is not a number of months.")
    if months and values["warranty_end"] is None and values["acquired_on"]:
        values["warranty_end"] = importing.add_months(values["acquired_on"], months)
    try:
        values["value"] = importing.parse_money(raw.get("value"))
    except ValueError:
        values["value"] = None
        errors["value"] = _("“%(value)s” is not an amount (e.g. 12.500,00).") % {
            "value": _text(raw, "value")
        }
    for name in ("supplier", "invoice_number"):
        values[name] = _text(raw, name)
        if len(values[name]) > TEXT_LIMITS[name]:
            errors[name] = _("The text is too long (at most %(max)s characters).") % {
                "max": TEXT_LIMITS[name]
            }
    values["notes"] = _notes(raw, checked.note_labels)
    try:
        services.check_asset_fields(
            {
                "item_model": item_model,
                "acquired_on": values["acquired_on"],
                "warranty_end": values["warranty_end"],
                "value": values["value"],
            },
            today=today,
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages[0])


def _note_labels() -> tuple:
    return (
        ("name", _("Name")),
        ("old_number", _("Previous inventory number")),
        ("assigned_to", _("Assigned to (before the import)")),
    )


def _notes(raw: dict, labels: tuple) -> str:
    """What BİYS has no field for is kept in the notes: the device's name, the old inventory
    number, the person it was assigned to (custody is handed over in BİYS with a Zimmet Fişi)."""
    lines = [_text(raw, "notes")]
    for name, label in labels:
        if _text(raw, name):
            lines.append(f"{label}: {_text(raw, name)}")
    return "\n".join(line for line in lines if line)


def import_rows(
    *,
    unit,
    rows: Iterable,
    user=None,
    default_code: TasinirCode | None = None,
    at: datetime | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Register every row on ``unit``'s register, or none: ``ImportRefused`` (a
    ``ValidationError`` whose ``rows`` carry their errors) when any row is invalid. One
    transaction; the change records are written in batches."""
    started = time.perf_counter()
    _require(user, unit)

    def checking(share: float) -> None:
        if progress:
            progress(share * 0.3)

    with transaction.atomic():
        checked = check_import(unit=unit, rows=rows, default_code=default_code, progress=checking)
        if not checked.ok:
            raise ImportRefused(checked.rows)
        report = _write(checked, unit=unit, user=user, at=at, progress=progress)
    report.seconds = time.perf_counter() - started
    return report


def _write(checked: CheckedImport, *, unit, user, at, progress) -> ImportReport:
    with changelog.batch():
        for item_model in checked.new_models.values():
            services.save_item_model(item_model=item_model, user=user)
        for location in checked.new_locations.values():
            services.save_location(location=location, user=user)
    assets = []
    for row in checked.rows:
        values = row.values
        item_model = values["item_model"]
        asset = Asset(
            unit=unit,
            item_model=item_model,
            tasinir_code_id=item_model.tasinir_code_id,
            serial_number=values["serial_number"],
            status=values["status"] or AssetStatus.IN_STORE,
            location=values["location"],
            acquisition_method=AcquisitionMethod.PURCHASE,
            acquired_on=values["acquired_on"],
            value=values["value"] or 0,
            supplier=values["supplier"],
            invoice_number=values["invoice_number"],
            warranty_end=values["warranty_end"],
            notes=values["notes"],
        )
        assets.append(asset)
    by_code: dict[int, list[Asset]] = {}
    for asset in assets:
        by_code.setdefault(asset.tasinir_code_id, []).append(asset)
    # The numbers come last but one: each code's yearly counter row is locked until the commit.
    for group in by_code.values():
        code = group[0].item_model.tasinir_code
        numbers = services.next_inventory_numbers(code=code, count=len(group), at=at)
        for asset, number in zip(group, numbers, strict=True):
            asset.inventory_number = number
    for asset in assets:
        asset.search_text = asset.build_search_text()
    total = len(assets)
    for start in range(0, total, BATCH):
        Asset.objects.bulk_create(assets[start : start + BATCH])
        if progress:
            progress(0.3 + 0.5 * min(start + BATCH, total) / total)
    changelog.record_changes(assets)
    if progress:
        progress(1.0)
    return ImportReport(
        created=total,
        item_models_created=len(checked.new_models),
        locations_created=len(checked.new_locations),
        seconds=0.0,
        assets=assets,
    )


# --------------------------------------------------------------------------- the network inventory


def check_network(*, kind: str, unit, rows: Iterable, user=None, progress=None) -> list:
    """The preview of a network inventory file: every row saved through ``network_services``
    (``network_import.run_rows``) and the whole rolled back; the rows keep their errors and
    warnings."""
    rows = _rows(rows)
    with transaction.atomic():
        network_import.run_rows(kind=kind, unit=unit, rows=rows, user=user, progress=progress)
        transaction.set_rollback(True)
    return rows


def import_network_rows(
    *, kind: str, unit, rows: Iterable, user=None, progress: Progress | None = None
) -> ImportReport:
    """Save every row of a network inventory file, or none: ``ImportRefused`` when any row is
    refused by the service's rules."""
    started = time.perf_counter()
    _require(user, unit, kind)
    rows = _rows(rows)
    with transaction.atomic():
        created = network_import.run_rows(
            kind=kind, unit=unit, rows=rows, user=user, progress=progress
        )
        if not all(row.ok for row in rows):
            raise ImportRefused(rows)
    return ImportReport(
        created=created,
        item_models_created=0,
        locations_created=0,
        seconds=time.perf_counter() - started,
    )


# --------------------------------------------------------------------------- the upload's life

PREVIEW_ROWS = 300
PREVIEW_FIELDS = (
    "brand", "model", "tasinir_code", "serial_number", "status", "location", "acquired_on",
    "value", "warranty_end", "supplier", "invoice_number", "notes",
)  # fmt: skip


def background_rows() -> int:
    """Files with more rows are checked and imported by a Celery task (in-process without a
    broker), the page showing the progress."""
    return int(getattr(settings, "BIYS_INVENTORY_IMPORT_BACKGROUND_ROWS", 1000))


def _display(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def preview_rows(
    rows: list[importing.ImportRow], limit: int = PREVIEW_ROWS, kind: str = ImportKind.ASSETS
) -> list[dict]:
    """What the preview page shows: the rows with errors first, then those with warnings, then
    the others, ``limit`` at most, each with its values as text and its errors and warnings
    per field."""
    ordered = (
        [row for row in rows if not row.ok]
        + [row for row in rows if row.ok and row.warnings]
        + [row for row in rows if row.ok and not row.warnings]
    )
    if kind == ImportKind.ASSETS:
        fields = PREVIEW_FIELDS
    else:
        fields = tuple(name for name, _label in network_import.PREVIEW_COLUMNS[kind])
    result = []
    for row in ordered[:limit]:
        values = {name: _display(row.values.get(name)) for name in fields}
        if kind == ImportKind.ASSETS and row.values.get("status"):
            values["status"] = str(AssetStatus(row.values["status"]).label)
        line = {"row": row.line, "values": values, "errors": dict(row.errors)}
        if row.warnings:
            line["warnings"] = dict(row.warnings)
        result.append(line)
    return result


def start_import(
    *,
    user,
    unit,
    file,
    filename: str = "",
    file_format: str | None = None,
    default_code: TasinirCode | None = None,
    background: bool | None = None,
    kind: str = ImportKind.ASSETS,
) -> AssetImport:
    """Upload a register: a file that cannot be read at all is a ``ValidationError`` on ``file``
    and nothing is kept; otherwise the import is recorded and its rows are checked (at once, or
    by the ``check_asset_import`` task for a large file). Nothing is registered until
    ``confirm_import``."""
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit whose register receives the assets.")})
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Unknown kind of records.")})
    _require(user, unit, kind)
    filename = (filename or getattr(file, "name", "") or "register.csv").rsplit("/", 1)[-1][:255]
    data = file.read()
    try:
        table = _read(data, filename=filename, file_format=file_format, kind=kind)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    if background is None:
        background = len(table.rows) > background_rows()
    with transaction.atomic():
        asset_import = AssetImport(
            unit=unit,
            kind=kind,
            filename=filename,
            size=len(data),
            file_format=table.format,
            default_code=default_code if kind == ImportKind.ASSETS else None,
            total=len(table.rows),
            imported_by=user if getattr(user, "is_authenticated", False) else None,
            started_at=timezone.now(),
        )
        asset_import.file.save(f"{timezone.now():%Y/%m}/{filename}", ContentFile(data), save=False)
        asset_import.save()
        pk = asset_import.pk
        if background:
            transaction.on_commit(lambda: _enqueue("check_asset_import", pk))
            return asset_import
    return check_file(asset_import_id=pk, table=table)


def _enqueue(name: str, pk: int) -> None:
    from biys.inventory import tasks

    getattr(tasks, name).delay(pk)


def _read(data: bytes, *, filename: str, file_format, kind: str) -> importing.ImportTable:
    if kind != ImportKind.ASSETS:
        return network_import.read_file(data, kind=kind, filename=filename)
    return importing.read_file(data, filename=filename, format=file_format)


def _table(asset_import: AssetImport) -> importing.ImportTable:
    with asset_import.file.open("rb") as stream:
        data = stream.read()
    return _read(
        data,
        filename=asset_import.filename,
        file_format=asset_import.file_format,
        kind=asset_import.kind,
    )


def _progress_of(pk: int, low: int, high: int) -> Progress:
    def progress(share: float) -> None:
        AssetImport.objects.filter(pk=pk).update(progress=low + int(share * (high - low)))

    return progress


def check_file(*, asset_import_id: int, table: importing.ImportTable | None = None) -> AssetImport:
    """Check every row of an uploaded register and keep the preview: ready or with errors."""
    asset_import = AssetImport.objects.select_related("unit", "default_code", "imported_by").get(
        pk=asset_import_id
    )
    if asset_import.state != ImportState.CHECKING:
        return asset_import
    kind = asset_import.kind
    try:
        table = table or _table(asset_import)
        if kind == ImportKind.ASSETS:
            checked = check_import(
                unit=asset_import.unit,
                rows=table.rows,
                default_code=asset_import.default_code,
                progress=_progress_of(asset_import.pk, 0, 100),
            )
        else:
            with change_context(user=asset_import.imported_by):
                checked = CheckedImport(
                    rows=check_network(
                        kind=kind,
                        unit=asset_import.unit,
                        rows=table.rows,
                        user=asset_import.imported_by,
                    )
                )
    except ValidationError as error:
        return _fail(asset_import.pk, " ".join(error.messages))
    except Exception:
        logger.exception("register import %s: the check failed", asset_import_id)
        _fail(asset_import.pk, _("The check failed unexpectedly; nothing was imported."))
        raise
    asset_import.preview = preview_rows(checked.rows, kind=kind)
    asset_import.total = len(checked.rows)
    asset_import.error_count = checked.error_count
    asset_import.state = ImportState.READY if checked.ok else ImportState.INVALID
    asset_import.progress = 0
    asset_import.save()
    return asset_import


def _fail(pk: int, message: str) -> AssetImport:
    asset_import = AssetImport.objects.get(pk=pk)
    asset_import.state = ImportState.FAILED
    asset_import.error = message
    asset_import.progress = 0
    asset_import.finished_at = timezone.now()
    asset_import.save()
    return asset_import


def confirm_import(*, user, asset_import: AssetImport, background: bool | None = None):
    """Import a checked register whose every row is valid: at once, or by the
    ``run_asset_import`` task for a large file."""
    _require(user, asset_import.unit, asset_import.kind)
    updated = AssetImport.objects.filter(pk=asset_import.pk, state=ImportState.READY).update(
        state=ImportState.IMPORTING, progress=0
    )
    if not updated:
        raise ValidationError(_("Only a checked file without errors can be imported."))
    if background is None:
        background = asset_import.total > background_rows()
    if background:
        pk = asset_import.pk
        transaction.on_commit(lambda: _enqueue("run_asset_import", pk))
        asset_import.refresh_from_db()
        return asset_import
    return run_import(asset_import_id=asset_import.pk, user=user)


def run_import(*, asset_import_id: int, user=None) -> AssetImport:
    """Register every row of a confirmed import in one transaction; a row that became invalid
    since the check (a serial registered meanwhile) refuses the whole file again."""
    asset_import = AssetImport.objects.select_related("unit", "default_code", "imported_by").get(
        pk=asset_import_id
    )
    if asset_import.state != ImportState.IMPORTING:
        return asset_import
    # A task's changes are the uploader's; a request keeps its own context (user, address).
    context = change_context(user=asset_import.imported_by) if user is None else nullcontext()
    kind = asset_import.kind
    try:
        with context:
            if kind == ImportKind.ASSETS:
                report = import_rows(
                    unit=asset_import.unit,
                    rows=_table(asset_import).rows,
                    default_code=asset_import.default_code,
                    progress=_progress_of(asset_import.pk, 0, 100),
                )
            else:
                report = import_network_rows(
                    kind=kind,
                    unit=asset_import.unit,
                    rows=_table(asset_import).rows,
                    user=user or asset_import.imported_by,
                )
    except ImportRefused as refused:
        asset_import.preview = preview_rows(refused.rows, kind=kind)
        asset_import.error_count = len(refused.bad_rows)
        asset_import.state = ImportState.INVALID
        asset_import.progress = 0
        asset_import.save()
        return asset_import
    except ValidationError as error:
        return _fail(asset_import.pk, " ".join(error.messages))
    except Exception:
        logger.exception("register import %s failed", asset_import_id)
        _fail(asset_import.pk, _("The import failed unexpectedly; nothing was imported."))
        raise
    asset_import.state = ImportState.DONE
    asset_import.created_count = report.created
    asset_import.progress = 100
    asset_import.finished_at = timezone.now()
    asset_import.save()
    return asset_import
