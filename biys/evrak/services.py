"""Every write of the evrak module. Keyword-only, each in one transaction: a refused write
raises ``ValidationError`` (with the field it is about) or ``PermissionDenied`` and leaves
nothing behind (files stored on the way are removed again)."""

import contextlib
import csv
import hashlib
import io
import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.attachments.services import store_attachment
from biys.calendar.selectors import get_calendar
from biys.core.access import get_scope
from biys.core.numbering import next_number
from biys.core.personal_data import record_view
from biys.core.text import fold
from biys.evrak import selectors
from biys.evrak.choices import (
    NAMED_ONLY,
    ArchiveState,
    Channel,
    Confidentiality,
    DisposalKind,
    FinalDisposition,
    RecognitionStatus,
    RoutingKind,
    RoutingState,
    SenderKind,
    Urgency,
)
from biys.evrak.models import (
    ArchiveTimestamp,
    DisposalDecision,
    DocumentFile,
    DocumentReference,
    DocumentResponsibility,
    IncomingDocument,
    IncomingPackage,
    OutgoingDocument,
    OutgoingSeal,
    OutgoingSignature,
    Routing,
    ScanText,
    SdpCode,
)
from biys.evrak.numbering import NUMBER_SEQUENCE, NUMBER_TEMPLATE
from biys.evrak.validators import validate_sdp_code

logger = logging.getLogger(__name__)

ADD = "evrak.add_incomingdocument"
CHANGE = "evrak.change_incomingdocument"
REVEAL = "evrak.reveal_sender_data"
SAMPLE_SDP = Path(__file__).parent / "data" / "sdp_sample.csv"
ILGI_LABELS = "abcçdefgğhıijklmnoöprsştuüvyz"


def _require(user, perm: str, unit_id) -> None:
    """``user`` None is the system (a task, the demo)."""
    if user is not None and not get_scope(user).has_perm(perm, unit_id):
        raise PermissionDenied(_("You may not do this for documents of that unit."))


def _sender_errors(document: IncomingDocument) -> dict:
    """What identifies a sender of each kind, and nothing of another kind."""
    errors = {}
    kind = document.sender_kind
    if kind == SenderKind.INSTITUTION and not document.sender_detsis_no:
        errors["sender_detsis_no"] = _("Give the DETSİS number of the sending institution.")
    if kind == SenderKind.COMPANY and not (document.sender_vkn or document.sender_mersis_no):
        errors["sender_vkn"] = _("Give the company's tax number (VKN) or MERSİS number.")
    if kind != SenderKind.PERSON and document.sender_tc_kimlik_no:
        errors["sender_tc_kimlik_no"] = _("A TC kimlik number belongs to a person sender only.")
    if kind != SenderKind.INSTITUTION and document.sender_detsis_no:
        errors["sender_detsis_no"] = _("A DETSİS number belongs to a public institution only.")
    if kind != SenderKind.COMPANY and (document.sender_vkn or document.sender_mersis_no):
        errors["sender_vkn"] = _("VKN and MERSİS numbers belong to a company sender only.")
    return errors


def due_date_for(
    *, urgency: str, received_on: date, due_date: date | None, due_in_working_days: int | None
) -> tuple[date | None, dict]:
    """The due date of a Günlüdür document on the working calendar: ``due_in_working_days``
    counted from the day after receipt, or the sender's date moved to the next working day
    when it is not one. Other urgencies have none."""
    if urgency != Urgency.DATED:
        if due_date or due_in_working_days:
            return None, {"due_date": _("Only a Günlüdür document has a due date.")}
        return None, {}
    calendar = get_calendar()
    if due_in_working_days:
        if due_in_working_days < 1:
            return None, {"due_date": _("Give a number of working days of at least one.")}
        return calendar.add_working_days(received_on, due_in_working_days), {}
    if due_date is None:
        return None, {"due_date": _("A Günlüdür document needs its due date.")}
    if due_date < received_on:
        return None, {"due_date": _("The due date is before the document was received.")}
    return calendar.add_days(due_date, 0), {}


def _references(document, related: Iterable, reference_texts: Iterable[str], user) -> None:
    rows = [("related", item) for item in related or ()] + [
        ("text", text.strip()) for text in reference_texts or () if text and text.strip()
    ]
    if len(rows) > len(ILGI_LABELS):
        raise ValidationError({"related": _("Too many related documents.")})
    visible = selectors.documents_visible_to(user) if user is not None else None
    for label, (kind, value) in zip(ILGI_LABELS, rows, strict=False):
        if kind == "related":
            if visible is not None and not visible.filter(pk=value.pk).exists():
                raise ValidationError({"related": _("Choose a registered document you may see.")})
            DocumentReference.objects.create(document=document, label=label, related=value)
        else:
            DocumentReference.objects.create(document=document, label=label, text=value[:500])


@transaction.atomic
def register_incoming_document(
    *,
    user,
    receiving_unit,
    subject: str,
    sender_kind: str,
    sender_name: str,
    sender_detsis_no: str = "",
    sender_vkn: str = "",
    sender_mersis_no: str = "",
    sender_tc_kimlik_no: str = "",
    sender_number: str = "",
    sender_date: date | None = None,
    sdp_code: SdpCode | None = None,
    confidentiality: str = Confidentiality.NONE,
    urgency: str = Urgency.NORMAL,
    due_date: date | None = None,
    due_in_working_days: int | None = None,
    related: Iterable[IncomingDocument] = (),
    reference_texts: Iterable[str] = (),
    named_readers: Iterable = (),
    scans: Iterable = (),
    notes: str = "",
    channel: str = Channel.PAPER,
    belge_id: str = "",
    registered_at: datetime | None = None,
    files_stored: list | None = None,
) -> IncomingDocument:
    """Register an incoming document: the next yearly registry number, the due date of a
    Günlüdür document on the working calendar, the ilgi lines, the named readers of a
    confidential document (the clerk who registers it among them) and the scanned pages.
    ``files_stored`` collects the names of files written, for a caller that must remove them
    when its own transaction fails."""
    registered_at = registered_at or timezone.now()
    received_on = timezone.localtime(registered_at).date()
    errors: dict = {}
    if receiving_unit is None:
        errors["receiving_unit"] = _("Choose the unit that receives the document.")
    if sender_date and sender_date > received_on:
        errors["sender_date"] = _("The sender's date is after the document was received.")
    if sdp_code is not None and not sdp_code.active:
        errors["sdp_code"] = _("This SDP code is no longer used.")
    due, due_errors = due_date_for(
        urgency=urgency,
        received_on=received_on,
        due_date=due_date,
        due_in_working_days=due_in_working_days,
    )
    errors |= due_errors
    readers = list(named_readers or ())
    registrar = user if user is not None and user.is_authenticated else None
    if confidentiality in NAMED_ONLY and not readers and registrar is None:
        errors["named_readers"] = _("Name the people who may read a confidential document.")
    document = IncomingDocument(
        registered_at=registered_at,
        year=timezone.localtime(registered_at).year,
        channel=channel,
        receiving_unit=receiving_unit,
        sender_kind=sender_kind,
        sender_name=(sender_name or "").strip(),
        sender_detsis_no=(sender_detsis_no or "").strip(),
        sender_vkn=(sender_vkn or "").strip(),
        sender_mersis_no=(sender_mersis_no or "").strip(),
        sender_tc_kimlik_no=(sender_tc_kimlik_no or "").strip(),
        sender_number=(sender_number or "").strip(),
        sender_date=sender_date,
        subject=(subject or "").strip(),
        sdp_code=sdp_code,
        confidentiality=confidentiality,
        urgency=urgency,
        due_date=due,
        notes=notes or "",
        belge_id=belge_id,
        registered_by=registrar,
        number="-",
    )
    try:
        document.full_clean(
            exclude=["number", "receiving_unit", "registered_by", "due_date"],
            validate_constraints=False,
        )
    except ValidationError as error:
        # both may name the same field: Django's merge extends lists, never a plain message
        listed = {name: [message] for name, message in errors.items()}
        errors = error.update_error_dict(listed)
    errors |= _sender_errors(document)
    if belge_id and IncomingDocument.objects.filter(belge_id=belge_id).exists():
        errors["file"] = _("This package (document id %(id)s) is already registered.") % {
            "id": belge_id
        }
    if errors:
        raise ValidationError(errors)
    _require(user, ADD, receiving_unit.pk)
    document.number = next_number(NUMBER_SEQUENCE, at=registered_at, template=NUMBER_TEMPLATE)
    document.file = file_for(unit=receiving_unit, sdp_code=sdp_code, year=document.year)
    document.save()
    if registrar is not None and confidentiality in NAMED_ONLY:
        readers.append(registrar)
    if readers:
        document.named_readers.add(*readers)
    _references(document, related, reference_texts, user)
    stored = files_stored if files_stored is not None else []
    try:
        for scan in scans or ():
            attachment = store_attachment(
                obj=document, uploaded_file=scan, uploaded_by=registrar, description=_("Scan")
            )
            stored.append(attachment.file.name)
            queue_recognition(document=document, attachment=attachment)
    except Exception:
        _remove_files(stored)
        raise
    return document


