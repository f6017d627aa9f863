"""Serializers of the internal audit API (names prefixed ``Bgys``: the schema's components are
named after them). Writes go through ``audit_services``; states change by the actions."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.bgys import audit_services as services
from biys.bgys.audit_models import (
    Audit,
    AuditPlan,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    ManagementReview,
    ReviewAction,
)
from biys.bgys.models import AssetGroup, Measure, Section
from biys.org.models import Person, Unit


class _Display(serializers.ModelSerializer):
    display = serializers.SerializerMethodField()

    def get_display(self, obj) -> str:
        return str(obj)

    @property
    def user(self):
        return self.context["request"].user


class BgysAuditPlanSerializer(_Display):
    class Meta:
        model = AuditPlan
        fields = ["id", "display", "unit", "year", "title", "notes", "created", "last_updated"]
        read_only_fields = ["created", "last_updated"]

    def create(self, validated_data):
        return services.save_plan(plan=AuditPlan(**validated_data), user=self.user)

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_plan(plan=instance, user=self.user)


class BgysAuditSerializer(_Display):
    """An audit; ``state`` changes through the ``start``, ``report`` and ``close`` actions,
    the checklist through ``draw-checklist``."""

    audited_units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False
    )
    auditors = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, required=False
    )

    class Meta:
        model = Audit
        fields = [
            "id", "display", "plan", "unit", "title", "framework", "scope", "audited_units",
            "lead_auditor", "auditors", "planned_start", "planned_end", "started_on", "ended_on",
            "state", "method", "conclusion", "reported_by", "reported_at", "closed_at", "created",
            "last_updated",
        ]  # fmt: skip
        read_only_fields = [
            "started_on", "ended_on", "state", "reported_by", "reported_at", "closed_at",
            "created", "last_updated",
        ]  # fmt: skip

    def create(self, validated_data):
        units = validated_data.pop("audited_units", None)
        auditors = validated_data.pop("auditors", None)
        return services.save_audit(
            audit=Audit(**validated_data), user=self.user, audited_units=units, auditors=auditors
        )

    def update(self, instance, validated_data):
        units = validated_data.pop("audited_units", None)
        auditors = validated_data.pop("auditors", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_audit(
            audit=instance, user=self.user, audited_units=units, auditors=auditors
        )


class BgysChecklistDrawSerializer(serializers.Serializer):
    """Which measures go on the checklist: ``measures`` one by one, or drawn by ``section``,
    ``asset_group`` and up to ``level``."""

    section = serializers.PrimaryKeyRelatedField(
        queryset=Section.objects.all(), required=False, allow_null=True
    )
    asset_group = serializers.PrimaryKeyRelatedField(
        queryset=AssetGroup.objects.all(), required=False, allow_null=True
    )
    level = serializers.IntegerField(min_value=1, max_value=3, required=False, allow_null=True)
    measures = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.all(), many=True, required=False
    )


class BgysChecklistItemSerializer(_Display):
    measure_number = serializers.CharField(source="measure.number", read_only=True)
    measure_title = serializers.CharField(source="measure.title", read_only=True)

    class Meta:
        model = ChecklistItem
        fields = [
            "id", "display", "audit", "measure", "measure_number", "measure_title", "result",
            "notes", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["audit", "measure", "created", "last_updated"]

    def update(self, instance, validated_data):
        return services.record_result(
            item=instance,
            user=self.user,
            result=validated_data.get("result", instance.result),
            notes=validated_data.get("notes", instance.notes),
        )


class BgysFindingSerializer(_Display):
    """A finding of an audit in progress; a nonconformity opens its corrective action
    (``corrective_action``)."""

    corrective_action = serializers.PrimaryKeyRelatedField(read_only=True)
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all(), required=False)

    class Meta:
        model = Finding
        fields = [
            "id", "display", "audit", "number", "kind", "measure", "checklist_item", "unit",
            "description", "evidence", "corrective_action", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["number", "created", "last_updated"]

    def validate(self, attrs):
        item = attrs.get("checklist_item")
        if not attrs.get("measure") and self.instance is None:
            if item is None:
                raise serializers.ValidationError(
                    {"measure": _("Choose the measure or the checklist item.")}
                )
            attrs["measure"] = item.measure
        return attrs

    def create(self, validated_data):
        return services.save_finding(finding=Finding(**validated_data), user=self.user)

    def update(self, instance, validated_data):
        validated_data.pop("audit", None)  # a finding stays with its audit
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_finding(finding=instance, user=self.user)


class BgysCorrectiveActionSerializer(_Display):
    """A corrective action (DÖF). Its state changes through ``complete``, ``verify`` and
    ``close``; ``due_date`` is ``due_working_days`` working days after ``opened_on``."""

    finding_audit = serializers.IntegerField(source="finding.audit_id", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = CorrectiveAction
        fields = [
            "id", "display", "finding", "finding_audit", "unit", "owner", "root_cause",
            "actions", "opened_on", "due_working_days", "due_date", "is_overdue", "state",
            "implemented_on", "implementation_notes", "verified_by", "verified_at",
            "verification_notes", "closed_by", "closed_at", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = [
            "finding", "opened_on", "due_date", "state", "implemented_on",
            "implementation_notes", "verified_by", "verified_at", "verification_notes",
            "closed_by", "closed_at", "created", "last_updated",
        ]  # fmt: skip

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_corrective_action(action=instance, user=self.user)


class BgysCompleteSerializer(serializers.Serializer):
    notes = serializers.CharField(max_length=5000)
    root_cause = serializers.CharField(max_length=5000, required=False)
    actions = serializers.CharField(max_length=5000, required=False)


class BgysVerifySerializer(serializers.Serializer):
    effective = serializers.BooleanField()
    notes = serializers.CharField(max_length=5000)


class BgysManagementReviewSerializer(_Display):
    participants = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, required=False
    )

    class Meta:
        model = ManagementReview
        fields = [
            "id", "display", "unit", "title", "held_on", "participants", "other_participants",
            "inputs", "decisions", "notes", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["created", "last_updated"]

    def create(self, validated_data):
        participants = validated_data.pop("participants", None)
        return services.save_review(
            review=ManagementReview(**validated_data), user=self.user, participants=participants
        )

    def update(self, instance, validated_data):
        participants = validated_data.pop("participants", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_review(review=instance, user=self.user, participants=participants)


class BgysReviewActionSerializer(_Display):
    class Meta:
        model = ReviewAction
        fields = [
            "id", "display", "review", "description", "owner", "due_date", "done_on", "notes",
            "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["created", "last_updated"]

    def create(self, validated_data):
        return services.save_review_action(action=ReviewAction(**validated_data), user=self.user)

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_review_action(action=instance, user=self.user)
