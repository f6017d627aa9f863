import django_filters
from django.db.models import F
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from biys.acknowledgements import selectors, services
from biys.acknowledgements.api.serializers import AcceptSerializer, AcknowledgementSerializer
from biys.acknowledgements.models import Acknowledgement
from biys.attachments.api.permissions import SignedIn
from biys.core.api.views import BiysReadOnlyModelViewSet


class AcknowledgementFilterSet(django_filters.FilterSet):
    pending = django_filters.BooleanFilter(field_name="acknowledged_at", lookup_expr="isnull")

    class Meta:
        model = Acknowledgement
        fields = ["pending"]


class AcknowledgementViewSet(BiysReadOnlyModelViewSet):
    """The signed-in person's own acknowledgements (``?pending=true``: still to give), and
    their "read and accepted" (``accept``)."""

    queryset = Acknowledgement.objects.select_related("content_type", "person")
    serializer_class = AcknowledgementSerializer
    filterset_class = AcknowledgementFilterSet
    permission_classes = [SignedIn]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .order_by(F("acknowledged_at").desc(nulls_first=True), "due_on", "pk")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.attach_targets(page) if page is not None else None

    def get_object(self):
        row = super().get_object()
        selectors.attach_targets([row])
        return row

    @extend_schema(request=AcceptSerializer, responses=AcknowledgementSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.acknowledge(
            acknowledgement=self.get_object(),
            user=request.user,
            statement=data.validated_data.get("statement", ""),
        )
        selectors.attach_targets([row])
        return Response(self.get_serializer(row).data)
