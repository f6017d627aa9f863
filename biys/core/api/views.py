from rest_framework import viewsets

from biys.core.context import bind_user


class BiysModelViewSet(viewsets.ModelViewSet):
    """Every list and detail is narrowed to what the requesting user may view (``restrict``);
    writes are checked per object by ``ScopedObjectPermission``. Set ``queryset`` with the
    ``select_related``/``prefetch_related`` the serializer needs, so list pages keep a constant
    number of queries."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        bind_user(request.user)

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")


class BiysReadOnlyModelViewSet(viewsets.ReadOnlyModelViewSet):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        bind_user(request.user)

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")
