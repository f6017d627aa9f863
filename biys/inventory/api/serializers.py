from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.inventory import codes, services
from biys.inventory.models import (
    Asset,
    Custody,
    CustodyEnd,
    ItemModel,
    Location,
    RequestState,
    Slip,
    SlipLine,
    SlipState,
    StockItem,
    StockRequest,
    StockRequestLine,
    Store,
    TasinirCode,
)
from biys.org.models import Person


class TasinirCodeSerializer(BiysModelSerializer):
    class Meta:
        model = TasinirCode
        fields = ["id", "display", "code", "name", "parent", "level", "is_active"]
        read_only_fields = ["parent", "level"]

    def create(self, validated_data):
        return codes.save_code(code=TasinirCode(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return codes.save_code(code=instance)


class ItemModelSerializer(BiysModelSerializer):
    kind = serializers.ChoiceField(
        choices=ItemModel._meta.get_field("kind").choices,
        required=False,
        help_text=_("Follows the property code when left out (account 150 is consumable)."),
    )

    class Meta:
        model = ItemModel
        fields = [
            "id", "display", "unit", "brand", "name", "category", "tasinir_code", "kind", "notes",
            "created", "last_updated",
        ]  # fmt: skip

    def create(self, validated_data):
        user = self.context["request"].user
        return services.save_item_model(item_model=ItemModel(**validated_data), user=user)

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_item_model(item_model=instance, user=self.context["request"].user)


class LocationSerializer(BiysModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "display", "unit", "building", "floor", "room", "notes"]

    def create(self, validated_data):
        return services.save_location(location=Location(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_location(location=instance)


class AssetSerializer(BiysModelSerializer):
    class Meta:
        model = Asset
        fields = [
            "id", "display", "inventory_number", "unit", "item_model", "tasinir_code",
            "serial_number", "status", "custodian", "location", "acquisition_method",
            "acquired_on", "value", "supplier", "invoice_number", "contract", "warranty_end",
            "notes", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["inventory_number", "tasinir_code", "status", "custodian"]

    def create(self, validated_data):
        return services.register_asset(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_asset(
            asset=instance, user=self.context["request"].user, **validated_data
        )


class CustodySerializer(BiysModelSerializer):
    # blank while the custody lasts: the schema must say so (a read-only field loses it)
    end_reason = serializers.ChoiceField(
        choices=CustodyEnd.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Custody
        fields = [
            "id", "display", "number", "asset", "person", "unit", "started_at", "handed_by",
            "acknowledged_at", "ended_at", "ended_by", "end_reason", "notes",
        ]  # fmt: skip
        read_only_fields = fields


class PersonActionSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class NotesSerializer(serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["faulty", "at_repair", services.IN_SERVICE, "scrapped", "written_off"]
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class StoreSerializer(BiysModelSerializer):
    class Meta:
        model = Store
        fields = [
            "id", "display", "unit", "name", "keeper", "location", "is_active", "notes",
            "created", "last_updated",
        ]  # fmt: skip

    def create(self, validated_data):
        return services.save_store(store=Store(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_store(store=instance)


class StockItemSerializer(BiysModelSerializer):
    is_low = serializers.BooleanField(read_only=True)

    class Meta:
        model = StockItem
        fields = [
            "id", "display", "store", "item_model", "quantity", "minimum_level", "is_low",
            "last_updated",
        ]  # fmt: skip
        read_only_fields = ["store", "item_model", "quantity"]

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_stock_item(stock_item=instance)


class SlipLineSerializer(serializers.ModelSerializer):
    assets = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Asset.objects.all(),
        required=False,
        help_text=_("For an exit of fixed assets: the assets that leave (the quantity follows)."),
    )
    quantity = serializers.IntegerField(min_value=0, required=False, default=0)

    class Meta:
        model = SlipLine
        fields = ["id", "item_model", "quantity", "unit_price", "assets"]


class SlipSerializer(BiysModelSerializer):
    """A Taşınır İşlem Fişi. ``lines`` given on create or update replace the draft's lines."""

    lines = SlipLineSerializer(many=True, required=False)
    state = serializers.ChoiceField(choices=SlipState.choices, read_only=True)

    class Meta:
        model = Slip
        fields = [
            "id", "display", "number", "store", "kind", "date", "counterparty", "document",
            "target_store", "state", "reverses", "stock_request", "created_by", "approved_by",
            "approved_at", "notes", "lines", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = [
            "number", "reverses", "stock_request", "created_by", "approved_by", "approved_at",
        ]  # fmt: skip

    def _save(self, slip, lines):
        user = self.context["request"].user
        slip = services.save_slip(slip=slip, user=user)
        if lines is not None:
            for line in slip.lines.all():
                services.remove_slip_line(line=line, user=user)
            for line in lines:
                services.add_slip_line(slip=slip, user=user, **line)
        return slip

    def create(self, validated_data):
        lines = validated_data.pop("lines", None)
        return self._save(Slip(**validated_data), lines)

    def update(self, instance, validated_data):
        lines = validated_data.pop("lines", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._save(instance, lines)


class InventorySlipReversalSerializer(serializers.Serializer):
    notes = serializers.CharField(help_text=_("The reason for the reversal."))


class StockRequestLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockRequestLine
        fields = ["id", "item_model", "quantity", "issued_quantity"]
        read_only_fields = ["issued_quantity"]


class StockRequestSerializer(BiysModelSerializer):
    """A Taşınır İstek Belgesi. ``lines`` given on create or update replace its lines while it
    is submitted."""

    lines = StockRequestLineSerializer(many=True, required=False)
    state = serializers.ChoiceField(choices=RequestState.choices, read_only=True)

    class Meta:
        model = StockRequest
        fields = [
            "id", "display", "number", "store", "requesting_unit", "requested_by", "state",
            "decided_by", "decided_at", "notes", "lines", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["number", "decided_by", "decided_at"]

    def _save(self, stock_request, lines):
        user = self.context["request"].user
        stock_request = services.save_stock_request(stock_request=stock_request, user=user)
        if lines is not None:
            stock_request.lines.all().delete()
            for line in lines:
                services.add_request_line(stock_request=stock_request, user=user, **line)
        return stock_request

    def create(self, validated_data):
        lines = validated_data.pop("lines", None)
        return self._save(StockRequest(**validated_data), lines)

    def update(self, instance, validated_data):
        lines = validated_data.pop("lines", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._save(instance, lines)


class StockRequestDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
