"""Writes of outgoing documents (giden evrak): the draft, its distribution list (gereği and
bilgi) and its ilgi lines. Keyword-only, each in one transaction; a refused write raises
``ValidationError`` (with the field it is about) or ``PermissionDenied`` and leaves nothing
behind."""

import uuid
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.attachments.services import store_attachment
from biys.core.access import get_scope
from biys.core.numbering import next_number
from biys.core.personal_data import record_view
from biys.evrak import selectors
from biys.evrak.choices import (
    ApprovalEventKind,
    ArchiveState,
    Confidentiality,
    DistributionKind,
    NumberState,
    OutgoingState,
    RecipientKind,
    Urgency,
)
from biys.evrak.models import (
    ApprovalEvent,
    ApprovalStep,
    DistributionLine,
    IncomingDocument,
    OutgoingDocument,
    OutgoingNumber,
    OutgoingReference,
    SdpCode,
    SigningRule,
)
from biys.evrak.services import ILGI_LABELS, file_for
from biys.org.models import Unit

ADD = "evrak.add_outgoingdocument"
CHANGE = "evrak.change_outgoingdocument"
# What a draft's content is: a change to any of these after a paraf sends the document back.
CONTENT_FIELDS = (
    "unit_id", "subject", "sdp_code_id", "confidentiality", "urgency", "due_date", "body",
    "signer_id", "signer_title",
)  # fmt: skip
NOT_GIVEN = object()


def _require_add(user, unit) -> None:
    if user is not None and not get_scope(user).has_perm(ADD, unit.pk):
        raise PermissionDenied(_("You may not draft documents for that unit."))


def require_change(user, document: OutgoingDocument) -> None:
    """Changing ``document`` (its draft, its approval path): the services check it, and the
    API checks it before it reads the body."""
    if user is None:
        return
    allowed = selectors.restrict_outgoing(
        OutgoingDocument.objects.filter(pk=document.pk), user, "change"
    )
    if not allowed.exists():
        raise PermissionDenied(_("You may not change this document."))


IDENTIFIERS = ("detsis_no", "vkn", "mersis_no", "tc_kimlik_no")


def recipient_kind_of(line: dict) -> str:
    """A line's recipient kind: the one given, else the kind its number belongs to (DETSİS: a
    public institution; VKN or MERSİS: a company; TC kimlik: a person); a line with a unit, or
    with no number, is a unit of the municipality."""
    if line.get("recipient_kind"):
        return line["recipient_kind"]
    if line.get("unit"):
        return RecipientKind.INTERNAL
    if (line.get("detsis_no") or "").strip():
        return RecipientKind.INSTITUTION
    if (line.get("vkn") or "").strip() or (line.get("mersis_no") or "").strip():
        return RecipientKind.COMPANY
    if (line.get("tc_kimlik_no") or "").strip():
        return RecipientKind.PERSON
    return RecipientKind.INTERNAL


def _line_unit(line: dict, kind: str, name: str) -> tuple[Unit | None, str]:
    """The org unit of a line and the error, if any: the unit given (an instance or its id),
    else for a unit of the municipality the one active unit named exactly ``name``
    (``selectors.unit_named``)."""
    unit = line.get("unit")
    if unit not in (None, ""):
        if not isinstance(unit, Unit):
            unit = Unit.objects.filter(pk=unit).first() if str(unit).isdigit() else None
            if unit is None:
                return None, _("Choose a unit of the municipality from the list.")
        return unit, ""
    if kind != RecipientKind.INTERNAL:
        return None, ""
    units = selectors.units_named(name)
    if len(units) == 1:
        return units[0], ""
    if units:
        return None, _("Several units have this name: choose the unit from the list.")
    return None, _(
        "No unit of the municipality has exactly this name: choose the unit from the list, or"
        " give the recipient's number or kind (kurum, şirket, kişi)."
    )