def _remove_files(names: Iterable[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


@transaction.atomic
def set_named_readers(*, user, document: IncomingDocument, readers: Iterable) -> None:
    """Who may read a confidential document: a person already named who may change it names
    others (the clerk who registered it, first)."""
    if not selectors.restrict_documents(
        IncomingDocument.objects.filter(pk=document.pk), user, "change"
    ).exists():
        raise PermissionDenied(_("You may not change who reads this document."))
    readers = list(readers)
    if document.is_named_only and not readers:
        raise ValidationError(
            {"named_readers": _("Name the people who may read a confidential document.")}
        )
    document.named_readers.set(readers)


@transaction.atomic
def reveal_sender_data(*, user, document: IncomingDocument, reason: str = "") -> dict:
    """The sender's unmasked personal data, for a holder of the reveal permission who may see
    the document; every call is logged (KVKK)."""
    if not selectors.may_reveal(user, document):
        raise PermissionDenied(_("You may not see this sender's personal data."))
    record_view(user=user, obj=document, reason=reason)
    return {name: getattr(document, name) for name in IncomingDocument.personal_fields}


# The file plan ---------------------------------------------------------------------------


SDP_COLUMNS = ("code", "title", "unit_retention_years", "archive_retention_years",
               "final_disposition")  # fmt: skip
# How the final disposition may be written in a file: the value or the Turkish words.
DISPOSITIONS = {
    fold(word): value
    for word, value in (
        ("destroy", FinalDisposition.DESTROY),
        ("imha", FinalDisposition.DESTROY),
        ("state_archives", FinalDisposition.STATE_ARCHIVES),
        ("Devlet Arşivi", FinalDisposition.STATE_ARCHIVES),
        ("Devlet Arşivleri", FinalDisposition.STATE_ARCHIVES),
        ("Devlet Arşivlerine devir", FinalDisposition.STATE_ARCHIVES),
        ("DA", FinalDisposition.STATE_ARCHIVES),
    )
}


def _years(value: str, line: int, label: str, errors: list) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > 1000:
        errors.append(
            _("Line %(line)d: %(label)s must be a whole number of years.")
            % {"line": line, "label": label}
        )
        return None
    return int(value)


def parse_sdp_csv(text: str) -> tuple[list[dict], list[str]]:
    """Rows ``code;title[;unit years;archive years;final disposition]`` (a header row first;
    ``,`` accepted too; the UTF-8 BOM of a Turkish Excel's CSV dropped) and the errors by line.
    Empty retention cells mean "not yet decided"."""
    text = text.lstrip("\ufeff")
    dialect = ";" if text.split("\n", 1)[0].count(";") else ","
    rows, errors, seen = [], [], set()
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=dialect))
    except csv.Error as error:
        return [], [_("The file is not a readable CSV file: %(error)s") % {"error": error}]
    for line, record in enumerate(records, start=1):
        if line == 1 or not any(cell.strip() for cell in record):
            continue
        if len(record) < 2:
            errors.append(_("Line %(line)d: give a code and a title.") % {"line": line})
            continue
        code, title = record[0].strip(), record[1].strip()
        try:
            validate_sdp_code(code)
        except ValidationError as error:
            errors.append(
                _("Line %(line)d: %(error)s") % {"line": line, "error": error.messages[0]}
            )
            continue
        if not title:
            errors.append(_("Line %(line)d: the title is empty.") % {"line": line})
            continue
        if code in seen:
            errors.append(
                _("Line %(line)d: code %(code)s repeated.") % {"line": line, "code": code}
            )
            continue
        cells = [cell.strip() for cell in record[2:5]] + [""] * (5 - len(record[:5]))
        before = len(errors)
        unit_years = _years(cells[0], line, _("the years in the unit archive"), errors)
        archive_years = _years(cells[1], line, _("the years in the institutional archive"), errors)
        disposition = ""
        if cells[2]:
            disposition = DISPOSITIONS.get(fold(cells[2]))
            if disposition is None:
                errors.append(
                    _("Line %(line)d: the final disposition is “imha” or “Devlet Arşivi”.")
                    % {"line": line}
                )
        if len(errors) > before:
            continue
        seen.add(code)
        rows.append(
            {
                "code": code,
                "title": title[:300],
                "unit_retention_years": unit_years,
                "archive_retention_years": archive_years,
                "final_disposition": disposition or "",
            }
        )
    return rows, errors


def sdp_file_text(data: bytes, filename: str = "") -> str:
    """The text of an uploaded file plan for ``parse_sdp_csv``: a CSV as it is (UTF-8 with or
    without BOM, or Windows-1254), or the first sheet of an Excel (.xlsx) file as ``;`` rows."""
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(
                {"file": _("This file is damaged or not a real Excel (.xlsx) file.")}
            ) from error
        try:
            out = io.StringIO()
            writer = csv.writer(out, delimiter=";", lineterminator="\n")
            for cells in book.worksheets[0].iter_rows(values_only=True):
                writer.writerow(["" if cell is None else str(cell).strip() for cell in cells])
            return out.getvalue()
        finally:
            book.close()
    for encoding in ("utf-8-sig", "cp1254"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": _("The file is neither UTF-8 nor Windows-1254 text.")})


def sdp_preview(rows: list[dict]) -> list[dict]:
    """Each parsed row with what loading it would do: ``new``, ``changed`` or ``same``."""
    existing = {
        code.code: code for code in SdpCode.objects.filter(code__in=[r["code"] for r in rows])
    }
    preview = []
    for row in rows:
        code = existing.get(row["code"])
        if code is None:
            effect = "new"
        else:
            fields = (
                "title",
                "unit_retention_years",
                "archive_retention_years",
                "final_disposition",
            )
            differs = code.title != row["title"] or any(
                row.get(name) not in (None, "") and getattr(code, name) != row[name]
                for name in fields[1:]
            )
            effect = "changed" if differs else "same"
        label = FinalDisposition(row["final_disposition"]).label if row["final_disposition"] else ""
        preview.append({**row, "final_disposition_label": str(label), "effect": effect})
    return preview


def may_load_sdp(user) -> bool:
    from biys.core.access import holds_everywhere

    scope = get_scope(user)
    return holds_everywhere(scope, "evrak.add_sdpcode") and holds_everywhere(
        scope, "evrak.change_sdpcode"
    )


def import_sdp_codes(*, user, text: str, dry_run: bool = False) -> dict:
    """The file plan from an uploaded file's text, all or nothing: any row in error loads
    nothing (``ValidationError`` listing every error by line). ``dry_run`` only previews.
    For those who may add and change SDP codes everywhere (the plan is the municipality's)."""
    if user is not None and not may_load_sdp(user):
        raise PermissionDenied(_("You may not load the file plan."))
    rows, errors = parse_sdp_csv(text)
    if errors:
        raise ValidationError({"file": errors})
    if not rows:
        raise ValidationError({"file": _("The file has no code to load.")})
    preview = sdp_preview(rows)
    added = updated = 0
    if not dry_run:
        added, updated = load_sdp_codes(rows=rows)
    return {"rows": preview, "added": added, "updated": updated}


@transaction.atomic
def load_sdp_codes(*, rows: Iterable[dict], is_sample: bool = False) -> tuple[int, int]:
    """Add the codes that are new and update the titles, retention periods and final
    dispositions of those already there (a row without periods leaves them as they are):
    (added, updated). Codes in use are never removed."""
    added = updated = 0
    for row in rows:
        periods = {
            name: row[name]
            for name in ("unit_retention_years", "archive_retention_years", "final_disposition")
            if row.get(name) not in (None, "")
        }
        code, created = SdpCode.objects.get_or_create(
            code=row["code"], defaults={"title": row["title"], "is_sample": is_sample, **periods}
        )
        if created:
            added += 1
            continue
        changed = code.title != row["title"] or (code.is_sample and not is_sample)
        changed |= any(getattr(code, name) != value for name, value in periods.items())
        if changed:
            code.title = row["title"]
            code.is_sample = is_sample and code.is_sample
            for name, value in periods.items():
                setattr(code, name, value)
            code.save()
            updated += 1
    return added, updated


def load_sample_sdp_codes() -> tuple[int, int]:
    rows, errors = parse_sdp_csv(SAMPLE_SDP.read_text(encoding="utf-8"))
    assert not errors, errors
    return load_sdp_codes(rows=rows, is_sample=True)


# e-Yazışma packages ------------------------------------------------------------------------


class PackageRefused(ValidationError):
    """The package failed a check: ``report.problems`` says which part and why."""

    def __init__(self, report):
        self.report = report
        super().__init__({"file": [str(problem) for problem in report.problems]})


def read_upload(uploaded_file) -> bytes:
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    limit = settings.ATTACHMENT_MAX_BYTES
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than the %(limit)s limit.")
                % {"limit": filesizeformat(limit)}
            }
        )
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than the %(limit)s limit.")
                % {"limit": filesizeformat(limit)}
            }
        )
    return data


