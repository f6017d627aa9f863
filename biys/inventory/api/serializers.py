from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.inventory import codes, services
from biys.inventory.models import Asset, Custody, CustodyEnd, ItemModel, Location, TasinirCode
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
