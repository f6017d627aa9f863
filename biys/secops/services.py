"""Every write of the findings module. Keyword-only; a refused write raises ``ValidationError``
(with the field it is about) or ``PermissionDenied`` and leaves nothing behind.

Importing: ``import_report`` checks the file's format and the permission, then either imports
it at once (one transaction: every finding of the file or none) or, for a large file, records
the import and leaves it to the ``run_import`` task, which shows its progress on the import and
also writes all or nothing. Findings are matched across imports by ``dedup_key``: a new one is
created, a known one updated (last seen, the scanner's latest text), a fixed one reopened.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from biys.core.access import get_scope
from biys.core.assets import find_assets_by_address
from biys.secops import selectors
from biys.secops.choices import ACTIVE_STATES, ImportStatus, Severity, State
from biys.secops.models import Finding, ScanImport
from biys.secops.parsers import ParsedFinding, ReportError, parser_for

logger = logging.getLogger(__name__)

IMPORT = "secops.add_scanimport"
CHANGE = "secops.change_finding"
ACCEPT_RISK = "secops.accept_risk_finding"
HEAD_BYTES = 8192
CONCURRENT = gettext_noop(
    "Another import was writing the same findings at the same time; import it again."
)


def background_bytes() -> int:
    """Files larger than this import in the background (Celery; in-process without a broker)."""
    return getattr(settings, "BIYS_FINDINGS_BACKGROUND_BYTES", 2 * 1024 * 1024)


def minimum_severity() -> int:
    """Entries below this severity are counted as skipped (default: keep informational ones)."""
    return getattr(settings, "BIYS_FINDINGS_MIN_SEVERITY", Severity.INFO)


def max_risk_acceptance_days() -> int:
    return getattr(settings, "BIYS_FINDINGS_MAX_RISK_ACCEPTANCE_DAYS", 365)


def _require(user, perm: str, unit_id) -> None:
    """``user`` None is the system (a task, the demo, the command line)."""
    if user is not None and not get_scope(user).has_perm(perm, unit_id):
        raise PermissionDenied(_("You may not do this for findings of that unit."))


def _by(user):
    return user if user is not None and user.is_authenticated else None


# Deduplication and remediation targets ---------------------------------------------------


def dedup_key(row: ParsedFinding) -> str:
    """Same asset, same component, same CVEs (else the same scanner rule), same port and
    protocol: the same finding, whichever scanner or import reports it."""
    identity = "cve:" + ",".join(sorted(row.cves)) if row.cves else f"rule:{row.rule_id}"
    parts = (
        row.host.strip().lower(),
        row.component.strip().lower(),
        identity.lower(),
        str(row.port or ""),
        row.protocol.strip().lower(),
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def due_date_for(severity: int, start: date, targets: dict[int, int]) -> date | None:
    days = targets.get(int(severity))
    return start + timedelta(days=days) if days else None


# Importing -------------------------------------------------------------------------------


@dataclass
class ParsedReport:
    format: str
    rows: list[ParsedFinding]
    skipped: int


def parse_report(stream, *, size: int, format: str | None = None, progress=None) -> ParsedReport:
    """Read the whole file or raise ``ReportError``; nothing is written."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not head.strip():
        raise ReportError(_("The file is empty."))
    parser = parser_for(format, head)
    floor = minimum_severity()
    rows, skipped = [], 0
    for row in parser.parse(stream, size=size, progress=progress):
        if row.severity < floor:
            skipped += 1
        else:
            rows.append(row)
    return ParsedReport(parser.format, rows, skipped + getattr(parser, "skipped", 0))


def _batched(items, size):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


DETAIL_FIELDS = ("title", "severity", "cvss_score", "cvss_vector", "description", "solution",
                 "references", "evidence", "ip", "hostname")  # fmt: skip
UPDATE_FIELDS = (*DETAIL_FIELDS, "last_seen", "last_import", "state", "state_changed_at",
                 "state_note", "due_date", "fixed_at", "times_reopened", "last_updated")  # fmt: skip


