from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from biys.attachments.models import Attachment
from biys.attachments.targets import get_parent, restrict_to_visible_parents


def attachments_of(parent):
    return (
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(parent), object_id=str(parent.pk)
        )
        .select_related("uploaded_by")
        .order_by("-created", "-id")
    )


def visible_attachments(user):
    """Every attachment whose parent ``user`` may view, in a constant number of queries."""
    return restrict_to_visible_parents(
        Attachment.objects.select_related("uploaded_by", "content_type"), user, "view"
    )


def get_attachment(user, pk, action: str = "view") -> tuple[Attachment, object]:
    """(attachment, parent) when ``user`` may ``action`` the parent; 404 otherwise."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    parent = get_parent(user, attachment.content_type_id, attachment.object_id, action)
    return attachment, parent
