"""The awareness training API: sessions, attendances, and the compliance per unit."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from biys.bgys import training_filtersets as filtersets
from biys.bgys import training_selectors as selectors
from biys.bgys.api import training_serializers as serializers
from biys.bgys.api.policy_views import _Writable
from biys.bgys.training_models import TrainingAttendance, TrainingSession
from biys.core.access import get_scope

ComplianceSerializer = inline_serializer(
    "BgysTrainingCompliance",
    {
        "since": drf.DateField(),
        "units": drf.ListField(child=drf.DictField()),
    },
)


class TrainingSessionViewSet(_Writable):
    queryset = TrainingSession.objects.order_by("-held_on", "-pk")
    serializer_class = serializers.BgysTrainingSessionSerializer
    filterset_class = filtersets.TrainingSessionFilterSet

    @extend_schema(
        request=None,
        responses={200: ComplianceSerializer},
        description="Per unit of the units the user may see: the staff and how many were"
        " trained in the last twelve months.",
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def compliance(self, request):
        if not get_scope(request.user).has_perm(selectors.VIEW):
            raise PermissionDenied
        units = [
            {
                "unit": row.unit_id,
                "unit_name": row.unit_name,
                "staff": row.total,
                "trained": row.trained,
                "rate": row.rate,
            }
            for row in selectors.per_unit(request.user)
        ]
        return Response({"since": selectors.since(), "units": units})


class TrainingAttendanceViewSet(_Writable):
    queryset = TrainingAttendance.objects.select_related("person", "session").order_by(
        "session", "pk"
    )
    serializer_class = serializers.BgysTrainingAttendanceSerializer
    filterset_class = filtersets.TrainingAttendanceFilterSet
