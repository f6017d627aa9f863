"""The software and licence API: titles (the allow and deny lists) with their ``compliance``,
licence agreements, installations entered by hand and ``report``, an agent's list of what one
computer has installed (idempotent). Writes go through ``licence_services``; a refusal is a 400
problem, a permission a 403. A title or a licence is deleted through the delete pages' services
(a title that a licence or an installation still names is a 409 problem with ``held_by``); an
installation is never deleted, it is ``remove``d."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from biys.core.access import can, can_add
from biys.core.api.views import BiysModelViewSet
from biys.inventory import filtersets, licence_selectors, licence_services
from biys.inventory.api import licence_serializers as serializers
from biys.inventory.api.views import NO_DELETE, ServiceDeletedViewSet, _run, documented_delete
from biys.inventory.models import Asset, Installation, InstallationSource, Licence, SoftwareTitle


@documented_delete(
    "Delete a software title no licence or installation names (they refuse it: 409, with held_by)."
)
class SoftwareTitleViewSet(ServiceDeletedViewSet):
    """Software titles: ``status`` puts one on the allow list, the deny list or leaves it to be
    reviewed. ``compliance`` lists the titles with installations against licensed seats."""

    queryset = SoftwareTitle.objects.order_by("sort_name", "pk")
    serializer_class = serializers.SoftwareTitleSerializer
    filterset_class = filtersets.SoftwareTitleFilterSet
    delete_service = licence_services.delete_title
    delete_argument = "title"

    @extend_schema(
        responses={200: serializers.ComplianceSerializer(many=True)},
        filters=True,
    )
    @action(detail=False, methods=["get"], filterset_class=filtersets.ComplianceFilterSet)
    def compliance(self, request):
        """Per title, worst first: forbidden software installed, over-deployed (more
        installations than seats), not reviewed, compliant. Counts are of the assets and
        licences the caller may see."""
        if not licence_selectors.may_see_compliance(request.user):
            raise exceptions.PermissionDenied()
        titles = licence_selectors.titles_with_compliance(request.user).order_by(
            "compliance_rank", "-shortfall", "sort_name", "pk"
        )
        titles = self.filter_queryset(titles)
        page = self.paginate_queryset(titles)
        body = serializers.ComplianceSerializer(page, many=True).data
        return self.get_paginated_response(body)


@documented_delete(
    "Delete a licence agreement recorded in error, with its expiry alerts; the title and its "
    "installations stay."
)
class LicenceViewSet(ServiceDeletedViewSet):
    """Licence agreements (never taşınır items). ``expires_by`` lists those ending by a date."""

    queryset = Licence.objects.select_related("title").order_by("title__sort_name", "pk")
    serializer_class = serializers.LicenceSerializer
    filterset_class = filtersets.LicenceFilterSet
    delete_service = licence_services.delete_licence
    delete_argument = "licence"


class InstallationViewSet(BiysModelViewSet):
    """Installations of a title on an asset. ``remove`` marks one gone; ``report`` takes an
    agent's list of what one computer has installed: titles matched by their normalised
    publisher and name (unknown ones added as not reviewed), the same report twice changing
    nothing."""

    queryset = Installation.objects.select_related("title", "asset").order_by(
        "title__sort_name", "asset__inventory_number", "pk"
    )
    serializer_class = serializers.InstallationSerializer
    filterset_class = filtersets.InstallationFilterSet
    http_method_names = NO_DELETE

    @extend_schema(request=None, responses={200: serializers.InstallationSerializer})
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        installation = self.get_object()
        if not can(request.user, "change", installation):
            raise exceptions.PermissionDenied()
        installation = _run(
            lambda: licence_services.remove_installation(
                installation=installation, user=request.user
            )
        )
        body = serializers.InstallationSerializer(installation, context={"request": request})
        return Response(body.data)

    @extend_schema(
        request=serializers.SoftwareReportSerializer,
        responses={200: serializers.SoftwareReportResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def report(self, request):
        data = serializers.SoftwareReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asset = data.validated_data["asset"]
        if not Asset.objects.restrict(request.user, "view").filter(pk=asset.pk).exists():
            raise exceptions.ValidationError({"asset": ["Invalid pk - object does not exist."]})
        if not can_add(request.user, Installation, asset.unit_id):
            raise exceptions.PermissionDenied()
        try:
            result = _run(
                lambda: licence_services.report_installed_software(
                    asset=asset,
                    software=data.validated_data["software"],
                    complete=data.validated_data["complete"],
                    source=InstallationSource.API,
                    user=request.user,
                )
            )
        except PermissionDenied as error:
            raise exceptions.PermissionDenied() from error
        return Response(
            serializers.SoftwareReportResultSerializer(result.as_dict()).data,
            status=status.HTTP_200_OK,
        )
