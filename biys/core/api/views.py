from django.db import transaction
from django.http import Http404
from rest_framework import exceptions, mixins, viewsets

from biys.core.access import can, get_scope, holds_everywhere, perm_name
from biys.core.api.idempotency import idempotent
from biys.core.changelog import owner_unit_id
from biys.core.context import bind_user


class BiysViewSetMixin:
    """Every list and detail is narrowed to what the requesting user may view (``restrict``);
    writes are checked per object by ``ScopedObjectPermission``, and a created or changed object
    must land in a unit where the user holds the add / change permission. Each write runs in its
    own transaction, so a refused or failed write leaves nothing behind (not even its change
    record). Set ``queryset`` with the ``select_related``/``prefetch_related`` the serializer
    needs, so list pages keep a constant number of queries."""

    # Any concrete model field unless a view says otherwise; never a property (FieldError).
    ordering_fields = "__all__"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        bind_user(request.user)

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")

    def get_object(self):
        try:
            return super().get_object()
        except OverflowError as error:  # an id beyond SQLite's integer range
            raise Http404 from error

    def perform_create(self, serializer):
        with transaction.atomic():
            instance = serializer.save()
            if not self._may_place(instance, "add"):
                raise exceptions.PermissionDenied()

    def perform_update(self, serializer):
        old_parent_id = getattr(serializer.instance, "parent_id", None)
        with transaction.atomic():
            instance = serializer.save()
            allowed = can(self.request.user, "change", instance)
            if (
                allowed
                and type(instance).scope_path == "pk"
                and instance.parent_id != old_parent_id
            ):
                allowed = self._may_place(instance, "change")
            if not allowed:
                raise exceptions.PermissionDenied()

    def _may_place(self, instance, action: str) -> bool:
        """May the user hold ``instance`` where it now is? A unit is placed under its parent;
        an object without a unit (a title) needs the permission somewhere; a scoped object with
        no unit (a root unit) needs it everywhere."""
        model = type(instance)
        if model.scope_path is None:
            return get_scope(self.request.user).has_perm(perm_name(model, action))
        unit_id = instance.parent_id if model.scope_path == "pk" else owner_unit_id(instance)
        if unit_id is None:
            return holds_everywhere(get_scope(self.request.user), perm_name(model, action))
        return get_scope(self.request.user).has_perm(perm_name(model, action), unit_id)

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance.delete()


class BiysModelViewSet(BiysViewSetMixin, viewsets.ModelViewSet):
    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)


class BiysReadOnlyModelViewSet(BiysViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class BiysReadUpdateViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read and update, no create or delete (singletons such as the municipality)."""
