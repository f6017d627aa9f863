"""Verification: every stored file re-hashed, every day's manifest checked against its digest,
its token and the previous day's manifest (the chain), every file's access records against the
digest sealed for them. Each failure says which day, which source and file, and what differs.
"""

import json
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.utils.translation import gettext as _

from biys.core import tsa
from biys.logs5651 import records, storage
from biys.logs5651.models import AccessRecord, DailySeal, LogFile, SealStatus
from biys.logs5651.retention import expired
from biys.logs5651.sealing import digest


@dataclass
class Failure:
    day: str
    unit: str
    check: str  # manifest, chain, token, file, records, seal
    message: str
    source: str = ""
    file: str = ""
    expected: str = ""
    found: str = ""


@dataclass
class Report:
    date_from: str | None
    date_to: str | None
    days: int = 0
    sealed_days: int = 0
    files: int = 0
    records: int = 0
    deleted_files: int = 0  # lawfully, after the retention period
    unsealed_days: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict:
        return {"ok": self.ok, **asdict(self)}


def verify(*, date_from: date | None = None, date_to: date | None = None, unit_ids=None) -> Report:
    report = Report(
        date_from.isoformat() if date_from else None, date_to.isoformat() if date_to else None
    )
    seals = DailySeal.objects.select_related("unit").order_by("unit_id", "day")
    files = LogFile.objects.select_related("source", "source__unit")
    if unit_ids is not None:
        seals = seals.filter(unit_id__in=unit_ids)
        files = files.filter(source__unit_id__in=unit_ids)
    if date_from:
        seals = seals.filter(day__gte=date_from)
        files = files.filter(day__gte=date_from)
    if date_to:
        seals = seals.filter(day__lte=date_to)
        files = files.filter(day__lte=date_to)
    sealed_file_ids: set[int] = set()
    previous_by_unit: dict[int, DailySeal | None] = {}
    for seal in seals:
        if seal.unit_id not in previous_by_unit:
            previous_by_unit[seal.unit_id] = (
                DailySeal.objects.filter(unit_id=seal.unit_id, day__lt=seal.day)
                .order_by("-day")
                .first()
            )
        sealed_file_ids |= _verify_seal(seal, previous_by_unit[seal.unit_id], report)
        previous_by_unit[seal.unit_id] = seal
    last_sealed = {}
    for log_file in files.exclude(pk__in=sealed_file_ids).order_by("day", "pk"):
        unit_id = log_file.source.unit_id
        if unit_id not in last_sealed:
            last_sealed[unit_id] = (
                DailySeal.objects.filter(unit_id=unit_id)
                .order_by("-day")
                .values_list("day", flat=True)
                .first()
            )
        if last_sealed[unit_id] and log_file.day <= last_sealed[unit_id]:
            _fail(
                report,
                log_file,
                "seal",
                _("the file's day has no seal, though later days do"),
                source=log_file.source.name,
                file=log_file.name,
            )
        _verify_unsealed_file(log_file, report)
    if unit_ids is None:
        _check_orphans(report)
    return report


