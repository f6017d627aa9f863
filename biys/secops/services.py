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
from collections import Counter
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
from biys.core.bulk import update_rows
from biys.secops import due_summary, selectors
from biys.secops.choices import ACTIVE_STATES, FindingSource, ImportStatus, Severity, State
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
    created, changed, touched = [], [], []
    delta = Counter()  # the overdue summary's cells this import moves (``due_summary``)
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
            due_summary.change(None, due_summary.cell_of(created[-1]), delta)
            counts["created"] += 1
            continue
        severity_changed = finding.severity != row.severity
        same = finding.state != State.FIXED and all(
            getattr(finding, name) == value for name, value in details.items()
        )
        if same:  # seen again, nothing else to write: the common case of a rescan
            touched.append(finding.pk)
            counts["updated"] += 1
            continue
        before = due_summary.cell_of(finding)
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
        due_summary.change(before, due_summary.cell_of(finding), delta)
        changed.append(finding)
    Finding.objects.bulk_create(created, batch_size=1000)
    for ids in _batched(touched, 2000):
        Finding.objects.filter(pk__in=ids).update(
            last_seen=now, last_import=scan_import, last_updated=now
        )
    update_rows(Finding, changed, UPDATE_FIELDS)
    # bulk_create, update() and update_rows bypass Finding.save(): add what they moved.
    due_summary.apply(delta)
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


@transaction.atomic
def rebuild_due_summary() -> dict:
    """Recount the overdue summary (``FindingDueCount``) from the findings, in bulk: after a
    change the application did not make (an ``UPDATE`` typed in SQL, a restore, findings
    re-dated by hand after the remediation targets changed). Idempotent. Answers the cells
    and findings counted and how many cells were wrong before (``corrected``: missing, extra
    or with another count; the empty cells dropped are not counted)."""
    from biys.secops.models import FindingDueCount

    def cells() -> Counter:
        rows = FindingDueCount.objects.exclude(count=0).values_list(
            "unit_id", "severity", "due_date", "count"
        )
        return Counter({(unit, severity, day): n for unit, severity, day, n in rows})

    before = cells()
    due_summary.rebuild()
    after = cells()
    corrected = sum(1 for key in before.keys() | after.keys() if before[key] != after[key])
    result = {
        "cells": len(after),
        "findings": sum(after.values()),
        "findings_before": sum(before.values()),
        "corrected": corrected,
    }
    logger.info("Overdue summary rebuilt: %s", result)
    return result


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


# Incidents (SOME) --------------------------------------------------------------------------

ADD_INCIDENT = "secops.add_incident"
CHANGE_INCIDENT = "secops.change_incident"
INCIDENT_SEQUENCE = "secops.incident"
INCIDENT_NUMBER_TEMPLATE = "SOME-{year}-{seq:04d}"
INCIDENT_FIELDS = ("title", "source", "source_reference", "detected_at", "classification",
                   "severity", "personal_data", "affected_assets", "description",
                   "containment", "recovery", "lessons")  # fmt: skip


def require_incident(user, incident) -> None:
    """Changing ``incident`` (its state, timeline, indicators, notifications, tasks): the
    services check it, and the API checks it before it reads a body."""
    if user is not None and not get_scope(user).has_perm(CHANGE_INCIDENT, incident.unit_id):
        raise PermissionDenied(_("You may not change this incident."))


def _locked(incident):
    from biys.secops.models import Incident

    return Incident.objects.select_for_update().get(pk=incident.pk)


def _check_incident(values: dict, *, now: datetime) -> None:
    errors = {}
    detected = values.get("detected_at")
    if detected is None:
        errors["detected_at"] = _("Give the moment the incident was detected.")
    elif detected > now + timedelta(minutes=5):
        errors["detected_at"] = _("The detection cannot be in the future.")
    if not (values.get("title") or "").strip():
        errors["title"] = _("Give the incident a title.")
    if values.get("source") == "monitoring" and values.get("ticket") is None:
        errors["ticket"] = _("Name the service-desk ticket the monitoring alert became.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_incident(
    *,
    user,
    unit,
    title: str,
    source: str,
    detected_at: datetime,
    classification: str,
    severity: int,
    ticket=None,
    source_reference: str = "",
    personal_data: bool = False,
    affected_units=(),
    affected_assets: str = "",
    description: str = "",
    named_people=(),
) -> "Incident":  # noqa: F821
    """Record an incident in ``unit`` (the SOME's unit) with its yearly number."""
    from biys.core.numbering import next_number
    from biys.secops.models import Incident, IncidentEvent

    if unit is None:
        raise ValidationError({"unit": _("Choose the responsible unit.")})
    _require(user, ADD_INCIDENT, unit.pk)
    now = timezone.now()
    values = {"title": title, "source": source, "detected_at": detected_at, "ticket": ticket}
    _check_incident(values, now=now)
    incident = Incident(
        unit=unit,
        title=title.strip(),
        source=source,
        ticket=ticket,
        source_reference=source_reference.strip(),
        detected_at=detected_at,
        classification=classification,
        severity=severity,
        personal_data=personal_data,
        affected_assets=affected_assets.strip(),
        description=description.strip(),
        reported_by=_by(user),
    )
    incident.number = next_number(
        INCIDENT_SEQUENCE, at=detected_at, template=INCIDENT_NUMBER_TEMPLATE
    )
    incident.save()
    incident.affected_units.set(affected_units)
    incident.named_people.set(named_people)
    IncidentEvent.objects.create(
        incident=incident,
        occurred_at=detected_at,
        text=_("Incident detected (%(source)s).") % {"source": incident.get_source_display()},
        author=_by(user),
    )
    return incident