def _apply(*, scan_import: ScanImport, report: ParsedReport, now: datetime) -> dict:
    """Write the parsed rows (inside the caller's transaction)."""
    targets = selectors.remediation_days()
    day = timezone.localdate(now)
    rows: dict[str, ParsedFinding] = {}
    skipped = report.skipped
    for row in report.rows:
        key = dedup_key(row)
        if key in rows:
            skipped += 1  # the same finding twice in one file
        else:
            rows[key] = row
    addresses = {row.host for row in rows.values()} | {
        row.hostname for row in rows.values() if row.hostname
    }
    assets = find_assets_by_address(addresses)
    existing: dict[str, Finding] = {}
    for keys in _batched(list(rows), 2000):
        for finding in Finding.objects.select_for_update().filter(dedup_key__in=keys):
            existing[finding.dedup_key] = finding
    created, changed = [], []
    counts = {"created": 0, "updated": 0, "reopened": 0}
    reopened_note = _("Found again by the import of %(file)s.") % {"file": scan_import.filename}
    for key, row in rows.items():
        finding = existing.get(key)
        details = {name: getattr(row, name) for name in DETAIL_FIELDS}
        details["cvss_vector"] = details["cvss_vector"] or ""
        if finding is None:
            asset = assets.get(row.host) or assets.get(row.hostname)
            created.append(
                Finding(
                    dedup_key=key,
                    unit_id=asset.unit_id if asset else scan_import.unit_id,
                    asset_reference=asset.inventory_number if asset else "",
                    host=row.host,
                    port=row.port,
                    protocol=row.protocol,
                    component=row.component,
                    scanner=report.format,
                    rule_id=row.rule_id,
                    cves=" ".join(row.cves)[:1000],
                    first_seen=now,
                    last_seen=now,
                    first_import=scan_import,
                    last_import=scan_import,
                    state=State.OPEN,
                    state_changed_at=now,
                    due_date=due_date_for(row.severity, day, targets),
                    **details,
                )
            )
            counts["created"] += 1
            continue
        severity_changed = finding.severity != row.severity
        for name, value in details.items():
            setattr(finding, name, value)
        finding.last_seen = now
        finding.last_import = scan_import
        finding.last_updated = now
        if finding.state == State.FIXED:
            finding.state = State.REOPENED
            finding.state_changed_at = now
            finding.state_note = reopened_note
            finding.fixed_at = None
            finding.times_reopened += 1
            finding.due_date = due_date_for(row.severity, day, targets)
            counts["reopened"] += 1
        else:
            if severity_changed and finding.state in ACTIVE_STATES:
                start = finding.state_changed_at if finding.state == State.REOPENED else None
                start = timezone.localdate(start or finding.first_seen)
                finding.due_date = due_date_for(row.severity, start, targets)
            counts["updated"] += 1
        changed.append(finding)
    Finding.objects.bulk_create(created, batch_size=1000)
    Finding.objects.bulk_update(changed, UPDATE_FIELDS, batch_size=500)
    return {**counts, "skipped": skipped, "total": len(report.rows) + report.skipped}


def _finish(scan_import: ScanImport, counts: dict, now: datetime) -> None:
    scan_import.created_count = counts["created"]
    scan_import.updated_count = counts["updated"]
    scan_import.reopened_count = counts["reopened"]
    scan_import.skipped_count = counts["skipped"]
    scan_import.total = counts["total"]
    scan_import.status = ImportStatus.DONE
    scan_import.progress = 100
    scan_import.error = ""
    scan_import.finished_at = timezone.now()
    scan_import.started_at = scan_import.started_at or now
    scan_import.save()


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        position = upload.tell()
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(position)
    return size


def import_report(
    *,
    user,
    unit,
    file,
    filename: str = "",
    format: str | None = None,
    background: bool | None = None,
) -> ScanImport:
    """Import one scanner report for ``unit`` (responsible for the findings whose host the
    asset register does not know). ``file`` is a binary file object (an upload). A file refused
    raises ``ValidationError`` on ``file`` and writes nothing; a large one (``background``
    None: larger than ``BIYS_FINDINGS_BACKGROUND_BYTES``) is recorded and imported by the
    ``run_import`` task after the commit."""
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit responsible for the findings.")})
    _require(user, IMPORT, unit.pk)
    filename = (filename or getattr(file, "name", "") or "report").rsplit("/", 1)[-1][:255]
    size = _size(file)
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    file.seek(0)
    if background is None:
        background = size > background_bytes()
    try:
        if background:
            # Refuse a file of the wrong format now; its content is checked by the task.
            chosen = parser_for(format, file.read(HEAD_BYTES)).format
            file.seek(0)
            report = None
        else:
            report = parse_report(file, size=size, format=format)
            chosen = report.format
            file.seek(0)
    except ReportError as error:
        raise ValidationError({"file": str(error)}) from error
    now = timezone.now()
    with transaction.atomic():
        scan_import = ScanImport(
            unit=unit, filename=filename, size=size, format=chosen, imported_by=_by(user)
        )
        scan_import.file.save(f"{now:%Y/%m}/{filename}", File(file), save=False)
        if report is None:
            scan_import.save()
            pk = scan_import.pk
            transaction.on_commit(lambda: _enqueue(pk))
            return scan_import
        scan_import.status = ImportStatus.RUNNING
        scan_import.started_at = now
        scan_import.save()
        try:
            counts = _apply(scan_import=scan_import, report=report, now=now)
        except IntegrityError as error:
            raise ValidationError({"file": _(CONCURRENT)}) from error
        _finish(scan_import, counts, now)
    return scan_import


def _enqueue(pk: int) -> None:
    from biys.secops.tasks import run_import

    run_import.delay(pk)