def _clean_distribution(lines: Iterable[dict]) -> tuple[list[DistributionLine], dict]:
    """The lines to store, and the errors (each prefixed with its recipient's name). A unit of
    the municipality is its org unit, the line's name taken from it."""
    rows, errors = [], {}
    for order, line in enumerate(lines or ()):
        name = (line.get("name") or "").strip()
        if not name and line.get("unit") in (None, ""):
            continue
        recipient_kind = recipient_kind_of(line)
        unit, problem = _line_unit(line, recipient_kind, name)
        if problem:
            errors.setdefault("distribution", []).append(f"{name or '?'}: {problem}")
            continue
        if unit is not None:
            name = unit.name
        kep_address = (line.get("kep_address") or "").strip()
        if kep_address:
            from biys.evrak.kep import clean_address

            try:
                kep_address = clean_address(kep_address)
            except ValidationError as error:
                errors.setdefault("distribution", []).extend(
                    f"{name}: {message}" for message in error.messages
                )
        row = DistributionLine(
            kind=line.get("kind") or DistributionKind.ACTION,
            recipient_kind=recipient_kind,
            name=name[:300],
            unit=unit,
            address=(line.get("address") or "").strip()[:500],
            kep_address=kep_address[:254],
            order=order,
            **{field: (line.get(field) or "").strip() for field in IDENTIFIERS},
        )
        try:
            row.full_clean(exclude=["document"])
        except ValidationError as error:
            errors.setdefault("distribution", []).extend(
                f"{name}: {message}"
                for messages in error.message_dict.values()
                for message in messages
            )
        rows.append(row)
    return rows, errors


# The words a line of the form may end with to say its kind (``parse_distribution``), folded.
KIND_WORDS = {
    "kurum": RecipientKind.INSTITUTION, "kamu kurumu": RecipientKind.INSTITUTION,
    "institution": RecipientKind.INSTITUTION, "sirket": RecipientKind.COMPANY,
    "firma": RecipientKind.COMPANY, "company": RecipientKind.COMPANY,
    "kisi": RecipientKind.PERSON, "person": RecipientKind.PERSON,
    "birim": RecipientKind.INTERNAL, "internal": RecipientKind.INTERNAL,
    "unit": RecipientKind.INTERNAL,
}  # fmt: skip
# A number's field by its shape; anything else is taken as a DETSİS number (and refused).
_NUMBER_FIELDS = {10: "vkn", 11: "tc_kimlik_no", 16: "mersis_no"}


def parse_distribution(text: str, kind: str, known=()) -> list[dict]:
    """The form's lines: one recipient a line, ``name``, then after ``|`` its number (DETSİS,
    VKN, MERSİS or TC kimlik, told apart by their length) and/or its kind (``kurum``,
    ``şirket``, ``kişi``, ``birim``, or in English), and/or its KEP address (a part with ``@``).
    With neither number nor kind, the recipient is a unit of the
    municipality (``recipient_kind_of``). A person's TC kimlik number is shown masked
    (``distribution_text``): a masked number left as it was keeps the number of the line of
    ``known`` (the document's lines) with that name."""
    from biys.core.text import fold

    masked = {(line.name, line.masked_tc_kimlik_no): line.tc_kimlik_no for line in known}
    lines = []
    for raw in (text or "").splitlines():
        name, *rest = (part.strip() for part in raw.split("|"))
        if not name:
            continue
        line = {"kind": kind, "name": name}
        for part in rest:
            if not part:
                continue
            if "@" in part:  # the recipient's KEP address
                line["kep_address"] = part
            elif fold(part) in KIND_WORDS:
                line["recipient_kind"] = KIND_WORDS[fold(part)]
            elif part.isdigit() and len(part) in _NUMBER_FIELDS:
                line[_NUMBER_FIELDS[len(part)]] = part
            elif part.startswith("*") and (name, part) in masked:
                line["tc_kimlik_no"] = masked[(name, part)]
            else:
                line["detsis_no"] = part
        lines.append(line)
    return lines


def distribution_text(lines, kind: str, masked: bool = False) -> str:
    """The form's text of the lines of ``kind`` (``parse_distribution`` reads it back): the
    kind word where the number does not say it; ``masked``: a TC kimlik number masked."""
    from django.utils.translation import pgettext

    # The words ``KIND_WORDS`` reads, in the user's language (şirket, kişi, kurum, birim).
    words = {
        RecipientKind.COMPANY: pgettext("recipient line", "company"),
        RecipientKind.PERSON: pgettext("recipient line", "person"),
        RecipientKind.INSTITUTION: pgettext("recipient line", "institution"),
        RecipientKind.INTERNAL: pgettext("recipient line", "unit"),
    }
    rows = []
    for line in lines:
        if line.kind != kind:
            continue
        numbers = [getattr(line, field) for field in IDENTIFIERS if getattr(line, field)]
        if masked and line.tc_kimlik_no:
            numbers = [line.masked_tc_kimlik_no]
        parts = [line.name, *numbers]
        if recipient_kind_of({field: getattr(line, field) for field in IDENTIFIERS}) != (
            line.recipient_kind
        ):
            parts.append(words[line.recipient_kind])
        if line.kep_address:
            parts.append(line.kep_address)
        rows.append(" | ".join(parts))
    return "\n".join(rows)


