from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.applications.choices import OUTCOMES, State
from biys.applications.models import Application, ApplicationType
from biys.core.api.serializers import BiysModelSerializer
from biys.org.models import Unit


class ApplicationTypeSerializer(BiysModelSerializer):
    class Meta:
        model = ApplicationType
        fields = [
            "id", "display", "code", "name", "law", "legal_article", "citations", "duty", "unit",
            "period", "period_unit", "extended_period", "count_from_receipt_day",
            "channel_sets_period", "objection_period", "objection_type", "identity_number",
            "identity_ground", "form_fields",
            "documents", "fee", "fee_note", "description", "active", "public", "created",
            "last_updated",
        ]  # fmt: skip
        read_only_fields = ["duty"]


class DeadlineQuerySerializer(serializers.Serializer):
    received_on = serializers.DateField()
    extended = serializers.BooleanField(default=False)


class DeadlineSerializer(serializers.Serializer):
    type = serializers.CharField()
    received_on = serializers.DateField()
    extended = serializers.BooleanField()
    due_date = serializers.DateField()


class VisibleApplicationField(serializers.PrimaryKeyRelatedField):
    """An application the requesting user may see (another is "does not exist")."""

    def get_queryset(self):
        request = self.context.get("request")
        queryset = Application.objects.select_related("type")
        return queryset.restrict(request.user, "view") if request is not None else queryset


class ApplicationSerializer(BiysModelSerializer):
    """Personal data is write-only: read it masked here, unmasked through the logged
    ``personal-data`` action."""

    tc_kimlik_no_masked = serializers.CharField(source="masked_tc_kimlik_no", read_only=True)
    working_days_left = serializers.SerializerMethodField()
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    objection_to = VisibleApplicationField(
        queryset=Application.objects.none(),
        required=False,
        allow_null=True,
        help_text=_(
            "An objection (4982 md. 13): the answered application it objects to, of a type"
            " that allows objection, within its objection period."
        ),
    )

    class Meta:
        model = Application
        fields = [
            "id", "display", "number", "type", "channel", "channel_reference", "received_on",
            "channel_due_date", "subject", "description", "form_data", "applicant_kind",
            "applicant_name", "tc_kimlik_no", "tc_kimlik_no_masked", "tax_number", "email",
            "phone", "address", "responsible_unit", "state", "due_date", "working_days_left",
            "extended", "extension_reason", "extended_at", "answered_on", "outcome_note",
            "refusal_ground", "forwarded_to", "objection_to", "answer_document", "message_id",
            "created_by", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = [
            "number", "state", "due_date", "extended", "extension_reason", "extended_at",
            "answered_on", "outcome_note", "refusal_ground", "forwarded_to", "answer_document",
            "message_id", "created_by",
        ]  # fmt: skip
        extra_kwargs = {
            name: {"write_only": True} for name in ("tc_kimlik_no", "email", "phone", "address")
        }

    def get_working_days_left(self, obj) -> int | None:
        calendar = self.context.get("calendar")
        if calendar is None or obj.state != State.OPEN:
            return None
        return calendar.working_days_between(self.context["today"], obj.due_date)

    def validate(self, attrs):
        return attrs  # the service checks the rules (deadline, unit, form answers, permission)

    def create(self, validated_data):
        from biys.applications import services

        return services.receive_application(user=self.context["request"].user, **validated_data)


class RouteSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    reason = serializers.CharField(max_length=300)


class ExtendSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("The reason notified to the applicant."))


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(v, State(v).label) for v in OUTCOMES])
    note = serializers.CharField()
    answered_on = serializers.DateField(required=False)
    refusal_ground = serializers.CharField(required=False, allow_blank=True, default="")
    forwarded_to = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicantDataRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ApplicantDataSerializer(serializers.Serializer):
    tc_kimlik_no = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()


class ReportRowSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="YYYY-MM with by=month, else empty")
    type_name = serializers.CharField()
    unit_name = serializers.CharField()
    received = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    open = serializers.IntegerField()
    average_days = serializers.FloatField(allow_null=True)
    answered = serializers.IntegerField(help_text="Outcome: answered")
    partly = serializers.IntegerField(help_text="Outcome: partly answered")
    refused = serializers.IntegerField(help_text="Outcome: refused with its legal ground")
    forwarded = serializers.IntegerField(help_text="Outcome: forwarded to another institution")
