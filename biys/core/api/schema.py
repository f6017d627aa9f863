"""OpenAPI generation: every operation documents its RFC 9457 problem responses, so clients (and
the schema-driven tests) know the shape of an error as well as of a success."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from biys.core.api.problems import PROBLEM_CONTENT_TYPE


class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per field (400 only); non-field messages under non_field_errors.",
    )

    class Meta:
        ref_name = "Problem"


# DRF writes times as "13:00:00"; JSON Schema's "time" format demands an offset ("13:00:00Z").
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"


class BiysAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        result = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(result, dict) and result.get("format") == "time":
            del result["format"]
            result["pattern"] = TIME_PATTERN
        return result

    def _problem_status_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404"]
        if self.method == "DELETE":
            codes.append("409")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        for code in self._problem_status_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE]
                )
        return responses
