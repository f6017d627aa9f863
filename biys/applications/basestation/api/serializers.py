from django.contrib.auth import get_user_model
from rest_framework import serializers

from biys.applications.basestation.choices import ContractKind, Decision, SiteKind
from biys.applications.basestation.models import (
    BaseStationSite,
    Operator,
    SiteAccrual,
    SiteComplaint,
)
from biys.applications.choices import Channel
from biys.core.api.serializers import BiysModelSerializer
from biys.org.models import Unit


class BaseStationOperatorSerializer(BiysModelSerializer):
    class Meta:
        model = Operator
        fields = ["id", "display", "name", "tax_number", "authorisation", "unit", "active",
                  "created", "last_updated"]  # fmt: skip
        read_only_fields = fields


class BaseStationAccrualSerializer(serializers.ModelSerializer):
    class Meta:
        model = SiteAccrual
        fields = ["id", "year", "amount", "accrual_number", "accrued_on", "payment_reference",
                  "paid_on"]  # fmt: skip
        read_only_fields = fields


class BaseStationSiteSerializer(BiysModelSerializer):
    """A site as read: the applicant and deadline from its application."""

    number = serializers.CharField(source="application.number", read_only=True)
    received_on = serializers.DateField(source="application.received_on", read_only=True)
    due_date = serializers.DateField(source="application.due_date", read_only=True)
    responsible_unit = serializers.IntegerField(
        source="application.responsible_unit_id", read_only=True
    )
    # Empty until there is a contract: a plain read-only string (an enum has no empty value).
    contract_kind = serializers.CharField(read_only=True)
    accruals = BaseStationAccrualSerializer(many=True, read_only=True)

    class Meta:
        model = BaseStationSite
        fields = [
            "id", "display", "application", "number", "received_on", "due_date",
            "responsible_unit", "operator", "site_code", "kind", "latitude", "longitude",
            "neighbourhood", "address", "block", "parcel", "state", "documents_received",
            "inspected_on", "inspector", "inspection_note", "decided_on", "decision_number",
            "decision_note", "contract_kind", "contract_number", "contract_start", "contract_end",
            "yearly_amount", "right_of_way_number", "right_of_way_signed_on",
            "right_of_way_route", "accruals", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = fields


class BaseStationOpenSiteSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.COUNTER)
    operator = serializers.PrimaryKeyRelatedField(queryset=Operator.objects.all())
    kind = serializers.ChoiceField(choices=SiteKind.choices)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    site_code = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    neighbourhood = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    block = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    parcel = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True, default=None
    )


class BaseStationDocumentsSerializer(serializers.Serializer):
    documents = serializers.ListField(child=serializers.CharField(max_length=200), max_length=50)


class BaseStationInspectionSerializer(serializers.Serializer):
    inspected_on = serializers.DateField()
    inspector = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True)
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class BaseStationDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    decision_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class BaseStationContractSerializer(serializers.Serializer):
    contract_kind = serializers.ChoiceField(choices=ContractKind.choices)
    contract_number = serializers.CharField(max_length=50)
    contract_start = serializers.DateField()
    contract_end = serializers.DateField()
    yearly_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class BaseStationAccrueSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=3000)
    accrued_on = serializers.DateField(required=False, allow_null=True, default=None)


class BaseStationPaymentSerializer(serializers.Serializer):
    accrual = serializers.IntegerField(help_text="The id of the site's accrual being paid.")
    payment_reference = serializers.CharField(max_length=100)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)


class BaseStationRightOfWaySerializer(serializers.Serializer):
    agreement_number = serializers.CharField(max_length=50)
    signed_on = serializers.DateField()
    route = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class BaseStationComplaintSerializer(BiysModelSerializer):
    number = serializers.CharField(source="application.number", read_only=True)
    subject = serializers.CharField(source="application.subject", read_only=True)
    received_on = serializers.DateField(source="application.received_on", read_only=True)
    due_date = serializers.DateField(source="application.due_date", read_only=True)
    responsible_unit = serializers.IntegerField(
        source="application.responsible_unit_id", read_only=True
    )

    class Meta:
        model = SiteComplaint
        fields = ["id", "display", "application", "number", "subject", "received_on",
                  "due_date", "responsible_unit", "site", "state", "finding", "answered_on",
                  "created", "last_updated"]  # fmt: skip
        read_only_fields = fields


class BaseStationOpenComplaintSerializer(serializers.Serializer):
    site = serializers.PrimaryKeyRelatedField(queryset=BaseStationSite.objects.all())
    received_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.COUNTER)
    applicant_name = serializers.CharField(max_length=200)
    tc_kimlik_no = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    description = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, default=""
    )


class BaseStationLinkComplaintSerializer(serializers.Serializer):
    application = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The id of the complaint's application."
    )
    site = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The id of the site it is about."
    )


class BaseStationAnswerSerializer(serializers.Serializer):
    finding = serializers.CharField(max_length=10000)
    answered_on = serializers.DateField(required=False, allow_null=True, default=None)