def form_values_from_package(report) -> dict:
    """What the package says, as the register form's values (``import_eyp_package`` takes the
    clerk's corrections over them)."""
    meta = report.metadata
    values = {
        key: meta.get(key, "")
        for key in (
            "subject",
            "sender_kind",
            "sender_name",
            "sender_detsis_no",
            "sender_vkn",
            "sender_mersis_no",
            "sender_tc_kimlik_no",
            "sender_number",
            "confidentiality",
            "urgency",
        )
    }
    values["sender_date"] = meta.get("sender_date")
    values["sdp_code"] = (
        SdpCode.objects.filter(code=meta.get("sdp_code"), active=True).first()
        if meta.get("sdp_code")
        else None
    )
    values["reference_texts"] = [text for text in meta.get("references", []) if text]
    values["due_in_days"] = meta.get("due_in_days")
    return values


@transaction.atomic
def import_eyp_package(
    *,
    user,
    receiving_unit,
    uploaded_file,
    registered_at: datetime | None = None,
    named_readers: Iterable = (),
    notes: str = "",
    **corrections,
) -> IncomingDocument:
    """Register the document an e-Yazışma package carries: the package is checked whole
    (schemas, digests, identifiers) and refused with every problem found, or registered from
    its Üstveri (the clerk's ``corrections`` win over it) with the package and the list of its
    parts stored. One transaction: a refusal leaves no row and no file."""
    from django.core.files.base import ContentFile

    from biys.evrak import eyp
    from biys.evrak.models import PackagePart

    if receiving_unit is not None:
        _require(user, ADD, receiving_unit.pk)
    data = read_upload(uploaded_file)
    report = eyp.check_package(data)
    if not report.ok:
        raise PackageRefused(report)
    values = form_values_from_package(report)
    due_in_days = values.pop("due_in_days")
    values |= {key: value for key, value in corrections.items() if value not in (None, "")}
    registered_at = registered_at or timezone.now()
    if (
        values.get("urgency") == Urgency.DATED
        and not values.get("due_date")
        and not values.get("due_in_working_days")
        and due_in_days
    ):
        values["due_date"] = timezone.localtime(registered_at).date() + timedelta(days=due_in_days)
    stored: list[str] = []
    try:
        document = register_incoming_document(
            user=user,
            receiving_unit=receiving_unit,
            channel=Channel.EYP,
            belge_id=report.belge_id,
            registered_at=registered_at,
            named_readers=named_readers,
            notes=notes,
            files_stored=stored,
            **values,
        )
        digest = hashlib.sha256(data).hexdigest()
        package = IncomingPackage(
            document=document,
            filename=(getattr(uploaded_file, "name", "") or f"{report.belge_id}.eyp")[-255:],
            size=len(data),
            sha256=digest,
            version=report.version,
            checks=report.checks,
        )
        package.file.save(f"{report.belge_id}.eyp", ContentFile(data), save=False)
        stored.append(package.file.name)
        package.save()
        PackagePart.objects.bulk_create(
            PackagePart(
                package=package,
                name=part.name[:500],
                role=part.role[:40],
                size=part.size,
                sha256=part.sha256,
            )
            for part in report.parts
        )
    except Exception:
        _remove_files(stored)
        raise
    return document


# --------------------------------------------------------------------------- routing (havale)


def _by(user):
    return user if user is not None and user.is_authenticated else None


def _active_user(person, field: str) -> dict:
    if person is not None and not person.is_active:
        return {field: _("Choose a person whose login is active.")}
    return {}


def _notify_routing(routing: Routing, recipients, title: str) -> None:
    from biys.notifications.services import notify

    # The title names the registry number only: a confidential subject never leaves BİYS.
    notify(
        recipients=[user for user in recipients if user is not None],
        title=title,
        target=routing.document,
    )


def _unit_manager(unit):
    from biys.accounts.selectors import unit_manager_user

    return unit_manager_user(unit)


def _hand_over(routing: Routing, now) -> None:
    """A named-only document reaches the person only: they become a named reader, and it is
    handed over until they acknowledge it."""
    if routing.document.is_named_only and routing.assignee_id:
        routing.document.named_readers.add(routing.assignee)
        routing.handed_over_at = now
        routing.received_at = None


def _hold(document, unit, person, now, reason: str, by) -> None:
    """End the open responsibility period and open the next one."""
    DocumentResponsibility.objects.filter(document=document, ended_at__isnull=True).update(
        ended_at=now
    )
    DocumentResponsibility.objects.create(
        document=document,
        unit=unit,
        person=person,
        started_at=now,
        reason=reason[:300],
        changed_by=by,
    )


def routing_due_date(
    *, day: date, due_date: date | None, due_in_working_days: int | None
) -> tuple[date | None, dict]:
    """A due date given as a number of working days from ``day``, or as a date moved to the
    next working day."""
    calendar = get_calendar()
    if due_in_working_days is not None:
        if due_in_working_days < 1:
            return None, {
                "due_in_working_days": _("Give a number of working days of at least one.")
            }
        return calendar.add_working_days(day, due_in_working_days), {}
    if due_date is None:
        return None, {}
    if due_date < day:
        return None, {"due_date": _("The due date is in the past.")}
    return calendar.add_days(due_date, 0), {}


@transaction.atomic
def route_document(
    *,
    user,
    document: IncomingDocument,
    unit,
    kind: str = RoutingKind.ACTION,
    instruction: str = "",
    assignee=None,
    due_date: date | None = None,
    due_in_working_days: int | None = None,
    today: date | None = None,
) -> Routing:
    """The registry clerk routes a document to a unit for action or for information. A new
    routing for action takes over from the open one (routed elsewhere), so exactly one unit is
    responsible. A Gizli or Çok Gizli document goes to a named person of the unit only."""
    document = IncomingDocument.objects.select_for_update().get(pk=document.pk)
    if user is not None and not selectors.may_route(user, document):
        raise PermissionDenied(_("You may not route this document."))
    day = today or selectors.today()
    errors: dict = {}
    if unit is None:
        errors["unit"] = _("Choose the unit the document is routed to.")
    if kind not in RoutingKind.values:
        errors["kind"] = _("Choose whether it is routed for action or for information.")
    errors.update(_active_user(assignee, "assignee"))
    if document.is_named_only and assignee is None:
        errors["assignee"] = _(
            "A confidential document is routed to a named person only: choose the receiver."
        )
    due, due_errors = routing_due_date(
        day=day, due_date=due_date, due_in_working_days=due_in_working_days
    )
    errors.update(due_errors)
    if kind == RoutingKind.ACTION and due is None and not due_errors:
        due = document.due_date
    if kind == RoutingKind.INFO and due is not None and (due_date or due_in_working_days):
        errors["due_date"] = _("A routing for information has no due date.")
    if (
        not errors
        and kind == RoutingKind.INFO
        and document.routings.filter(unit=unit, kind=kind, state=RoutingState.OPEN).exists()
    ):
        errors["unit"] = _("The document is already with this unit for information.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    by = _by(user)
    if kind == RoutingKind.ACTION:
        # Saved one by one, not update(): the change log records the routing taken over.
        for previous in document.routings.filter(
            kind=RoutingKind.ACTION, state=RoutingState.OPEN
        ).select_for_update():
            previous.state = RoutingState.SUPERSEDED
            previous.closed_at = now
            previous.closed_by = by
            previous.save()
    routing = Routing(
        document=document,
        kind=kind,
        unit=unit,
        assignee=assignee,
        instruction=instruction.strip(),
        due_date=due if kind == RoutingKind.ACTION else None,
        routed_at=now,
        routed_by=by,
        assigned_at=now if assignee else None,
        assigned_by=by if assignee else None,
    )
    _hand_over(routing, now)
    routing.save()
    if kind == RoutingKind.ACTION:
        _hold(document, unit, assignee, now, _("Routed for action"), by)
    _notify_routing(
        routing,
        [assignee] if assignee else [_unit_manager(unit)],
        _("Document %(number)s was routed to you") % {"number": document.number}
        if assignee
        else _("Document %(number)s was routed to your unit") % {"number": document.number},
    )
    return routing


@transaction.atomic
def route_on(*, user, routing: Routing, assignee, instruction: str = "") -> Routing:
    """A unit's manager (or whoever routes on in the unit) gives the routing to a person."""
    routing = Routing.objects.select_for_update().select_related("document").get(pk=routing.pk)
    if user is not None and not (
        selectors.may_route_on(user, routing)
        and selectors.documents_visible_to(user).filter(pk=routing.document_id).exists()
    ):
        raise PermissionDenied(_("You may not route this document on."))
    errors = _active_user(assignee, "assignee")
    if assignee is None:
        errors["assignee"] = _("Choose the person it is routed on to.")
    elif not routing.is_open:
        errors["assignee"] = _("This routing is no longer open.")
    elif assignee.pk == routing.assignee_id:
        errors["assignee"] = _("It is already with this person.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    by = _by(user)
    routing.assignee = assignee
    routing.assigned_at = now
    routing.assigned_by = by
    if instruction.strip():
        routing.instruction = "\n".join(filter(None, [routing.instruction, instruction.strip()]))
    _hand_over(routing, now)
    routing.save()
    if routing.kind == RoutingKind.ACTION:
        _hold(routing.document, routing.unit, assignee, now, _("Routed on to a person"), by)
    _notify_routing(
        routing,
        [assignee],
        _("Document %(number)s was routed to you") % {"number": routing.document.number},
    )
    return routing


@transaction.atomic
def acknowledge_receipt(*, user, routing: Routing) -> Routing:
    """The receiver of a confidential document acknowledges it (teslim aldım)."""
    routing = Routing.objects.select_for_update().get(pk=routing.pk)
    if user is None or routing.assignee_id != user.pk:
        raise PermissionDenied(_("Only the receiver acknowledges a handover."))
    if not routing.awaits_receipt:
        raise ValidationError({"received_at": _("Nothing is waiting for your acknowledgement.")})
    routing.received_at = timezone.now()
    routing.save()
    return routing


@transaction.atomic
def close_routing(
    *, user, routing: Routing, outcome: str, reply_number: str = "", reply=None
) -> Routing:
    """The responsible person records what was done and closes the routing; closing the
    routing for action ends the document's responsibility period. ``reply``: the signed
    outgoing document that answers it (it must cite the document in its ilgi); its sayı is
    recorded with it. ``reply_number`` alone: a reply written in another system."""
    routing = Routing.objects.select_for_update().select_related("document").get(pk=routing.pk)
    if user is not None and not selectors.may_close(user, routing):
        raise PermissionDenied(_("Only the person it was routed to closes it."))
    errors = {}
    if not routing.is_open:
        errors["outcome"] = _("This routing is no longer open.")
    elif not (outcome or "").strip():
        errors["outcome"] = _("Record what was done.")
    elif routing.awaits_receipt:
        errors["outcome"] = _("Acknowledge the receipt of the document first.")
    if (
        reply is not None
        and not selectors.replies_for(user, routing.document).filter(pk=reply.pk).exists()
    ):
        errors["reply"] = _(
            "Choose a signed outgoing document that cites this document in its ilgi."
        )
    if errors:
        raise ValidationError(errors)
    if reply is not None:
        reply_number = reply.number
    now = timezone.now()
    routing.reply = reply
    routing.state = RoutingState.CLOSED
    routing.closed_at = now
    routing.closed_by = _by(user)
    routing.outcome = outcome.strip()
    routing.reply_number = (reply_number or "").strip()[:60]
    routing.save()
    if routing.kind == RoutingKind.ACTION:
        DocumentResponsibility.objects.filter(
            document=routing.document, ended_at__isnull=True
        ).update(ended_at=now)
    return routing


def remind_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "BIYS_EVRAK_REMIND_WORKING_DAYS", 2))


