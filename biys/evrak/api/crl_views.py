"""The trust store's certificate revocation lists (CRLs) in the API: list, read, upload a
file for an authority, fetch now from the authority's address, delete. Loaded, fetched and
removed through ``biys.evrak.revocation``, by whoever holds the CRL permissions over the whole
municipality (the administrator); read by all staff. Refusals are RFC 9457 problem details:
a file the authority's key did not sign, or not a CRL, is a 400 naming ``file``; a failed
fetch (no address, none answering with a CRL of the authority) a 409 with the reason, kept on
the CRL too (a gateway error would read as BİYS failing)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from biys.core.api.permissions import ScopedObjectPermission
from biys.core.api.views import BiysViewSetMixin
from biys.evrak import filtersets, revocation
from biys.evrak.api import serializers
from biys.evrak.models import RevocationList


class FetchFailed(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "crl_fetch_failed"
    default_detail = _("The revocation list could not be fetched.")


class RevocationListViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    GenericViewSet,
):
    """The certificate revocation lists (CRLs) of the trust store's certificate authorities:
    one, the newest, per authority. Loaded with ``upload`` (a file the authority's key signed)
    or ``fetch`` (from the authority's address); deleted by whoever holds the permission over
    the whole municipality. A stale CRL (``current`` false) refuses the signatures it covers."""

    queryset = (
        RevocationList.objects.defer("crl").select_related("authority").order_by("issuer", "pk")
    )
    serializer_class = serializers.RevocationListSerializer
    filterset_class = filtersets.RevocationListFilterSet
    permission_classes = [ScopedObjectPermission]

    def perform_destroy(self, instance):
        revocation.delete_revocation_list(user=self.request.user, revocation_list=instance)

    @extend_schema(
        request={"multipart/form-data": serializers.RevocationListUploadSerializer},
        responses={201: serializers.RevocationListSerializer},
        description=(
            "Load a CRL file (PEM or DER) for a certificate authority of the trust store. Refused"
            " (400, at `file`) unless the authority's key signed it, or if a CRL of the"
            " authority as new or newer is loaded; it replaces the authority's previous one."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="upload",
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def upload(self, request):
        user = request.user
        if not (
            revocation.may_manage_crls(user, "add") or revocation.may_manage_crls(user, "change")
        ):
            raise exceptions.PermissionDenied()  # before the body: refused as such
        body = serializers.RevocationListUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        try:
            item = revocation.upload_revocation_list(
                user=user,
                authority=body.validated_data["authority"],
                data=upload.read(revocation.MAX_CRL_BYTES + 1),
                url=body.validated_data.get("url", ""),
            )
        except ValidationError as error:
            detail = {
                ("file" if field == "crl" else field): messages
                for field, messages in error.message_dict.items()
            }
            raise exceptions.ValidationError(detail) from error
        item = self.get_queryset().get(pk=item.pk)
        return Response(
            serializers.RevocationListSerializer(item, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        responses={200: serializers.RevocationListFetchSerializer},
        description=(
            "Fetch the authority's CRL now from its address (the one the CRL came from, and the"
            " distribution points of the certificates it issued). `loaded` false: nothing newer"
            " is published. A failure is a 409 problem with the reason, kept on the CRL."
        ),
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def fetch(self, request, pk=None):
        item = self.checked_object(lambda user, _item: revocation.require_crl_perm(user, "change"))
        outcome = revocation.fetch_revocation_list(user=request.user, authority=item.authority)
        if outcome["error"]:
            raise FetchFailed(outcome["error"])
        item = self.get_queryset().get(pk=item.pk)
        return Response(
            {
                "url": outcome["url"],
                "loaded": bool(outcome["loaded"]),
                "revocation_list": serializers.RevocationListSerializer(
                    item, context={"request": request}
                ).data,
            }
        )
