"""Serializers of the count (sayım) and write-off API. Writes go through ``count_services``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.inventory import count_services, selectors
from biys.inventory.models import (
    Asset,
    Count,
    CountAsset,
    CountLine,
    CountState,
    Disposal,
    DisposalLine,
    DisposalState,
    ItemModel,
)
from biys.org.models import Person


class CountSerializer(BiysModelSerializer):
    """A count's header and its tallies. Opening one (POST) fixes what the register expects;
    afterwards only the commission and the notes change (only the notes once it is closed)."""

    members = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Person.objects.all(),
        help_text=_("The members of the count commission."),
    )
    state = serializers.ChoiceField(choices=CountState.choices, read_only=True)
    expected = serializers.IntegerField(read_only=True, help_text=_("Assets the register expects."))
    found = serializers.IntegerField(read_only=True, help_text=_("Expected assets found."))
    missing = serializers.IntegerField(read_only=True, help_text=_("Expected assets not found."))
    surplus = serializers.IntegerField(read_only=True, help_text=_("Items found, not expected."))

    class Meta:
        model = Count
        fields = [
            "id", "display", "number", "year", "store", "scope", "state", "members",
            "counted_at", "closed_at", "closed_by", "surplus_slip", "notes",
            "expected", "found", "missing", "surplus", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["number", "counted_at", "closed_at", "closed_by", "surplus_slip"]

    def to_representation(self, instance):
        if not hasattr(instance, "expected"):  # just written: read it again with its tallies
            instance = selectors.counts_with_tallies().get(pk=instance.pk)
        return super().to_representation(instance)

    def create(self, validated_data):
        return count_services.open_count(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        for name in ("store", "scope", "year"):
            if name in validated_data and validated_data[name] != getattr(instance, name):
                raise serializers.ValidationError({name: _("This field cannot be changed here.")})
        return count_services.update_count(
            count=instance,
            members=validated_data.get("members", list(instance.members.all())),
            notes=validated_data.get("notes", instance.notes),
            user=self.context["request"].user,
        )


class CountAssetSerializer(serializers.ModelSerializer):
    inventory_number = serializers.CharField(
        source="asset.inventory_number", read_only=True, default=None
    )
    surplus = serializers.BooleanField(source="is_surplus", read_only=True)
    missing = serializers.BooleanField(source="is_shortage", read_only=True)

    class Meta:
        model = CountAsset
        fields = [
            "id", "asset", "inventory_number", "code", "expected", "found_at", "found_by",
            "surplus", "missing", "note", "item_model", "value",
        ]  # fmt: skip
        read_only_fields = fields


class CountLineSerializer(serializers.ModelSerializer):
    difference = serializers.IntegerField(read_only=True)

    class Meta:
        model = CountLine
        fields = ["id", "item_model", "expected_quantity", "counted_quantity", "difference"]
        read_only_fields = fields


class CountSheetSerializer(serializers.Serializer):
    """Expected against found: every asset row of the count and every consumable line."""

    assets = CountAssetSerializer(many=True)
    lines = CountLineSerializer(many=True)


class CountScanSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=300,
        help_text=_("The label's code: the asset page's address, an inventory number or a serial."),
    )


class CountScanResultSerializer(serializers.Serializer):
    created = serializers.BooleanField(help_text=_("False: recorded already, nothing changed."))
    surplus = serializers.BooleanField()
    message = serializers.CharField()
    row = CountAssetSerializer()


class CountQuantitySerializer(serializers.Serializer):
    item_model = serializers.PrimaryKeyRelatedField(queryset=ItemModel.objects.all())
    quantity = serializers.IntegerField(min_value=0)


class DisposalLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisposalLine
        fields = ["id", "item_model", "asset", "quantity"]
        read_only_fields = fields


class DisposalSerializer(BiysModelSerializer):
    """A Kayıttan Düşme Teklif ve Onay Tutanağı (write-off or scrapping proposal). ``assets``
    names the fixed assets to take off the register; a count's proposal carries consumable
    lines too (``lines``). Once decided only the notes change."""

    members = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Person.objects.all(), help_text=_("The commission members.")
    )
    assets = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Asset.objects.all(), required=False, source="proposed_assets"
    )
    lines = DisposalLineSerializer(many=True, read_only=True)
    state = serializers.ChoiceField(choices=DisposalState.choices, read_only=True)

    class Meta:
        model = Disposal
        fields = [
            "id", "display", "number", "kind", "store", "count", "decision_date",
            "decision_number", "reason", "members", "assets", "lines", "state", "decided_by",
            "decided_at", "slip", "notes", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["number", "count", "decided_by", "decided_at", "slip"]

    def create(self, validated_data):
        assets = validated_data.pop("proposed_assets", [])
        return count_services.propose_disposal(
            user=self.context["request"].user, assets=assets, **validated_data
        )

    def update(self, instance, validated_data):
        for name in ("kind", "store"):
            if name in validated_data and validated_data[name] != getattr(instance, name):
                raise serializers.ValidationError({name: _("This field cannot be changed here.")})
        return count_services.update_disposal(
            disposal=instance,
            decision_date=validated_data.get("decision_date", instance.decision_date),
            decision_number=validated_data.get("decision_number", instance.decision_number),
            reason=validated_data.get("reason", instance.reason),
            members=validated_data.get("members", list(instance.members.all())),
            assets=validated_data.get("proposed_assets"),
            notes=validated_data.get("notes", instance.notes),
            user=self.context["request"].user,
        )


class DisposalDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