def _set_references(document, user, incoming, outgoing, texts) -> None:
    rows = (
        [("incoming", item) for item in incoming or ()]
        + [("outgoing", item) for item in outgoing or ()]
        + [("text", text.strip()[:500]) for text in texts or () if text and text.strip()]
    )
    if len(rows) > len(ILGI_LABELS):
        raise ValidationError({"related_incoming": _("Too many related documents.")})
    if user is not None:
        seen_in = selectors.documents_visible_to(user)
        seen_out = selectors.outgoing_visible_to(user)
        for kind, item in rows:
            if kind == "incoming" and not seen_in.filter(pk=item.pk).exists():
                raise ValidationError(
                    {"related_incoming": _("Choose a registered document you may see.")}
                )
            if kind == "outgoing" and not seen_out.filter(pk=item.pk).exists():
                raise ValidationError(
                    {"related_outgoing": _("Choose an outgoing document you may see.")}
                )
    for kind, item in rows:
        if kind == "outgoing" and item.pk == document.pk:
            raise ValidationError({"related_outgoing": _("A document cannot refer to itself.")})
    document.references.all().delete()
    for label, (kind, item) in zip(ILGI_LABELS, rows, strict=False):
        OutgoingReference.objects.create(
            document=document,
            label=label,
            incoming=item if kind == "incoming" else None,
            outgoing=item if kind == "outgoing" else None,
            text=item if kind == "text" else "",
        )


def _content(document: OutgoingDocument) -> tuple:
    return tuple(getattr(document, name) for name in CONTENT_FIELDS)


def _lines_of(document: OutgoingDocument) -> list[tuple]:
    return list(
        document.distribution.values_list(
            "kind", "recipient_kind", "name", "unit_id", *IDENTIFIERS, "address"
        )
    )


def _refs_of(document: OutgoingDocument) -> list[tuple]:
    return list(document.references.values_list("incoming_id", "outgoing_id", "text"))