@transaction.atomic
def update_incident(*, user, incident, unit=None, affected_units=None, named_people=None, **values):
    """Change the incident's record (the fields of ``INCIDENT_FIELDS``, the responsible unit,
    the ticket, the affected units and the named people); the number and the state do not
    change here. A new responsible unit needs the permission there too."""
    incident = _locked(incident)
    require_incident(user, incident)
    if unit is not None and unit.pk != incident.unit_id:
        _require(user, CHANGE_INCIDENT, unit.pk)
        incident.unit = unit
    unknown = set(values) - {*INCIDENT_FIELDS, "ticket"}
    if unknown:
        raise ValueError(f"not incident fields: {sorted(unknown)}")
    merged = {name: getattr(incident, name) for name in (*INCIDENT_FIELDS, "ticket")} | values
    _check_incident(merged, now=timezone.now())
    for name, value in values.items():
        setattr(incident, name, value.strip() if isinstance(value, str) else value)
    incident.save()
    if affected_units is not None:
        incident.affected_units.set(affected_units)
    if named_people is not None:
        incident.named_people.set(named_people)
    return incident


@dataclass(frozen=True)
class IncidentStep:
    sources: tuple
    target: str
    stamp: str | None
    text: str


INCIDENT_STEPS = {
    "contain": IncidentStep(("open",), "contained", "contained_at", gettext_noop("Contained.")),
    "recover": IncidentStep(
        ("contained",), "recovered", "recovered_at", gettext_noop("Recovered.")
    ),
    "close": IncidentStep(("recovered",), "closed", "closed_at", gettext_noop("Closed.")),
    "reopen": IncidentStep(
        ("contained", "recovered", "closed"), "open", None, gettext_noop("Reopened.")
    ),
}


def incident_actions(user, incident) -> list[str]:
    if not get_scope(user).has_perm(CHANGE_INCIDENT, incident.unit_id):
        return []
    return [name for name, step in INCIDENT_STEPS.items() if incident.state in step.sources]


@transaction.atomic
def change_incident_state(*, user, incident, action: str, note: str = ""):
    """open → contained → recovered → closed (``reopen`` goes back to open). Containing
    needs the containment steps, recovering the recovery steps, closing the lessons learnt;
    each step writes a line on the timeline."""
    from biys.secops.models import IncidentEvent

    step = INCIDENT_STEPS.get(action)
    if step is None:
        raise ValidationError({"action": _("Unknown action.")})
    incident = _locked(incident)
    require_incident(user, incident)
    if incident.state not in step.sources:
        raise ValidationError(
            {
                "action": _("An incident that is %(state)s cannot take this step.")
                % {"state": incident.get_state_display().lower()}
            }
        )
    needed = {
        "contain": ("containment", _("Write the containment steps first.")),
        "recover": ("recovery", _("Write the recovery steps first.")),
        "close": ("lessons", _("Write the lessons learnt first.")),
    }.get(action)
    if needed and not getattr(incident, needed[0]).strip():
        raise ValidationError({needed[0]: needed[1]})
    note = (note or "").strip()
    if action == "reopen" and not note:
        raise ValidationError({"note": _("Give the reason.")})
    now = timezone.now()
    incident.state = step.target
    if step.stamp:
        setattr(incident, step.stamp, now)
    if action == "reopen":
        incident.closed_at = None
    incident.save()
    IncidentEvent.objects.create(
        incident=incident,
        occurred_at=now,
        text=" ".join(part for part in (_(step.text), note) if part),
        author=_by(user),
    )
    return incident


@transaction.atomic
def add_event(*, user, incident, text: str, occurred_at: datetime | None = None):
    from biys.secops.models import IncidentEvent

    require_incident(user, incident)
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = _("Write what happened.")
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = _("The event cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return IncidentEvent.objects.create(
        incident=incident, occurred_at=occurred_at, text=text, author=_by(user)
    )


def normalise_indicator(kind: str, value: str) -> str:
    """The one spelling of an indicator, so the same one is one row: addresses in their
    canonical form, domains, e-mail addresses and hashes in lower case; a value that is not
    of its kind raises ``ValidationError`` on ``value``."""
    import ipaddress
    import re

    value = (value or "").strip()
    if not value:
        raise ValidationError({"value": _("Give the value.")})
    if kind == "ip":
        try:
            return str(ipaddress.ip_address(value))
        except ValueError as error:
            raise ValidationError({"value": _("Not an IP address.")}) from error
    if kind == "domain":
        value = value.lower().rstrip(".")
        if not re.fullmatch(
            r"(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}", value
        ):
            raise ValidationError({"value": _("Not a domain name.")})
        return value
    if kind == "hash":
        value = value.lower()
        if not re.fullmatch(r"[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128}", value):
            raise ValidationError({"value": _("Not an MD5, SHA-1, SHA-256 or SHA-512 hash.")})
        return value
    if kind == "email":
        value = value.lower()
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValidationError({"value": _("Not an e-mail address.")})
        return value
    if kind == "url":
        if not re.match(r"^[a-z][a-z0-9+.-]*://\S+$", value, re.IGNORECASE):
            raise ValidationError({"value": _("Not a URL.")})
        return value
    raise ValidationError({"kind": _("Unknown kind of indicator.")})


@transaction.atomic
def add_indicator(*, user, incident, kind: str, value: str):
    """Link the indicator to ``incident``, creating it only when no incident has seen it."""
    from biys.secops.models import IncidentEvent, Indicator

    require_incident(user, incident)
    value = normalise_indicator(kind, value)
    try:
        with transaction.atomic():
            indicator, _created = Indicator.objects.get_or_create(kind=kind, value=value)
    except IntegrityError:  # another writer created it first
        indicator = Indicator.objects.get(kind=kind, value=value)
    if not indicator.incidents.filter(pk=incident.pk).exists():
        indicator.incidents.add(incident)
        IncidentEvent.objects.create(
            incident=incident,
            occurred_at=timezone.now(),
            text=_("Indicator added: %(indicator)s") % {"indicator": indicator},
            author=_by(user),
        )
        if indicator.usom_address_id is None:
            match_indicators(indicators=[indicator])  # on USOM's list: a line on the timeline
            indicator.refresh_from_db()
        else:
            IncidentEvent.objects.create(
                incident=incident,
                occurred_at=timezone.now(),
                text=_("Indicator %(indicator)s is on USOM's malicious address list.")
                % {"indicator": indicator},
            )
    return indicator


