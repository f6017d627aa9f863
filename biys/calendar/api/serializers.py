from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.calendar.choices import DayKind
from biys.calendar.forms import MISSING_REFERENCE
from biys.calendar.models import DeclaredDay
from biys.core.api.serializers import BiysModelSerializer


class DeclaredDaySerializer(BiysModelSerializer):
    created_by = serializers.StringRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = DeclaredDay
        fields = [
            "id",
            "display",
            "date",
            "kind",
            "description",
            "decision_reference",
            "created_by",
            "created",
            "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]
        extra_kwargs = {
            "decision_reference": {
                "error_messages": {"blank": MISSING_REFERENCE, "required": MISSING_REFERENCE}
            }
        }


class DayInfoSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=DayKind.choices)
    is_working_day = serializers.BooleanField(
        help_text=_("Counts as a working day for periods in working days.")
    )
    name = serializers.CharField()
    declared = serializers.BooleanField()
    decision_reference = serializers.CharField()


class YearQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1950, max_value=2100)


class AddWorkingDaysQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text=_("Start date (YYYY-MM-DD); not counted."))
    days = serializers.IntegerField(
        min_value=-3650, max_value=3650, help_text=_("Working days to add; negative goes back.")
    )


class AddWorkingDaysResultSerializer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    date = serializers.DateField()
