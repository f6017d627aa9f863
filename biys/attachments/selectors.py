from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404

from biys.accounts.scope import can
from biys.attachments.models import Attachment
from biys.attachments.targets import file_parents, get_parent, may_read_files, visible_parents_q


def attachments_of(parent, user=None):
    """The files on ``parent``; with ``user``, those they may read (internal files only for
    those who may change the parent, none where the parent's files need a permission they
    lack)."""
    files = (
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(parent), object_id=str(parent.pk)
        )
        .select_related("uploaded_by")
        .order_by("-created", "-id")
    )
    if user is None:
        return files
    if not may_read_files(user, parent):
        return files.none()
    if not can(user, "change", parent):
        files = files.filter(is_internal=False)
    return files


def visible_attachments(user):
    """Every attachment ``user`` may read, in a constant number of queries."""
    if user is None or not user.is_authenticated:
        return Attachment.objects.none()
    content_type_ids = list(
        Attachment.objects.order_by().values_list("content_type_id", flat=True).distinct()
    )
    public = visible_parents_q(user, content_type_ids, "view", file_parents) & Q(is_internal=False)
    internal = visible_parents_q(user, content_type_ids, "change") & Q(is_internal=True)
    return Attachment.objects.filter(public | internal).select_related(
        "uploaded_by", "content_type"
    )


def get_attachment(user, pk, action: str = "view") -> tuple[Attachment, object]:
    """(attachment, parent) when ``user`` may ``action`` the file; 404 otherwise."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    parent = get_parent(
        user, attachment.content_type_id, attachment.object_id, action, file_parents
    )
    if attachment.is_internal and not can(user, "change", parent):
        raise Http404
    return attachment, parent
