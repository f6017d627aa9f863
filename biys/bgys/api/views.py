"""The BGYS REST API: frameworks and measures (read by all staff), criticality assessments
(answered through the service, which scores them) and the Statement of Applicability (its
entries come from an assessment's applicable measures; the API records applicability, state,
owner and evidence)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, status
from rest_framework import serializers as drf
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from biys.bgys import compliance_selectors, filtersets, selectors, services
from biys.bgys.api import serializers
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
from biys.core.api.parsers import SafeJSONParser
from biys.core.api.views import BiysReadOnlyModelViewSet, BiysViewSetMixin

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


class FrameworkViewSet(BiysReadOnlyModelViewSet):
    queryset = Framework.objects.order_by("slug", "version")
    serializer_class = serializers.BgysFrameworkSerializer
    filterset_class = filtersets.FrameworkFilterSet

    @extend_schema(
        responses={200: dict},
        description="Measures per level and per section (the command line's frameworks list).",
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def summary(self, request, pk=None):
        return Response(selectors.framework_summary(self.get_object()))


class MeasureViewSet(BiysReadOnlyModelViewSet):
    queryset = Measure.objects.select_related("framework", "section").order_by(
        "framework", "position", "pk"
    )
    serializer_class = serializers.BgysMeasureSerializer
    filterset_class = filtersets.MeasureFilterSet


class AssessmentViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    queryset = Assessment.objects.select_related("unit", "asset_group").order_by(
        "-assessed_on", "-pk"
    )
    serializer_class = serializers.BgysAssessmentSerializer
    filterset_class = filtersets.AssessmentFilterSet
    parser_classes = [SafeJSONParser]  # the answers are a JSON object

    @extend_schema(
        request=None,
        responses={200: dict},
        description="Put the assessment's applicable measures on its unit's Statement of"
        " Applicability (those already there are left as they are).",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="add-to-soa",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def add_to_soa(self, request, pk=None):
        added = services.add_applicable_measures(assessment=self.get_object(), user=request.user)
        return Response({"added": added}, status=status.HTTP_200_OK)


_Tally = {
    "applicable": drf.IntegerField(),
    "fully": drf.IntegerField(),
    "partly": drf.IntegerField(help_text="Mostly or partly implemented."),
    "none": drf.IntegerField(),
    "not_assessed": drf.IntegerField(),
    "not_applicable": drf.IntegerField(),
    "rate": drf.IntegerField(allow_null=True, help_text="% of the applicable fully implemented."),
}
TallySerializer = inline_serializer("BgysComplianceTally", _Tally)
ComplianceSerializer = inline_serializer(
    "BgysCompliance",
    {
        "framework": drf.IntegerField(),
        "framework_name": drf.CharField(),
        "total": TallySerializer,
        "information_assets": drf.IntegerField(),
        "open_corrective_actions": drf.IntegerField(),
        "overdue_corrective_actions": drf.IntegerField(),
        "asset_groups": inline_serializer(
            "BgysComplianceAssetGroup",
            {
                "asset_group": drf.IntegerField(allow_null=True),
                "name": drf.CharField(),
                "information_assets": drf.IntegerField(),
                "levels": inline_serializer(
                    "BgysComplianceLevel",
                    {"level": drf.IntegerField(allow_null=True), **_Tally},
                    many=True,
                ),
                "total": TallySerializer,
            },
            many=True,
        ),
        "units": inline_serializer(
            "BgysComplianceUnit",
            {
                "unit": drf.IntegerField(),
                "unit_name": drf.CharField(),
                **_Tally,
                "open_corrective_actions": drf.IntegerField(),
                "overdue_corrective_actions": drf.IntegerField(),
            },
            many=True,
        ),
    },
)


class ApplicabilityEntryViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    queryset = ApplicabilityEntry.objects.select_related("measure").order_by(
        "unit", "measure__framework", "measure__position", "pk"
    )
    serializer_class = serializers.BgysApplicabilityEntrySerializer
    filterset_class = filtersets.ApplicabilityEntryFilterSet
    parser_classes = [SafeJSONParser]

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "framework", int, description="The framework (the national guide by default)."
            )
        ],
        responses={200: ComplianceSerializer},
        description="The compliance dashboard: the SoA entries of the units the user may see,"
        " per asset group and measure level and per unit, with the information assets per"
        " asset group and the open and overdue corrective actions per unit.",
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def compliance(self, request):
        if not compliance_selectors.may_see(request.user):
            raise PermissionDenied
        frameworks = list(Framework.objects.all())
        chosen = request.query_params.get("framework", "")
        if chosen:
            framework = next((f for f in frameworks if str(f.pk) == chosen), None)
        else:
            framework = compliance_selectors.default_framework(frameworks)
        if framework is None:
            raise NotFound
        figures = compliance_selectors.compliance(request.user, framework)
        return Response(compliance_selectors.as_json(figures))


class MeasureMappingViewSet(BiysReadOnlyModelViewSet):
    queryset = MeasureMapping.objects.select_related("source", "target").order_by("pk")
    serializer_class = serializers.BgysMeasureMappingSerializer
    filterset_class = filtersets.MeasureMappingFilterSet


class InformationAssetViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    queryset = InformationAsset.objects.order_by("name", "pk")
    serializer_class = serializers.BgysInformationAssetSerializer
    filterset_class = filtersets.InformationAssetFilterSet
    parser_classes = [SafeJSONParser]


class MethodologyViewSet(BiysReadOnlyModelViewSet):
    queryset = Methodology.objects.order_by("-is_default", "name")
    serializer_class = serializers.BgysMethodologySerializer
    filterset_class = filtersets.MethodologyFilterSet


class ThreatViewSet(BiysReadOnlyModelViewSet):
    queryset = Threat.objects.order_by("name")
    serializer_class = serializers.BgysThreatSerializer
    filterset_class = filtersets.ThreatFilterSet


class VulnerabilityViewSet(BiysReadOnlyModelViewSet):
    queryset = Vulnerability.objects.order_by("name")
    serializer_class = serializers.BgysVulnerabilitySerializer
    filterset_class = filtersets.VulnerabilityFilterSet


class RiskViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    queryset = (
        Risk.objects.select_related("methodology", "asset", "threat")
        .prefetch_related("measures")
        .order_by("-inherent_score", "pk")
    )
    serializer_class = serializers.BgysRiskSerializer
    filterset_class = filtersets.RiskFilterSet
    parser_classes = [SafeJSONParser]

    def _workflow(self, function):
        risk = function(risk=self.get_object(), user=self.request.user)
        return Response(self.get_serializer(risk).data, status=status.HTTP_200_OK)

    @extend_schema(
        request=None,
        responses={200: serializers.BgysRiskSerializer},
        description="Send the treatment for the BGYS manager's approval.",
    )
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated], filterset_class=None
    )
    def submit(self, request, pk=None):
        return self._workflow(services.submit_risk)

    @extend_schema(
        request=None,
        responses={200: serializers.BgysRiskSerializer},
        description="The BGYS manager approves the treatment.",
    )
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated], filterset_class=None
    )
    def approve(self, request, pk=None):
        return self._workflow(services.approve_risk)

    @extend_schema(
        request=None,
        responses={200: serializers.BgysRiskSerializer},
        description="The BGYS manager sends a risk awaiting approval back to draft.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def return_to_draft(self, request, pk=None):
        return self._workflow(services.return_risk)
