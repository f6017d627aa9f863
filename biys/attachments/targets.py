"""Things attached to another object (attachments, comments): finding that parent object and the
rule that decides access to them — whoever may view the parent may view what hangs on it.

Attachments and comments carry no unit of their own (``scope_path = None``), so lists are narrowed
by the visible parents, resolved per content type as one subquery each: the number of queries
grows with the number of parent models in play, never with the number of rows.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404

from biys.accounts.scope import ALL, can, get_scope, restrict_queryset
from biys.core.models import ChangeLoggedModel


def parent_model(content_type: ContentType):
    """The business model behind a content type, or None when nothing may be attached to it."""
    model = content_type.model_class()
    if model is None or not issubclass(model, ChangeLoggedModel) or model._meta.abstract:
        return None
    return model


def get_content_type(content_type_id) -> ContentType:
    try:
        return ContentType.objects.get_for_id(int(content_type_id))
    except (ContentType.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None


def restricted_parents(model, user, action: str):
    """The model's own ``restrict`` where it has one (tickets are visible to their requester)."""
    queryset = model._default_manager.all()
    if hasattr(queryset, "restrict"):
        return queryset.restrict(user, action)
    return restrict_queryset(queryset, user, action)


def file_parents(model, user, action: str):
    """The parents whose files ``user`` may ``action``: the parents themselves, narrowed for
    reading by the model's ``attachment_view_perm`` (a person's files are personal data)."""
    parents = restricted_parents(model, user, action)
    perm = getattr(model, "attachment_view_perm", None)
    if action != "view" or not perm:
        return parents
    units = get_scope(user).units_for(perm)
    if units is ALL:
        return parents
    scope_path = getattr(model, "scope_path", None)
    if not units or not scope_path:
        return parents.none()
    lookup = "pk__in" if scope_path == "pk" else f"{scope_path}__in"
    return parents.filter(**{lookup: units})


def may_read_files(user, obj) -> bool:
    return file_parents(type(obj), user, "view").filter(pk=obj.pk).exists()


def may_attach(user, obj) -> bool:
    """Adding files needs the right to change the object, unless the object says otherwise
    (a requester adds screenshots to their own ticket): ``obj.may_add_attachment(user)``."""
    hook = getattr(obj, "may_add_attachment", None)
    if hook is not None:
        return hook(user)
    return can(user, "change", obj)


def may_remove_attachments(user, obj) -> bool:
    """Removing files needs the right to change the object, unless the object says otherwise
    (a signed document's files are what was signed): ``obj.may_remove_attachment(user)``."""
    hook = getattr(obj, "may_remove_attachment", None)
    if hook is not None:
        return hook(user)
    return can(user, "change", obj)


def get_parent(user, content_type_id, object_id, action: str = "view", parents=None):
    """The parent object if ``user`` may ``action`` it; 404 otherwise, so existence never leaks.
    ``parents(model, user, action)`` narrows the candidates (default: ``restricted_parents``)."""
    model = parent_model(get_content_type(content_type_id))
    if model is None:
        raise Http404
    try:
        pk = model._meta.pk.to_python(object_id)
    except ValidationError:
        raise Http404 from None
    parent = (parents or restricted_parents)(model, user, action).filter(pk=pk).first()
    if parent is None:
        raise Http404
    return parent


def visible_parents_q(user, content_type_ids, action: str = "view", parents=None) -> Q:
    """A filter on (content_type, object_id) keeping rows whose parent ``user`` may ``action``
    (``parents`` as in ``get_parent``)."""
    condition = Q(pk__in=[])
    for content_type_id in content_type_ids:
        model = parent_model(ContentType.objects.get_for_id(content_type_id))
        if model is None:
            continue
        candidates = (parents or restricted_parents)(model, user, action)
        if candidates.query.is_empty():
            continue
        if not candidates.query.where:
            condition |= Q(content_type_id=content_type_id)
            continue
        visible_ids = (
            candidates.order_by().annotate(_object_id=Cast("pk", CharField())).values("_object_id")
        )
        condition |= Q(content_type_id=content_type_id, object_id__in=visible_ids)
    return condition


def restrict_to_visible_parents(queryset, user, action: str = "view"):
    """``queryset`` of attached rows narrowed to those whose parent ``user`` may ``action``."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    content_type_ids = (
        queryset.model._default_manager.order_by()
        .values_list("content_type_id", flat=True)
        .distinct()
    )
    return queryset.filter(visible_parents_q(user, list(content_type_ids), action))


def parent_label(parent) -> str:
    return f"{parent._meta.verbose_name}: {parent}"