def send_reminders(*, today: date | None = None) -> dict:
    """Once per open routing for action: an e-mail to its person (or the unit's manager while
    nobody is named) when its due date is ``BIYS_EVRAK_REMIND_WORKING_DAYS`` working days away
    or closer."""
    from biys.notifications.services import notify

    day = today or selectors.today()
    horizon = get_calendar().add_working_days(day, remind_days())
    result = {"reminded": 0}
    candidates = (
        Routing.objects.filter(
            state=RoutingState.OPEN,
            kind=RoutingKind.ACTION,
            due_date__isnull=False,
            due_date__lte=horizon,
            reminded_at__isnull=True,
        )
        .select_related("document", "unit", "assignee")
        .order_by("due_date", "pk")
    )
    for routing in candidates.iterator():
        recipient = routing.assignee or _unit_manager(routing.unit)
        values = {
            "number": routing.document.number,
            "due": routing.due_date.strftime("%d.%m.%Y"),
        }
        with transaction.atomic():
            notify(
                recipients=[recipient] if recipient else [],
                title=_("Document %(number)s is due on %(due)s") % values,
                body=_("Record what was done and close it in BİYS (Bekleyen evrak)."),
                target=routing.document,
            )
            Routing.objects.filter(pk=routing.pk).update(reminded_at=timezone.now())
            result["reminded"] += 1
    return result


# ------------------------------------------------------------------ text recognition (OCR)


def stuck_minutes() -> int:
    from django.conf import settings

    return int(getattr(settings, "BIYS_EVRAK_OCR_STUCK_MINUTES", 30))


def _enqueue_recognition(pk: int) -> None:
    from biys.evrak.tasks import recognise_scan

    try:
        recognise_scan.delay(pk)
    except Exception:
        # The document is registered by now: a broker (or its connection pool) that cannot take
        # the task must not turn that into an error page. The scan stays waiting, and the clerk
        # may send it again once it counts as stuck.
        logger.exception("Could not queue the text recognition of scan %s", pk)


def queue_recognition(*, document: IncomingDocument, attachment) -> ScanText | None:
    """Recognise the text of a scanned PDF or image of ``document`` in the background, once
    the transaction that stored it commits. Other files are not read (None)."""
    from biys.evrak.ocr import RECOGNISED_TYPES

    if attachment.mime_type not in RECOGNISED_TYPES:
        return None
    scan, _created = ScanText.objects.update_or_create(
        attachment=attachment,
        defaults={
            "document": document,
            "status": RecognitionStatus.PENDING,
            "error": "",
            "queued_at": timezone.now(),
            "started_at": None,
            "finished_at": None,
        },
    )
    pk = scan.pk
    transaction.on_commit(lambda: _enqueue_recognition(pk))
    return scan


def may_recognise(user, document: IncomingDocument) -> bool:
    """Whoever may change the document's register row asks for its scans to be read again."""
    return (
        user is not None
        and user.is_authenticated
        and selectors.restrict_documents(
            IncomingDocument.objects.filter(pk=document.pk), user, "change"
        ).exists()
    )


@transaction.atomic
def request_recognition(*, user, document: IncomingDocument, attachment) -> ScanText:
    """Read a scan's text (again): one that failed, one that has been waiting or reading for
    longer than ``BIYS_EVRAK_OCR_STUCK_MINUTES`` (its worker died), or a PDF or image attached
    later on the document's page."""
    from biys.evrak.ocr import RECOGNISED_TYPES

    if user is not None and not may_recognise(user, document):
        raise PermissionDenied(_("You may not change this document."))
    if (
        attachment is None
        or attachment.object_id != str(document.pk)
        or (attachment.content_type.model_class() is not IncomingDocument)
    ):
        raise ValidationError({"attachment": _("Choose a file of this document.")})
    if attachment.mime_type not in RECOGNISED_TYPES:
        raise ValidationError({"attachment": _("Text is recognised in PDF files and images only.")})
    scan = ScanText.objects.select_for_update().filter(attachment=attachment).first()
    if scan is not None and scan.is_busy:
        since = scan.started_at or scan.queued_at
        if since > timezone.now() - timedelta(minutes=stuck_minutes()):
            raise ValidationError({"attachment": _("Its text is being recognised already.")})
    return queue_recognition(document=document, attachment=attachment)


def _refresh_search_text(document_id: int) -> None:
    """The document's search text with what its scans say (an update, not a save: reading a
    scan is no change of the register row for the change log)."""
    document = IncomingDocument.objects.get(pk=document_id)
    IncomingDocument.objects.filter(pk=document_id).update(search_text=document.build_search_text())


def recognise_scan(*, scan_text_id: int) -> ScanText | None:
    """The background job: claim the waiting scan, read its text outside any transaction, and
    record the text (the document's search finds it) or the reason of the failure. The scan
    file is only read; nothing here removes or changes it."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):  # the reason is stored as text
        return _recognise_scan(scan_text_id)


def _recognise_scan(scan_text_id: int) -> ScanText | None:
    from biys.evrak import ocr

    queued = ScanText.objects.filter(pk=scan_text_id, status=RecognitionStatus.PENDING)
    claimed = queued.update(
        status=RecognitionStatus.RUNNING,
        started_at=timezone.now(),
        attempts=models.F("attempts") + 1,
    )
    if not claimed:
        return ScanText.objects.filter(pk=scan_text_id).first()  # taken, or gone
    scan = ScanText.objects.select_related("attachment").get(pk=scan_text_id)
    values: dict = {"finished_at": None}
    try:
        result = ocr.recognise_file(scan.attachment.file, scan.attachment.mime_type)
    except ocr.RecognitionFailed as error:
        values |= {"status": RecognitionStatus.FAILED, "error": str(error)[:2000]}
        logger.warning("Evrak scan %s: text not recognised: %s", scan.pk, error)
    except Exception as error:  # never lose the upload to an unexpected failure either
        logger.exception("Evrak scan %s: text recognition failed", scan.pk)
        values |= {
            "status": RecognitionStatus.FAILED,
            "error": f"{type(error).__name__}: {error}"[:2000],
        }
    else:
        values |= {
            "status": RecognitionStatus.DONE,
            "error": "",
            "text": result.text.replace("\x00", ""),
            "method": result.method,
            "pages": result.pages,
            "truncated": result.truncated,
        }
    values["finished_at"] = timezone.now()
    with transaction.atomic():
        ScanText.objects.filter(pk=scan.pk, status=RecognitionStatus.RUNNING).update(**values)
        if values["status"] == RecognitionStatus.DONE:
            _refresh_search_text(scan.document_id)
    scan.refresh_from_db()
    return scan


# ------------------------------------------------------------- e-mail and KEP (received mail)


def _waiting_mail(user, mail):
    from biys.evrak.choices import MailState
    from biys.evrak.models import ReceivedMail

    mail = ReceivedMail.objects.select_for_update().select_related("mailbox").get(pk=mail.pk)
    if user is not None and not ReceivedMail.objects.restrict(user).filter(pk=mail.pk).exists():
        raise PermissionDenied(_("You may not register the documents of this mailbox."))
    if mail.state != MailState.WAITING:
        raise ValidationError({"mail": _("This message has been dealt with already.")})
    return mail


def mail_files(mail) -> list:
    """The message's kept attachments as uploads (the register stores its own copies)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from biys.attachments.models import Attachment

    files = []
    for attachment in Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(type(mail)), object_id=str(mail.pk)
    ).order_by("pk"):
        with attachment.file.open("rb") as stored:
            files.append(ContentFile(stored.read(), name=attachment.filename))
    return files


