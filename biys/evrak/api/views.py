"""The evrak REST API. Documents are registered through the service (registry number, due
date, named readers) as JSON, or from an e-Yazışma package (``import-eyp``, multipart), which
is refused with RFC 9457 problem details naming the failed part. ``check-eyp`` runs the same
checks without registering."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.sql import Query
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from biys.core.access import get_scope
from biys.core.api.idempotency import idempotent
from biys.core.api.permissions import ScopedObjectPermission
from biys.core.api.views import BiysModelViewSet, BiysViewSetMixin
from biys.core.context import bind_user
from biys.core.precompiled import PrecompiledRows
from biys.evrak import (
    eyp,
    filtersets,
    outgoing_services,
    sealing,
    selectors,
    services,
    signing,
)
from biys.evrak.api import serializers
from biys.evrak.choices import ConfidentialViewKind, DisposalKind
from biys.evrak.models import (
    DocumentReference,
    IncomingDocument,
    IncomingPackage,
    OutgoingDocument,
    OutgoingSeal,
    PackagePart,
    ReceivedMail,
    Routing,
    ScanText,
    SdpCode,
    SigningRule,
    TrustedCertificate,
)

ARCHIVE_DESCRIPTION = (
    "The archive time-stamp chain of the e-Yazışma package kept for the document (its own, or"
    " the one it arrived in), checked now against the package: `ok` when every link verifies"
    " against the time-stamping authority's certificates (BIYS_TSA_CA_FILE), each came before"
    " the previous one's certificate expired and the last one's has not; `proven_since`: the"
    " time the package is proven unchanged since. See docs/evrak-eyp.md."
)


def _archive_chain(owner) -> Response:
    from biys.evrak import archive_stamps

    if owner is None:
        report = archive_stamps.ChainReport(
            False, problems=[_("No e-Yazışma package is kept for this document.")]
        )
    else:
        report = archive_stamps.verify(owner)
    return Response(serializers.ArchiveChainSerializer(report.as_dict()).data)


class TrustedCertificateViewSet(BiysModelViewSet):
    """The trust store of electronic signatures: the certificate authorities (Kamu SM's roots
    in production) a signer's certificate must chain to. Created from the PEM (or base64 DER)
    text; the name, notes and the active flag change; deactivate rather than delete."""

    queryset = (
        TrustedCertificate.objects.select_related("revocation_list")
        .defer("revocation_list__crl")
        .order_by("name", "pk")
    )
    serializer_class = serializers.TrustedCertificateSerializer
    filterset_class = filtersets.TrustedCertificateFilterSet


class SigningRuleViewSet(BiysModelViewSet):
    """The signing authorities (imza yetkileri): which level above the drafting unit signs
    which outgoing documents, by confidentiality and recipient kind (docs/evrak-signature.md).
    Read by everyone with the module's roles; added, changed and deleted by whoever holds the
    signing-rule permissions over the whole municipality (the administrator). Written through
    the service, every change in the change log; deactivate a rule to keep it on record."""

    queryset = SigningRule.objects.order_by("name", "pk")
    serializer_class = serializers.SigningRuleSerializer
    filterset_class = filtersets.SigningRuleFilterSet

    def perform_destroy(self, instance):
        outgoing_services.delete_signing_rule(user=self.request.user, rule=instance)


class SdpCodeViewSet(BiysModelViewSet):
    queryset = SdpCode.objects.order_by("code", "pk")
    serializer_class = serializers.SdpCodeSerializer
    filterset_class = filtersets.SdpCodeFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @extend_schema(
        request={"multipart/form-data": serializers.SdpImportSerializer},
        responses={200: serializers.SdpImportResultSerializer},
        description=(
            "Load the file plan from a CSV (`;`, UTF-8 with BOM, as a Turkish Excel writes it)"
            " or an Excel (.xlsx) file: code; title; years in the unit archive; years in the"
            " institutional archive; final disposition. All or nothing: any row in error loads"
            " nothing and every error is listed by line. `dry_run` previews what would change."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def import_file(self, request):
        if not services.may_load_sdp(request.user):  # before the body: refused as such
            raise exceptions.PermissionDenied()
        body = serializers.SdpImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        text = services.sdp_file_text(services.read_upload(upload), upload.name)
        result = services.import_sdp_codes(
            user=request.user, text=text, dry_run=body.validated_data["dry_run"]
        )
        return Response(serializers.SdpImportResultSerializer(result).data)


# The explicit grants of a Gizli or Çok Gizli document and the log of who viewed it: the same
# four actions on incoming and outgoing documents (``grant_response`` and the others below work
# for either kind). No docstring: the API describes a view set by the first one it inherits.
class ConfidentialActionsMixin:
    @extend_schema(
        request=None,
        responses={200: serializers.GrantSerializer(many=True)},
        description=(
            "The explicit grants of a Gizli or Çok Gizli document (active and revoked), for its"
            " readers (empty for any other document)."
        ),
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[IsAuthenticated],
        filterset_class=None,
        pagination_class=None,
    )
    def grants(self, request, pk=None):
        document = _readable(self, pk)
        return Response(serializers.GrantSerializer(services.grants_of(document), many=True).data)

    @extend_schema(
        request=serializers.GrantSerializer,
        responses={201: serializers.GrantSerializer},
        description=(
            "Grant one person the reading of a Gizli or Çok Gizli document, with the reason:"
            " for those who may change the document and are named on it (403 for anyone"
            " else); 400 for a document that is not Gizli or Çok Gizli."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def grant(self, request, pk=None):
        return grant_response(self, request, pk)

    @extend_schema(
        request=serializers.RevokeGrantSerializer,
        responses={200: serializers.GrantSerializer},
        description="Revoke a grant of the document, with the reason (the grant row stays).",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="revoke-grant",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def revoke_grant(self, request, pk=None):
        return revoke_response(self, request, pk)

    @extend_schema(
        request=None,
        responses={200: serializers.ConfidentialViewSerializer(many=True)},
        description=(
            "Who viewed a Gizli or Çok Gizli document (page, API, files, recognised text,"
            " package parts, PDF), newest first: for the holders of `evrak.audit_confidential`"
            " over its unit (department head, auditor), whether they read the document or not;"
            " 403 for its other readers, 404 for anyone else. Other documents are not logged."
        ),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="view-log",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
        pagination_class=None,
    )
    def view_log(self, request, pk=None):
        return view_log_response(self, request, pk)


def prefetched_rows(rows: list, lookups) -> list:
    """``prefetch_related_objects(rows, *lookups)``: the same queries and the same objects,
    without the queryset Django builds and filters for each row and relation to hold them
    (``manager._apply_rel_filters``: most of what prefetching a page of 50 documents cost).
    Each relation is read into a private list (``Prefetch(to_attr=...)``), then put in the
    row's prefetch cache as an evaluated queryset sharing one empty query per model."""
    if not rows:
        return rows
    model, prefetches, places = type(rows[0]), [], []
    for lookup in lookups:
        path = lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup
        queryset = lookup.queryset if isinstance(lookup, Prefetch) else None
        parent, _, name = path.rpartition("__")
        related, parts = model, path.split("__")
        for index, part in enumerate(parts):
            field = related._meta.get_field(part)
            if index < len(parts) - 1 and not (field.many_to_one or field.one_to_one):
                # through a list of objects: Django's own way
                prefetch_related_objects(rows, *lookups)
                return rows
            related = field.related_model
        prefetches.append(Prefetch(path, queryset=queryset, to_attr=f"_listed_{name}"))
        places.append((parent, name, related, f"_listed_{name}"))
    prefetch_related_objects(rows, *prefetches)
    for parent, name, related, attribute in places:
        query, queryset_class = Query(related), related._default_manager._queryset_class
        for row in rows:
            holder = row
            for part in parent.split("__") if parent else ():
                # a relation of a joined object (``package__parts``), when there is one
                holder = getattr(holder, part, None) if hasattr(holder, part) else None
                if holder is None:
                    break
            items = None if holder is None else holder.__dict__.pop(attribute, None)
            if items is None:
                continue
            evaluated = queryset_class(model=related, query=query)
            evaluated._result_cache, evaluated._prefetch_done = items, True
            holder.__dict__.setdefault("_prefetched_objects_cache", {})[name] = evaluated
    return rows