@transaction.atomic
def remove_indicator(*, user, incident, indicator) -> None:
    require_incident(user, incident)
    indicator.incidents.remove(incident)


@transaction.atomic
def record_notification(
    *, user, incident, rule, sent_at: datetime, content: str, reference: str = ""
):
    """Record what was reported to ``rule``'s authority, when and by whom."""
    require_incident(user, incident)
    return _send_notification(
        user=user, incident=incident, rule=rule, sent_at=sent_at, content=content,
        reference=reference,
    )  # fmt: skip


def _send_notification(*, user, incident, rule, sent_at, content, reference):
    """The record of a notification sent, checked, with its line on the timeline (the caller
    checked the permission)."""
    from biys.secops.models import IncidentEvent, Notification

    errors = {}
    content = (content or "").strip()
    if rule is None:
        errors["rule"] = _("Choose the notification.")
    if not content:
        errors["content"] = _("Write what was sent.")
    if sent_at is None:
        errors["sent_at"] = _("Give the time it was sent.")
    elif sent_at > timezone.now() + timedelta(minutes=5):
        errors["sent_at"] = _("The notification cannot be sent in the future.")
    elif sent_at < incident.detected_at.replace(second=0, microsecond=0):  # forms give minutes
        errors["sent_at"] = _("The notification cannot be sent before the detection.")
    if errors:
        raise ValidationError(errors)
    notification = Notification.objects.create(
        incident=incident,
        rule=rule,
        sent_at=sent_at,
        content=content,
        reference=(reference or "").strip(),
        sent_by=_by(user),
    )
    IncidentEvent.objects.create(
        incident=incident,
        occurred_at=sent_at,
        text=_("Notified %(authority)s.") % {"authority": rule.authority},
        author=_by(user),
    )
    return notification


def max_evidence_bytes() -> int:
    return getattr(settings, "BIYS_EVIDENCE_MAX_BYTES", 200 * 1024 * 1024)


@transaction.atomic
def add_evidence(*, user, incident, file, filename: str = "", description: str = ""):
    """Store an evidence file as it is (no content check: evidence may be malware), with its
    SHA-256 and the first line of its custody log."""
    from biys.secops.models import CustodyEntry, Evidence

    require_incident(user, incident)
    filename = (filename or getattr(file, "name", "") or "evidence").rsplit("/", 1)[-1][:255]
    size = _size(file)
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > max_evidence_bytes():
        raise ValidationError({"file": _("The file is too large.")})
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    evidence = Evidence(
        incident=incident,
        filename=filename,
        size=size,
        sha256=digest.hexdigest(),
        description=(description or "").strip(),
        added_by=_by(user),
    )
    evidence.file.save(f"{digest.hexdigest()[:16]}-{filename}", File(file), save=False)
    evidence.save()
    CustodyEntry.objects.create(evidence=evidence, action=CustodyEntry.Action.ADDED, user=_by(user))
    return evidence


def log_evidence_download(*, user, evidence, address: str | None = None):
    """A download of an evidence file, written to its custody log (the caller checked that
    ``user`` may see the incident)."""
    from biys.secops.models import CustodyEntry

    return CustodyEntry.objects.create(
        evidence=evidence,
        action=CustodyEntry.Action.DOWNLOADED,
        user=_by(user),
        address=address or None,
    )


@transaction.atomic
def may_escalate(user, ticket) -> bool:
    """A ticket is made an incident by the SOME of the unit handling it, or by someone who may
    see it: never by the SOME of another unit (the incident would carry its title, and the
    ticket a note)."""
    from django.apps import apps

    if get_scope(user).has_perm(ADD_INCIDENT, ticket.responsible_unit_id):
        return True
    tickets = apps.get_model("servicedesk", "Ticket").objects.restrict(user, "view")
    return tickets.filter(pk=ticket.pk).exists()


def escalate_ticket(
    *, user, ticket, unit, classification: str, severity: int, title: str = "",
    personal_data: bool = False,
):  # fmt: skip
    """Make an incident of a service-desk ticket (a monitoring alert): detected when the
    ticket was filed; the ticket gets an internal note naming the incident. The service desk
    knows nothing of incidents (the layers): the note is the ticket's link."""
    from django.contrib.contenttypes.models import ContentType

    from biys.comments.models import Comment
    from biys.secops.models import Incident

    if user is not None and not may_escalate(user, ticket):
        # Not theirs to see: refused as a ticket that does not exist.
        raise ValidationError({"ticket_number": _("No ticket has this number.")})
    already = Incident.objects.filter(ticket=ticket).first()
    if already is not None:
        raise ValidationError(
            {"ticket": _("The ticket is already incident %(number)s.") % {"number": already.number}}
        )
    incident = create_incident(
        user=user,
        unit=unit,
        title=title or ticket.title,
        source="monitoring",
        ticket=ticket,
        source_reference=ticket.number,
        detected_at=ticket.created or timezone.now(),
        classification=classification,
        severity=severity,
        personal_data=personal_data,
    )
    Comment.objects.create(
        content_type=ContentType.objects.get_for_model(ticket),
        object_id=str(ticket.pk),
        author=_by(user),
        text=_("Escalated to security incident %(number)s.") % {"number": incident.number},
        is_internal=True,
    )
    return incident


# Personal-data breaches (KVKK) -------------------------------------------------------------

ADD_BREACH = "secops.add_breach"
CHANGE_BREACH = "secops.change_breach"
BREACH_FIELDS = ("data_categories", "subject_groups", "subjects_affected", "records_affected",
                 "consequences", "measures", "late_reason", "subjects_notified_at",
                 "subjects_notification")  # fmt: skip