def mail_package(mail):
    """The .eyp the message carries, read from the kept .eml (None when it has none)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from biys.core import imap

    if not mail.package_name:
        return None
    with mail.file.open("rb") as stored:
        message = imap.parse(stored.read())
    for upload in imap.attachments(message):
        if upload.name == mail.package_name:
            return SimpleUploadedFile(upload.name, upload.read())
    return None


def _mark_registered(mail, document) -> None:
    from biys.evrak.choices import MailState

    mail.state = MailState.REGISTERED
    mail.document = document
    mail.save(update_fields=["state", "document"])


@transaction.atomic
def register_from_mail(*, user, mail, **values) -> IncomingDocument:
    """Register the document a message brought: the clerk's form values, the channel of the
    mailbox (e-mail or KEP), the message's attachments as the document's files (PDFs and
    images are read by the text recognition). The message keeps a link to the document."""
    mail = _waiting_mail(user, mail)
    document = register_incoming_document(
        user=user, channel=mail.channel, scans=mail_files(mail), **values
    )
    _mark_registered(mail, document)
    return document


@transaction.atomic
def import_mail_package(*, user, mail, receiving_unit, named_readers=()) -> IncomingDocument:
    """Import the e-Yazışma package a (KEP) message carries, with the same checks as an
    uploaded one: refused with the reason, or registered and linked to the message."""
    mail = _waiting_mail(user, mail)
    package = mail_package(mail)
    if package is None:
        raise ValidationError({"mail": _("This message carries no e-Yazışma package.")})
    document = import_eyp_package(
        user=user,
        receiving_unit=receiving_unit,
        uploaded_file=package,
        named_readers=named_readers,
    )
    _mark_registered(mail, document)
    return document


@transaction.atomic
def dismiss_mail(*, user, mail) -> None:
    """Not a document (advertising, a misdirected message): kept, marked, no longer waiting."""
    from biys.evrak.choices import MailState

    mail = _waiting_mail(user, mail)
    mail.state = MailState.DISMISSED
    mail.save(update_fields=["state"])


# ------------------------------------------------------------- document mailboxes (e-mail, KEP)

MAILBOX_FIELDS = (
    "name", "kind", "receiving_unit", "is_active", "host", "port", "use_ssl", "username",
    "folder", "address", "smtp_host", "smtp_port", "smtp_security", "smtp_username",
)  # fmt: skip
# Where a password is sent: a change of any of these needs the password given again, so a
# stored password never goes to a server (or over a connection) it was not given for.
IMAP_DESTINATION = ("host", "port", "use_ssl", "username")


def _smtp_destination(mailbox) -> tuple:
    return (
        mailbox.smtp_host,
        mailbox.smtp_port,
        mailbox.smtp_security,
        mailbox.smtp_username or mailbox.username,
    )


def _mailbox_errors(mailbox) -> dict:
    from biys.evrak.choices import MailboxKind

    errors = {}
    if mailbox.smtp_host and mailbox.kind != MailboxKind.KEP:
        errors["smtp_host"] = [_("Only a KEP mailbox sends documents.")]
    if mailbox.smtp_host and not mailbox.from_address:
        errors["address"] = [_("Give the KEP address documents are sent from.")]
    return errors


@transaction.atomic
def save_mailbox(*, user, mailbox=None, password: str = "", smtp_password: str = "", **values):
    """Create (``mailbox`` None) or change a document mailbox (``EvrakMailbox``): its IMAP
    intake and, for a KEP account, its SMTP sending account. The passwords are write-only: an
    empty one keeps the stored one, except where the server, port, security or user name it
    would be sent to changed (then it must be given again: a stored password never goes to a
    server it was not given for). A new mailbox needs its IMAP password. Checked: the add
    permission over the receiving unit, or the change permission over the stored mailbox (and
    the add one over a new receiving unit). Every change is in the change log, the passwords
    left out."""
    from biys.core.access import check_save
    from biys.evrak.models import EvrakMailbox

    unknown = set(values) - set(MAILBOX_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    stored = None
    if mailbox is not None:
        stored = EvrakMailbox.objects.select_for_update().get(pk=mailbox.pk)
    item = EvrakMailbox() if stored is None else EvrakMailbox.objects.get(pk=stored.pk)
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(item, name, value)
    unit = values.get("receiving_unit", getattr(item, "receiving_unit", None))
    check_save(user, item if stored is None else stored, getattr(unit, "pk", None), system=False)
    errors = _mailbox_errors(item)
    if password:
        item.password = password
    elif stored is None:
        errors["password"] = [_("Give the mailbox's password.")]
    elif any(getattr(item, name) != getattr(stored, name) for name in IMAP_DESTINATION):
        errors["password"] = [
            _("Give the password again: the server or user name it is sent to changed.")
        ]
    if smtp_password:
        item.smtp_password = smtp_password
    elif (
        # A changed SMTP server would get the stored SMTP password, or the stored IMAP one.
        item.smtp_host
        and stored is not None
        and _smtp_destination(item) != _smtp_destination(stored)
        and (stored.smtp_password or not password)
    ):
        errors["smtp_password"] = [
            _("Give the password again: the server or user name it is sent to changed.")
        ]
    if errors:
        raise ValidationError(errors)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def delete_mailbox(*, user, mailbox) -> None:
    """Remove a document mailbox; refused (``ProtectedError``) while messages taken from it
    are kept: make it inactive instead."""
    from biys.core.access import can
    from biys.evrak.models import EvrakMailbox

    item = EvrakMailbox.objects.get(pk=mailbox.pk)
    if not can(user, "delete", item):
        raise PermissionDenied
    item.delete()


def require_mailbox_change(user, mailbox) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may change ``mailbox`` (and so test its
    connection with the stored passwords)."""
    from biys.core.access import can

    if not can(user, "change", mailbox):
        raise PermissionDenied


def check_mailbox_connection(*, user, mailbox) -> list[dict]:
    """Log in to the mailbox's IMAP server (and open its folder) and, for a KEP account that
    sends, to its SMTP server, with the stored settings; nothing is read, sent or saved. One
    ``{"server", "ok", "message"}`` a server, the message translated. Needs the change
    permission over the mailbox (the stored passwords are used)."""
    import imaplib
    import smtplib

    from biys.core import imap
    from biys.evrak import kep

    require_mailbox_change(user, mailbox)
    results = []
    where = f"{mailbox.host}:{mailbox.port}"
    try:
        connection = imap.connect(mailbox)
    except imaplib.IMAP4.error as error:
        results.append(_check("IMAP", where, False, _("Login or folder refused: %(error)s"), error))
    except (OSError, ValueError) as error:
        results.append(_check("IMAP", where, False, _("No connection: %(error)s"), error))
    else:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            connection.logout()
        results.append(_check("IMAP", where, True, _("Logged in; the folder opens."), None))
    if mailbox.sends:
        where = f"{mailbox.smtp_host}:{mailbox.smtp_port}"
        backend = kep.connection(mailbox)
        try:
            backend.open()
        except smtplib.SMTPAuthenticationError as error:
            message = _("Login refused: %(error)s")
            results.append(_check("SMTP", where, False, message, _smtp_text(error)))
        except smtplib.SMTPException as error:
            results.append(_check("SMTP", where, False, _("Refused: %(error)s"), _smtp_text(error)))
        except (OSError, ValueError) as error:
            results.append(_check("SMTP", where, False, _("No connection: %(error)s"), error))
        else:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                backend.close()
            results.append(_check("SMTP", where, True, _("Logged in."), None))
    return results


def _smtp_text(error) -> str:
    code, text = getattr(error, "smtp_code", None), getattr(error, "smtp_error", b"")
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip() if code else str(error)


def _check(server: str, where: str, ok: bool, message: str, error) -> dict:
    if error is not None:
        message = message % {"error": str(error) or type(error).__name__}
    return {"server": f"{server} ({where})", "ok": ok, "message": message}


# Files, the year-end transfer and destruction ---------------------------------------------


def file_for(*, unit, sdp_code, year: int | None) -> DocumentFile | None:
    """The file (dosya) of ``unit`` under ``sdp_code`` for ``year``, opened on its first
    document: one file per unit, SDP code and year. None for a document without an SDP code
    (or an outgoing draft, which has no year until it is signed)."""
    if sdp_code is None or year is None:
        return None
    unit_id = getattr(unit, "pk", unit)
    file, _created = DocumentFile.objects.get_or_create(
        unit_id=unit_id, sdp_code=sdp_code, year=year
    )
    return file


def _attachments_of(document):
    from django.contrib.contenttypes.models import ContentType

    from biys.attachments.models import Attachment

    content_type = ContentType.objects.get_for_model(type(document))
    return list(Attachment.objects.filter(content_type=content_type, object_id=str(document.pk)))