# The list's line queries: the same SQL for every page of the same size, compiled once.
LINE_QUERIES = PrecompiledRows(maxsize=256)


def _references(ids):
    return DocumentReference.objects.filter(document_id__in=ids).values_list(
        "document_id", *serializers.REFERENCE_COLUMNS
    )


def _named_readers(ids):
    through = IncomingDocument.named_readers.through
    return (
        through.objects.filter(incomingdocument_id__in=ids)
        .order_by("user__username")
        .values_list("incomingdocument_id", "user_id")
    )


def _parts(ids):
    return PackagePart.objects.filter(package_id__in=ids).values_list(
        "package_id", *serializers.PART_COLUMNS
    )


def _scans(ids):
    return ScanText.objects.filter(document_id__in=ids).values_list(
        "document_id", *serializers.SCAN_COLUMNS
    )


def list_lines_of(documents: list) -> list:
    """The lines the API list shows of each document, read as plain rows into its
    ``_list_lines`` (ilgi lines, named readers' ids, package parts or None without a package,
    scans; the columns ``serializers.incoming_list_rows`` reads): one query per kind of line
    for the whole page, as ``IncomingDocumentViewSet.queryset`` prefetches them (the same
    rows in the same order: the models' orderings, the named readers by username; the parts
    only when a document of the page has a package), without an object per line, and with
    each query's SQL compiled once per page size (``LINE_QUERIES``)."""
    if not documents:
        return documents
    ids = [document.pk for document in documents]
    references = {pk: [] for pk in ids}
    for pk, *line in LINE_QUERIES.rows("references", _references, ids):
        references[pk].append(tuple(line))
    readers = {pk: [] for pk in ids}
    for pk, user in LINE_QUERIES.rows("named_readers", _named_readers, ids):
        readers[pk].append(user)
    packages, held = {}, {}
    for document in documents:
        try:
            package = document.package
        except IncomingPackage.DoesNotExist:
            continue
        if package is not None:
            held[document.pk] = packages[package.pk] = []
    if packages:
        for package, *part in LINE_QUERIES.rows("parts", _parts, list(packages)):
            packages[package].append(tuple(part))
    scans = {pk: [] for pk in ids}
    for pk, *scan in LINE_QUERIES.rows("scans", _scans, ids):
        scans[pk].append(tuple(scan))
    for document in documents:
        pk = document.pk
        document._list_lines = (references[pk], readers[pk], held.get(pk), scans[pk])
    return documents