def run_import(*, scan_import_id: int) -> ScanImport:
    """The background import: parse with progress (visible to the import page), then write
    every finding in one transaction, or none and the reason on the import."""
    queued = ScanImport.objects.filter(pk=scan_import_id)
    updated = queued.filter(status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), progress=0
    )
    scan_import = queued.get()
    if not updated:
        return scan_import  # already taken by another worker, or finished

    def progress(share: float) -> None:
        queued.update(progress=min(int(share * 90), 90))

    try:
        with scan_import.file.open("rb") as stream:
            report = parse_report(
                stream, size=scan_import.size, format=scan_import.format, progress=progress
            )
        now = timezone.now()
        with transaction.atomic():
            locked = ScanImport.objects.select_for_update().get(pk=scan_import_id)
            counts = _apply(scan_import=locked, report=report, now=now)
            _finish(locked, counts, now)
        return locked
    except (ReportError, IntegrityError) as error:
        message = str(error) if isinstance(error, ReportError) else _(CONCURRENT)
        _fail(scan_import_id, message)
    except Exception:
        logger.exception("scan import %s failed", scan_import_id)
        _fail(scan_import_id, _("The import failed unexpectedly; nothing was imported."))
        raise
    return ScanImport.objects.get(pk=scan_import_id)


def _fail(pk: int, message: str) -> None:
    scan_import = ScanImport.objects.get(pk=pk)
    scan_import.status = ImportStatus.FAILED
    scan_import.error = message
    scan_import.progress = 0
    scan_import.finished_at = timezone.now()
    scan_import.save()


def import_content(*, user, unit, content: bytes, filename: str, format: str | None = None,
                   background: bool | None = False) -> ScanImport:  # fmt: skip
    """``import_report`` for bytes in memory (tests, the demo)."""
    upload = ContentFile(content, name=filename)
    return import_report(
        user=user, unit=unit, file=upload, filename=filename, format=format, background=background
    )


# The lifecycle ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    sources: tuple
    target: str
    perm: str
    note_required: bool


TRANSITIONS = {
    "start": Transition((State.OPEN, State.REOPENED), State.IN_REMEDIATION, CHANGE, False),
    "fix": Transition((*ACTIVE_STATES, State.RISK_ACCEPTED), State.FIXED, CHANGE, False),
    "false_positive": Transition(
        (*ACTIVE_STATES, State.RISK_ACCEPTED), State.FALSE_POSITIVE, CHANGE, True
    ),
    "accept_risk": Transition(ACTIVE_STATES, State.RISK_ACCEPTED, ACCEPT_RISK, True),
    "reopen": Transition(
        (State.FIXED, State.FALSE_POSITIVE, State.RISK_ACCEPTED), State.REOPENED, CHANGE, True
    ),
}


def allowed_actions(user, finding: Finding) -> list[str]:
    """The lifecycle actions ``user`` may take on ``finding`` now (the detail page's buttons)."""
    scope = get_scope(user)
    return [
        name
        for name, step in TRANSITIONS.items()
        if finding.state in step.sources and scope.has_perm(step.perm, finding.unit_id)
    ]


@transaction.atomic
def change_state(
    *,
    user,
    finding: Finding,
    action: str,
    note: str = "",
    until: date | None = None,
    today: date | None = None,
) -> Finding:
    """Move a finding along its lifecycle: ``start`` (in remediation), ``fix``,
    ``false_positive``, ``accept_risk`` (with ``until``, by the lead) or ``reopen``."""
    today = today or selectors.today()
    step = TRANSITIONS.get(action)
    if step is None:
        raise ValidationError({"action": _("Unknown action.")})
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _require(user, step.perm, finding.unit_id)
    errors = {}
    if finding.state not in step.sources:
        errors["action"] = _("A finding that is %(state)s cannot take this step.") % {
            "state": finding.get_state_display().lower()
        }
    note = (note or "").strip()
    if step.note_required and not note:
        errors["note"] = _("Give the reason.")
    if action == "accept_risk":
        if until is None:
            errors["until"] = _("Give the date the acceptance ends.")
        elif until <= today:
            errors["until"] = _("The acceptance must end after today.")
        elif until > today + timedelta(days=max_risk_acceptance_days()):
            errors["until"] = _("A risk can be accepted for %(days)s days at most.") % {
                "days": max_risk_acceptance_days()
            }
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    finding.state = step.target
    finding.state_changed_at = now
    finding.state_note = note
    if action == "accept_risk":
        finding.risk_accepted_by = _by(user)
        finding.risk_accepted_until = until
    elif finding.risk_accepted_until and step.target != State.RISK_ACCEPTED:
        finding.risk_accepted_until = None
    if action == "fix":
        finding.fixed_at = now
    if action == "reopen":
        finding.fixed_at = None
        finding.times_reopened += 1
        finding.due_date = due_date_for(
            finding.severity, timezone.localdate(now), selectors.remediation_days()
        )
    finding.save()
    return finding


def expire_risk_acceptances(*, today: date | None = None) -> int:
    """A risk accepted until a day before ``today`` is open again, with its original (missed)
    date to fix by. Daily job."""
    today = today or selectors.today()
    expired = 0
    for finding in Finding.objects.filter(
        state=State.RISK_ACCEPTED, risk_accepted_until__lt=today
    ).iterator():
        with transaction.atomic():
            finding.state = State.OPEN
            finding.state_changed_at = timezone.now()
            finding.state_note = _("The risk acceptance ended on %(day)s.") % {
                "day": finding.risk_accepted_until.strftime("%d.%m.%Y")
            }
            finding.save()
            expired += 1
    return expired
