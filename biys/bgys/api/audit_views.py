"""The internal audit API: plans, audits (with their state actions and the checklist drawn
from the framework), checklist items, findings, corrective actions (DÖF) with their steps, and
management reviews with their actions. Lists are narrowed like the screens: the unit's rule,
and the audits an auditor is named on."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from biys.bgys import audit_filtersets as filtersets
from biys.bgys import audit_services as services
from biys.bgys.api import audit_serializers as serializers
from biys.bgys.audit_models import (
    Audit,
    AuditPlan,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    ManagementReview,
    ReviewAction,
)
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


class _Updatable(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    parser_classes = [SafeJSONParser]


class AuditPlanViewSet(_Writable):
    queryset = AuditPlan.objects.order_by("-year", "title", "pk")
    serializer_class = serializers.BgysAuditPlanSerializer
    filterset_class = filtersets.AuditPlanFilterSet


def _step(**kwargs):
    return action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated],
        filterset_class=None,
        **kwargs,
    )


class AuditViewSet(_Writable):
    queryset = Audit.objects.prefetch_related("audited_units", "auditors").order_by(
        "-planned_start", "-pk"
    )
    serializer_class = serializers.BgysAuditSerializer
    filterset_class = filtersets.AuditFilterSet

    def _workflow(self, function):
        audit = function(audit=self.get_object(), user=self.request.user)
        return Response(self.get_serializer(audit).data, status=status.HTTP_200_OK)

    @extend_schema(request=None, responses={200: serializers.BgysAuditSerializer},
                   description="Planned → in progress (the checklist must be drawn).")  # fmt: skip
    @_step()
    def start(self, request, pk=None):
        return self._workflow(services.start_audit)

    @extend_schema(
        request=None,
        responses={200: serializers.BgysAuditSerializer},
        description="In progress → reported: every item has a result, every nonconforming"
        " item its nonconformity, the conclusion is written.",
    )
    @_step()
    def report(self, request, pk=None):
        return self._workflow(services.report_audit)

    @extend_schema(
        request=None,
        responses={200: serializers.BgysAuditSerializer},
        description="Reported → closed, once every corrective action it opened is closed.",
    )
    @_step()
    def close(self, request, pk=None):
        return self._workflow(services.close_audit)

    @extend_schema(
        request=serializers.BgysChecklistDrawSerializer,
        responses={200: dict},
        description="Put measures of the audit's framework on its checklist (one by one, or by"
        " section, asset group and up to a level). Returns how many were added.",
    )
    @_step(url_path="draw-checklist")
    def draw_checklist(self, request, pk=None):
        data = serializers.BgysChecklistDrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = dict(data.validated_data)
        if not chosen.get("measures"):
            chosen.pop("measures", None)
        added = services.draw_checklist(audit=self.get_object(), user=request.user, **chosen)
        return Response({"added": added}, status=status.HTTP_200_OK)


class ChecklistItemViewSet(_Updatable):
    queryset = ChecklistItem.objects.select_related("measure", "audit").order_by(
        "audit", "position", "pk"
    )
    serializer_class = serializers.BgysChecklistItemSerializer
    filterset_class = filtersets.ChecklistItemFilterSet


class FindingViewSet(_Writable):
    queryset = Finding.objects.select_related("audit", "corrective_action").order_by(
        "audit", "number"
    )
    serializer_class = serializers.BgysFindingSerializer
    filterset_class = filtersets.FindingFilterSet


class CorrectiveActionViewSet(_Updatable):
    queryset = CorrectiveAction.objects.select_related("finding").order_by("due_date", "pk")
    serializer_class = serializers.BgysCorrectiveActionSerializer
    filterset_class = filtersets.CorrectiveActionFilterSet

    def _respond(self, instance):
        return Response(self.get_serializer(instance).data, status=status.HTTP_200_OK)

    @extend_schema(
        request=serializers.BgysCompleteSerializer,
        responses={200: serializers.BgysCorrectiveActionSerializer},
        description="Open → awaiting verification: the owner or the BGYS team says what was"
        " done (root cause, actions and owner must be there).",
    )
    @_step()
    def complete(self, request, pk=None):
        action = self.checked_object(services.require_work_on)
        data = serializers.BgysCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.complete_corrective_action(
            action=action, user=request.user, **data.validated_data
        )
        return self._respond(done)

    @extend_schema(
        request=serializers.BgysVerifySerializer,
        responses={200: serializers.BgysCorrectiveActionSerializer},
        description="The verification of effectiveness, by someone other than the owner:"
        " effective → verified, not effective → open again.",
    )
    @_step()
    def verify(self, request, pk=None):
        action = self.checked_object(services.require_verify)
        data = serializers.BgysVerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.verify_corrective_action(
            action=action, user=request.user, **data.validated_data
        )
        return self._respond(done)

    @extend_schema(
        request=None,
        responses={200: serializers.BgysCorrectiveActionSerializer},
        description="Verified → closed.",
    )
    @_step()
    def close(self, request, pk=None):
        return self._respond(
            services.close_corrective_action(action=self.get_object(), user=request.user)
        )


class ManagementReviewViewSet(_Writable):
    queryset = ManagementReview.objects.prefetch_related("participants").order_by("-held_on", "-pk")
    serializer_class = serializers.BgysManagementReviewSerializer
    filterset_class = filtersets.ManagementReviewFilterSet


class ReviewActionViewSet(_Writable):
    queryset = ReviewAction.objects.order_by("review", "due_date", "pk")
    serializer_class = serializers.BgysReviewActionSerializer
    filterset_class = filtersets.ReviewActionFilterSet
