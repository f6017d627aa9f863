"""Serializers of the register import API (names app-unique: ``AssetImport…``)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from biys.core.api.serializers import BiysModelSerializer
from biys.inventory.models import AssetImport, ImportFormat, ImportKind, TasinirCode
from biys.org.models import Unit

_KINDS_HELP = _(
    "What the file holds: assets, devices (network devices), subnets or addresses (IP"
    " addresses), each in the columns of its template."
)


class AssetImportSerializer(BiysModelSerializer):
    # a plain string, not a second enum named "kind" beside the devices' kinds
    kind = serializers.CharField(read_only=True, help_text=_KINDS_HELP)

    class Meta:
        model = AssetImport
        fields = [
            "id", "display", "kind", "unit", "filename", "size", "file_format", "default_code", "state",
            "progress", "total", "error_count", "created_count", "preview", "error",
            "imported_by", "started_at", "finished_at", "created", "last_updated",
        ]  # fmt: skip
        read_only_fields = fields


class AssetImportUploadSerializer(serializers.Serializer):
    kind = serializers.CharField(required=False, default=ImportKind.ASSETS, help_text=_KINDS_HELP)

    def validate_kind(self, value):
        if value not in ImportKind.values:
            raise serializers.ValidationError(
                _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(ImportKind.values)}
            )
        return value

    file = serializers.FileField(
        help_text=_("BİYS CSV or .xlsx, GLPI's computer export or Snipe-IT's asset export.")
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), help_text=_("The unit whose register receives the assets.")
    )
    file_format = serializers.ChoiceField(
        choices=ImportFormat.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Recognised from the header row when left out."),
    )
    default_code = serializers.SlugRelatedField(
        slug_field="code",
        queryset=TasinirCode.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The property code of the models BİYS does not know yet."),
    )