def _check_breach(breach, incident) -> None:
    errors = {}
    try:
        breach.full_clean(exclude=["incident", "recorded_by"])
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    notified = breach.subjects_notified_at
    if notified is not None:
        if notified > timezone.now() + timedelta(minutes=5):
            errors["subjects_notified_at"] = [_("The notification cannot be in the future.")]
        elif notified < incident.detected_at.replace(second=0, microsecond=0):
            errors["subjects_notified_at"] = [
                _("The data subjects cannot be notified before the detection.")
            ]
    if notified is not None and not breach.subjects_notification.strip():
        errors["subjects_notification"] = [_("Say how the data subjects were notified.")]
    if errors:
        raise ValidationError(errors)


def require_breach(user, breach) -> None:
    """Changing ``breach`` (its record, the Board's notification): the services check it, and
    the API checks it before it reads a body."""
    if user is not None and not get_scope(user).has_perm(CHANGE_BREACH, breach.incident.unit_id):
        raise PermissionDenied(_("You may not change this breach record."))


def may_record_breach(user, incident) -> bool:
    return bool(incident.personal_data) and get_scope(user).has_perm(ADD_BREACH, incident.unit_id)


@transaction.atomic
def record_breach(*, user, incident, **values):
    """The breach record of an incident that involves personal data (the SOME marks it so):
    one per incident; its clock is the incident's KVKK notification rule."""
    from biys.secops.models import Breach, IncidentEvent

    unknown = set(values) - set(BREACH_FIELDS)
    if unknown:
        raise ValueError(f"not breach fields: {sorted(unknown)}")
    incident = _locked(incident)
    if user is not None and not get_scope(user).has_perm(ADD_BREACH, incident.unit_id):
        raise PermissionDenied(_("You may not record the breach of this incident."))
    if not incident.personal_data:
        raise ValidationError(
            {"incident": _("Only an incident that involves personal data is a breach.")}
        )
    if Breach.objects.filter(incident=incident).exists():
        raise ValidationError({"incident": _("The incident's breach is already recorded.")})
    breach = Breach(incident=incident, recorded_by=_by(user))
    for name, value in values.items():
        setattr(breach, name, value.strip() if isinstance(value, str) else value)
    _check_breach(breach, incident)
    breach.save()
    IncidentEvent.objects.create(
        incident=incident,
        occurred_at=timezone.now(),
        text=_("Personal-data breach recorded (KVKK)."),
        author=_by(user),
    )
    return breach


@transaction.atomic
def update_breach(*, user, breach, **values):
    from biys.secops.models import Breach

    unknown = set(values) - set(BREACH_FIELDS)
    if unknown:
        raise ValueError(f"not breach fields: {sorted(unknown)}")
    breach = Breach.objects.select_for_update().select_related("incident").get(pk=breach.pk)
    require_breach(user, breach)
    for name, value in values.items():
        setattr(breach, name, value.strip() if isinstance(value, str) else value)
    _check_breach(breach, breach.incident)
    breach.save()
    return breach


def board_rule():
    """The notification rule of a personal-data breach (the KVKK Board's 72 hours by default),
    ``None`` when the SOME lead has switched every such rule off."""
    from biys.secops.choices import RuleCondition
    from biys.secops.models import NotificationRule

    return (
        NotificationRule.objects.filter(applies_when=RuleCondition.PERSONAL_DATA, active=True)
        .order_by("hours", "pk")
        .first()
    )


@transaction.atomic
def notify_board(*, user, breach, sent_at: datetime, content: str, reference: str = ""):
    """Record what was sent to the KVKK Board for a breach: a notification of its incident
    under the personal-data rule, so the incident's clock shows it too."""
    require_breach(user, breach)
    rule = board_rule()
    if rule is None:
        raise ValidationError(
            {"rule": _("No active notification rule applies to personal data breaches.")}
        )
    return _send_notification(
        user=user, incident=breach.incident, rule=rule, sent_at=sent_at, content=content,
        reference=reference,
    )  # fmt: skip


# Penetration tests -------------------------------------------------------------------------

ADD_PENTEST = "secops.add_pentest"
CHANGE_PENTEST = "secops.change_pentest"
PENTEST_FIELDS = ("title", "tester", "started_on", "ended_on", "scope")
PENTEST_FINDING_FIELDS = ("host", "title", "severity", "rule_id", "port", "protocol",
                          "component", "cves", "cvss_score", "cvss_vector", "description",
                          "solution", "references", "evidence")  # fmt: skip


def max_report_bytes() -> int:
    return getattr(settings, "BIYS_PENTEST_REPORT_MAX_BYTES", 100 * 1024 * 1024)


def _check_pentest(values: dict) -> None:
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _("Give the test a title.")
    if not (values.get("tester") or "").strip():
        errors["tester"] = _("Name the company or team that tested.")
    started, ended = values.get("started_on"), values.get("ended_on")
    if started is None:
        errors["started_on"] = _("Give the day the test started.")
    elif ended is not None and ended < started:
        errors["ended_on"] = _("The test cannot end before it starts.")
    if errors:
        raise ValidationError(errors)


def _store_report(pentest, file, filename: str) -> None:
    """Keep the tester's report as it is, with its SHA-256 (the caller saves ``pentest``)."""
    filename = (filename or getattr(file, "name", "") or "report").rsplit("/", 1)[-1][:255]
    size = _size(file)
    if size == 0:
        raise ValidationError({"report": _("The file is empty.")})
    if size > max_report_bytes():
        raise ValidationError({"report": _("The file is too large.")})
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    pentest.report_filename = filename
    pentest.report_sha256 = digest.hexdigest()
    pentest.report.save(f"{digest.hexdigest()[:16]}-{filename}", File(file), save=False)


