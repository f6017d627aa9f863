"""Serializers of the BGYS API. Names are prefixed (``Bgys...``): the schema's components are
named after them and must not collide with another module's."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.bgys import services
from biys.bgys.models import (
    ApplicabilityEntry,
    Assessment,
    Framework,
    InformationAsset,
    Measure,
    MeasureMapping,
    Methodology,
    Risk,
    Threat,
    Vulnerability,
)


class BgysFrameworkSerializer(serializers.ModelSerializer):
    display = serializers.SerializerMethodField()
    source_url = serializers.CharField(read_only=True)  # may be empty: not always a URI

    class Meta:
        model = Framework
        fields = [
            "id", "display", "slug", "version", "name", "publisher", "licence", "attribution",
            "source_url", "source_sha256", "local_texts", "loaded_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_display(self, obj) -> str:
        return str(obj)


class BgysMeasureSerializer(serializers.ModelSerializer):
    """A measure with its framework's attribution (CC BY 4.0 for the national guide)."""

    display = serializers.SerializerMethodField()
    level = serializers.IntegerField(read_only=True, allow_null=True)
    section_number = serializers.CharField(source="section.number", read_only=True)
    section_title = serializers.CharField(source="section.title", read_only=True)
    attribution = serializers.CharField(source="framework.attribution", read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id", "display", "framework", "section", "section_number", "section_title", "number",
            "level", "title", "text", "attribution",
        ]  # fmt: skip
        read_only_fields = fields

    def get_display(self, obj) -> str:
        return str(obj)


class BgysAssessmentSerializer(serializers.ModelSerializer):
    """``answers`` maps each question's number to the chosen option's letter; the score and
    the criticality level follow from them."""

    display = serializers.SerializerMethodField()
    answers = serializers.DictField(
        child=serializers.CharField(max_length=2),
        help_text=_('Question number to letter, e.g. {"1": "b", "2": "a", ...}.'),
    )
    score = serializers.IntegerField(read_only=True)
    level = serializers.IntegerField(read_only=True, help_text=_("Criticality level 1, 2 or 3."))

    class Meta:
        model = Assessment
        fields = [
            "id", "display", "unit", "asset_group", "framework", "name", "answers", "score",
            "level", "assessed_on", "notes", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = ["framework", "created", "last_updated"]

    def get_display(self, obj) -> str:
        return str(obj)

    def create(self, validated_data):
        answers = validated_data.pop("answers")
        return services.save_assessment(
            assessment=Assessment(**validated_data),
            answers=answers,
            user=self.context["request"].user,
        )

    def update(self, instance, validated_data):
        answers = validated_data.pop("answers", None) or instance.answers
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_assessment(
            assessment=instance, answers=answers, user=self.context["request"].user
        )


class BgysApplicabilityEntrySerializer(serializers.ModelSerializer):
    display = serializers.SerializerMethodField()
    measure_number = serializers.CharField(source="measure.number", read_only=True)
    measure_title = serializers.CharField(source="measure.title", read_only=True)

    class Meta:
        model = ApplicabilityEntry
        fields = [
            "id", "display", "unit", "measure", "measure_number", "measure_title", "assessment",
            "applicable", "reason", "state", "owner", "evidence_links", "notes", "created",
            "last_updated",
        ]  # fmt: skip
        read_only_fields = ["unit", "measure", "assessment", "created", "last_updated"]

    def get_display(self, obj) -> str:
        return str(obj)

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_entry(entry=instance, user=self.context["request"].user)


class BgysMeasureMappingSerializer(serializers.ModelSerializer):
    display = serializers.SerializerMethodField()
    verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = MeasureMapping
        fields = ["id", "display", "source", "target", "reference", "verified", "notes"]
        read_only_fields = fields

    def get_display(self, obj) -> str:
        return str(obj)


class BgysInformationAssetSerializer(serializers.ModelSerializer):
    display = serializers.SerializerMethodField()

    class Meta:
        model = InformationAsset
        fields = [
            "id", "display", "unit", "name", "kind", "asset_group", "owner", "confidentiality",
            "integrity", "availability", "description", "platform_references", "created",
            "last_updated",
        ]  # fmt: skip
        read_only_fields = ["created", "last_updated"]

    def get_display(self, obj) -> str:
        return str(obj)

    def create(self, validated_data):
        return services.save_information_asset(
            asset=InformationAsset(**validated_data), user=self.context["request"].user
        )

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_information_asset(asset=instance, user=self.context["request"].user)


class BgysMethodologySerializer(serializers.ModelSerializer):
    display = serializers.SerializerMethodField()
    likelihood_scale = serializers.ListField(child=serializers.CharField(), read_only=True)
    impact_scale = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Methodology
        fields = [
            "id", "display", "name", "likelihood_scale", "impact_scale", "appetite", "is_default",
            "description",
        ]  # fmt: skip
        read_only_fields = fields

    def get_display(self, obj) -> str:
        return str(obj)


class BgysThreatSerializer(serializers.ModelSerializer):
    class Meta:
        model = Threat
        fields = ["id", "name", "description"]
        read_only_fields = fields


class BgysVulnerabilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Vulnerability
        fields = ["id", "name", "description"]
        read_only_fields = fields


class BgysRiskSerializer(serializers.ModelSerializer):
    """A risk; the scores follow from likelihood × impact, the methodology defaults to the
    default one. ``status`` changes through the ``submit``, ``approve`` and ``return`` actions."""

    display = serializers.SerializerMethodField()
    methodology = serializers.PrimaryKeyRelatedField(
        queryset=Methodology.objects.all(), required=False
    )
    measures = serializers.PrimaryKeyRelatedField(
        queryset=ApplicabilityEntry.objects.all(), many=True, required=False
    )
    above_appetite = serializers.BooleanField(read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id", "display", "asset", "methodology", "threat", "vulnerability", "description",
            "likelihood", "impact", "inherent_score", "above_appetite", "treatment",
            "treatment_plan", "owner", "due_date", "residual_likelihood", "residual_impact",
            "residual_score", "measures", "status", "approved_by", "approved_at", "created",
            "last_updated",
        ]  # fmt: skip
        read_only_fields = [
            "inherent_score", "residual_score", "status", "approved_by", "approved_at",
            "created", "last_updated",
        ]  # fmt: skip

    def get_display(self, obj) -> str:
        return str(obj)

    def create(self, validated_data):
        measures = validated_data.pop("measures", None)
        return services.save_risk(
            risk=Risk(**validated_data), user=self.context["request"].user, measures=measures
        )

    def update(self, instance, validated_data):
        measures = validated_data.pop("measures", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_risk(
            risk=instance, user=self.context["request"].user, measures=measures
        )