def _target(obj, fields) -> dict:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(type(obj))
    return {"content_type": content_type.pk, "object_id": str(obj.pk), "fields": list(fields)}


def _destroy_content(document, stored: list, targets: list) -> None:
    """Remove what the document says, keeping its register row: attachments (scans and their
    recognised text), the e-Yazışma package and its parts, the e-mail it came in, the text and
    the notes. Stored files are collected in ``stored``, removed once the transaction commits."""
    from biys.evrak.models import ReceivedMail

    for attachment in _attachments_of(document):
        stored.append(attachment.file.name)
        targets.append(_target(attachment, ["filename", "description", "sha256"]))
        attachment.delete()  # its recognised text (ScanText) goes with it
    if isinstance(document, IncomingDocument):
        package = IncomingPackage.objects.filter(document=document).first()
        if package is not None:
            stored.append(package.file.name)
            package.delete()  # and its parts
        for mail in ReceivedMail.objects.filter(document=document):
            if mail.file:
                stored.append(mail.file.name)
            ReceivedMail.objects.filter(pk=mail.pk).update(body="", problems="", file="")
        targets.append(_target(document, ["notes", "search_text"]))
    else:
        if document.package:
            stored.append(document.package.name)
        document.package = ""
        document.body = ""
        # What the signer and the sealing device were given holds the text too (the PDF, the
        # Üstveri, the package); the signatures, their digests and validation data stay.
        OutgoingSignature.objects.filter(document=document).update(
            content=b"", ust_yazi=None, ustveri=None
        )
        OutgoingSeal.objects.filter(document=document).update(package=b"")
        ArchiveTimestamp.objects.filter(outgoing=document).delete()
        targets.append(_target(document, ["body", "notes", "search_text"]))
    document.notes = ""
    document.archive_state = ArchiveState.DESTROYED
    document.save()


def _decision_errors(*, kind, decision_date, decision_number, members) -> dict:
    errors = {}
    if kind not in DisposalKind.values:
        errors["kind"] = _("Choose a transfer, a destruction or a hand-over.")
    if not decision_number:
        errors["decision_number"] = _("Give the number of the commission's decision.")
    if decision_date is None:
        errors["decision_date"] = _("Give the date of the commission's decision.")
    elif decision_date > timezone.localdate():
        errors["decision_date"] = _("The decision date is in the future.")
    if len(members) < DISPOSAL_COMMISSION_MIN:
        errors["members"] = _("Name the members of the commission (at least %(n)d).") % {
            "n": DISPOSAL_COMMISSION_MIN
        }
    return errors


# The commission that decides a destruction (ayıklama ve imha komisyonu) has at least three
# members; the same is asked of a transfer's commission.
DISPOSAL_COMMISSION_MIN = 3


