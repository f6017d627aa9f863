"""Writes of outgoing documents (giden evrak): the draft, its distribution list (gereği and
bilgi) and its ilgi lines. Keyword-only, each in one transaction; a refused write raises
``ValidationError`` (with the field it is about) or ``PermissionDenied`` and leaves nothing
behind."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from biys.attachments.services import store_attachment
from biys.core.access import get_scope
from biys.evrak import selectors
from biys.evrak.choices import Confidentiality, DistributionKind, OutgoingState, Urgency
from biys.evrak.models import (
    DistributionLine,
    IncomingDocument,
    OutgoingDocument,
    OutgoingReference,
    SdpCode,
)
from biys.evrak.services import ILGI_LABELS

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


def _require_change(user, document: OutgoingDocument) -> None:
    if user is None:
        return
    allowed = selectors.restrict_outgoing(
        OutgoingDocument.objects.filter(pk=document.pk), user, "change"
    )
    if not allowed.exists():
        raise PermissionDenied(_("You may not change this document."))


def _clean_distribution(lines: Iterable[dict]) -> tuple[list[DistributionLine], dict]:
    rows, errors = [], {}
    for order, line in enumerate(lines or ()):
        name = (line.get("name") or "").strip()
        if not name:
            continue
        row = DistributionLine(
            kind=line.get("kind") or DistributionKind.ACTION,
            name=name[:300],
            detsis_no=(line.get("detsis_no") or "").strip(),
            address=(line.get("address") or "").strip()[:500],
            order=order,
        )
        try:
            row.full_clean(exclude=["document"])
        except ValidationError as error:
            errors["distribution"] = [
                f"{name}: {message}"
                for messages in error.message_dict.values()
                for message in messages
            ]
        rows.append(row)
    return rows, errors


def parse_distribution(text: str, kind: str) -> list[dict]:
    """The form's lines: one recipient a line, ``name`` or ``name | DETSİS no``."""
    lines = []
    for raw in (text or "").splitlines():
        name, _sep, detsis = raw.partition("|")
        if name.strip():
            lines.append({"kind": kind, "name": name.strip(), "detsis_no": detsis.strip()})
    return lines


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
    return list(document.distribution.values_list("kind", "name", "detsis_no", "address"))


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
        _require_change(user, document)
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
    for upload in attachments or ():
        store_attachment(obj=document, uploaded_file=upload, uploaded_by=uploader)
    if not is_new:
        after = (_content(document), _lines_of(document), _refs_of(document))
        if after != before:
            content_changed(document=document, user=user)
    return document


def content_changed(*, document: OutgoingDocument, user) -> None:
    """The content of a draft changed: a new version."""
    OutgoingDocument.objects.filter(pk=document.pk).update(version=document.version + 1)
    document.version += 1