class IncomingDocumentViewSet(
    ConfidentialActionsMixin,
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GenericViewSet,
):
    # A page reads in the same queries at any size: the page, and one query each for the named
    # readers (their ids only), the ilgi lines, the package parts and the scans with their
    # files (joined, without the recognised text, which only ``/evrak/scans/{id}/`` gives).
    queryset = (
        IncomingDocument.objects.select_related("receiving_unit", "sdp_code", "package")
        .prefetch_related(
            Prefetch("named_readers", queryset=get_user_model().objects.only("pk")),
            "references",
            "package__parts",
            Prefetch(
                "scan_texts",
                queryset=ScanText.objects.select_related("attachment").defer("text"),
            ),
        )
        .order_by("-registered_at", "-pk")
    )
    serializer_class = serializers.IncomingDocumentSerializer
    filterset_class = filtersets.IncomingDocumentFilterSet
    ordering_fields = ["registered_at", "number", "due_date", "id"]
    permission_classes = [ScopedObjectPermission]

    def get_queryset(self):
        """The list and the detail give masked register rows too (``masked``: a Gizli or Çok
        Gizli document of the user's units they are neither named on nor granted); every
        other action works on the documents the user reads."""
        if self.action == "list":
            queryset = selectors.REGISTER_PAGES.queryset(
                selectors.register_key(self.request.user, "incoming-api"),
                # the answer gives the unit and the SDP code by key: only the package is joined
                lambda: selectors.register_rows(
                    self.queryset.select_related(None).select_related("package"),
                    self.request.user,
                ),
            )
            if filters_hidden_fields(self.request.query_params, self.request):
                queryset = queryset.filter(masked=False)
            return queryset
        if self.action == "retrieve":
            return selectors.register_rows(self.queryset.all(), self.request.user)
        return super().get_queryset()

    def page_rows(self, queryset) -> list:
        """The page's documents in one query (the visibility condition compiled once; the
        default fetch picks the page's keys in a subquery first, which writes it twice), each
        with its ``masked`` flag, then their lines: as plain rows for ``list``
        (``list_lines_of``), else the prefetched objects (``prefetched_rows``). The same
        queries either way."""
        lookups = queryset._prefetch_related_lookups
        key, values = None, ()
        request = getattr(self, "request", None)
        if request is not None and getattr(self, "action", None) == "list":
            key, values = selectors.register_page_key(
                request.user, request.query_params, "incoming-api", request
            )
        if not lookups:
            return selectors.REGISTER_PAGES.fetch(key, queryset, values)
        documents = selectors.REGISTER_PAGES.fetch(key, queryset.prefetch_related(None), values)
        if getattr(self, "plain_lines", False):
            return list_lines_of(documents)
        return prefetched_rows(documents, lookups)

    # The serializer's answer, each row written by ``incoming_list_rows`` from the page's
    # documents and their lines read as plain rows (the same JSON in the same queries, at a
    # fraction of DRF's and the prefetch's cost per value). No docstring: the API would
    # describe the list operation by it.
    def list(self, request, *args, **kwargs):
        self.plain_lines = True
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        if page is None:
            return super().list(request, *args, **kwargs)
        return self.get_paginated_response(serializers.incoming_list_rows(page))

    def retrieve(self, request, *args, **kwargs):
        from django.http import Http404

        pk = str(kwargs["pk"])
        document = None
        if pk.isdigit() and len(pk) < 19:
            document = self.get_queryset().filter(pk=int(pk)).first()
        if document is None:
            raise Http404
        if document.masked:
            return Response(self.get_serializer(document).data)  # the register row only
        self.check_object_permissions(request, document)
        services.record_confidential_view(
            user=request.user, document=document, what=ConfidentialViewKind.API
        )
        return Response(self.get_serializer(document).data)

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.save()  # the service checks the add permission in the unit

    @extend_schema(
        request={"multipart/form-data": serializers.PackageUploadSerializer},
        responses={201: serializers.IncomingDocumentSerializer},
        description=(
            "Register the document an e-Yazışma 2.x package carries. The package is checked"
            " (schemas, digests, identifiers); a failure is a 400 problem whose `errors.file`"
            " names each failed part, and nothing is registered."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import-eyp",
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def import_eyp(self, request):
        body = serializers.PackageUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        document = services.import_eyp_package(
            user=request.user,
            receiving_unit=data.pop("receiving_unit"),
            uploaded_file=data.pop("file"),
            named_readers=data.pop("named_readers", []),
            notes=data.pop("notes", ""),
            **{key: value for key, value in data.items() if value not in (None, "")},
        )
        document = self.get_queryset().get(pk=document.pk)
        return Response(self.get_serializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: serializers.ArchiveChainSerializer}, description=ARCHIVE_DESCRIPTION
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def archive(self, request, pk=None):
        document = self.get_object()
        return _archive_chain(IncomingPackage.objects.filter(document=document).first())

    @extend_schema(
        request={"multipart/form-data": serializers.PackageCheckSerializer},
        responses={200: serializers.PackageReportSerializer},
        description=(
            "Check an e-Yazışma package without registering it: every problem found. A package"
            " that carries a signature (ImzaCades) is refused unless it verifies against its"
            " content and this installation's trust store; one without is reported unsigned."
            " The same for the institution's e-seal (MuhurCades, over the NihaiOzet): verified"
            " when present, reported not sealed when absent."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="check-eyp",
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def check_eyp(self, request):
        if not get_scope(request.user).has_perm(services.ADD):
            raise exceptions.PermissionDenied()
        body = serializers.PackageCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = eyp.check_package(services.read_upload(body.validated_data["file"]))
        return Response(report.as_dict())

    @extend_schema(
        request=serializers.SenderDataRequestSerializer,
        responses={200: serializers.SenderDataSerializer},
        description="The person sender's unmasked TC kimlik number; every call is logged (KVKK).",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="personal-data",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def personal_data(self, request, pk=None):
        document = self.get_object()
        body = serializers.SenderDataRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = services.reveal_sender_data(
            user=request.user, document=document, reason=body.validated_data.get("reason", "")
        )
        return Response(data, status=status.HTTP_200_OK)

    @extend_schema(
        request=serializers.EvrakRouteRequestSerializer,
        responses={201: serializers.EvrakRoutingSerializer},
        description=(
            "Route (havale) the document to a unit for action or for information, with an"
            " instruction and a due date (a date, or a number of working days on the working"
            " calendar). A new routing for action takes over from the open one. A Gizli or Çok"
            " Gizli document needs the receiving person (`assignee`)."
        ),
    )
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated], filterset_class=None
    )
    def route(self, request, pk=None):
        document = self.get_object()
        if not selectors.may_route(request.user, document):  # before the body (the service's)
            raise exceptions.PermissionDenied(_("You may not route this document."))
        body = serializers.EvrakRouteRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        routing = services.route_document(
            user=request.user, document=document, **body.validated_data
        )
        return Response(
            serializers.EvrakRoutingSerializer(routing).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        responses={200: serializers.EvrakUnitSuggestionSerializer(many=True)},
        description="The units whose duties in the regulation match the document's subject.",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="suggested-units",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
        pagination_class=None,
    )
    def suggested_units(self, request, pk=None):
        document = self.get_object()
        suggestions = selectors.suggest_units(document.subject)
        return Response(serializers.EvrakUnitSuggestionSerializer(suggestions, many=True).data)


# The list filters that say nothing of a masked row's hidden fields; with any other (the
# search: subject, sender, sayı) masked rows are left out, so a filter cannot probe them.
ROW_PARAMS = {
    "year", "unit", "confidentiality", "urgency", "channel", "state", "registered_from", "registered_to",
    "limit", "offset", "cursor", "ordering", "format", "page", "page_size", "per_page",
}  # fmt: skip


def filters_hidden_fields(params, request=None) -> bool:
    return filtersets.filters_hidden_fields(params, ROW_PARAMS, request)


def _is_pk(pk) -> bool:
    return str(pk).isdigit() and len(str(pk)) < 19


def _readable(viewset, pk):
    """The document if the user reads it (not a masked row), else 404."""
    from django.http import Http404

    model = viewset.queryset.model
    if model is IncomingDocument:
        documents = selectors.documents_visible_to(viewset.request.user)
    else:
        documents = selectors.outgoing_visible_to(viewset.request.user)
    document = documents.filter(pk=pk).first() if _is_pk(pk) else None
    if document is None:
        raise Http404
    return document


def _may_change(viewset, document) -> None:
    if not services.may_change_document(viewset.request.user, document):
        raise exceptions.PermissionDenied()


def grant_response(viewset, request, pk):
    document = _readable(viewset, pk)
    _may_change(viewset, document)
    body = serializers.GrantSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    grant = services.grant_access(
        user=request.user,
        document=document,
        person=body.validated_data["user"],
        reason=body.validated_data["reason"],
    )
    return Response(serializers.GrantSerializer(grant).data, status=status.HTTP_201_CREATED)


def revoke_response(viewset, request, pk):
    document = _readable(viewset, pk)
    _may_change(viewset, document)
    body = serializers.RevokeGrantSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    grant = services.grants_of(document).filter(pk=body.validated_data["grant"]).first()
    if grant is None:
        raise exceptions.ValidationError({"grant": _("No such grant on this document.")})
    grant = services.revoke_access(
        user=request.user, grant=grant, reason=body.validated_data["reason"]
    )
    return Response(serializers.GrantSerializer(grant).data)


def view_log_response(viewset, request, pk):
    from django.http import Http404

    model = viewset.queryset.model
    document = model.objects.filter(pk=pk).first() if _is_pk(pk) else None
    if document is None:
        raise Http404
    if not services.may_audit_views(request.user, document):
        _readable(viewset, pk)  # 404 where the document is not even read
        raise exceptions.PermissionDenied()
    entries = services.confidential_views_of(document)[:1000]
    return Response(serializers.ConfidentialViewSerializer(entries, many=True).data)


class RoutingViewSet(
    BiysViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    """Routings (havale) of the documents the user sees; routing on, acknowledging a handover
    and closing are actions of one routing, the lists of what waits under ``waiting``."""

    queryset = Routing.objects.select_related("document").order_by("-routed_at", "-pk")
    serializer_class = serializers.EvrakRoutingSerializer
    filterset_class = filtersets.RoutingFilterSet
    permission_classes = [IsAuthenticated]

    def _respond(self, routing):
        return Response(serializers.EvrakRoutingSerializer(routing).data)

    @extend_schema(
        request=serializers.EvrakRouteOnRequestSerializer,
        responses={200: serializers.EvrakRoutingSerializer},
        description="The unit's manager routes the document on to a person of the unit.",
    )
    @action(detail=True, methods=["post"], url_path="route-on", filterset_class=None)
    def route_on(self, request, pk=None):
        routing = self.get_object()
        body = serializers.EvrakRouteOnRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(
            services.route_on(user=request.user, routing=routing, **body.validated_data)
        )

    @extend_schema(
        request=None,
        responses={200: serializers.EvrakRoutingSerializer},
        description="The receiver acknowledges a confidential document handed over (teslim aldım).",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def acknowledge(self, request, pk=None):
        routing = self.get_object()
        return self._respond(services.acknowledge_receipt(user=request.user, routing=routing))

    @extend_schema(
        request=serializers.EvrakCloseRoutingRequestSerializer,
        responses={200: serializers.EvrakRoutingSerializer},
        description="The responsible person records what was done and closes the routing.",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        routing = self.get_object()
        body = serializers.EvrakCloseRoutingRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(
            services.close_routing(user=request.user, routing=routing, **body.validated_data)
        )

    @extend_schema(
        responses={200: serializers.EvrakWaitingSerializer},
        description=(
            "What waits for the caller by name (`scope=mine`, the default) or in the units where"
            " they route on (`scope=units`): overdue, due this week, and the rest."
        ),
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def waiting(self, request):
        if request.query_params.get("scope") == "units":
            routings = selectors.waiting_in_units(request.user)
        else:
            routings = selectors.waiting_for_person(request.user)
        groups = selectors.buckets(list(routings))
        return Response(serializers.EvrakWaitingSerializer(groups).data)


class ScanTextViewSet(
    BiysViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    """The text recognised (OCR) in the scans of the documents the user sees: waiting,
    reading, done with the text, or failed with the reason. ``recognise`` reads one again."""

    queryset = ScanText.objects.select_related("attachment").order_by("-pk")
    serializer_class = serializers.ScanTextSerializer
    filterset_class = filtersets.ScanTextFilterSet
    permission_classes = [IsAuthenticated]

    def retrieve(self, request, *args, **kwargs):
        scan = self.get_object()
        services.record_confidential_view(
            user=request.user,
            document=scan.document,
            what=ConfidentialViewKind.SCAN_TEXT,
            detail=scan.attachment.filename,
        )
        return Response(self.get_serializer(scan).data)

    @extend_schema(
        request=None,
        responses={202: serializers.ScanTextSerializer},
        description=(
            "Recognise the scan's text again: one that failed, or one stuck waiting or reading"
            " for longer than BIYS_EVRAK_OCR_STUCK_MINUTES. For those who may change the"
            " document's register row."
        ),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def recognise(self, request, pk=None):
        scan = self.get_object()
        if not services.may_recognise(request.user, scan.document):
            raise exceptions.PermissionDenied()
        scan = services.request_recognition(
            user=request.user, document=scan.document, attachment=scan.attachment
        )
        scan.refresh_from_db()
        return Response(serializers.ScanTextSerializer(scan).data, status=status.HTTP_202_ACCEPTED)


class ReceivedMailViewSet(
    BiysViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    """What the document mailboxes (e-mail, KEP) brought, for the registry clerks of the
    mailbox's unit; ``?state=waiting`` for what still waits for registration."""

    queryset = ReceivedMail.objects.select_related("mailbox").order_by("-received_at", "-pk")
    serializer_class = serializers.ReceivedMailSerializer
    filterset_class = filtersets.ReceivedMailFilterSet
    permission_classes = [IsAuthenticated]


class OutgoingDocumentViewSet(
    ConfidentialActionsMixin,
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    """Outgoing documents (giden evrak): drafts created and changed through the service; a
    signed document no longer changes (400)."""

    queryset = (
        OutgoingDocument.objects.select_related("unit", "sdp_code", "signer")
        .prefetch_related("distribution", "references__incoming", "references__outgoing")
        .order_by("-created", "-pk")
    )
    serializer_class = serializers.OutgoingDocumentSerializer
    filterset_class = filtersets.OutgoingDocumentFilterSet
    ordering_fields = ["created", "number", "signed_at", "id"]
    permission_classes = [ScopedObjectPermission]

    # The list and the detail give masked register rows too, as the incoming documents'.
    retrieve = IncomingDocumentViewSet.retrieve

    def get_serializer_class(self):
        # The detail adds the e-seal's state (a query or two: not for every row of a list).
        if self.action == "retrieve":
            return serializers.OutgoingDocumentDetailSerializer
        return super().get_serializer_class()

    def page_rows(self, queryset) -> list:
        """The page's documents in one query, the visibility condition compiled once (the
        default fetch picks the page's keys in a subquery first, which writes it twice)."""
        return list(queryset)

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            queryset = selectors.register_rows(self.queryset.all(), self.request.user)
            if self.action == "list" and filters_hidden_fields(self.request.query_params):
                queryset = queryset.filter(masked=False)
            return queryset
        return super().get_queryset()

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.save()  # the service checks the add permission in the unit

    def perform_update(self, serializer):
        serializer.save()  # the service checks the change permission (and a new unit's add)

    def _approval(self, document):
        document = OutgoingDocument.objects.prefetch_related(
            "approval_steps", "approval_events", "numbers", "signatures"
        ).get(pk=document.pk)
        return Response(serializers.OutgoingApprovalSerializer(document).data)

    @extend_schema(
        responses={200: serializers.OutgoingApprovalSerializer},
        description="The approval path, its record (resets, returns) and the numbers given.",
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def approval(self, request, pk=None):
        return self._approval(self.get_object())

    @extend_schema(
        request=serializers.SubmitForApprovalSerializer,
        responses={200: serializers.OutgoingApprovalSerializer},
        description=(
            "Send a draft along its approval path: each person initials (paraf) in order,"
            " then the signer signs."
        ),
    )
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated], filterset_class=None
    )
    def submit(self, request, pk=None):
        # The service's own check, before the body is read.
        document = self.checked_object(outgoing_services.require_change)
        body = serializers.SubmitForApprovalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        outgoing_services.submit_for_approval(
            user=request.user, document=document, path=body.validated_data["path"]
        )
        return self._approval(document)

    @extend_schema(
        request=None,
        responses={200: serializers.OutgoingApprovalSerializer},
        description="The person whose turn it is initials the document (paraf).",
    )
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated], filterset_class=None
    )
    def paraf(self, request, pk=None):
        document = self.get_object()
        outgoing_services.paraf(user=request.user, document=document)
        return self._approval(document)

    @extend_schema(
        request=serializers.ReturnToWriterSerializer,
        responses={200: serializers.OutgoingApprovalSerializer},
        description="Send the document back to its writer with the reason; parafs are reset.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def return_to_writer(self, request, pk=None):
        document = self.get_object()
        body = serializers.ReturnToWriterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        outgoing_services.return_to_writer(
            user=request.user, document=document, note=body.validated_data["note"]
        )
        return self._approval(document)

    @extend_schema(
        request=None,
        responses={200: serializers.OutgoingDocumentSerializer},
        description=(
            "The signer signs after every paraf: the sayı E-<DETSİS no>-<SDP code>-<record no>"
            " is given. The signature is the signer's approval recorded in BİYS (no external"
            " CAdES signature yet). A number whose signature fails is cancelled (iptal)."
        ),
    )
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated], filterset_class=None
    )
    def sign(self, request, pk=None):
        document = outgoing_services.sign(user=request.user, document=self.get_object())
        document = self.get_queryset().get(pk=document.pk)
        return Response(self.get_serializer(document).data)

    @extend_schema(
        responses={200: serializers.SignatureRequestSerializer},
        description=(
            "For the signer's signing agent (authenticated as the signer, e.g. with"
            " `Authorization: Token <key>`), once every paraf is in: the signature request of"
            " the document's current version. The content to sign (base64; `content_type`"
            " says which): for a document to a public institution the PaketOzeti of its"
            " e-Yazışma package, whose parts are prepared now (as e-Yazışma signers sign it),"
            " otherwise the üst yazı PDF; and its SHA-256 digest. Prepared on the first call"
            " and the same bytes on every later one until the document changes (a Günlüdür"
            " document's, the same day). 403 for anyone but the designated signer"
            " or before the last paraf; 400 (field `signer`) when the signing authorities do"
            " not allow the signer, before anything is prepared. See docs/evrak-signature.md."
        ),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="signature-request",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def signature_request(self, request, pk=None):
        item = signing.signature_request(user=request.user, document=self.get_object())
        return Response(serializers.SignatureRequestSerializer(item).data)

    @extend_schema(
        request=serializers.CadesSignatureSerializer,
        responses={200: serializers.OutgoingDocumentSerializer},
        description=(
            "The signing agent returns the detached CAdES signature (CMS SignedData, DER,"
            " base64) over the content of the signature request. Accepted only if the CMS"
            " parses, its message digest is the prepared one, the signature verifies with the"
            " certificate's key, the certificate chains to the trust store and is valid, and it"
            " is the signer's own (TC kimlik number, else e-mail). Then the document is signed"
            " and given its sayı. A refusal is a 400 with problem details (field `signature`);"
            " the number reserved for it is cancelled (iptal)."
        ),
    )
    @action(
        detail=True, methods=["post"], permission_classes=[IsAuthenticated], filterset_class=None
    )
    def signature(self, request, pk=None):
        document = self.get_object()
        body = serializers.CadesSignatureSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        signing.sign_with_cades(
            user=request.user, document=document, signature=body.validated_data["signature"]
        )
        document = self.get_queryset().get(pk=document.pk)
        return Response(self.get_serializer(document).data)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        description=(
            "The document in the official layout (header, sayı, konu, distribution, ilgi,"
            " signature block, urgency and confidentiality markings); a draft is marked"
            " TASLAK. A plain PDF with embedded fonts, not PDF/A."
        ),
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def pdf(self, request, pk=None):
        from biys.evrak.outgoing_views import pdf_response

        document = self.get_object()
        services.record_confidential_view(
            user=request.user, document=document, what=ConfidentialViewKind.PDF
        )
        return pdf_response(document)

    @extend_schema(
        responses={(200, "application/eyazisma"): OpenApiTypes.BINARY},
        description=(
            "The e-Yazışma 2.x package (.eyp) of a signed document: the official-layout PDF,"
            " the attachments, Üstveri, PaketOzeti, NihaiÜstveri, NihaiÖzet (SHA-384 and"
            " SHA-512 digests) and the core properties, checked against the schemas before it"
            " is given. Written on the first request and kept, so every download is the same"
            " bytes. A document signed with CAdES carries its signature as"
            " /Imzalar/ImzaCades.imz (over the PaketOzeti, see docs/evrak-eyp.md); no seal."
            " 400 for a"
            " draft or a document with no recipient that has a DETSİS number."
        ),
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def eyp(self, request, pk=None):
        from biys.evrak.outgoing_views import eyp_response

        document = self.get_object()
        response = eyp_response(document)
        services.record_confidential_view(
            user=request.user, document=document, what=ConfidentialViewKind.PACKAGE
        )
        return response

    @extend_schema(
        responses={200: serializers.ArchiveChainSerializer}, description=ARCHIVE_DESCRIPTION
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def archive(self, request, pk=None):
        document = self.get_object()
        return _archive_chain(document if document.package else None)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "line",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description="The distribution line's id.",
            )
        ],
        request=serializers.SenderDataRequestSerializer,
        responses={200: serializers.RecipientDataSerializer},
        description=(
            "A person recipient's unmasked TC kimlik number; every call is logged in the log of"
            " personal data seen (KVKK). For holders of `evrak.reveal_sender_data` over the"
            " drafting unit who may read the document; 403 otherwise."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"recipients/(?P<line>[0-9]+)/personal-data",
        url_name="recipient-personal-data",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def recipient_personal_data(self, request, pk=None, line=None):
        document = self.get_object()
        recipient = document.distribution.filter(pk=line).first()
        if recipient is None:
            raise exceptions.NotFound()
        body = serializers.SenderDataRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = outgoing_services.reveal_recipient_data(
            user=request.user, line=recipient, reason=body.validated_data.get("reason", "")
        )
        return Response(data, status=status.HTTP_200_OK)

    def _dispatch_line(self, request, serializer_class):
        """The document's distribution line the body names, and the body, for one who may
        dispatch the document (403 otherwise, before the body is read)."""
        document = self.get_object()
        if not services.may_dispatch(request.user, document):
            raise exceptions.PermissionDenied()
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        line = document.distribution.filter(pk=body.validated_data["line"]).first()
        if line is None:
            raise exceptions.ValidationError({"line": _("No such recipient on this document.")})
        return line, body

    @extend_schema(
        request=serializers.DispatchSerializer,
        responses={200: serializers.DistributionLineSerializer},
        description=(
            "Record how a signed document went to one recipient of its distribution list"
            " (`paper`, `kep`, `eyazisma`, `hand`) and when (now by default). Once per line,"
            " unless its latest KEP sending came back `not_delivered` or `rejected`: then how"
            " it went another way replaces it. For the drafting unit's writers; 400 for a"
            " draft, a line already sent, paper without an address or e-Yazışma without a"
            " DETSİS number."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="dispatch",
        url_name="dispatch",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def record_dispatch(self, request, pk=None):
        line, body = self._dispatch_line(request, serializers.DispatchSerializer)
        line = services.record_dispatch(
            user=request.user,
            line=line,
            channel=body.validated_data["channel"],
            dispatched_at=body.validated_data.get("dispatched_at"),
        )
        return Response(serializers.DistributionLineSerializer(line).data)

    @extend_schema(
        request=serializers.KepSendSerializer,
        responses={202: serializers.KepDispatchSerializer},
        description=(
            "Send the signed document to one recipient of its distribution list by KEP, from"
            " the institution's KEP account (a KEP mailbox with its SMTP server): a public"
            " institution gets the e-Yazışma package `<BelgeId>.eyp`, a company or a person the"
            " üst yazı PDF and the package when there is one. Sent in the background (at once"
            " without a broker); the answer is the sending: `sent` (the line is then recorded"
            " as sent by KEP, as `dispatch` records it), `failed` with its `error` (send again"
            " to retry) or `queued`. A line whose latest KEP sending came back `not_delivered`"
            " or `rejected` may be sent again (to a corrected address): it stands unsent until"
            " the new sending goes. For the drafting unit's writers; 400 for a draft, a line"
            " already sent, a unit of the municipality, an invalid KEP address or no KEP"
            " account."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="kep",
        url_name="kep",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def send_by_kep(self, request, pk=None):
        line, body = self._dispatch_line(request, serializers.KepSendSerializer)
        sending = services.send_by_kep(
            user=request.user, line=line, address=body.validated_data["address"]
        )
        sending.refresh_from_db()
        return Response(
            serializers.KepDispatchSerializer(sending).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        responses={200: serializers.KepDispatchSerializer(many=True)},
        description=(
            "Every sending of the document by KEP, newest first: the address, the Message-ID,"
            " the files attached, who asked and when, how it went, and the delivery evidence"
            " (delil) received in the KEP mailbox for it. Past `sent`, `state` is what the"
            " evidence says: `accepted` (by the provider), `rejected` (by the provider),"
            " `delivered`, `not_delivered` or `read`; each evidence gives its `kind`, the"
            " time of the event, the provider's reason and what it was read from (`rem`: an"
            " ETSI REM evidence XML, `pec`: a daticert.xml, `report`: a DSN or MDN, `header`,"
            " `subject`: keywords, a guess)."
        ),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="kep-dispatches",
        url_name="kep-dispatches",
        filterset_class=None,
        pagination_class=None,
    )
    def kep_dispatches(self, request, pk=None):
        document = self.get_object()
        sendings = document.kep_dispatches.prefetch_related("evidences__mail").order_by(
            "-requested_at", "-pk"
        )
        return Response(serializers.KepDispatchSerializer(sendings, many=True).data)


class DispatchListView(APIView):
    """The day's paper dispatch list (``?day=YYYY-MM-DD``, today by default)."""

    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        bind_user(request.user)

    @extend_schema(
        parameters=[OpenApiParameter("day", OpenApiTypes.DATE, description="Today if empty.")],
        responses={200: serializers.DispatchRowSerializer(many=True)},
        description=(
            "The signed outgoing documents sent on paper that day, of the units whose outgoing"
            " documents the user reads: sayı, date, addressee, address and subject (a Gizli or"
            ' Çok Gizli one as "Gizli"). The page gives it as PDF and CSV too.'
        ),
    )
    def get(self, request):
        from biys.evrak.dispatch_views import parse_day

        day = parse_day(request.query_params.get("day"))
        rows = services.dispatch_list(user=request.user, day=day)
        return Response(serializers.DispatchRowSerializer(rows, many=True).data)


# ------------------------------------------------------------------ the institution's e-seal


class _SealBase(APIView):
    """For the sealing agent: a service account holding ``evrak.seal_package`` over the whole
    municipality (docs/evrak-eyp.md); 403 for anyone else before the request is read."""

    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        bind_user(request.user)
        sealing.require_sealer(request.user)


class SealRequestListView(_SealBase):
    @extend_schema(
        responses={200: serializers.AwaitingSealSerializer(many=True)},
        description=(
            "The signed outgoing documents whose e-Yazışma package awaits the institution's"
            " e-seal (no package written yet), oldest first: id, sayı, signature date. For the"
            " sealing agent (`evrak.seal_package` over the whole municipality); 403 otherwise."
        ),
    )
    def get(self, request):
        documents = sealing.awaiting_seal(request.user)[:500]
        return Response(serializers.AwaitingSealSerializer(documents, many=True).data)


class SealRequestView(_SealBase):
    @extend_schema(
        responses={200: serializers.SealRequestSerializer},
        description=(
            "The sealing request of a signed document's e-Yazışma package: the package is"
            " written up to its NihaiOzet and kept; the answer is the NihaiOzet's exact bytes"
            " (base64) and their SHA-256 digest, the same on every later call. 400 with problem"
            " details when the installation does not seal (no seal certificate configured), the"
            " document has no package (not signed, no public-institution recipient) or its"
            " package is written already; 403 without `evrak.seal_package` over the whole"
            " municipality. See docs/evrak-eyp.md."
        ),
    )
    def get(self, request, document):
        item = sealing.seal_request(user=request.user, document_id=document)
        return Response(serializers.SealRequestSerializer(item).data)


class SealView(_SealBase):
    @extend_schema(
        request=serializers.CadesSealSerializer,
        responses={200: serializers.AcceptedSealSerializer},
        description=(
            "The sealing agent returns the institution's e-seal: a detached CAdES signature"
            " (CMS SignedData, DER, base64) over the NihaiOzet of the sealing request. Accepted"
            " only if it verifies as a signer's signature does (digest, key, chain to the trust"
            " store, validity) and its certificate is the configured seal certificate; then the"
            " package is written with /Muhur/MuhurCades.imz, checked and kept as the document's"
            " (every export gives these bytes). A refusal is a 400 with problem details (field"
            " `seal`); nothing is saved and the request stays pending."
        ),
    )
    def post(self, request, document):
        body = serializers.CadesSealSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sealing.seal_with_cades(
            user=request.user, document_id=document, seal=body.validated_data["seal"]
        )
        item = OutgoingSeal.objects.select_related("document").get(
            document_id=document, state="accepted"
        )
        return Response(serializers.AcceptedSealSerializer(item).data)


# ------------------------------------------------------------------ files, archive and disposal


def _year(request) -> int:
    from django.utils import timezone

    raw = request.query_params.get("year", "")
    if not raw:
        return timezone.localdate().year
    if not raw.isdigit() or not 1900 <= int(raw) <= 9999:
        raise exceptions.ValidationError({"year": [_("Give a year such as 2026.")]})
    return int(raw)


class YearEndView(APIView):
    """The year-end of the archive: the files due for transfer to the institutional archive
    and for destruction at the end of a year, the hand-over to the State Archives, and the
    commission's decision on them. Each kind is for those who decide on it, over the files
    of their units: transfer and destruction for the department head
    (``evrak.approve_disposal``), the hand-over for the archivist and the department head
    (``evrak.hand_over_files``); a kind the user does not decide on is refused (403)."""

    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        bind_user(request.user)  # the change log's author

    def _check(self, request, kind=None):
        kinds = selectors.year_end_kinds(request.user)
        if not kinds or (kind is not None and kind not in kinds):
            raise exceptions.PermissionDenied()

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="The year-end (this year if left out).")
        ],
        responses={200: serializers.YearEndSerializer},
    )
    def get(self, request):
        self._check(request)
        year = _year(request)
        user = request.user
        data = {
            "year": year,
            "transfer": selectors.due_files(user=user, year=year, kind=DisposalKind.TRANSFER),
            "destroy": selectors.due_files(user=user, year=year, kind=DisposalKind.DESTROY),
        }
        if selectors.may_approve_disposal(user, DisposalKind.HANDOVER):
            data["handover"] = selectors.due_files(user=user, year=year, kind=DisposalKind.HANDOVER)
        return Response(serializers.YearEndSerializer(data).data)

    @extend_schema(
        request=serializers.ArchiveDecisionSerializer,
        responses={201: serializers.ArchiveDecisionSerializer},
        description=(
            "Approve the commission's decision: the files due (or those named) are transferred"
            " to the institutional archive, or destroyed: their documents' content is removed"
            " for good, the register rows and the decision kept. All or nothing."
        ),
    )
    def post(self, request):
        self._check(request)
        body = serializers.ArchiveDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        self._check(request, data["kind"])
        decision = services.approve_disposal(
            user=request.user,
            kind=data["kind"],
            year=data["year"],
            decision_date=data["decision_date"],
            decision_number=data["decision_number"],
            members=data["members"],
            files=data.get("files"),
        )
        return Response(
            serializers.ArchiveDecisionSerializer(decision).data, status=status.HTTP_201_CREATED
        )


class _HandoverBase(APIView):
    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        bind_user(request.user)

    def get_object(self, request, pk):
        if not selectors.may_approve_disposal(request.user, DisposalKind.HANDOVER):
            raise exceptions.PermissionDenied()
        from django.shortcuts import get_object_or_404

        return get_object_or_404(selectors.handover_lists(request.user), pk=pk)


class HandoverListView(_HandoverBase):
    """A hand-over list to the State Archives (a year-end decision of kind ``handover``) with
    its numbered items; the exports are at ``pdf_url`` and ``csv_url``. For holders of
    ``evrak.hand_over_files`` (the archivist, the department head) with a file of the list in
    their units; 403 without the permission, 404 for a list of other units."""

    @extend_schema(responses={200: serializers.HandoverListSerializer})
    def get(self, request, pk):
        decision = self.get_object(request, pk)
        return Response(serializers.HandoverListSerializer(decision).data)


class HandoverCompleteView(_HandoverBase):
    """Mark a hand-over list handed over to the State Archives."""

    @extend_schema(
        request=serializers.HandoverCompleteSerializer,
        responses={200: serializers.HandoverListSerializer},
        description=(
            "The State Archives took the list's material over on `handed_over_on`: its files"
            " and documents are marked handed over (devredildi). Nothing is deleted. Once only,"
            " by a holder of the permission over every file of the list."
        ),
    )
    def post(self, request, pk):
        decision = self.get_object(request, pk)
        body = serializers.HandoverCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = services.complete_handover(
            user=request.user,
            decision=decision,
            handed_over_on=body.validated_data["handed_over_on"],
        )
        return Response(serializers.HandoverListSerializer(decision).data)
