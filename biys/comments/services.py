from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.accounts.scope import can, get_scope, perm_name
from biys.comments.models import Comment
from biys.core.changelog import owner_unit_id

MAX_LENGTH = 10000


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment first.")}, code="required")
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            {"text": _("Keep the comment under %(limit)d characters.") % {"limit": MAX_LENGTH}},
            code="max_length",
        )
    return text


def _check_internal(user, parent, is_internal: bool) -> None:
    if is_internal and not can(user, "change", parent):
        raise ValidationError(
            {"is_internal": _("Only people who may change this object may write internal notes.")},
            code="not_allowed",
        )


def may_moderate(user, parent) -> bool:
    """Administrators of the parent's unit (holders of comments.delete_comment there)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if parent is None:
        return False
    return get_scope(user).has_perm("comments.delete_comment", owner_unit_id(parent))


def may_comment(user, obj) -> bool:
    """Commenting on a record is for those who hold ``comments.add_comment`` and the record's
    own view permission over its unit: reading the common knowledge every member of staff sees
    (the organisation chart, the staff directory) is no licence to write on it. A parent with
    rules of its own (a ticket) handles its comments itself (``add_comment_as``)."""
    if user is None or not user.is_authenticated:
        return False
    own_rule = getattr(obj, "may_comment", None)
    if own_rule is not None:
        return own_rule(user)
    if user.is_superuser:
        return True
    if not can(user, "view", obj):
        return False
    scope, unit_id = get_scope(user), owner_unit_id(obj)
    return scope.has_perm("comments.add_comment", unit_id) and scope.has_perm(
        perm_name(type(obj), "view"), unit_id
    )


@transaction.atomic
def add_comment(*, obj, user, text: str, is_internal: bool = False) -> Comment:
    own_rule = getattr(obj, "add_comment_as", None)
    if own_rule is not None:
        return own_rule(user=user, text=_clean_text(text), is_internal=is_internal)
    if not may_comment(user, obj):
        raise PermissionDenied(_("You may not comment on this object."))
    text = _clean_text(text)
    _check_internal(user, obj, is_internal)
    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        author=user,
        text=text,
        is_internal=is_internal,
    )


@transaction.atomic
def edit_comment(*, comment: Comment, user, text: str, is_internal: bool | None = None) -> Comment:
    """Authors edit their own comments only; the edit time is shown next to the comment."""
    if comment.author_id is None or comment.author_id != getattr(user, "pk", None):
        raise PermissionDenied(_("You may edit only your own comments."))
    comment.text = _clean_text(text)
    if is_internal is not None:
        _check_internal(user, comment.parent, is_internal)
        comment.is_internal = is_internal
    comment.edited = timezone.now()
    comment.save()
    return comment


@transaction.atomic
def delete_comment(*, comment: Comment, user) -> None:
    own = comment.author_id is not None and comment.author_id == getattr(user, "pk", None)
    if not own and not may_moderate(user, comment.parent):
        raise PermissionDenied(_("You may delete only your own comments."))
    comment.delete()
