from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from biys.calendar import selectors, services
from biys.calendar.api.serializers import (
    AddWorkingDaysQuerySerializer,
    AddWorkingDaysResultSerializer,
    DayInfoSerializer,
    DeclaredDaySerializer,
    YearQuerySerializer,
)
from biys.core.api.views import BiysModelViewSet


class DeclaredDayViewSet(BiysModelViewSet):
    queryset = selectors.declared_day_list()
    serializer_class = DeclaredDaySerializer
    filterset_fields = ["kind"]
    ordering_fields = ["date"]

    def perform_create(self, serializer):
        serializer.instance = services.declare_day(
            **serializer.validated_data, user=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_declared_day(
            declared_day=serializer.instance, user=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_declared_day(declared_day=instance, user=self.request.user)


def _query(serializer_class, request):
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CalendarDaysView(APIView):
    """The public holidays, half days and declared days of one year."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_calendar_days_list",
        parameters=[YearQuerySerializer],
        responses=DayInfoSerializer(many=True),  # problem responses come from BiysAutoSchema
    )
    def get(self, request):
        year = _query(YearQuerySerializer, request)["year"]
        days = selectors.year_days(year)
        return Response(DayInfoSerializer(days, many=True).data)


class AddWorkingDaysView(APIView):
    """The date a number of working days after a start date."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_calendar_add_working_days_retrieve",
        parameters=[AddWorkingDaysQuerySerializer],
        responses=AddWorkingDaysResultSerializer,
    )
    def get(self, request):
        query = _query(AddWorkingDaysQuerySerializer, request)
        result = selectors.add_working_days(query["start"], query["days"])
        return Response(AddWorkingDaysResultSerializer({**query, "date": result}).data)