@transaction.atomic
def save_outgoing_draft(
    *,
    user,
    document: OutgoingDocument | None = None,
    unit=NOT_GIVEN,
    subject=NOT_GIVEN,
    sdp_code: SdpCode | None = NOT_GIVEN,
    confidentiality=NOT_GIVEN,
    urgency=NOT_GIVEN,
    due_date: date | None = NOT_GIVEN,
    body=NOT_GIVEN,
    notes=NOT_GIVEN,
    signer=NOT_GIVEN,
    signer_title=NOT_GIVEN,
    distribution: Iterable[dict] | None = None,
    related_incoming: Iterable[IncomingDocument] | None = None,
    related_outgoing: Iterable[OutgoingDocument] | None = None,
    reference_texts: Iterable[str] | None = None,
    attachments: Iterable = (),
) -> OutgoingDocument:
    """Create a draft (``document`` None) or change one: only the values given change;
    ``distribution`` and the ilgi lists, when given, replace what was there. A signed document
    no longer changes. A change of the content of a document in approval sends it back
    (``approval.content_changed``)."""
    is_new = document is None
    if is_new:
        document = OutgoingDocument(
            created_by=user if user is not None and user.is_authenticated else None
        )
    else:
        document = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        require_change(user, document)
        if document.state == OutgoingState.SIGNED:
            raise ValidationError({"state": _("A signed document no longer changes.")})
    before = None if is_new else (_content(document), _lines_of(document), _refs_of(document))
    old_unit_id = document.unit_id
    given = {
        "unit": unit, "subject": subject, "sdp_code": sdp_code,
        "confidentiality": confidentiality, "urgency": urgency, "due_date": due_date,
        "body": body, "notes": notes, "signer": signer, "signer_title": signer_title,
    }  # fmt: skip
    for name, value in given.items():
        if value is NOT_GIVEN:
            continue
        if isinstance(value, str):
            value = value.strip() if name not in ("body", "notes") else value
        setattr(document, name, value)
    document.confidentiality = document.confidentiality or Confidentiality.NONE
    document.urgency = document.urgency or Urgency.NORMAL

    errors: dict = {}
    if document.unit_id is None:
        errors["unit"] = _("Choose the unit that drafts the document.")
    if not (document.subject or "").strip():
        errors["subject"] = _("Give the subject (konu).")
    if (
        document.sdp_code is not None
        and not document.sdp_code.active
        and (is_new or document.sdp_code_id != before[0][2])
    ):
        errors["sdp_code"] = _("This SDP code is no longer used.")
    if document.urgency == Urgency.DATED and document.due_date is None:
        errors["due_date"] = _("A Günlüdür document needs its due date.")
    if document.urgency != Urgency.DATED and document.due_date is not None:
        errors["due_date"] = _("Only a Günlüdür document has a due date.")
    if document.signer is not None and not document.signer.is_active:
        errors["signer"] = _("Choose an active user.")
    lines = None
    if distribution is not None:
        lines, line_errors = _clean_distribution(distribution)
        errors |= line_errors
    signing_given = (
        any(value is not NOT_GIVEN for value in (signer, unit, confidentiality))
        or distribution is not None
    )
    if "signer" not in errors and "unit" not in errors and signing_given:
        kinds = (
            [line.recipient_kind for line in lines]
            if lines is not None
            else ([] if is_new else [line[1] for line in before[1]])
        )
        refusal = signer_rule_refusal(user, document, kinds)
        if refusal:
            errors["signer"] = refusal
    try:
        document.full_clean(
            exclude=["unit", "signer", "sdp_code", "created_by", "due_date"],
            validate_constraints=False,
        )
    except ValidationError as error:
        listed = {
            key: value if isinstance(value, list) else [value] for key, value in errors.items()
        }
        errors = error.update_error_dict(listed)
    if errors:
        raise ValidationError(errors)
    if is_new or document.unit_id != old_unit_id:
        _require_add(user, document.unit)
    document.save()
    if lines is not None:
        document.distribution.all().delete()
        for line in lines:
            line.document = document
        DistributionLine.objects.bulk_create(lines)
    if any(value is not None for value in (related_incoming, related_outgoing, reference_texts)):
        _set_references(document, user, related_incoming, related_outgoing, reference_texts)
    uploader = user if user is not None and user.is_authenticated else None
    added = [
        store_attachment(obj=document, uploaded_file=upload, uploaded_by=uploader)
        for upload in attachments or ()
    ]
    if not is_new:
        after = (_content(document), _lines_of(document), _refs_of(document))
        if after != before or added:  # an attachment is content too
            content_changed(document=document, user=user)
    return document


@transaction.atomic
def reveal_recipient_data(*, user, line: DistributionLine, reason: str = "") -> dict:
    """A person recipient's unmasked TC kimlik number, for a holder of the reveal permission
    over the drafting unit who may read the document; every call is logged in the log of
    personal data seen (who, when, which line), as an incoming sender's reveal is (KVKK)."""
    if not selectors.may_reveal_recipients(user, line.document):
        raise PermissionDenied(_("You may not see this recipient's personal data."))
    record_view(user=user, obj=line, reason=reason)
    return {name: getattr(line, name) for name in DistributionLine.personal_fields}


def content_changed(*, document: OutgoingDocument, user) -> None:
    """The content changed: a new version. A document in approval that someone had initialled
    goes back to the start of its path: every paraf is reset, and the reset recorded."""
    # Counted in the database: a caller holding an older copy (an attachment added through
    # its panel) still makes a new version, which a signature request of the last one misses.
    OutgoingDocument.objects.filter(pk=document.pk).update(version=F("version") + 1)
    document.version = OutgoingDocument.objects.values_list("version", flat=True).get(
        pk=document.pk
    )
    if document.state != OutgoingState.APPROVAL:
        return
    initialled = document.approval_steps.filter(parafed_at__isnull=False)
    names = ", ".join(str(step.user) for step in initialled.select_related("user"))
    if initialled.update(parafed_at=None, parafed_version=None):
        _event(document, ApprovalEventKind.RESET, user, note=names)


# ------------------------------------------------------------------ the approval path


def _event(document, kind, user, note: str = "") -> ApprovalEvent:
    return ApprovalEvent.objects.create(
        document=document,
        kind=kind,
        user=user if user is not None and user.is_authenticated else None,
        version=document.version,
        note=note,
    )


