from rest_framework import serializers

from biys.applications.choices import ApplicantKind, Channel
from biys.applications.numarataj.choices import CouncilDecision
from biys.applications.numarataj.models import (
    Building,
    BuildingNumber,
    NumberingRequest,
    NumberingTariff,
    Street,
    StreetName,
    StreetNamingProposal,
)
from biys.core.api.serializers import BiysModelSerializer
from biys.org.models import Unit


class NumberingTariffSerializer(BiysModelSerializer):
    """An amount of the council's numbering tariff; saved through
    ``services.save_tariff``."""

    class Meta:
        model = NumberingTariff
        fields = ["id", "display", "kind", "valid_from", "amount", "council_decision",
                  "created", "last_updated"]  # fmt: skip
        read_only_fields = ["id", "display", "created", "last_updated"]
        validators = []  # DRF's unique-together check would answer before ``validate``

    def validate(self, attrs):
        """The one-row-a-day rule at ``valid_from`` (the service's), before the model's own
        constraint would answer it without a field."""
        from biys.applications.numarataj.services import tariff_day_error

        stored = self.instance
        probe = NumberingTariff(
            pk=stored.pk if stored else None,
            kind=attrs.get("kind", stored.kind if stored else None),
            valid_from=attrs.get("valid_from", stored.valid_from if stored else None),
        )
        errors = tariff_day_error(probe)
        if errors:
            raise serializers.ValidationError(errors)
        return super().validate(attrs)


class StreetNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = StreetName
        fields = ["name", "valid_from", "council_decision", "proposal"]
        read_only_fields = fields


class StreetSerializer(BiysModelSerializer):
    class Meta:
        model = Street
        fields = ["id", "display", "name", "kind", "neighbourhood", "code", "unit", "active",
                  "created", "last_updated"]  # fmt: skip
        read_only_fields = fields


class StreetDetailSerializer(StreetSerializer):
    names = StreetNameSerializer(many=True, read_only=True)

    class Meta(StreetSerializer.Meta):
        fields = [*StreetSerializer.Meta.fields, "names"]
        read_only_fields = fields


class BuildingNumberSerializer(serializers.ModelSerializer):
    class Meta:
        model = BuildingNumber
        fields = ["street", "door_number", "inner_numbers", "given_on", "request", "note"]
        read_only_fields = fields


class BuildingSerializer(BiysModelSerializer):
    class Meta:
        model = Building
        fields = ["id", "display", "street", "door_number", "inner_numbers", "block", "parcel",
                  "building_name", "created", "last_updated"]  # fmt: skip
        read_only_fields = fields


class BuildingDetailSerializer(BuildingSerializer):
    numbers = BuildingNumberSerializer(many=True, read_only=True)

    class Meta(BuildingSerializer.Meta):
        fields = [*BuildingSerializer.Meta.fields, "numbers"]
        read_only_fields = fields


class NumberingRequestSerializer(BiysModelSerializer):
    """A request as read: the applicant's name and kind from its application; the identity is
    read through the application's logged ``personal-data`` action."""

    number = serializers.CharField(source="application.number", read_only=True)
    applicant_name = serializers.CharField(source="application.applicant_name", read_only=True)
    applicant_kind = serializers.CharField(source="application.applicant_kind", read_only=True)
    received_on = serializers.DateField(source="application.received_on", read_only=True)
    due_date = serializers.DateField(source="application.due_date", read_only=True)
    responsible_unit = serializers.IntegerField(
        source="application.responsible_unit_id", read_only=True
    )

    class Meta:
        model = NumberingRequest
        fields = [
            "id", "display", "application", "number", "applicant_name", "applicant_kind",
            "received_on", "due_date", "responsible_unit", "street", "block", "parcel",
            "building_description", "building", "state", "visited_on", "inspector", "visit_note",
            "door_number", "inner_numbers", "numbered_on", "fee", "tariff_fee", "fee_reason",
            "accrual_number", "accrued_on", "payment_reference", "paid_on", "certificate_number",
            "certificate_issued_on", "refusal_reason", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = fields


class OpenRequestSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.COUNTER)
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_name = serializers.CharField(max_length=200)
    tc_kimlik_no = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    tax_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True, default=None
    )
    street = serializers.PrimaryKeyRelatedField(queryset=Street.objects.all())
    block = serializers.CharField(max_length=20)
    parcel = serializers.CharField(max_length=20)
    building_description = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class VisitSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    inspector = serializers.PrimaryKeyRelatedField(
        queryset=NumberingRequest._meta.get_field("inspector").related_model.objects.filter(
            is_active=True
        )
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class NumberSerializer(serializers.Serializer):
    door_number = serializers.CharField(max_length=20)
    inner_numbers = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    building = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.all(), required=False, allow_null=True, default=None
    )
    numbered_on = serializers.DateField(required=False, allow_null=True, default=None)


class AccrueSerializer(serializers.Serializer):
    fee = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text="Empty: the tariff's fee on the accrual day; another amount needs fee_reason.",
    )
    fee_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    accrued_on = serializers.DateField(required=False, allow_null=True, default=None)


class PaymentSerializer(serializers.Serializer):
    payment_reference = serializers.CharField(max_length=100)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)


class IssueSerializer(serializers.Serializer):
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)


class RefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class StreetNamingProposalSerializer(BiysModelSerializer):
    # Empty until the council decides: a plain read-only string (an enum has no empty value).
    decision = serializers.CharField(read_only=True)

    class Meta:
        model = StreetNamingProposal
        fields = ["id", "display", "proposed_name", "street", "kind", "neighbourhood",
                  "area_description", "justification", "unit", "application", "state",
                  "sent_on", "decision", "decision_number", "decision_date", "decided_name",
                  "decision_note", "created", "last_updated"]  # fmt: skip
        read_only_fields = ["state", "sent_on", "decision", "decision_number", "decision_date",
                            "decided_name", "decision_note", "created", "last_updated"]  # fmt: skip


class SendSerializer(serializers.Serializer):
    sent_on = serializers.DateField(required=False, allow_null=True, default=None)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=CouncilDecision.choices)
    decision_number = serializers.CharField(max_length=50)
    decision_date = serializers.DateField()
    decided_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
