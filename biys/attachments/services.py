import hashlib
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from biys.accounts.scope import can
from biys.attachments import sniffing
from biys.attachments.models import Attachment
from biys.attachments.targets import may_attach, may_remove_attachments

logger = logging.getLogger(__name__)

SNIFF_BYTES = 8192
REFUSALS = {
    "contains_program": gettext_lazy("The file contains a program: it is not accepted."),
    "archive_too_large": gettext_lazy(
        "The document unpacks to far more data than its size: it is not accepted."
    ),
    "malformed_pdf": gettext_lazy("The file starts like a PDF but is not a complete PDF."),
}


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _sniff(uploaded_file) -> tuple[str, str, int]:
    """(MIME type, SHA-256, size) of the upload, read once as a stream. Raises ValidationError."""
    max_bytes = settings.ATTACHMENT_MAX_BYTES
    too_large = _field_error(
        "file",
        _("The file is larger than the %(limit)s limit.") % {"limit": filesizeformat(max_bytes)},
        "file_too_large",
    )
    if uploaded_file.size is not None and uploaded_file.size > max_bytes:
        raise too_large
    digest = hashlib.sha256()
    text = sniffing.TextCheck()
    programs = sniffing.ExecutableCheck()
    size = 0
    head = tail = b""
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
        text.feed(chunk)
        programs.feed(chunk)
        tail = (tail + chunk)[-sniffing.PDF_TAIL_BYTES :]
    if size == 0:
        raise _field_error("file", _("The file is empty."), "empty_file")
    mime = sniffing.sniff_signature(head)
    try:
        if programs.found and mime is not None:  # text may quote a DOS stub's message
            raise sniffing.Refused("contains_program")
        if mime in sniffing.ZIP_SIGNATURE_TYPES:
            mime = sniffing.office_type(uploaded_file)
        elif mime == sniffing.PDF:
            sniffing.check_pdf_structure(tail)
    except sniffing.Refused as refused:
        raise _field_error("file", REFUSALS[refused.code], refused.code) from refused
    if mime is None and text.finish():
        mime = sniffing.text_type(uploaded_file.name or "")
    if mime not in sniffing.ALLOWED_TYPES:
        raise _field_error(
            "file",
            _(
                "This type of file is not accepted. Allowed: images (PNG, JPEG, GIF, WebP), "
                "PDF, Word, Excel, PowerPoint, OpenDocument text and spreadsheet, "
                "plain text and CSV."
            ),
            "file_type_not_allowed",
        )
    uploaded_file.seek(0)
    return mime, digest.hexdigest(), size


def _clean_filename(name: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"')
    return base[:255] or "file"


@transaction.atomic
def add_attachment(
    *, obj, uploaded_file, user, description: str = "", is_internal: bool = False
) -> Attachment:
    """Attach ``uploaded_file`` to ``obj``. The type is decided by the content, never the name.
    Internal files are for those who may change ``obj`` (an IT note's screenshot)."""
    if not may_attach(user, obj):
        raise PermissionDenied(_("You may not add attachments to this object."))
    if is_internal and not can(user, "change", obj):
        raise _field_error(
            "is_internal",
            _("Only people who may change this object may add internal files."),
            "not_allowed",
        )
    attachment = store_attachment(
        obj=obj,
        uploaded_file=uploaded_file,
        uploaded_by=user,
        description=description,
        is_internal=is_internal,
    )
    _files_changed(obj, user)
    return attachment


def _files_changed(obj, user) -> None:
    """Tell a parent whose files are part of its content (``on_attachments_changed``)."""
    hook = getattr(obj, "on_attachments_changed", None)
    if hook is not None:
        hook(user)


def store_attachment(
    *, obj, uploaded_file, uploaded_by=None, description: str = "", is_internal: bool = False
) -> Attachment:
    """The same checks of size and type, for trusted callers that decided access themselves
    (mail intake keeps the screenshots a requester e-mailed)."""
    if len(description) > 255:
        raise _field_error(
            "description", _("Keep the description under 255 characters."), "max_length"
        )
    mime, sha256, size = _sniff(uploaded_file)
    filename = _clean_filename(uploaded_file.name)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        filename=filename,
        size=size,
        sha256=sha256,
        mime_type=mime,
        description=description.strip(),
        is_internal=is_internal,
        uploaded_by=uploaded_by
        if uploaded_by is not None and uploaded_by.is_authenticated
        else None,
    )
    attachment.file.save(f"upload.{sniffing.EXTENSIONS[mime]}", uploaded_file, save=False)
    try:
        attachment.save()
    except Exception:
        # Django has no rollback hook; at least the failure we see here leaves no orphan file.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def delete_attachment(*, attachment: Attachment, user) -> None:
    """Remove the attachment; the stored file goes once the deletion is committed."""
    parent = attachment.parent
    if parent is None:
        if not (user and user.is_superuser):
            raise PermissionDenied(_("You may not change this object's attachments."))
    elif not may_remove_attachments(user, parent):
        raise PermissionDenied(_("You may not change this object's attachments."))
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if parent is not None:
        _files_changed(parent, user)
    if parent is not None and hasattr(parent, "build_search_text"):
        # A parent may search the file's own words too (a registry scan's recognised text):
        # they leave its search with the file.
        type(parent)._default_manager.filter(pk=parent.pk).update(
            search_text=parent.build_search_text()
        )
    transaction.on_commit(lambda: storage.delete(name))


def record_file_read(*, attachment, user, parent=None) -> None:
    """A file was given to ``user``: the parent model hears of it if it asks to
    (``on_file_read(user, attachment)``: a confidential document logs every view)."""
    model = attachment.content_type.model_class()
    if model is None or not hasattr(model, "on_file_read"):
        return
    if parent is None:
        parent = model._default_manager.filter(pk=attachment.object_id).first()
    if parent is not None:
        parent.on_file_read(user, attachment)
