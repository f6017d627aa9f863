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


class HeldObjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display = serializers.CharField()

    class Meta:
        ref_name = "HeldObject"


class HeldBySerializer(serializers.Serializer):
    model = serializers.CharField(
        help_text="app_label.model of the records, like inventory.subnet."
    )
    name = serializers.CharField(help_text="Their name, in the request's language.")
    count = serializers.IntegerField(help_text="How many of them hold the object.")
    objects = HeldObjectSerializer(
        many=True,
        help_text="Those the requester may view (at most 20); others are only counted.",
    )

    class Meta:
        ref_name = "HeldBy"


class ConflictProblemSerializer(ProblemSerializer):
    held_by = HeldBySerializer(
        many=True,
        required=False,
        help_text="A delete refused because other records hold the object: what holds it, per "
        "model. Change or delete them first.",
    )

    class Meta:
        ref_name = "ConflictProblem"


# DRF writes times as "13:00:00"; JSON Schema's "time" format demands an offset ("13:00:00Z").
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"


class BiysAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        result = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(result, dict) and result.get("format") == "time":
            del result["format"]
            result["pattern"] = TIME_PATTERN
        return result

    def get_operation(self, *args, **kwargs):
        """An operation with a request body also documents 415: a body without a Content-Type,
        or in a media type its parsers do not read, is refused as a problem before any check."""
        operation = super().get_operation(*args, **kwargs)
        if operation is not None and "requestBody" in operation:
            operation["responses"].setdefault(
                "415",
                self._get_response_for_code(
                    ProblemSerializer, "415", media_types=[PROBLEM_CONTENT_TYPE]
                ),
            )
        return operation

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
                serializer = ConflictProblemSerializer if code == "409" else ProblemSerializer
                responses[code] = self._get_response_for_code(
                    serializer, code, media_types=[PROBLEM_CONTENT_TYPE]
                )
        return responses
