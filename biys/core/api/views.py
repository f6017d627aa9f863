from django.db import transaction
from django.http import Http404
from rest_framework import exceptions, mixins, viewsets

from biys.core.access import can
from biys.core.api.idempotency import idempotent
from biys.core.context import bind_user
from biys.core.placement import may_place, placement_of


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

    def checked_object(self, check):
        """The object of a detail action once ``check(user, obj)`` passed: the service's own
        permission check (raising ``PermissionDenied``), made before the action reads its body,
        so a refused caller gets 403 (404 for an object it may not see), never the body's
        validation rules. The service checks again when it runs."""
        obj = self.get_object()
        check(self.request.user, obj)
        return obj

    def perform_create(self, serializer):
        with transaction.atomic():
            instance = serializer.save()
            if not may_place(self.request.user, instance, "add"):
                raise exceptions.PermissionDenied()

    def perform_update(self, serializer):
        old_place = placement_of(serializer.instance)
        with transaction.atomic():
            instance = serializer.save()
            allowed = can(self.request.user, "change", instance)
            if allowed and placement_of(instance) != old_place:
                allowed = may_place(self.request.user, instance, "change")
            if not allowed:
                raise exceptions.PermissionDenied()

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