@transaction.atomic
def create_pentest(
    *, user, unit, title: str, tester: str, started_on: date, ended_on: date | None = None,
    scope: str = "", report=None, report_filename: str = "",
):  # fmt: skip
    """Record a penetration test for ``unit`` (responsible for the findings whose asset the
    register does not know), with the tester's report file when given."""
    from biys.secops.models import PenTest

    if unit is None:
        raise ValidationError({"unit": _("Choose the responsible unit.")})
    _require(user, ADD_PENTEST, unit.pk)
    values = {"title": title, "tester": tester, "started_on": started_on, "ended_on": ended_on}
    _check_pentest(values)
    pentest = PenTest(
        unit=unit,
        title=title.strip(),
        tester=tester.strip(),
        started_on=started_on,
        ended_on=ended_on,
        scope=(scope or "").strip(),
        recorded_by=_by(user),
    )
    if report is not None:
        _store_report(pentest, report, report_filename)
    pentest.save()
    return pentest


@transaction.atomic
def update_pentest(*, user, pentest, unit=None, report=None, report_filename: str = "", **values):
    """Change the test's record (``PENTEST_FIELDS``, the unit, a new report file)."""
    from biys.secops.models import PenTest

    unknown = set(values) - set(PENTEST_FIELDS)
    if unknown:
        raise ValueError(f"not penetration test fields: {sorted(unknown)}")
    pentest = PenTest.objects.select_for_update().get(pk=pentest.pk)
    require_pentest(user, pentest)
    if unit is not None and unit.pk != pentest.unit_id:
        _require(user, CHANGE_PENTEST, unit.pk)
        pentest.unit = unit
    merged = {name: getattr(pentest, name) for name in PENTEST_FIELDS} | values
    _check_pentest(merged)
    for name, value in values.items():
        setattr(pentest, name, value.strip() if isinstance(value, str) else value)
    if report is not None:
        _store_report(pentest, report, report_filename)
    pentest.save()
    return pentest


CVE_PATTERN = r"CVE-\d{4}-\d{4,}"


def _parse_cves(text: str) -> list[str]:
    import re

    words = [word for word in re.split(r"[\s,;]+", (text or "").strip().upper()) if word]
    wrong = [word for word in words if not re.fullmatch(CVE_PATTERN, word)]
    if wrong:
        raise ValidationError(
            {"cves": _("Not a CVE number: %(value)s") % {"value": ", ".join(wrong[:3])}}
        )
    return sorted(set(words))


def pentest_row(*, host: str, title: str, severity, rule_id: str = "", port=None,
                protocol: str = "", component: str = "", cves: str = "", cvss_score=None,
                cvss_vector: str = "", description: str = "", solution: str = "",
                references: str = "", evidence: str = "") -> ParsedFinding:  # fmt: skip
    """A finding typed in from a penetration test's report, checked and in the shape the
    parsers give, so it deduplicates like a scanner's: ``ValidationError`` per field."""
    import ipaddress
    from decimal import Decimal, InvalidOperation

    from django.utils.text import slugify

    errors = {}
    host = (host or "").strip()
    title = (title or "").strip()
    if not host:
        errors["host"] = _("Name the tested asset: IP address, host name or URL.")
    elif len(host) > 255:
        errors["host"] = _("Keep the asset under 255 characters.")
    if not title:
        errors["title"] = _("Give the finding a title.")
    elif len(title) > 500:
        errors["title"] = _("Keep the title under 500 characters.")
    try:
        severity = int(severity)
        if severity not in Severity.values:
            raise ValueError
    except (TypeError, ValueError):
        errors["severity"] = _("Choose a severity.")
    if port in ("", None):
        port = None
    else:
        try:
            port = int(port)
            if not 0 < port < 65536:
                raise ValueError
        except (TypeError, ValueError):
            errors["port"] = _("A port is a number from 1 to 65535.")
    protocol = (protocol or "").strip().lower()
    if len(protocol) > 20:
        errors["protocol"] = _("Keep the protocol under 20 characters.")
    if cvss_score not in ("", None):
        try:
            cvss_score = Decimal(str(cvss_score)).quantize(Decimal("0.1"))
            if not Decimal(0) <= cvss_score <= Decimal(10):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["cvss_score"] = _("A CVSS score is from 0.0 to 10.0.")
    else:
        cvss_score = None
    try:
        cve_list = _parse_cves(cves)
    except ValidationError as error:
        errors.update(error.message_dict)
        cve_list = []
    rule_id = (rule_id or "").strip()[:200] or f"pentest:{slugify(title)[:150]}"
    if errors:
        raise ValidationError(errors)
    try:
        ip = str(ipaddress.ip_address(host))
        host = ip
    except ValueError:
        ip = ""
    return ParsedFinding(
        host=host,
        rule_id=rule_id,
        title=title,
        severity=severity,
        ip=ip,
        hostname="" if ip else host.lower()[:255],
        port=port,
        protocol=protocol,
        component=(component or "").strip()[:300],
        cves=cve_list,
        cvss_score=cvss_score,
        cvss_vector=(cvss_vector or "").strip()[:200],
        description=(description or "").strip(),
        solution=(solution or "").strip(),
        references=(references or "").strip(),
        evidence=(evidence or "").strip(),
    )


def require_pentest(user, pentest) -> None:
    """Adding to ``pentest`` (a finding typed in): the service checks it, and the API checks
    it before it reads the body."""
    _require(user, CHANGE_PENTEST, pentest.unit_id)


