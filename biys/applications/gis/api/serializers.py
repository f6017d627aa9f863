from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from biys.applications.choices import ApplicantKind, Channel
from biys.applications.gis.choices import DataFormat, DeliveryMethod
from biys.applications.gis.models import (
    GisDataSale,
    GisDelivery,
    GisDeliveryLine,
    GisLayer,
    GisSaleItem,
    GisTariff,
    GisTariffLine,
)
from biys.core.api.serializers import BiysModelSerializer
from biys.org.models import Unit


class GisLayerSerializer(BiysModelSerializer):
    class Meta:
        model = GisLayer
        fields = ["id", "display", "code", "name", "description", "unit", "position", "active",
                  "created", "last_updated"]  # fmt: skip
        read_only_fields = fields


class GisTariffLineSerializer(BiysModelSerializer):
    class Meta:
        model = GisTariffLine
        fields = ["id", "display", "tariff", "layer", "data_format", "charge_unit", "unit_price",
                  "minimum_charge", "kdv_rate", "note"]  # fmt: skip
        read_only_fields = fields


class GisTariffSerializer(BiysModelSerializer):
    lines = GisTariffLineSerializer(many=True, read_only=True)

    class Meta:
        model = GisTariff
        fields = ["id", "display", "name", "council_decision", "decision_date", "valid_from",
                  "valid_until", "unit", "notes", "lines", "created", "last_updated"]  # fmt: skip
        read_only_fields = fields


class GisSaleItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = GisSaleItem
        fields = ["id", "layer", "data_format", "quantity", "charge_unit", "unit_price",
                  "minimum_charge", "kdv_rate", "net_amount", "kdv_amount",
                  "total_amount"]  # fmt: skip
        read_only_fields = fields


class GisDeliveryLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = GisDeliveryLine
        fields = ["item", "quantity"]
        read_only_fields = fields


class GisDeliverySerializer(serializers.ModelSerializer):
    lines = GisDeliveryLineSerializer(many=True, read_only=True)

    class Meta:
        model = GisDelivery
        fields = ["id", "delivered_at", "delivered_by", "recipient_name", "method", "files",
                  "file", "note", "lines"]  # fmt: skip
        read_only_fields = fields


class GisItemProgressSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    ordered = serializers.DecimalField(max_digits=12, decimal_places=3)
    delivered = serializers.DecimalField(max_digits=12, decimal_places=3)
    remaining = serializers.DecimalField(max_digits=12, decimal_places=3)


class GisDataSaleSerializer(BiysModelSerializer):
    """A sale as read: the applicant's name and kind from its application; the identity is
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
        model = GisDataSale
        fields = [
            "id", "display", "application", "number", "applicant_name", "applicant_kind",
            "received_on", "due_date", "responsible_unit", "purpose", "area_description", "state",
            "tariff", "quoted_on", "net_total", "kdv_total", "total", "accrual_number",
            "accrued_on", "payment_reference", "paid_on", "paid_amount", "undertaking",
            "undertaking_signed_on", "cancel_reason", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = fields


class GisDataSaleDetailSerializer(GisDataSaleSerializer):
    """A sale with its requested layers, delivered against ordered per layer, and its
    deliveries (the latest first)."""

    items = GisSaleItemSerializer(many=True, read_only=True)
    delivery_progress = serializers.SerializerMethodField()
    deliveries = serializers.SerializerMethodField()

    class Meta(GisDataSaleSerializer.Meta):
        fields = [*GisDataSaleSerializer.Meta.fields, "items", "delivery_progress", "deliveries"]
        read_only_fields = fields

    @extend_schema_field(GisItemProgressSerializer(many=True))
    def get_delivery_progress(self, obj):
        from biys.applications.gis.selectors import delivery_progress

        return GisItemProgressSerializer(delivery_progress(obj), many=True).data

    @extend_schema_field(GisDeliverySerializer(many=True))
    def get_deliveries(self, obj):
        from biys.applications.gis.selectors import deliveries_of

        return GisDeliverySerializer(deliveries_of(obj), many=True).data


class GisOpenSaleSerializer(serializers.Serializer):
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
    form_data = serializers.DictField(
        child=serializers.CharField(max_length=500, allow_blank=True), required=False, default=dict
    )
    area_description = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    purpose = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class GisAddItemSerializer(serializers.Serializer):
    layer = serializers.PrimaryKeyRelatedField(queryset=GisLayer.objects.all())
    data_format = serializers.ChoiceField(choices=DataFormat.choices)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=0)


class GisRemoveItemSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class GisAccrueSerializer(serializers.Serializer):
    accrued_on = serializers.DateField(required=False, allow_null=True, default=None)


class GisPaymentSerializer(serializers.Serializer):
    payment_reference = serializers.CharField(max_length=100)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)


class GisUndertakingSerializer(serializers.Serializer):
    file = serializers.FileField()
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)


class GisDeliverLineSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)


class GisDeliverSerializer(serializers.Serializer):
    recipient_name = serializers.CharField(max_length=200)
    method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    files = serializers.CharField(max_length=5000)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    lines = GisDeliverLineSerializer(
        many=True,
        required=False,
        default=list,
        help_text="What this delivery carried: the sale's items and their quantities (a part"
        " of the order); never more of an item, over all deliveries, than was ordered.",
    )
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        default=list,
        help_text="Without lines: the ids of the sale's items delivered in full (what is still"
        " due of each); neither: everything still due.",
    )


class GisDeliverUploadSerializer(GisDeliverSerializer):
    """The same delivery as a multipart form, with the file it may carry (the signed delivery
    receipt or the data itself). ``lines`` is JSON text there: the array, or one part per
    line."""

    file = serializers.FileField(
        required=False,
        allow_null=True,
        help_text="Optional: kept with the sale's files, checked as every attachment is (size"
        " limit, allowed types by content); a refused file is a 400 problem at ``file`` and"
        " nothing is saved.",
    )


class GisCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class GisReportLayerSerializer(serializers.Serializer):
    layer = serializers.CharField()
    sales = serializers.IntegerField()
    quantity = serializers.DecimalField(max_digits=16, decimal_places=3)
    net = serializers.DecimalField(max_digits=16, decimal_places=2)
    kdv = serializers.DecimalField(max_digits=16, decimal_places=2)
    total = serializers.DecimalField(max_digits=16, decimal_places=2)


class GisReportSerializer(serializers.Serializer):
    requests = serializers.IntegerField()
    quoted = serializers.IntegerField()
    paid = serializers.IntegerField()
    undelivered = serializers.IntegerField(help_text="Paid, nothing delivered yet.")
    partly_delivered = serializers.IntegerField(
        help_text="Paid, delivered in part (some layer still due)."
    )
    delivered = serializers.IntegerField(help_text="Paid and delivered in full.")
    cancelled = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=16, decimal_places=2)
    revenue_kdv = serializers.DecimalField(max_digits=16, decimal_places=2)
    revenue_total = serializers.DecimalField(max_digits=16, decimal_places=2)
    by_layer = GisReportLayerSerializer(many=True)
