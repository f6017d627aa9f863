"""The base-station REST API: the operators to read; the site permits, recorded through the
service with their application, then changed only through their steps (documents, inspect,
decide, contract, accrue, payment, right-of-way); the residents' complaints, recorded on a
site and answered. Every refusal is a problem: 400 with the field, 403 for a step the user may
not take, 404 for a record the user may not see."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from biys.applications.basestation import filtersets, selectors, services
from biys.applications.basestation.api import serializers
from biys.applications.basestation.models import BaseStationSite, Operator, SiteComplaint
from biys.applications.models import Application
from biys.core.access import get_scope
from biys.core.api.idempotency import idempotent
from biys.core.api.views import BiysReadOnlyModelViewSet, BiysViewSetMixin


class OperatorViewSet(BiysReadOnlyModelViewSet):
    queryset = Operator.objects.order_by("name", "pk")
    serializer_class = serializers.BaseStationOperatorSerializer
    filterset_class = filtersets.OperatorFilterSet


class _Steps:
    def _body(self, serializer_class, request):
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def _step(self, check, serializer_class, call):
        """``check`` (the service's permission check) on the object before its body is read;
        then ``call(obj, data)`` in a transaction."""
        obj = self.checked_object(check)
        data = self._body(serializer_class, self.request)
        with transaction.atomic():
            result = call(obj, data)
        return self._answer(result)

    def _site_step(self, step, serializer_class, call):
        return self._step(
            lambda user, site: services.require_step(user, site, step), serializer_class, call
        )


class BaseStationSiteViewSet(
    _Steps, BiysViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    queryset = (
        BaseStationSite.objects.select_related(*selectors.LIST_RELATED)
        .prefetch_related("accruals")
        .order_by("-id")
    )
    serializer_class = serializers.BaseStationSiteSerializer
    filterset_class = filtersets.BaseStationSiteFilterSet
    permission_classes = [IsAuthenticated]
    ordering_fields = ["id", "decided_on", "contract_start"]

    def _answer(self, site, code=status.HTTP_200_OK):
        site = self.queryset.get(pk=site.pk)
        return Response(serializers.BaseStationSiteSerializer(site).data, status=code)

    @extend_schema(
        request=serializers.BaseStationOpenSiteSerializer,
        responses={201: serializers.BaseStationSiteSerializer},
        description="Record an operator's site permit application: its application (number, "
        "legal deadline; the operator is the applicant) and the site.",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        data = self._body(serializers.BaseStationOpenSiteSerializer, request)
        site = services.open_site(user=request.user, **data)
        return self._answer(site, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.BaseStationDocumentsSerializer,
        responses={200: serializers.BaseStationSiteSerializer},
        description="The documents of the application type that came (replaces the list).",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def documents(self, request, pk=None):
        return self._site_step(
            "documents",
            serializers.BaseStationDocumentsSerializer,
            lambda site, data: services.record_documents(
                user=request.user, site=site, documents=data["documents"]
            ),
        )

    @extend_schema(
        request=serializers.BaseStationInspectionSerializer,
        responses={200: serializers.BaseStationSiteSerializer},
        description="The inspection visit: its day, the inspector, the note.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def inspect(self, request, pk=None):
        return self._site_step(
            "inspect",
            serializers.BaseStationInspectionSerializer,
            lambda site, data: services.record_inspection(user=request.user, site=site, **data),
        )

    @extend_schema(
        request=serializers.BaseStationDecisionSerializer,
        responses={200: serializers.BaseStationSiteSerializer},
        description="Approve (every required document in) or refuse (with the reason) an "
        "inspected site; the application is answered or refused with it.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decide(self, request, pk=None):
        return self._site_step(
            "decide",
            serializers.BaseStationDecisionSerializer,
            lambda site, data: services.decide(user=request.user, site=site, **data),
        )

    @extend_schema(
        request=serializers.BaseStationContractSerializer,
        responses={200: serializers.BaseStationSiteSerializer},
        description="The fee or rent contract of an approved site: number, period, yearly amount.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def contract(self, request, pk=None):
        return self._site_step(
            "contract",
            serializers.BaseStationContractSerializer,
            lambda site, data: services.record_contract(user=request.user, site=site, **data),
        )

    @extend_schema(
        request=serializers.BaseStationAccrueSerializer,
        responses={200: serializers.BaseStationSiteSerializer},
        description="Accrue (tahakkuk) one contract year up to the current one, once a year.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def accrue(self, request, pk=None):
        def call(site, data):
            services.accrue_year(user=request.user, site=site, **data)
            return site

        return self._site_step("accrue", serializers.BaseStationAccrueSerializer, call)

    @extend_schema(
        request=serializers.BaseStationPaymentSerializer,
        responses={200: serializers.BaseStationSiteSerializer},
        description="The payment of one of the site's accruals: its reference and the whole "
        "amount.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def payment(self, request, pk=None):
        def call(site, data):
            accrual = site.accruals.filter(pk=data.pop("accrual")).first()
            if accrual is None:
                raise Http404
            services.record_accrual_payment(user=request.user, accrual=accrual, **data)
            return site

        return self._site_step("payment", serializers.BaseStationPaymentSerializer, call)

    @extend_schema(
        request=serializers.BaseStationRightOfWaySerializer,
        responses={200: serializers.BaseStationSiteSerializer},
        description="The right-of-way agreement of an approved site.",
    )
    @action(detail=True, methods=["post"], url_path="right-of-way", filterset_class=None)
    def right_of_way(self, request, pk=None):
        return self._site_step(
            "right_of_way",
            serializers.BaseStationRightOfWaySerializer,
            lambda site, data: services.record_right_of_way(user=request.user, site=site, **data),
        )


class SiteComplaintViewSet(
    _Steps, BiysViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    queryset = SiteComplaint.objects.select_related(*selectors.COMPLAINT_RELATED).order_by("-id")
    serializer_class = serializers.BaseStationComplaintSerializer
    filterset_class = filtersets.SiteComplaintFilterSet
    permission_classes = [IsAuthenticated]
    ordering_fields = ["id", "answered_on"]

    def _answer(self, complaint, code=status.HTTP_200_OK):
        complaint = self.queryset.get(pk=complaint.pk)
        return Response(serializers.BaseStationComplaintSerializer(complaint).data, status=code)

    @extend_schema(
        request=serializers.BaseStationOpenComplaintSerializer,
        responses={201: serializers.BaseStationComplaintSerializer},
        description="Record a resident's complaint about a site (its application, of the type "
        "baz-istasyonu-sikayet, with its legal deadline).",
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        data = self._body(serializers.BaseStationOpenComplaintSerializer, request)
        if not selectors.sites_for(request.user).filter(pk=data["site"].pk).exists():
            data["site"] = None  # a site the user may not see is no site
        complaint = services.open_complaint(user=request.user, **data)
        return self._answer(complaint, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.BaseStationAnswerSerializer,
        responses={200: serializers.BaseStationComplaintSerializer},
        description="Answer the complaint with the finding (answers its application).",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def answer(self, request, pk=None):
        return self._step(
            services.require_answer,
            serializers.BaseStationAnswerSerializer,
            lambda complaint, data: services.answer_complaint(
                user=request.user, complaint=complaint, **data
            ),
        )

    @extend_schema(
        request=serializers.BaseStationLinkComplaintSerializer,
        responses={201: serializers.BaseStationComplaintSerializer},
        description="Tie a resident's complaint already received (the complaint type from the "
        "public form or the counter, a 3071 petition, a CİMER or Alo 153 entry; still open) to "
        "the site it is about.",
    )
    @action(detail=False, methods=["post"], filterset_class=None)
    def link(self, request):
        if not get_scope(request.user).has_perm(services.ADD_COMPLAINT):
            raise PermissionDenied
        data = self._body(serializers.BaseStationLinkComplaintSerializer, request)
        application = (
            Application.objects.restrict(request.user, "view")
            .filter(pk=data["application"])
            .first()
        )
        if application is None:
            raise Http404
        site = selectors.sites_for(request.user).filter(pk=data["site"]).first()
        with transaction.atomic():
            complaint = services.link_complaint(
                user=request.user, application=application, site=site
            )
        return self._answer(complaint, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={204: None},
        description="Untie a complaint not answered yet from its site; its application stays.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def unlink(self, request, pk=None):
        with transaction.atomic():
            services.unlink_complaint(user=request.user, complaint=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