@transaction.atomic
def add_pentest_finding(*, user, pentest, **values) -> tuple[Finding, str]:
    """Type in one finding of ``pentest``: the same asset, component, CVEs (else the same
    reference), port and protocol as a known finding, whichever scanner or test found it, is
    that finding (updated, or reopened when it was fixed); otherwise a new one, owned by the
    unit of the registered asset or else by the test's unit. Returns the finding and
    ``created``, ``updated`` or ``reopened``."""
    from biys.secops.models import PenTest

    unknown = set(values) - set(PENTEST_FINDING_FIELDS)
    if unknown:
        raise ValueError(f"not finding fields: {sorted(unknown)}")
    pentest = PenTest.objects.select_for_update().get(pk=pentest.pk)
    require_pentest(user, pentest)
    row = pentest_row(**values)
    key = dedup_key(row)
    now = timezone.now()
    day = timezone.localdate(now)
    targets = selectors.remediation_days()
    details = {name: getattr(row, name) for name in DETAIL_FIELDS}
    finding = Finding.objects.select_for_update().filter(dedup_key=key).first()
    if finding is None:
        assets = find_assets_by_address({row.host, row.hostname} - {""})
        asset = assets.get(row.host) or assets.get(row.hostname)
        try:
            with transaction.atomic():
                finding = Finding.objects.create(
                    dedup_key=key,
                    unit_id=asset.unit_id if asset else pentest.unit_id,
                    asset_reference=asset.inventory_number if asset else "",
                    host=row.host,
                    port=row.port,
                    protocol=row.protocol,
                    component=row.component,
                    scanner=FindingSource.PENTEST,
                    pentest=pentest,
                    rule_id=row.rule_id,
                    cves=" ".join(row.cves)[:1000],
                    first_seen=now,
                    last_seen=now,
                    state=State.OPEN,
                    state_changed_at=now,
                    due_date=due_date_for(row.severity, day, targets),
                    **details,
                )
        except IntegrityError as error:
            raise ValidationError({"host": _(CONCURRENT)}) from error
        return finding, "created"
    outcome = "updated"
    severity_changed = finding.severity != row.severity
    for name, value in details.items():
        setattr(finding, name, value)
    finding.last_seen = now
    finding.pentest = pentest
    if finding.state == State.FIXED:
        finding.state = State.REOPENED
        finding.state_changed_at = now
        finding.state_note = _("Found again by the penetration test %(test)s.") % {
            "test": pentest.title
        }
        finding.fixed_at = None
        finding.times_reopened += 1
        finding.due_date = due_date_for(row.severity, day, targets)
        outcome = "reopened"
    elif severity_changed and finding.state in ACTIVE_STATES:
        start = finding.state_changed_at if finding.state == State.REOPENED else None
        start = timezone.localdate(start or finding.first_seen)
        finding.due_date = due_date_for(row.severity, start, targets)
    finding.save()
    return finding, outcome


# Remediation tickets -----------------------------------------------------------------------

# Ticket states in which the service desk considers the work done (the finding still waits
# for the SOME to verify the fix).
TICKET_DONE_STATES = ("resolved", "closed")
TICKET_DEAD_STATES = ("cancelled",)


def ticket_done(finding) -> bool:
    ticket = finding.ticket
    return ticket is not None and ticket.state in TICKET_DONE_STATES


def awaiting_verification(finding) -> bool:
    """The ticket opened for the fix is resolved or closed, the finding still active: the
    SOME checks the fix (a later scan, or marks it fixed; a false one is reopened)."""
    return finding.is_active and ticket_done(finding)


def may_open_ticket(user, finding) -> bool:
    from biys.core.tickets import ticket_opener_installed

    if not ticket_opener_installed() or not finding.is_active:
        return False
    if finding.ticket_id is not None and finding.ticket.state not in TICKET_DEAD_STATES:
        return False
    return get_scope(user).has_perm(CHANGE, finding.unit_id)


def _ticket_description(finding) -> str:
    lines = [
        _("Vulnerability finding to fix (security operations):"),
        f"{finding.title}",
        _("Asset: %(host)s") % {"host": finding.host}
        + (f":{finding.port}/{finding.protocol}" if finding.port else ""),
        _("Severity: %(severity)s") % {"severity": finding.get_severity_display()},
    ]
    if finding.cves:
        lines.append(f"CVE: {finding.cves}")
    if finding.due_date:
        lines.append(_("Fix by: %(day)s") % {"day": finding.due_date.strftime("%d.%m.%Y")})
    if finding.solution:
        lines += ["", _("Solution:"), finding.solution[:4000]]
    lines += [
        "",
        _(
            "Closing this ticket does not close the finding: the security team verifies the"
            " fix with a later scan."
        ),
    ]
    return "\n".join(lines)


@transaction.atomic
def open_finding_ticket(*, user, finding) -> Finding:
    """File a service-desk ticket for the fix of ``finding``, for the unit owning its asset
    (through ``biys.core.tickets``: the service desk picks the catalogue item of that unit or
    the nearest above it); the finding keeps the ticket and, if open, goes into remediation.
    One live ticket per finding; a cancelled one may be replaced."""
    from biys.core.tickets import open_ticket

    finding = (
        Finding.objects.select_for_update(of=("self",)).select_related("ticket").get(pk=finding.pk)
    )
    _require(user, CHANGE, finding.unit_id)
    if not finding.is_active:
        raise ValidationError({"ticket": _("Only a finding that waits for a fix gets a ticket.")})
    if finding.ticket_id is not None and finding.ticket.state not in TICKET_DEAD_STATES:
        raise ValidationError(
            {"ticket": _("The finding already has ticket %(number)s.")
             % {"number": finding.ticket.number}}
        )  # fmt: skip
    opened = open_ticket(
        user=user,
        unit_id=finding.unit_id,
        title=_("Vulnerability fix: %(title)s") % {"title": finding.title},
        description=_ticket_description(finding),
        asset_reference=finding.asset_reference,
    )
    now = timezone.now()
    finding.ticket_id = opened.pk
    if finding.state in (State.OPEN, State.REOPENED):
        finding.state = State.IN_REMEDIATION
        finding.state_changed_at = now
    finding.state_note = _("Service-desk ticket %(number)s opened for the fix.") % {
        "number": opened.number
    }
    finding.save()
    return finding


# USOM's malicious address list -------------------------------------------------------------

IMPORT_USOM = "secops.add_usomlistimport"


def max_usom_bytes() -> int:
    return getattr(settings, "BIYS_USOM_MAX_BYTES", 200 * 1024 * 1024)


def _require_anywhere(user, perm: str) -> None:
    if user is not None and not get_scope(user).has_perm(perm):
        raise PermissionDenied(_("You may not import USOM's list."))


