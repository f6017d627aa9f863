from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer, PlannedReadMixin
from biys.org.models import (
    Article,
    Duty,
    DutyCategory,
    Municipality,
    Paragraph,
    Person,
    Position,
    Regulation,
    Title,
    Unit,
)


class BriefSerializer(serializers.Serializer):
    """``{id, display}`` of a related object, for reading."""

    id = serializers.IntegerField(read_only=True)
    display = serializers.CharField(source="__str__", read_only=True)


class MunicipalitySerializer(BiysModelSerializer):
    class Meta:
        model = Municipality
        fields = [
            "id",
            "display",
            "name",
            "kind",
            "detsis_no",
            "office_opens",
            "office_closes",
            "lunch_starts",
            "lunch_ends",
            "half_day_ends",
            "half_day_counts_as_working_day",
            "time_zone",
            "preset",
            "created",
            "last_updated",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        opens = attrs.get("office_opens", getattr(self.instance, "office_opens", None))
        closes = attrs.get("office_closes", getattr(self.instance, "office_closes", None))
        if opens and closes and opens >= closes:
            raise serializers.ValidationError(
                {"office_closes": [_("The office must close after it opens.")]}
            )
        return attrs


class UnitSerializer(BiysModelSerializer):
    manager = serializers.SerializerMethodField(
        help_text="The person holding the unit's manager position, if any."
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "display",
            "name",
            "short_name",
            "kind",
            "parent",
            "path",
            "depth",
            "is_it_department",
            "manager_position",
            "manager",
            "email",
            "phone",
            "order",
            "is_active",
            "created",
            "last_updated",
        ]
        read_only_fields = ["path", "depth"]

    @extend_schema_field(BriefSerializer(allow_null=True))
    def get_manager(self, unit):
        holder = unit.manager_position.holder if unit.manager_position else None
        return {"id": holder.pk, "display": str(holder)} if holder else None

    def validate_parent(self, parent):
        unit = self.instance
        if parent is not None and unit is not None and parent.path.startswith(unit.path):
            raise serializers.ValidationError(
                _("A unit cannot be placed under itself or one of its sub-units.")
            )
        return parent

    def validate(self, attrs):
        attrs = super().validate(attrs)
        position = attrs.get("manager_position")
        if (
            position is not None
            and self.instance is not None
            and position.unit_id != self.instance.pk
        ):
            raise serializers.ValidationError(
                {"manager_position": [_("The manager position must belong to this unit.")]}
            )
        return attrs


class TitleSerializer(BiysModelSerializer):
    class Meta:
        model = Title
        fields = ["id", "display", "name", "created", "last_updated"]


class PositionSerializer(BiysModelSerializer):
    class Meta:
        model = Position
        fields = [
            "id",
            "display",
            "unit",
            "name",
            "title",
            "holder",
            "is_manager",
            "created",
            "last_updated",
        ]


class PersonSerializer(PlannedReadMixin, BiysModelSerializer):
    """Personal fields (TC kimlik number, mobile phone, home address) can be written but are
    never read back here: only ``POST /people/{id}/personal-data/`` shows them, and logs it."""

    full_name = serializers.CharField(read_only=True)
    tc_kimlik_no_masked = serializers.CharField(source="masked_tc_kimlik_no", read_only=True)
    unit_display = serializers.CharField(source="unit.name", read_only=True)
    title_display = serializers.CharField(source="title.name", read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "display",
            "first_name",
            "last_name",
            "full_name",
            "tc_kimlik_no",
            "tc_kimlik_no_masked",
            "sicil_no",
            "employment_type",
            "unit",
            "unit_display",
            "title",
            "title_display",
            "email",
            "work_phone",
            "mobile_phone",
            "address",
            "location",
            "status",
            "start_date",
            "end_date",
            "created",
            "last_updated",
        ]
        extra_kwargs = {name: {"write_only": True} for name in Person.personal_fields}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": [_("The end date cannot be before the start date.")]}
            )
        return attrs


class PersonalDataSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", *Person.personal_fields]
        read_only_fields = fields


class PersonalDataRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Why the data is needed."
    )


class RegulationSerializer(BiysModelSerializer):
    class Meta:
        model = Regulation
        fields = [
            "id",
            "display",
            "title",
            "council_decision_no",
            "council_decision_date",
            "effective_date",
            "repeals",
            "repealed_regulation",
            "is_in_force",
            "created",
            "last_updated",
        ]

    def validate_repealed_regulation(self, value):
        if value is not None and self.instance is not None and value.pk == self.instance.pk:
            raise serializers.ValidationError(_("A regulation cannot repeal itself."))
        return value


class ItemSerializer(serializers.ModelSerializer):
    """A duty item inside an article (read only; write through the duties endpoint)."""

    class Meta:
        model = Duty
        fields = ["id", "label", "text", "reference", "unit", "order"]
        read_only_fields = fields


class ParagraphSerializer(serializers.ModelSerializer):
    items = ItemSerializer(source="duties", many=True, read_only=True)

    class Meta:
        model = Paragraph
        fields = ["id", "number", "text", "order", "items"]
        read_only_fields = fields


class ArticleSerializer(BiysModelSerializer):
    paragraphs = ParagraphSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "display",
            "regulation",
            "number",
            "heading",
            "part",
            "text",
            "paragraphs",
            "created",
            "last_updated",
        ]


class DutyCategorySerializer(BiysModelSerializer):
    class Meta:
        model = DutyCategory
        fields = ["id", "display", "name", "slug", "color", "created", "last_updated"]


class DutySerializer(BiysModelSerializer):
    unit_display = serializers.CharField(source="unit.name", read_only=True)
    article = serializers.IntegerField(source="paragraph.article_id", read_only=True)

    class Meta:
        model = Duty
        fields = [
            "id",
            "display",
            "reference",
            "paragraph",
            "article",
            "label",
            "text",
            "unit",
            "unit_display",
            "categories",
            "order",
            "created",
            "last_updated",
        ]
        read_only_fields = ["reference"]