def _check_orphans(report: Report) -> None:
    """Records whose file is missing: the references are not database constraints (see
    ``AccessRecord``), so this is where a record without its file would show. One index probe
    per file (a loose scan of the file index), not a scan of the records."""
    table = connection.ops.quote_name(AccessRecord._meta.db_table)
    files = connection.ops.quote_name(LogFile._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE ids(id) AS (SELECT MIN(file_id) FROM {table} UNION ALL"
            f" SELECT (SELECT MIN(file_id) FROM {table} WHERE file_id > ids.id) FROM ids"
            f" WHERE ids.id IS NOT NULL) SELECT ids.id FROM ids WHERE ids.id IS NOT NULL"
            f" AND NOT EXISTS (SELECT 1 FROM {files} WHERE {files}.id = ids.id)"
        )  # table names from our own models
        missing = [row[0] for row in cursor.fetchall()]
    for file_id in missing:
        count = AccessRecord.objects.filter(file_id=file_id).count()
        report.failures.append(
            Failure(
                "",
                "",
                "records",
                _("%(count)s access records belong to a file that does not exist")
                % {"count": count},
                file=str(file_id),
            )
        )


def _fail(report: Report, seal_or_file, check: str, message: str, **details) -> None:
    if isinstance(seal_or_file, DailySeal):
        day, unit = seal_or_file.day, seal_or_file.unit
    else:
        day, unit = seal_or_file.day, seal_or_file.source.unit
    report.failures.append(
        Failure(
            day.isoformat(), str(unit), check, message, **{k: str(v) for k, v in details.items()}
        )
    )


def _verify_seal(seal: DailySeal, previous: DailySeal | None, report: Report) -> set[int]:
    report.days += 1
    text = seal.manifest
    found = digest(text)
    if found != seal.manifest_sha256:
        _fail(
            report,
            seal,
            "manifest",
            _("the manifest differs from its recorded digest"),
            expected=seal.manifest_sha256,
            found=found,
        )
    if seal.status == SealStatus.SEALED:
        report.sealed_days += 1
        try:
            tsa.verify_token(bytes(seal.tsa_token or b""), text.encode())
        except tsa.TimestampError as error:
            _fail(
                report,
                seal,
                "token",
                _("the timestamp does not verify: %(error)s") % {"error": error},
            )
    else:
        report.unsealed_days.append(f"{seal.day.isoformat()} {seal.unit}")
    try:
        manifest = json.loads(text)
        entries = list(manifest["files"])
    except (ValueError, KeyError, TypeError) as error:
        _fail(
            report, seal, "manifest", _("the manifest cannot be read: %(error)s") % {"error": error}
        )
        return set()
    if manifest.get("day") != seal.day.isoformat() or manifest.get("unit_id") != seal.unit_id:
        _fail(
            report,
            seal,
            "manifest",
            _("the manifest is of another day or unit"),
            expected=f"{seal.day} {seal.unit_id}",
            found=f"{manifest.get('day')} {manifest.get('unit_id')}",
        )
    _verify_chain(seal, previous, manifest, report)

    listed = {entry.get("id") for entry in entries}
    stored = {f.pk: f for f in LogFile.objects.filter(pk__in=listed).select_related("source")}
    for entry in entries:
        _verify_entry(seal, entry, stored.get(entry.get("id")), report)
    extra = LogFile.objects.filter(source__unit_id=seal.unit_id, day=seal.day).exclude(
        pk__in=listed
    )
    for log_file in extra.select_related("source"):
        _fail(
            report,
            seal,
            "file",
            _("a file of the day is not in its sealed manifest"),
            source=log_file.source.name,
            file=log_file.name,
        )
    return listed | {f.pk for f in extra}


def _verify_chain(seal, previous, manifest: dict, report: Report) -> None:
    claimed = manifest.get("previous_sha256") or ""
    if seal.previous_sha256 != claimed:
        _fail(
            report,
            seal,
            "chain",
            _("the seal's previous digest differs from its manifest's"),
            expected=claimed,
            found=seal.previous_sha256,
        )
    if previous is None:
        if claimed:
            _fail(
                report,
                seal,
                "chain",
                _("the previous day's seal is missing"),
                expected=manifest.get("previous_day") or "",
                found="",
            )
        return
    if previous.day != seal.day - timedelta(days=1):
        _fail(
            report,
            seal,
            "chain",
            _("days are missing before this one"),
            expected=(seal.day - timedelta(days=1)).isoformat(),
            found=previous.day.isoformat(),
        )
    if claimed != previous.manifest_sha256:
        _fail(
            report,
            seal,
            "chain",
            _("the previous day's manifest is not the one chained"),
            expected=claimed,
            found=previous.manifest_sha256,
        )


def _verify_entry(seal, entry: dict, log_file, report: Report) -> None:
    source, name = entry.get("source", ""), entry.get("name", "")
    if log_file is None:
        _fail(
            report,
            seal,
            "file",
            _("the file's record is missing from the database"),
            source=source,
            file=name,
        )
        return
    report.files += 1
    for key, column in (
        ("gz_sha256", "gz_sha256"),
        ("sha256", "sha256"),
        ("size", "size"),
        ("records_sha256", "records_sha256"),
        ("name", "name"),
    ):
        if entry.get(key) != getattr(log_file, column):
            _fail(
                report,
                seal,
                "file",
                _("the database's %(column)s differs from the manifest") % {"column": column},
                source=source,
                file=name,
                expected=entry.get(key),
                found=getattr(log_file, column),
            )
    if log_file.deleted_at:
        if expired(log_file, log_file.deleted_at):
            report.deleted_files += 1
        else:
            _fail(
                report,
                seal,
                "file",
                _("the file was deleted before its retention period ended"),
                source=source,
                file=name,
                found=log_file.deleted_at.isoformat(),
            )
        return
    _check_stored_file(report, seal, log_file, entry.get("gz_sha256", ""), source, name)
    _check_records(report, seal, log_file, entry.get("records_sha256", ""), source, name)


def _check_stored_file(report, where, log_file, expected: str, source: str, name: str) -> None:
    path = storage.absolute(log_file.gz_path)
    try:
        found, _size = storage.sha256_file(path)
    except OSError:
        _fail(
            report,
            where,
            "file",
            _("the stored file is missing"),
            source=source,
            file=name,
            expected=expected,
            found="",
        )
        return
    if found != expected:
        _fail(
            report,
            where,
            "file",
            _("the stored file differs from its sealed digest"),
            source=source,
            file=name,
            expected=expected,
            found=found,
        )


def _check_records(report, where, log_file, expected: str, source: str, name: str) -> None:
    found, count = records.stored_digest(log_file.pk)
    report.records += count
    strangers = (
        AccessRecord.objects.filter(file_id=log_file.pk)
        .exclude(source_id=log_file.source_id)
        .count()
    )
    if strangers:
        _fail(
            report,
            where,
            "records",
            _("%(count)s access records of the file name another source") % {"count": strangers},
            source=source,
            file=name,
        )
    if found != expected:
        _fail(
            report,
            where,
            "records",
            _(
                "the access records differ from those sealed (%(count)s found, %(received)s received)"
            )
            % {"count": count, "received": log_file.records},
            source=source,
            file=name,
            expected=expected,
            found=found,
        )


def _verify_unsealed_file(log_file: LogFile, report: Report) -> None:
    """A file of a day not sealed yet: checked against the digests taken when it arrived."""
    report.files += 1
    source, name = log_file.source.name, log_file.name
    if log_file.deleted_at:
        _fail(
            report,
            log_file,
            "file",
            _("the file of a day not sealed was deleted"),
            source=source,
            file=name,
            found=log_file.deleted_at.isoformat(),
        )
        return
    _check_stored_file(report, log_file, log_file, log_file.gz_sha256, source, name)
    _check_records(report, log_file, log_file, log_file.records_sha256, source, name)