def import_usom_list(
    *, user, file, filename: str = "", source: str = "upload", background: bool | None = None
):
    """Import USOM's list of malicious addresses from a file (``url-list.txt`` or the address
    API's JSON). A file refused raises ``ValidationError`` on ``file`` and writes nothing; a
    large one (``background`` None: over ``BIYS_FINDINGS_BACKGROUND_BYTES``) is recorded and
    imported by the ``run_usom_import`` task after the commit. ``user`` None is the schedule."""
    from biys.secops.models import UsomListImport
    from biys.secops.usom import UsomListError, parse

    _require_anywhere(user, IMPORT_USOM)
    filename = (filename or getattr(file, "name", "") or "url-list.txt").rsplit("/", 1)[-1][:255]
    size = _size(file)
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > max_usom_bytes():
        raise ValidationError({"file": _("The file is too large.")})
    if background is None:
        background = size > background_bytes()
    file.seek(0)
    parsed = None
    if not background:
        try:
            parsed = parse(file.read())
        except UsomListError as error:
            raise ValidationError({"file": str(error)}) from error
        file.seek(0)
    now = timezone.now()
    with transaction.atomic():
        record = UsomListImport(
            filename=filename,
            size=size,
            format=parsed.format if parsed else ("json" if filename.endswith(".json") else "txt"),
            source=source,
            imported_by=_by(user),
        )
        record.file.save(f"{now:%Y/%m}/{filename}", File(file), save=False)
        if parsed is None:
            record.save()
            pk = record.pk
            transaction.on_commit(lambda: _enqueue_usom(pk))
            return record
        record.status = ImportStatus.RUNNING
        record.started_at = now
        record.save()
        _apply_usom(record, parsed, now=now)
    return record


def _enqueue_usom(pk: int) -> None:
    from biys.secops.tasks import run_usom_import

    run_usom_import.delay(pk)


def run_usom_import(*, usom_import_id: int):
    """The background import of a large list: all or nothing, the reason on the import."""
    from biys.secops.models import UsomListImport
    from biys.secops.usom import UsomListError, parse

    queued = UsomListImport.objects.filter(pk=usom_import_id)
    if not queued.filter(status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    ):
        return queued.get()
    record = queued.get()
    try:
        with record.file.open("rb") as stream:
            parsed = parse(stream.read())
        with transaction.atomic():
            record = UsomListImport.objects.select_for_update().get(pk=usom_import_id)
            record.format = parsed.format
            _apply_usom(record, parsed, now=timezone.now())
    except UsomListError as error:
        queued.update(status=ImportStatus.FAILED, error=str(error), finished_at=timezone.now())
    except Exception:
        logger.exception("USOM list import %s failed", usom_import_id)
        queued.update(
            status=ImportStatus.FAILED,
            error=_("The import failed unexpectedly; nothing was imported."),
            finished_at=timezone.now(),
        )
        raise
    return queued.get()


def _apply_usom(record, parsed, *, now) -> None:
    """Write the parsed list (inside the caller's transaction), then match the indicators."""
    from biys.secops.models import UsomAddress

    added = known = 0
    by_kind: dict[str, dict[str, object]] = {}
    for entry in parsed.entries:
        by_kind.setdefault(entry.kind, {})[entry.value] = entry
    for kind, entries in by_kind.items():
        for values in _batched(list(entries), 2000):
            present = set(
                UsomAddress.objects.filter(kind=kind, value__in=values).values_list(
                    "value", flat=True
                )
            )
            new = [
                UsomAddress(
                    kind=kind,
                    value=value,
                    usom_id=entries[value].usom_id,
                    category=entries[value].category,
                    criticality=entries[value].criticality,
                    listed_at=entries[value].listed_at,
                    last_import=record,
                )
                for value in values
                if value not in present
            ]
            UsomAddress.objects.bulk_create(new, batch_size=1000)
            if present:
                UsomAddress.objects.filter(kind=kind, value__in=present).update(
                    last_import=record, active=True
                )
            added += len(new)
            known += len(present)
    delisted = 0
    if parsed.complete:
        delisted = (
            UsomAddress.objects.filter(active=True).exclude(last_import=record).update(active=False)
        )
    matched, new_matches = match_indicators(now=now)
    record.complete = parsed.complete
    record.total = len(parsed.entries) + parsed.skipped
    record.added_count = added
    record.known_count = known
    record.delisted_count = delisted
    record.skipped_count = parsed.skipped
    record.match_count = matched
    record.new_match_count = new_matches
    record.status = ImportStatus.DONE
    record.error = ""
    record.finished_at = timezone.now()
    record.save()


def _usom_match_for(indicators) -> dict[int, int | None]:
    """indicator pk -> the active USOM address it matches (the most specific), or None."""
    from biys.secops.models import UsomAddress
    from biys.secops.usom import candidates

    wanted: dict[int, set[str]] = {
        indicator.pk: candidates(indicator.kind, indicator.value) for indicator in indicators
    }
    values = set().union(*wanted.values()) if wanted else set()
    listed: dict[str, int] = {}
    for batch in _batched(sorted(values), 2000):
        listed.update(
            UsomAddress.objects.filter(active=True, value__in=batch).values_list("value", "pk")
        )
    result = {}
    for pk, options in wanted.items():
        hits = sorted((value for value in options if value in listed), key=len, reverse=True)
        result[pk] = listed[hits[0]] if hits else None
    return result


def match_indicators(*, now=None, indicators=None) -> tuple[int, int]:
    """Match the indicators (all, or ``indicators``) against USOM's active list: each keeps the
    address it matches; a new match writes a line on the timeline of every incident the
    indicator was seen in. Returns (matched, newly matched)."""
    from biys.secops.models import IncidentEvent, Indicator

    now = now or timezone.now()
    queryset = Indicator.objects.exclude(kind="hash")
    if indicators is not None:
        queryset = queryset.filter(pk__in=[indicator.pk for indicator in indicators])
    current = list(queryset.select_related("usom_address"))
    matches = _usom_match_for(current)
    matched = new = 0
    events = []
    for indicator in current:
        found = matches.get(indicator.pk)
        if found is not None:
            matched += 1
        if found == indicator.usom_address_id:
            continue
        was = indicator.usom_address_id
        Indicator.objects.filter(pk=indicator.pk).update(usom_address_id=found)
        if found is not None and was is None:
            new += 1
            text = _("Indicator %(indicator)s is on USOM's malicious address list.") % {
                "indicator": indicator
            }
            events += [
                IncidentEvent(incident_id=incident_id, occurred_at=now, text=text)
                for incident_id in indicator.incidents.values_list("pk", flat=True)
            ]
    IncidentEvent.objects.bulk_create(events)
    return matched, new


