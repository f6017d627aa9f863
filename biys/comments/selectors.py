from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404

from biys.accounts.scope import can
from biys.attachments.targets import get_parent, visible_parents_q
from biys.comments.models import Comment


def comments_of(parent, user, *, internal: bool | None = None):
    """The thread on ``parent`` as ``user`` may read it: internal notes only for those who may
    change the parent (``internal``: the caller has already decided that)."""
    comments = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(parent), object_id=str(parent.pk)
    ).select_related("author")
    if internal is None:
        internal = can(user, "change", parent)
    if not internal:
        comments = comments.filter(is_internal=False)
    return comments.order_by("created", "id")


def visible_comments(user):
    """Every comment ``user`` may read, in a constant number of queries."""
    if user is None or not user.is_authenticated:
        return Comment.objects.none()
    content_type_ids = list(
        Comment.objects.order_by().values_list("content_type_id", flat=True).distinct()
    )
    public = visible_parents_q(user, content_type_ids, "view") & ~Q(is_internal=True)
    internal = visible_parents_q(user, content_type_ids, "change") & Q(is_internal=True)
    return Comment.objects.filter(public | internal).select_related("author", "content_type")


def get_comment(user, pk) -> tuple[Comment, object]:
    """(comment, parent) when ``user`` may read the comment; 404 otherwise."""
    comment = Comment.objects.select_related("author").filter(pk=pk).first()
    if comment is None:
        raise Http404
    parent = get_parent(user, comment.content_type_id, comment.object_id, "view")
    if comment.is_internal and not can(user, "change", parent):
        raise Http404
    return comment, parent