def _locked(document: OutgoingDocument) -> OutgoingDocument:
    return OutgoingDocument.objects.select_for_update().get(pk=document.pk)


def current_step(document: OutgoingDocument) -> ApprovalStep | None:
    """The first person on the path who has not initialled; None when all have."""
    return (
        document.approval_steps.filter(parafed_at__isnull=True)
        .select_related("user")
        .order_by("order")
        .first()
    )


def awaits_signature(document: OutgoingDocument) -> bool:
    return document.state == OutgoingState.APPROVAL and current_step(document) is None


def approval_actions(user, document: OutgoingDocument) -> set[str]:
    """What ``user`` may do on the approval path now: submit, paraf, return, sign."""
    if user is None or not user.is_authenticated:
        return set()
    actions = set()
    if document.state == OutgoingState.DRAFT:
        if selectors.restrict_outgoing(
            OutgoingDocument.objects.filter(pk=document.pk), user, "change"
        ).exists():
            actions.add("submit")
        return actions
    if document.state != OutgoingState.APPROVAL:
        return actions
    step = current_step(document)
    if step is not None and step.user_id == user.pk:
        actions |= {"paraf", "return"}
    if step is None and document.signer_id == user.pk:
        actions |= {"sign", "return"}
    return actions


def signer_rule_refusal(user, document: OutgoingDocument, recipient_kinds=None) -> str | None:
    """Why the document's signer may not sign it under the signing authorities
    (``selectors.signer_refusal``), or None: saving a draft, sending it for approval, the
    signature request and the signature ask this. The system (no user: the CLI, imports) is
    not checked, as for the other permissions."""
    if user is None or document.signer is None or document.unit_id is None:
        return None
    if recipient_kinds is None:
        recipient_kinds = list(document.distribution.values_list("recipient_kind", flat=True))
    return selectors.signer_refusal(
        signer=document.signer,
        unit=document.unit_id,
        confidentiality=document.confidentiality,
        recipient_kinds=recipient_kinds,
    )


def _submit_errors(document: OutgoingDocument, user=None) -> dict:
    errors = {}
    if document.signer_id is None:
        errors["signer"] = _("Choose who signs the document.")
    elif refusal := signer_rule_refusal(user, document):
        errors["signer"] = refusal
    if document.sdp_code_id is None:
        errors["sdp_code"] = _("The number (sayı) needs the document's SDP code.")
    if not document.distribution.filter(kind=DistributionKind.ACTION).exists():
        errors["distribution"] = _("Name at least one recipient for action (gereği).")
    if not (document.body or "").strip():
        errors["body"] = _("Write the text of the document.")
    return errors


@transaction.atomic
def submit_for_approval(*, user, document: OutgoingDocument, path: Iterable) -> OutgoingDocument:
    """Send a draft along its approval path: each person of ``path`` initials it in this
    order, then the signer signs. The path may be empty (the signer alone); its people are of
    the drafting unit or of a unit above it (``selectors.paraf_choices``; the system, with no
    user, is not checked)."""
    document = _locked(document)
    require_change(user, document)
    if document.state != OutgoingState.DRAFT:
        raise ValidationError({"state": _("Only a draft is sent for approval.")})
    people = list(path or ())
    errors = _submit_errors(document, user)
    if len({person.pk for person in people}) != len(people):
        errors["path"] = _("A person stands on the path once.")
    elif any(person.pk == document.signer_id for person in people):
        errors["path"] = _("The signer signs after the path; do not put them on it.")
    elif any(not person.is_active for person in people):
        errors["path"] = _("Choose an active user.")
    elif user is not None:
        refusals = [selectors.paraf_refusal(person=person, document=document) for person in people]
        if refused := [refusal for refusal in refusals if refusal]:
            errors["path"] = refused
    if errors:
        raise ValidationError(errors)
    document.approval_steps.all().delete()
    ApprovalStep.objects.bulk_create(
        ApprovalStep(document=document, order=order, user=person)
        for order, person in enumerate(people, start=1)
    )
    document.state = OutgoingState.APPROVAL
    document.save(update_fields=["state", "last_updated", "search_text"])
    _event(document, ApprovalEventKind.SUBMITTED, user, note=", ".join(map(str, people)))
    return document


