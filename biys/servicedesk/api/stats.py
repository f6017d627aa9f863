"""``GET /api/v1/servicedesk/statistics/``: the statistics page's figures as JSON, read from the
same summary (``stats.ticket_statistics``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from biys.org.models import Unit
from biys.servicedesk.stats import PRESET_LABELS, Period, PeriodPreset, ticket_statistics
from biys.servicedesk.stats_views import unit_choices

MAX_PERIOD_DAYS = 3 * 366


class StatisticsQuerySerializer(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=[preset.value for preset in PRESET_LABELS], default=PeriodPreset.THIS_MONTH
    )
    first = serializers.DateField(required=False)
    last = serializers.DateField(required=False)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(), required=False, allow_null=True
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user) if user else Unit.objects.none()

    def validate(self, data):
        if data["period"] == PeriodPreset.CUSTOM:
            first, last = data.get("first"), data.get("last")
            if not (first and last):
                raise serializers.ValidationError({"first": _("A custom period needs both dates.")})
            if first > last:
                raise serializers.ValidationError(
                    {"last": _("The last day cannot be before the first day.")}
                )
            if (last - first).days >= MAX_PERIOD_DAYS:
                raise serializers.ValidationError(
                    {"last": _("Choose a period of at most three years.")}
                )
        return data


class StatisticsView(APIView):
    """Opened, resolved, backlog, SLA compliance, mean times and ratings of a period, with the
    series and the breakdowns, for the responsible units the user may see."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_servicedesk_statistics_retrieve",
        parameters=[StatisticsQuerySerializer(user=None)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        query = StatisticsQuerySerializer(data=request.query_params, user=request.user)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        period = Period.from_preset(data["period"], first=data.get("first"), last=data.get("last"))
        unit = data.get("unit")
        statistics = ticket_statistics(request.user, period=period, unit=unit)
        return Response(
            {
                "period": {"first": period.first, "last": period.last},
                "unit": unit.pk if unit is not None else None,
                "totals": statistics.totals,
                "series": statistics.series,
                "breakdowns": [
                    {"key": item.key, "title": item.title, "rows": item.rows}
                    for item in statistics.breakdowns
                ],
            }
        )
