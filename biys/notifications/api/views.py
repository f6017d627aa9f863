import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from biys.attachments.api.permissions import SignedIn
from biys.core.api.views import BiysReadOnlyModelViewSet
from biys.notifications import services
from biys.notifications.api.serializers import NotificationSerializer
from biys.notifications.models import Notification


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["unread"]


MarkedSerializer = inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})


class NotificationViewSet(BiysReadOnlyModelViewSet):
    """The signed-in user's own notifications, newest first."""

    queryset = Notification.objects.select_related("target_content_type")
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    permission_classes = [SignedIn]
    ordering_fields = ["created"]

    def get_queryset(self):
        return super().get_queryset().order_by("-created", "-id")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.mark_read(user=request.user, notification_ids=[notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_read(user=request.user)})