@transaction.atomic
def paraf(*, user, document: OutgoingDocument) -> OutgoingDocument:
    """The person whose turn it is initials the document (its current version)."""
    document = _locked(document)
    if "paraf" not in approval_actions(user, document):
        raise PermissionDenied(_("It is not your turn to initial this document."))
    step = current_step(document)
    step.parafed_at = timezone.now()
    step.parafed_version = document.version
    step.save(update_fields=["parafed_at", "parafed_version"])
    _event(document, ApprovalEventKind.PARAF, user)
    return document


@transaction.atomic
def return_to_writer(*, user, document: OutgoingDocument, note: str) -> OutgoingDocument:
    """The person whose turn it is (or the signer) sends the document back to its writer with
    the reason: a draft again, every paraf reset."""
    document = _locked(document)
    if "return" not in approval_actions(user, document):
        raise PermissionDenied(_("It is not your turn on this document."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why it goes back.")})
    document.approval_steps.update(parafed_at=None, parafed_version=None)
    document.state = OutgoingState.DRAFT
    document.save(update_fields=["state", "last_updated", "search_text"])
    _event(document, ApprovalEventKind.RETURNED, user, note=note.strip())
    return document


# ------------------------------------------------------------------ the signature and its number

NUMBER_SEQUENCE = "evrak-outgoing"


def _detsis_no() -> str:
    from biys.org.models import Municipality

    municipality = Municipality.objects.order_by("pk").first()
    detsis = municipality.detsis_no if municipality else ""
    if not detsis:
        raise ValidationError(
            {"signer": _("Set the municipality's DETSİS number first: the sayı carries it.")}
        )
    return detsis


def format_number(*, detsis_no: str, sdp_code: str, record_no: int) -> str:
    """``E-<DETSİS no>-<SDP code>-<record no>`` (Resmi Yazışma Yönetmeliği)."""
    return f"E-{detsis_no}-{sdp_code}-{record_no}"


def _reserve_number(user, document: OutgoingDocument) -> tuple[OutgoingNumber, int]:
    """Take the next record number of the year (the one allocator of official numbers,
    ``biys.core.numbering``) and record it as reserved, committed on its own: from here on it
    is used or cancelled, never given again and never lost."""
    with transaction.atomic():
        document = _locked(document)
        if "sign" not in approval_actions(user, document):
            raise PermissionDenied(_("Only the signer signs, after every paraf."))
        if refusal := signer_rule_refusal(user, document):
            raise ValidationError({"signer": refusal})
        detsis = _detsis_no()
        now = timezone.now()
        record_no = int(next_number(NUMBER_SEQUENCE, at=now, template="{seq}"))
        number = format_number(
            detsis_no=detsis, sdp_code=document.sdp_code.code, record_no=record_no
        )
        reservation = OutgoingNumber.objects.create(
            year=timezone.localtime(now).year,
            record_no=record_no,
            number=number,
            document=document,
            reserved_at=now,
            reserved_by=user if user is not None and user.is_authenticated else None,
        )
        _event(document, ApprovalEventKind.NUMBER_TAKEN, user, note=number)
        return reservation, document.version


def cancel_number(*, reservation: OutgoingNumber, reason: str, user=None) -> None:
    """A reserved number whose signature failed or was abandoned: cancelled (iptal), with the
    reason, in its own transaction."""
    with transaction.atomic():
        cancelled = OutgoingNumber.objects.filter(
            pk=reservation.pk, state=NumberState.RESERVED
        ).update(state=NumberState.CANCELLED, reason=reason[:2000], closed_at=timezone.now())
        if cancelled:
            document = OutgoingDocument.objects.get(pk=reservation.document_id)
            _event(
                document,
                ApprovalEventKind.NUMBER_CANCELLED,
                user,
                note=f"{reservation.number}: {reason}"[:2000],
            )


def sign(*, user, document: OutgoingDocument, signature=None) -> OutgoingDocument:
    """The signer signs: the next record number is reserved (committed), then the signature is
    recorded with it. The signature here is the signer's approval in BİYS; ``signature`` is the
    seam for an external one (called with the document and its number inside the second
    transaction). If that step fails for any reason (a change meanwhile, the signature refused)
    the number is cancelled (iptal) with the reason and the error raised again."""
    reservation, version = _reserve_number(user, document)
    try:
        with transaction.atomic():
            document = _locked(document)
            if document.version != version or document.state != OutgoingState.APPROVAL:
                raise ValidationError(
                    {"state": _("The document changed while it was being signed.")}
                )
            if signature is not None:
                signature(document, reservation.number)
            now = timezone.now()
            document.number = reservation.number
            document.year = reservation.year
            document.record_no = reservation.record_no
            document.file = file_for(
                unit=document.unit_id, sdp_code=document.sdp_code, year=reservation.year
            )
            document.state = OutgoingState.SIGNED
            document.signed_at = now
            document.save()
            OutgoingNumber.objects.filter(pk=reservation.pk).update(
                state=NumberState.USED, closed_at=now
            )
            _event(document, ApprovalEventKind.SIGNED, user, note=reservation.number)
    except BaseException as error:
        reason = "; ".join(getattr(error, "messages", [])) or f"{type(error).__name__}: {error}"
        cancel_number(reservation=reservation, reason=reason, user=user)
        raise
    return document


def cancel_abandoned_numbers(*, older_than_minutes: int = 30) -> int:
    """Numbers reserved for a signature that never finished (the process died between the two
    transactions): cancelled (iptal) as abandoned. Returns how many."""
    limit = timezone.now() - timedelta(minutes=older_than_minutes)
    count = 0
    for reservation in OutgoingNumber.objects.filter(
        state=NumberState.RESERVED, reserved_at__lt=limit
    ):
        cancel_number(reservation=reservation, reason=_("Abandoned: the signature never finished."))
        count += 1
    return count


# ------------------------------------------------------------------ the e-Yazışma package


def new_belge_id() -> str:
    """A random GUID that starts with a letter: the digest lists carry the BelgeId in an
    attribute the schemas type as ``xs:ID``, which may not start with a digit."""
    while True:
        value = str(uuid.uuid4()).upper()
        if value[0].isalpha():
            return value


def eyp_package(*, document: OutgoingDocument) -> bytes:
    """The e-Yazışma package of a signed document. Written once, on the first request, and
    kept: every later export gives the same bytes (the same BelgeId and digests), as an
    archive copy must. While the installation seals its packages (``biys.evrak.sealing``) the
    package is written by the sealing agent, sealed, and refused here until then. Reading
    rights are the caller's (the document's own)."""
    from django.core.files.base import ContentFile

    from biys.evrak.eyp_writer import build_package
    from biys.evrak.sealing import refuse_unsealed

    if document.archive_state == ArchiveState.DESTROYED:
        raise ValidationError(_("This document was destroyed (imha): its content is gone."))
    if document.package:
        with document.package.open("rb") as stream:
            return stream.read()
    with transaction.atomic():
        document = _locked(document)
        if document.package:  # written meanwhile by another request
            with document.package.open("rb") as stream:
                return stream.read()
        refuse_unsealed(document)  # while sealing is configured, the sealing agent writes it
        belge_id = document.belge_id or new_belge_id()
        data = build_package(document, belge_id=belge_id)
        document.belge_id = belge_id
        document.package.save(f"{belge_id}.eyp", ContentFile(data), save=False)
        try:
            document.save(update_fields=["belge_id", "package"])
        except Exception:
            document.package.delete(save=False)
            raise
    return data


# ------------------------------------------------------------------ signing authorities

RULE_FIELDS = ("name", "confidentiality", "recipients", "level", "active", "notes")


def _require_rule_perm(user, action: str) -> None:
    """The signing rules are the whole municipality's: kept by whoever holds the permission
    over all of it (the administrator). The system (no user) is not checked."""
    if user is not None and not get_scope(user).has_perm(f"evrak.{action}_signingrule", None):
        raise PermissionDenied(_("You may not change the signing authorities."))


@transaction.atomic
def save_signing_rule(*, user, rule: SigningRule | None = None, **values) -> SigningRule:
    """Create a signing rule (``rule`` None) or change one: the values given (``RULE_FIELDS``)
    change, checked; the change log records it. Only for whoever holds the add (change)
    permission on signing rules over the whole municipality (the pages and the API alike)."""
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _require_rule_perm(user, "add" if rule is None else "change")
    rule = (
        SigningRule() if rule is None else SigningRule.objects.select_for_update().get(pk=rule.pk)
    )
    for name, value in values.items():
        if isinstance(value, str) and name != "notes":
            value = value.strip()
        setattr(rule, name, value if value is not None else "")
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def delete_signing_rule(*, user, rule: SigningRule) -> None:
    """Remove a signing rule (to keep it on record, make it inactive instead)."""
    _require_rule_perm(user, "delete")
    SigningRule.objects.get(pk=rule.pk).delete()
