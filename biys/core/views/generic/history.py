"""The History tab of any change-logged object (a feature view every model gets)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.views import View

from biys.core.access import get_scope
from biys.core.history import describe_changes
from biys.core.models import ObjectChange
from biys.core.redaction import redact
from biys.core.views.generic.base import ScopedViewMixin


def change_history(user, obj, limit: int = 200, related=()) -> list[dict]:
    """The object's change records the user may see, newest first, with what changed.

    ``related`` adds the records of other models that point at the object, as
    ``(model, attname)`` pairs: a user's history shows the roles granted to them
    (``(RoleAssignment, "user_id")``)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    condition = Q(content_type=content_type, object_id=str(obj.pk))
    for related_model, attname in related:
        related_type = ContentType.objects.get_for_model(related_model, for_concrete_model=False)
        condition |= Q(content_type=related_type) & (
            Q(**{f"postchange_data__{attname}": obj.pk})
            | Q(**{f"prechange_data__{attname}": obj.pk})
        )
    records = list(
        ObjectChange.objects.restrict(user, "view")
        .filter(condition)
        .select_related("content_type")
        .order_by("-id")[:limit]
    )
    described = describe_changes(redact(records, user=user))
    for entry in described:
        entry["related"] = entry["record"].content_type_id != content_type.pk
    return described


def visible_history(user, obj, related=()) -> list[dict] | None:
    """The History tab's rows, or None for users who may not read the change log at all."""
    if not get_scope(user).has_perm("core.view_objectchange"):
        return None
    return change_history(user, obj, related=related)


class ObjectHistoryView(ScopedViewMixin, View):
    """The full change history of one object (the History tab as a page of its own)."""

    template_name = "core/object_history.html"

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        if not get_scope(request.user).has_perm("core.view_objectchange"):
            raise PermissionDenied
        context = {
            **self.base_context(),
            "object": obj,
            "title": str(obj),
            "history": change_history(request.user, obj),
        }
        return render(request, self.template_name, context)
