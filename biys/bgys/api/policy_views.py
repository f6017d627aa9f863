"""The policy API: policies, their versions (actions ``approve``, ``publish``, ``remind``)
and a published version's acknowledgement summary per unit (``acknowledgements``)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from biys.acknowledgements import selectors as acknowledgements
from biys.bgys import policy_filtersets as filtersets
from biys.bgys import policy_services as services
from biys.bgys.api import policy_serializers as serializers
from biys.bgys.policy_models import Policy, PolicyVersion
from biys.core.api.parsers import SafeJSONParser
from biys.core.api.views import BiysViewSetMixin


class _Writable(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    parser_classes = [SafeJSONParser]


def _step(**kwargs):
    return action(
        detail=True,
        permission_classes=[IsAuthenticated],
        filterset_class=None,
        **kwargs,
    )


class PolicyViewSet(_Writable):
    queryset = Policy.objects.prefetch_related("audience_units", "audience_roles").order_by(
        "code", "pk"
    )
    serializer_class = serializers.BgysPolicySerializer
    filterset_class = filtersets.PolicyFilterSet


class PolicyVersionViewSet(_Writable):
    queryset = PolicyVersion.objects.select_related("policy").order_by("policy", "-number")
    serializer_class = serializers.BgysPolicyVersionSerializer
    filterset_class = filtersets.PolicyVersionFilterSet

    def _respond(self, version):
        return Response(self.get_serializer(version).data, status=status.HTTP_200_OK)

    @extend_schema(request=None, responses={200: serializers.BgysPolicyVersionSerializer},
                   description="Draft → approved (bgys.approve_policyversion).")  # fmt: skip
    @_step(methods=["post"])
    def approve(self, request, pk=None):
        return self._respond(services.approve_version(version=self.get_object(), user=request.user))

    @extend_schema(
        request=None,
        responses={200: serializers.BgysPolicyVersionSerializer},
        description="Approved → published: the version before is superseded and the audience"
        " is asked to acknowledge this one.",
    )
    @_step(methods=["post"])
    def publish(self, request, pk=None):
        return self._respond(services.publish_version(version=self.get_object(), user=request.user))

    @extend_schema(
        request=None,
        responses={200: dict},
        description="Remind now everyone who has not acknowledged the published version.",
    )
    @_step(methods=["post"])
    def remind(self, request, pk=None):
        told = services.remind_pending(version=self.get_object(), user=request.user)
        return Response({"reminded": told}, status=status.HTTP_200_OK)

    @extend_schema(
        request=None,
        responses={200: serializers.BgysAcknowledgementSummarySerializer},
        description="How many of the audience have acknowledged the version, in all and per"
        " unit, and how many are late.",
    )
    @_step(methods=["get"])
    def acknowledgements(self, request, pk=None):
        version = self.get_object()
        summary = acknowledgements.totals_by_target([version])[version.pk]
        summary["units"] = [
            {
                "unit": row.unit_id,
                "unit_name": row.unit_name,
                "total": row.total,
                "done": row.done,
                "overdue": row.overdue,
            }
            for row in acknowledgements.per_unit(version)
        ]
        return Response(summary)