@transaction.atomic
def approve_disposal(
    *,
    user,
    kind: str,
    year: int,
    decision_date,
    decision_number: str,
    members: Iterable,
    files: Iterable | None = None,
) -> DisposalDecision:
    """The commission's decision on the files due at the end of ``year`` (all of them, or the
    ``files`` given, each of which must be due): a transfer marks the files and their
    documents transferred to the institutional archive; a destruction marks them destroyed
    and removes their documents' content for good, keeping the register rows and the
    decision. One transaction: any error leaves every file and document as it was, and the
    stored files are removed only once it has committed. The change log keeps the decision,
    each file and document's new state, and a redaction notice that hides the removed
    content's earlier values. ``user`` None is the system."""
    if user is not None and not selectors.may_approve_disposal(user, kind):
        if kind == DisposalKind.HANDOVER:
            raise PermissionDenied(_("You may not hand files over to the State Archives."))
        raise PermissionDenied(_("You may not approve the transfer or destruction of files."))
    members = list(members or ())
    decision_number = (decision_number or "").strip()
    errors = _decision_errors(
        kind=kind, decision_date=decision_date, decision_number=decision_number, members=members
    )
    if errors:
        raise ValidationError(errors)
    due = selectors.due_files(user=user, year=year, kind=kind)
    due_ids = set(due.values_list("pk", flat=True))
    wanted = due_ids if files is None else {getattr(file, "pk", file) for file in files}
    mine = selectors.disposal_files(user, kind).filter(pk__in=wanted).values_list("pk", flat=True)
    if wanted - set(mine):
        raise PermissionDenied(_("You may not decide on the files of that unit."))
    if wanted - due_ids:
        raise ValidationError({"files": _("Some of these files are not due for this decision.")})
    if not wanted:
        raise ValidationError({"files": _("No file is due for this decision.")})
    locked = list(DocumentFile.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    # Checked again under the lock: another decision may have taken some meanwhile.
    if set(due.filter(pk__in=wanted).values_list("pk", flat=True)) != wanted:
        raise ValidationError({"files": _("The list changed meanwhile: look at it again.")})
    decision = DisposalDecision.objects.create(
        kind=kind,
        year=year,
        decision_date=decision_date,
        decision_number=decision_number,
        approved_by=user,
    )
    decision.members.set(members)
    if kind == DisposalKind.HANDOVER:
        # The list's items, numbered in the order the list shows them (SDP code, unit, year);
        # the files stay in the institutional archive until the list is handed over.
        order = list(due.filter(pk__in=wanted).values_list("pk", flat=True))
        by_pk = {file.pk: file for file in locked}
        for number, pk in enumerate(order, start=1):
            file = by_pk[pk]
            file.handover_list = decision
            file.handover_item = number
            file.save()
        return decision
    destroy = kind == DisposalKind.DESTROY
    state = ArchiveState.DESTROYED if destroy else ArchiveState.TRANSFERRED
    stored, targets = [], []
    for file in locked:
        file.state = state
        if destroy:
            file.destruction_decision = decision
        else:
            file.transfer_decision = decision
        file.save()
    for model in (IncomingDocument, OutgoingDocument):
        for document in model.objects.filter(file__in=locked).order_by("pk"):
            if destroy:
                _destroy_content(document, stored, targets)
            else:
                document.archive_state = state
                document.save()
    if targets:
        from biys.core.changelog import append, build_record
        from biys.core.models import ObjectChange

        reason = _("Destroyed by the decision %(number)s of %(date)s") % {
            "number": decision_number,
            "date": decision_date.strftime("%d.%m.%Y"),
        }
        notice = build_record(
            decision,
            ObjectChange.Action.REDACT,
            None,
            {"reason": reason, "authors": [], "objects": targets},
            object_repr=reason,
        )
        append([notice])
    if stored:
        transaction.on_commit(lambda: _remove_files(name for name in stored if name))
    return decision


@transaction.atomic
def complete_handover(*, user, decision: DisposalDecision, handed_over_on) -> DisposalDecision:
    """The State Archives took over the material of an approved hand-over list on
    ``handed_over_on``: its files and their documents are marked handed over (devredildi).
    Nothing is removed: the register rows, the content and the list stay, and the documents
    are still found, with the list's number and date on their pages. Once only; the user needs
    the hand-over permission over every file of the list. ``user`` None is the system."""
    if decision.kind != DisposalKind.HANDOVER:
        raise ValidationError(_("This decision is not a hand-over list."))
    if user is not None and not (
        selectors.may_approve_disposal(user, DisposalKind.HANDOVER)
        and selectors.may_complete_handover(user, decision)
    ):
        raise PermissionDenied(_("You may not hand files over to the State Archives."))
    decision = DisposalDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.handed_over_on is not None:
        raise ValidationError(
            {"handed_over_on": _("This list was already handed over on %(date)s.")
             % {"date": decision.handed_over_on.strftime("%d.%m.%Y")}}
        )  # fmt: skip
    if handed_over_on is None:
        raise ValidationError({"handed_over_on": _("Give the day the material was handed over.")})
    if handed_over_on > timezone.localdate():
        raise ValidationError({"handed_over_on": _("The hand-over date is in the future.")})
    if handed_over_on < decision.decision_date:
        raise ValidationError(
            {"handed_over_on": _("The material cannot be handed over before the list's date.")}
        )
    files = list(DocumentFile.objects.select_for_update().filter(handover_list=decision))
    for file in files:
        file.state = ArchiveState.HANDED_OVER
        file.save()
    for model in (IncomingDocument, OutgoingDocument):
        for document in model.objects.filter(file__in=files).order_by("pk"):
            document.archive_state = ArchiveState.HANDED_OVER
            document.save()
    decision.handed_over_on = handed_over_on
    decision.handed_over_by = user
    decision.save()
    return decision


# ------------------------------------------------------------------ confidential documents
#
# A Gizli or Çok Gizli document is read by the people named on it (an incoming document's
# named readers; an outgoing document's author, signer and approval path) and by those it is
# granted to explicitly, never through a unit-wide role. Every view of it is logged.

AUDIT_CONFIDENTIAL = "evrak.audit_confidential"


def _document_unit_id(document) -> int:
    return (
        document.receiving_unit_id if isinstance(document, IncomingDocument) else document.unit_id
    )


def _document_field(document) -> str:
    return "incoming" if isinstance(document, IncomingDocument) else "outgoing"


def _readable(user, document) -> bool:
    if isinstance(document, IncomingDocument):
        return selectors.documents_visible_to(user).filter(pk=document.pk).exists()
    return selectors.outgoing_visible_to(user).filter(pk=document.pk).exists()


def may_change_document(user, document) -> bool:
    """The user may change the document (its unit's change permission; for a Gizli or Çok
    Gizli one also named on it)."""
    if user is None or not user.is_authenticated:
        return False
    queryset = type(document).objects.filter(pk=document.pk)
    if isinstance(document, IncomingDocument):
        return selectors.restrict_documents(queryset, user, "change").exists()
    return selectors.restrict_outgoing(queryset, user, "change").exists()


def may_grant(user, document) -> bool:
    """Who decides who else may read a confidential document: someone who reads it as named
    on it and may change it (the clerk who registered it, the outgoing document's author)."""
    return document.is_named_only and may_change_document(user, document)


def may_audit_views(user, document) -> bool:
    """The department head and the auditor over the document's unit read its view log."""
    return (
        user is not None
        and user.is_authenticated
        and get_scope(user).has_perm(AUDIT_CONFIDENTIAL, _document_unit_id(document))
    )


def grants_of(document):
    from biys.evrak.models import ConfidentialGrant

    return ConfidentialGrant.objects.filter(**{_document_field(document): document}).select_related(
        "user", "granted_by", "revoked_by"
    )


@transaction.atomic
def grant_access(*, user, document, person, reason: str):
    """Grant ``person`` the reading of one confidential document, with the reason."""
    from biys.evrak.models import ConfidentialGrant

    if not document.is_named_only:
        raise ValidationError(
            {"user": _("Only a Gizli or Çok Gizli document is granted to people.")}
        )
    if user is not None and not may_grant(user, document):
        raise PermissionDenied(_("You may not grant access to this document."))
    errors: dict = {}
    if person is None:
        errors["user"] = _("Choose the person the document is granted to.")
    else:
        errors.update(_active_user(person, "user"))
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason of the grant.")
    field = _document_field(document)
    if not errors and grants_of(document).filter(user=person, revoked_at__isnull=True).exists():
        errors["user"] = _("This person already holds a grant for this document.")
    if errors:
        raise ValidationError(errors)
    return ConfidentialGrant.objects.create(
        **{field: document},
        unit_id=_document_unit_id(document),
        user=person,
        reason=reason.strip()[:300],
        granted_at=timezone.now(),
        granted_by=_by(user),
    )


@transaction.atomic
def revoke_access(*, user, grant, reason: str = ""):
    """End a grant: the person no longer reads the document (the grant row stays)."""
    from biys.evrak.models import ConfidentialGrant

    grant = ConfidentialGrant.objects.select_for_update().get(pk=grant.pk)
    if user is not None and not may_grant(user, grant.document):
        raise PermissionDenied(_("You may not revoke access to this document."))
    if grant.revoked_at is not None:
        raise ValidationError({"reason": _("This grant is already revoked.")})
    grant.revoked_at = timezone.now()
    grant.revoked_by = _by(user)
    grant.revoke_reason = (reason or "").strip()[:300]
    grant.save()
    return grant


def record_confidential_view(*, user, document, what: str, detail: str = ""):
    """Log one view of a Gizli or Çok Gizli document (nothing for any other document)."""
    from biys.core.context import current_context
    from biys.evrak.models import ConfidentialView

    if document is None or not document.is_named_only or user is None:
        return None
    if not user.is_authenticated:
        return None
    return ConfidentialView.objects.create(
        user=user,
        **{_document_field(document): document},
        unit_id=_document_unit_id(document),
        what=what,
        detail=(detail or "")[:255],
        request_id=current_context().request_id or "",
    )


def confidential_views_of(document):
    from biys.evrak.models import ConfidentialView

    return ConfidentialView.objects.filter(**{_document_field(document): document}).select_related(
        "user"
    )


# ------------------------------------------------------------------ dispatch (gönderim)
#
# A signed outgoing document goes to each recipient on its distribution list by e-Yazışma
# (its .eyp), by KEP, on paper by post (listed on the day's dispatch list for the post
# office) or by hand. Each line records how and when it went.

CHANGE_OUTGOING = "evrak.change_outgoingdocument"


def may_dispatch(user, document) -> bool:
    """The drafting unit's writers record how a signed document went out (a draft is
    refused by ``record_dispatch`` with the reason)."""
    return may_change_document(user, document)


def _reopen(line) -> None:
    """A line whose KEP sending came back not delivered is sent again: it stands unsent until
    the new sending goes (its earlier sendings and their evidence stay on the document)."""
    line.dispatch_channel, line.dispatched_at, line.dispatched_by = "", None, None
    line.save(update_fields=["dispatch_channel", "dispatched_at", "dispatched_by"])


@transaction.atomic
def record_dispatch(*, user, line, channel: str, dispatched_at: datetime | None = None):
    """Record that the signed document went to the recipient of ``line`` by ``channel`` at
    ``dispatched_at`` (now by default). Recorded once: a line already sent is refused, unless
    it went by KEP and came back not delivered (``selectors.kep_undelivered``)."""
    from biys.evrak.choices import DispatchChannel, OutgoingState
    from biys.evrak.models import DistributionLine

    line = DistributionLine.objects.select_for_update().select_related("document").get(pk=line.pk)
    document = line.document
    if user is not None and not may_dispatch(user, document):
        raise PermissionDenied(_("You may not record how this document was sent."))
    now = timezone.now()
    errors: dict = {}
    if document.state != OutgoingState.SIGNED:
        errors["channel"] = _("Only a signed document is sent.")
    if channel not in DispatchChannel.values:
        errors["channel"] = _("Choose how the document was sent.")
    elif channel == DispatchChannel.PAPER and not line.address.strip():
        errors["channel"] = _("A letter sent by post needs the recipient's address.")
    elif channel == DispatchChannel.EYAZISMA and not line.detsis_no:
        errors["channel"] = _("An e-Yazışma package goes to a recipient with a DETSİS number.")
    undelivered = line.dispatched_at is not None and selectors.kep_undelivered(line)
    if line.dispatched_at is not None and not undelivered:
        errors["channel"] = _("This recipient's dispatch is already recorded.")
    at = dispatched_at or now
    if dispatched_at is not None:
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        if at > now + timedelta(minutes=5):
            errors["dispatched_at"] = _("The dispatch time is in the future.")
        elif document.signed_at and at < document.signed_at:
            errors["dispatched_at"] = _("The dispatch time is before the signature.")
    if errors:
        raise ValidationError(errors)
    if undelivered:
        _reopen(line)
    line.dispatch_channel = channel
    line.dispatched_at = at
    line.dispatched_by = _by(user)
    line.save(update_fields=["dispatch_channel", "dispatched_at", "dispatched_by"])
    return line


def dispatch_units(user):
    """The units whose dispatch lists the user reads (``ALL`` or a set)."""
    if user is None or not user.is_authenticated:
        return set()
    return get_scope(user).units_for("evrak.view_outgoingdocument")


def dispatch_list(*, user, day: date) -> list[dict]:
    """The day's paper dispatch list for the post: every line sent on paper that day, of the
    units whose outgoing documents the user reads, with sayı, date, addressee, address and
    subject; a Gizli or Çok Gizli document's subject is never printed ("Gizli")."""
    from biys.accounts.scope import ALL
    from biys.evrak.choices import DispatchChannel
    from biys.evrak.models import DistributionLine

    lines = DistributionLine.objects.filter(
        dispatch_channel=DispatchChannel.PAPER, dispatched_at__date=day
    ).select_related("document", "document__unit")
    units = dispatch_units(user)
    if units is not ALL:
        readable = selectors.outgoing_visible_to(user)
        lines = lines.filter(
            models.Q(document__unit__in=units or []) | models.Q(document__in=readable)
        )
    rows = []
    for line in lines.order_by("dispatched_at", "document__number", "order", "pk"):
        document = line.document
        signed = timezone.localtime(document.signed_at).date() if document.signed_at else None
        rows.append(
            {
                "line": line,
                "number": document.number,
                "date": signed,
                "addressee": line.name,
                "address": line.address,
                "subject": _("Gizli") if document.is_named_only else document.subject,
                "confidential": document.is_named_only,
                "unit": document.unit,
            }
        )
    return rows


# ------------------------------------------------------------------ dispatch by KEP
#
# The message is built and sent by ``biys.evrak.kep`` in a Celery task (in-process without a
# broker); a sent message marks its line through ``record_dispatch``, the one rule.


def _enqueue_kep(pk: int) -> None:
    from biys.evrak.tasks import send_by_kep as task

    try:
        task.delay(pk)
    except Exception:
        # Asked for and recorded by now: a broker that cannot take the task leaves the sending
        # queued (shown so on the page), not an error page.
        logger.exception("Could not queue the KEP sending %s", pk)


@transaction.atomic
def send_by_kep(*, user, line, address: str = ""):
    """Send the signed document to the recipient of ``line`` by KEP at ``address`` (the
    line's KEP address when empty; a new one is kept on the line), from the institution's KEP
    account. Queued now, sent once this commits (``deliver_kep``); a failed sending is sent
    again by calling this again. Who may record a dispatch may send it."""
    from biys.evrak import kep
    from biys.evrak.choices import ConfidentialViewKind, KepState, OutgoingState, RecipientKind
    from biys.evrak.models import DistributionLine, KepDispatch

    line = (
        DistributionLine.objects.select_for_update()
        .select_related("document", "document__unit")
        .get(pk=line.pk)
    )
    document = line.document
    if user is not None and not may_dispatch(user, document):
        raise PermissionDenied(_("You may not record how this document was sent."))
    undelivered = line.dispatched_at is not None and selectors.kep_undelivered(line)
    error = ""
    if document.state != OutgoingState.SIGNED:
        error = _("Only a signed document is sent.")
    elif line.dispatched_at is not None and not undelivered:
        error = _("This recipient's dispatch is already recorded.")
    elif line.recipient_kind == RecipientKind.INTERNAL:
        error = _("A unit of the municipality is not sent documents by KEP.")
    else:
        for queued in line.kep_dispatches.select_for_update().filter(state=KepState.QUEUED):
            if kep.is_waiting(queued):
                error = _("A KEP message to this recipient is being sent.")
            else:  # never taken by a worker: given up, so it is never sent late
                _kep_failed(queued, _("Not sent: no worker took it from the queue."))
    if error:
        raise ValidationError({"line": error})
    address = kep.clean_address(address or line.kep_address)
    mailbox = kep.sending_mailbox(document)
    if mailbox is None or not mailbox.from_address:
        raise ValidationError(
            {
                "line": _(
                    "No KEP account sends documents yet: an administrator sets up the KEP "
                    "mailbox's SMTP server and KEP address."
                )
            }
        )
    if undelivered:
        _reopen(line)
    if line.kep_address != address:
        line.kep_address = address
        line.save(update_fields=["kep_address"])
    sending = KepDispatch.objects.create(
        document=document,
        line=line,
        mailbox=mailbox,
        address=address,
        sender_address=mailbox.from_address,
        requested_by=_by(user),
    )
    record_confidential_view(
        user=user, document=document, what=ConfidentialViewKind.PACKAGE, detail=f"KEP {address}"
    )
    pk = sending.pk
    transaction.on_commit(lambda: _enqueue_kep(pk))
    return sending


def _kep_failed(sending, reason: str):
    from biys.evrak.choices import KepState

    sending.state = KepState.FAILED
    sending.error = reason[:2000]
    sending.save(update_fields=["state", "error", "message_id", "files", "size", "last_updated"])
    return sending


def deliver_kep(*, sending_id: int):
    """Send one queued KEP message (the task's work): build it, hand it to the provider over
    SMTP, then mark the line sent by KEP at that moment through ``record_dispatch``, by whom
    asked for it. Any failure keeps its reason on the sending and leaves the line unsent."""
    from biys.evrak import kep
    from biys.evrak.choices import DispatchChannel, KepState
    from biys.evrak.models import DistributionLine, KepDispatch

    with transaction.atomic():
        sending = (
            KepDispatch.objects.select_for_update(of=("self",))
            .select_related("document", "document__unit", "mailbox")
            .filter(pk=sending_id, state=KepState.QUEUED)
            .first()
        )
        if sending is None:
            return None  # sent or given up already
        line = DistributionLine.objects.select_for_update().get(pk=sending.line_id)
        mailbox = sending.mailbox
        try:
            if mailbox is None or not mailbox.is_active or not mailbox.sends:
                raise ValidationError(_("The KEP account is no longer set up for sending."))
            if line.dispatched_at is not None:
                raise ValidationError(_("This recipient's dispatch is already recorded."))
            message = kep.build_message(
                document=sending.document, line=line, address=sending.address, mailbox=mailbox
            )
        except ValidationError as error:
            return _kep_failed(sending, " ".join(error.messages))
        except Exception as error:  # the PDF renderer, the storage: the reason is kept
            logger.exception("KEP sending %s could not be built", sending_id)
            return _kep_failed(sending, f"{type(error).__name__}: {error}")
        sending.message_id = message.message_id
        sending.files = message.file_names
        sending.size = message.size
        try:
            kep.send(message, mailbox)
        except Exception as error:  # refused by the server, the network, the login
            logger.warning("KEP sending %s failed: %s", sending_id, error)
            return _kep_failed(sending, f"{type(error).__name__}: {error}")
        sending.state = KepState.SENT
        sending.sent_at = timezone.now()
        sending.error = ""
        sending.save(
            update_fields=[
                "state", "sent_at", "error", "message_id", "files", "size", "last_updated"
            ]
        )  # fmt: skip
        record_dispatch(
            user=None, line=line, channel=DispatchChannel.KEP, dispatched_at=sending.sent_at
        )
        DistributionLine.objects.filter(pk=line.pk).update(dispatched_by=sending.requested_by_id)
    return sending


# ------------------------------------------------------------------ KEP delivery evidence (delil)


def kep_state_from(kinds, *, current: str) -> str:
    """The state of a sending from the kinds of its evidences: read, else delivered (the
    recipient has it, whatever a later failure notice says), else not delivered, else
    rejected by the provider, else accepted; with none of these (only unrecognised evidence)
    it stays as it is. A sending still queued or failed in BİYS keeps that state."""
    from biys.evrak.choices import KepEvidenceKind, KepState

    if current in (KepState.QUEUED, KepState.FAILED):
        return current
    kinds = set(kinds)
    for kind, state in (
        (KepEvidenceKind.READ, KepState.READ),
        (KepEvidenceKind.DELIVERED, KepState.DELIVERED),
        (KepEvidenceKind.NOT_DELIVERED, KepState.NOT_DELIVERED),
        (KepEvidenceKind.REJECTED, KepState.REJECTED),
        (KepEvidenceKind.ACCEPTED, KepState.ACCEPTED),
    ):
        if kind in kinds:
            return state
    return current


def _opened(message, content: bytes):
    """The message inside an opaque S/MIME signature, with the outer message's own headers
    (subject, sender, provider headers) where the inner one has none of that name."""
    import email
    from email import policy

    inner = email.message_from_bytes(content, policy=policy.compat32)
    body = ("content-type", "content-transfer-encoding", "mime-version")
    for name, value in message.items():
        if name.lower() not in body and name not in inner:
            inner[name] = value
    return inner


def record_kep_evidence(*, sending, mail, message, raw: bytes | None = None):
    """Keep what the evidence message ``message`` (kept as ``mail``; ``raw``: as received,
    read from the kept .eml when not given) says of ``sending`` (``biys.evrak.kep_evidence``:
    unrecognised evidence is kept as such) and whether its S/MIME signature verifies
    (``biys.evrak.kep_signature``: a message inside an opaque signature is read), bring the
    sending's state up to date, and tell who asked for the sending when the provider refused
    the message or could not deliver it. Once per message (``mail`` is unique)."""
    from biys.evrak import kep_evidence, kep_signature
    from biys.evrak.choices import KepEvidenceKind
    from biys.evrak.kep import subject_of
    from biys.evrak.models import KepDispatch, KepEvidence

    with transaction.atomic():
        sending = (
            KepDispatch.objects.select_for_update(of=("self",))
            .select_related("document", "requested_by")
            .get(pk=sending.pk)
        )
        existing = KepEvidence.objects.filter(mail=mail).first()
        if existing is not None:
            return existing
        if raw is None:
            with mail.file.open("rb") as kept:
                raw = kept.read()
        signature = kep_signature.check(raw)
        if signature.content is not None:
            message = _opened(message, signature.content)
        reading = kep_evidence.read(
            message,
            original_subject=subject_of(sending.document),
            original_number=sending.document.number,
        )
        evidence = KepEvidence.objects.create(
            dispatch=sending,
            mail=mail,
            kind=reading.kind,
            event_at=reading.event_at or mail.received_at,
            reason=reading.reason,
            source=reading.source,
            code=reading.code,
            received_at=mail.received_at,
            signature_state=signature.state,
            signature_signer=signature.signer[:300],
            signature_problem=signature.problem,
        )
        state = kep_state_from(
            sending.evidences.values_list("kind", flat=True), current=sending.state
        )
        if state != sending.state:
            sending.state = state
            sending.save(update_fields=["state", "last_updated"])
        if reading.kind in (KepEvidenceKind.NOT_DELIVERED, KepEvidenceKind.REJECTED):
            _notify_kep_failure(sending, evidence)
    return evidence


def _notify_kep_failure(sending, evidence) -> None:
    from biys.evrak.choices import KepEvidenceKind
    from biys.notifications.services import notify

    values = {"number": sending.document.number, "address": sending.address}
    # The title names the sayı and the address only: a confidential konu never leaves BİYS.
    if evidence.kind == KepEvidenceKind.REJECTED:
        title = _("KEP: the provider refused %(number)s to %(address)s") % values
    else:
        title = _("KEP: %(number)s was not delivered to %(address)s") % values
    body = _(
        "Reason given by the KEP provider: %(reason)s\n\nThe document's dispatch panel"
        " offers to send it again by KEP (to a corrected address) or to record how it went"
        " another way."
    ) % {"reason": evidence.reason or _("none given")}
    notify(recipients=[sending.requested_by], title=title, body=body, target=sending.document)