def fetch_usom_list(*, opener=None) -> int | None:
    """Download USOM's whole list from ``BIYS_USOM_LIST_URL`` and import it as the schedule;
    ``None`` when switched off (empty URL). A download or a file refused is logged and
    raises, so the job shows as failed; nothing is imported then."""
    import urllib.request

    url = getattr(settings, "BIYS_USOM_LIST_URL", "")
    if not url:
        return None
    opener = opener or urllib.request.urlopen
    limit = max_usom_bytes()
    with opener(url, timeout=120) as response:
        content = response.read(limit + 1)
    if len(content) > limit:
        raise ValidationError({"file": _("The file is too large.")})
    filename = url.rstrip("/").rsplit("/", 1)[-1] or "url-list.txt"
    record = import_usom_list(
        user=None, file=ContentFile(content, name=filename), filename=filename,
        source="schedule", background=False,
    )  # fmt: skip
    return record.pk


# Incident tasks ----------------------------------------------------------------------------

TASK_STEPS = {
    # action: (from states, to state, who: "team" = the SOME of the incident's unit,
    # "assignee" = the team or the task's assignee)
    "start": (("open",), "in_progress", "assignee"),
    "done": (("open", "in_progress"), "done", "assignee"),
    "cancel": (("open", "in_progress"), "cancelled", "team"),
    "reopen": (("done", "cancelled"), "open", "team"),
}


def _check_assignee(incident, assignee) -> None:
    """A responder must be able to open the incident (the SOME of its unit, a named person)."""
    from biys.secops.selectors import incidents_for

    if assignee is not None and not incidents_for(assignee).filter(pk=incident.pk).exists():
        raise ValidationError(
            {"assignee": _("%(person)s cannot see this incident: name them on it first.")
             % {"person": assignee.get_full_name() or assignee.username}}
        )  # fmt: skip


@transaction.atomic
def add_task(*, user, incident, title: str, assignee=None, due: datetime | None = None,
             note: str = ""):  # fmt: skip
    """A task of the incident's response, for ``assignee`` (who must see the incident), due by
    ``due``; a line on the timeline."""
    from biys.secops.models import IncidentEvent, IncidentTask

    incident = _locked(incident)
    require_incident(user, incident)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Say what is to be done.")
    elif len(title) > 300:
        errors["title"] = _("Keep the task under 300 characters.")
    if due is not None and due < incident.detected_at.replace(second=0, microsecond=0):
        errors["due"] = _("A task cannot be due before the detection.")
    if errors:
        raise ValidationError(errors)
    _check_assignee(incident, assignee)
    task = IncidentTask.objects.create(
        incident=incident, title=title, assignee=assignee, due=due,
        note=(note or "").strip(), created_by=_by(user),
    )  # fmt: skip
    who = (assignee.get_full_name() or assignee.username) if assignee else _("nobody yet")
    IncidentEvent.objects.create(
        incident=incident,
        occurred_at=timezone.now(),
        text=_("Task added: %(task)s (%(who)s).") % {"task": title, "who": who},
        author=_by(user),
    )
    return task


def task_actions(user, task) -> list[str]:
    """The steps ``user`` may take on ``task`` now (the incident page's buttons)."""
    team = get_scope(user).has_perm(CHANGE_INCIDENT, task.incident.unit_id)
    mine = user is not None and task.assignee_id == getattr(user, "pk", None)
    return [
        name
        for name, (sources, _target, who) in TASK_STEPS.items()
        if task.state in sources and (team or (who == "assignee" and mine))
    ]


def require_task(user, task, action: str | None = None) -> None:
    """Who moves ``task`` (``TASK_STEPS``): the incident's team any step, its assignee the
    assignee's steps; without ``action`` (the API, before it reads the body) whether the user
    may take any step at all."""
    if user is None:
        return
    team = get_scope(user).has_perm(CHANGE_INCIDENT, task.incident.unit_id)
    who = TASK_STEPS[action][2] if action else "assignee"
    mine = task.assignee_id == user.pk and who == "assignee"
    if not (team or mine):
        raise PermissionDenied(_("You may not change this task."))


@transaction.atomic
def change_task(*, user, task, action: str, note: str = ""):
    """Move a task: ``start`` and ``done`` by the team or the assignee, ``cancel`` and
    ``reopen`` by the team. Done writes a line on the timeline."""
    from biys.secops.models import IncidentEvent, IncidentTask

    step = TASK_STEPS.get(action)
    if step is None:
        raise ValidationError({"action": _("Unknown action.")})
    task = IncidentTask.objects.select_for_update().select_related("incident").get(pk=task.pk)
    sources, target, _who = step
    require_task(user, task, action)
    if task.state not in sources:
        raise ValidationError(
            {"action": _("A task that is %(state)s cannot take this step.")
             % {"state": task.get_state_display().lower()}}
        )  # fmt: skip
    note = (note or "").strip()
    task.state = target
    task.done_at = timezone.now() if target == "done" else None
    if note:
        task.note = f"{task.note}\n{note}".strip() if task.note else note
    task.save()
    if target in ("done", "cancelled"):
        text = _("Task done: %(task)s.") if target == "done" else _("Task cancelled: %(task)s.")
        IncidentEvent.objects.create(
            incident=task.incident,
            occurred_at=timezone.now(),
            text=" ".join(part for part in (text % {"task": task.title}, note) if part),
            author=_by(user),
        )
    return task
