"""The service desk's REST API. Ticket writes go through ``biys.servicedesk.services``, which
check who may do what; reads are narrowed by ``Ticket.objects.restrict`` (a ticket the user
may not see is a 404)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from biys.accounts.scope import get_scope
from biys.core.api.idempotency import idempotent
from biys.core.api.views import BiysModelViewSet, BiysViewSetMixin
from biys.core.querysets import built_rows, read_rows, rows_query
from biys.servicedesk import filtersets, selectors, services, workflow
from biys.servicedesk.api import serializers
from biys.servicedesk.models import (
    CatalogItem,
    KnowledgeArticle,
    Queue,
    RecurringTicket,
    SLATarget,
    Ticket,
    TicketResponsibility,
)

# What the ticket list and detail read: the ticket without its folded search text, and of each
# related record what its ``display`` (``__str__``) shows.
TICKET_UNREAD = ("search_text",)
TICKET_READ_RELATED = {
    "catalog_item": ("name",),
    "requester": ("first_name", "last_name"),
    "requesting_unit": ("name",),
    "responsible_unit": ("name",),
    "assignee": ("first_name", "last_name", "username"),
}
TICKET_READ_FIELDS = (
    *(field.name for field in Ticket._meta.concrete_fields if field.name not in TICKET_UNREAD),
    *(f"{name}__{field}" for name, fields in TICKET_READ_RELATED.items() for field in fields),
)

# The tickets a caller may read, as the list and the detail start from them: ``restrict``'s
# condition built into a queryset once per process for each caller and scope, then copied per
# request (building the condition costs about as much as running the detail's query). A scope
# is rebuilt, as a new object, whenever a role, assignment, permission or unit changes
# (``get_scope``), and the condition depends on nothing else but the caller's id and person.
_READABLE: dict = {}
_READABLE_MAX = 1024


def _readable(user) -> tuple:
    """``(scope, readable tickets, their rows query)`` of an authenticated caller."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    scope = get_scope(user)
    key = (user.pk, user.person_id, id(scope))
    entry = _READABLE.get(key)
    if entry is None or entry[0] is not scope:
        queryset = (
            Ticket.objects.select_related(*selectors.TICKET_LIST_RELATED)
            .restrict(user, "view")
            .only(*TICKET_READ_FIELDS)
        )
        rows = rows_query(queryset, exclude=TICKET_UNREAD, related=TICKET_READ_RELATED)
        if len(_READABLE) >= _READABLE_MAX:
            _READABLE.clear()
        _READABLE[key] = entry = (scope, queryset, rows)
    return entry


def readable_tickets(user):
    """The tickets ``user`` may read (``restrict``), a fresh queryset for each call."""
    if not user.is_authenticated:
        return Ticket.objects.none()
    return _readable(user)[1].all()


def read_readable_ticket(user, pk) -> list:
    """The ticket ``pk`` as the list reads its rows, if ``user`` may read it (else ``[]``)."""
    if not user.is_authenticated:
        return []
    rows = _readable(user)[2].filter(pk=pk)
    return built_rows(rows, exclude=TICKET_UNREAD, related=TICKET_READ_RELATED)


QUERY_PARAMETER = OpenApiParameter(
    "q", OpenApiTypes.STR, OpenApiParameter.QUERY, description="The requester's own words."
)


class CatalogItemViewSet(BiysModelViewSet):
    """The service catalogue: readable by every member of staff, written by administrators."""

    queryset = CatalogItem.objects.select_related("unit", "duty").order_by("order", "name", "pk")
    serializer_class = serializers.CatalogItemSerializer
    filterset_class = filtersets.CatalogItemFilterSet
    ordering_fields = ["order", "name", "kind", "id"]

    @extend_schema(
        parameters=[QUERY_PARAMETER],
        responses={200: serializers.CatalogSuggestionSerializer(many=True)},
        description="Catalogue items best matching a requester's words, with the unit in charge.",
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def suggest(self, request):
        items = selectors.suggest_catalog_items(request.query_params.get("q", ""), limit=8)
        return Response(serializers.CatalogSuggestionSerializer(items, many=True).data)


class SLATargetViewSet(BiysModelViewSet):
    queryset = SLATarget.objects.select_related("catalog_item").order_by(
        "catalog_item", "priority", "pk"
    )
    serializer_class = serializers.SLATargetSerializer
    filterset_class = filtersets.SLATargetFilterSet
    ordering_fields = ["priority", "catalog_item", "id"]


class QueueViewSet(BiysModelViewSet):
    queryset = (
        Queue.objects.select_related("unit").prefetch_related("members").order_by("unit__path")
    )
    serializer_class = serializers.QueueSerializer
    filterset_class = filtersets.QueueFilterSet
    ordering_fields = ["unit__path", "id"]


class KnowledgeArticleViewSet(BiysModelViewSet):
    """Public articles for everyone; internal ones for the IT staff of the article's unit."""

    queryset = KnowledgeArticle.objects.select_related("unit").prefetch_related("catalog_items")
    serializer_class = serializers.KnowledgeArticleSerializer
    filterset_class = filtersets.KnowledgeArticleFilterSet
    ordering_fields = ["title", "created", "id"]

    def get_queryset(self):
        return super().get_queryset().order_by("title", "pk")

    @extend_schema(
        parameters=[QUERY_PARAMETER],
        responses={200: serializers.KnowledgeSuggestionSerializer(many=True)},
        description="Articles that may answer the requester's question before they file it.",
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def suggest(self, request):
        articles = selectors.suggest_knowledge_articles(
            request.query_params.get("q", ""), user=request.user, limit=5
        )
        return Response(serializers.KnowledgeSuggestionSerializer(articles, many=True).data)


class RecurringTicketViewSet(BiysModelViewSet):
    queryset = RecurringTicket.objects.select_related(
        "catalog_item", "responsible_unit", "requester"
    ).order_by("next_run", "pk")
    serializer_class = serializers.RecurringTicketSerializer
    filterset_class = filtersets.RecurringTicketFilterSet
    ordering_fields = ["next_run", "title", "id"]


# The workflow table's name of each writing API action (biys.servicedesk.workflow).
WORKFLOW_ACTIONS = {
    "partial_update": "edit",
    "approve": "approve",
    "reject": "reject",
    "take": "take",
    "assign": "assign",
    "transfer": "transfer",
    "start": "start",
    "hold": "hold",
    "resume": "resume",
    "reply": "reply",
    "log_time": "time",
    "resolve": "resolve",
    "reopen": "reopen",
    "rate": "rate",
    "cancel": "cancel",
    "merge": "merge",
    "set_parent": "parent",
    "send_to_supplier": "supplier",
    "return_from_supplier": "supplier_return",
    "field_visits": "visit",
}


def _action_schema(request, response=serializers.TicketSerializer, description=""):
    return extend_schema(request=request, responses={200: response}, description=description)


@extend_schema_view(
    create=extend_schema(
        request=serializers.TicketCreateSerializer,
        responses={201: serializers.TicketSerializer},
        description=(
            "File a ticket. Without ``requester`` it is for the caller; filing for someone else"
            " (a phone call) is for IT staff."
        ),
    ),
    partial_update=extend_schema(
        request=serializers.TicketUpdateSerializer,
        responses={200: serializers.TicketSerializer},
        description="Edit the ticket's details; a new impact or urgency recomputes the SLA.",
    ),
)
class TicketViewSet(
    BiysViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Ticket.objects.select_related(*selectors.TICKET_LIST_RELATED)
    serializer_class = serializers.TicketSerializer
    filterset_class = filtersets.TicketFilterSet
    # The services check each action against the ticket; the list is narrowed by restrict.
    permission_classes = [IsAuthenticated]
    ordering_fields = [
        "id",
        "number",
        "created",
        "last_updated",
        "priority",
        "state",
        "resolution_due",
        "first_response_due",
        "title",
    ]
    ordering = ["-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            return readable_tickets(self.request.user)
        return super().get_queryset()

    def page_rows(self, queryset) -> list:
        """A list page's tickets, read as plain rows (``read_rows``): for reading only."""
        return read_rows(queryset, exclude=TICKET_UNREAD, related=TICKET_READ_RELATED)

    def filter_queryset(self, queryset):
        # A ticket is found by its id: the list's filters and order do not apply to it.
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        """The ticket; for a write, only when the workflow table names the caller among those
        who may run the action (else 403 before the body is even read). For reading it alone,
        read as the list reads its rows (``page_rows``: related names by subqueries, no joins)."""
        if self.action == "retrieve":
            return self._read_object()
        ticket = super().get_object()
        name = WORKFLOW_ACTIONS.get(self.action)
        if (
            name is not None
            and self.request.method not in ("GET", "HEAD", "OPTIONS")
            and not workflow.is_party(self.request.user, ticket, name)
        ):
            raise exceptions.PermissionDenied(
                str(workflow.REFUSED_PARTY.get(name, workflow.DEFAULT_REFUSED_PARTY))
            )
        return ticket

    def _read_object(self):
        try:
            rows = read_readable_ticket(self.request.user, self.kwargs["pk"])
        except (TypeError, ValueError, OverflowError, DjangoValidationError) as error:
            raise Http404 from error
        if not rows:
            raise Http404
        self.check_object_permissions(self.request, rows[0])
        return rows[0]

    @idempotent
    def create(self, request, *args, **kwargs):
        form = serializers.TicketCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        requester = data.pop("requester", None) or getattr(request.user, "person", None)
        if requester is None:
            raise exceptions.ValidationError(
                {"requester": [_("Choose the person the ticket is for.")]}
            )
        parent = data.get("parent")
        if parent is not None and not selectors.can_view_ticket(request.user, parent):
            raise exceptions.ValidationError({"parent": [_("Choose a ticket you can see.")]})
        ticket = services.create_ticket(requester=requester, created_by=request.user, **data)
        return Response(self._read(ticket, fresh=True), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        ticket = self.get_object()
        form = serializers.TicketUpdateSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        services.update_ticket(ticket=ticket, user=request.user, **form.validated_data)
        return Response(self._read(ticket))

    def _read(self, ticket, *, fresh: bool = False) -> dict:
        """The ticket as the answer shows it: read again after a write, unless ``fresh`` (just
        created, every field and related object in hand)."""
        fields = [Ticket._meta.get_field(name) for name in selectors.TICKET_LIST_RELATED]
        loaded = fresh and all(
            field.is_cached(ticket) or getattr(ticket, field.attname) is None for field in fields
        )
        if not loaded:
            ticket = Ticket.objects.select_related(*selectors.TICKET_LIST_RELATED).get(pk=ticket.pk)
        return serializers.TicketSerializer(ticket, context=self.get_serializer_context()).data

    def _act(self, input_serializer, service, **fixed):
        """Validate the body, run the service on the ticket, answer with the ticket."""
        ticket = self.get_object()
        form = input_serializer(data=self.request.data)
        form.is_valid(raise_exception=True)
        service(ticket=ticket, user=self.request.user, **fixed, **form.validated_data)
        return Response(self._read(ticket))

    @_action_schema(serializers.CommentInputSerializer, description="Approve a pending request.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        return self._act(serializers.CommentInputSerializer, services.approve_ticket)

    @_action_schema(serializers.RequiredCommentSerializer, description="Reject a pending request.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request, pk=None):
        return self._act(serializers.RequiredCommentSerializer, services.reject_ticket)

    @_action_schema(serializers.EmptySerializer, description="Assign the ticket to yourself.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def take(self, request, pk=None):
        return self._act(serializers.EmptySerializer, services.take_ticket)

    @_action_schema(serializers.AssignSerializer, description="Assign to a technician.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def assign(self, request, pk=None):
        return self._act(serializers.AssignSerializer, services.assign_ticket)

    @_action_schema(serializers.TransferSerializer, description="Hand over to another unit.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def transfer(self, request, pk=None):
        return self._act(serializers.TransferSerializer, services.transfer_ticket)

    @_action_schema(serializers.EmptySerializer, description="Start working on the ticket.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def start(self, request, pk=None):
        return self._act(serializers.EmptySerializer, services.start_work)

    @_action_schema(serializers.HoldSerializer, description="Put on hold; the SLA clock stops.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def hold(self, request, pk=None):
        return self._act(serializers.HoldSerializer, services.put_on_hold)

    @_action_schema(serializers.EmptySerializer, description="Resume; due dates move forward.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def resume(self, request, pk=None):
        return self._act(serializers.EmptySerializer, services.resume_ticket)

    @extend_schema(
        request=serializers.ReplySerializer,
        responses={201: serializers.ReplyResultSerializer},
        description="A public reply or an internal note (IT staff only).",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def reply(self, request, pk=None):
        ticket = self.get_object()
        form = serializers.ReplySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        comment = services.add_reply(ticket=ticket, user=request.user, **form.validated_data)
        return Response(
            serializers.ReplyResultSerializer(comment).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=serializers.LogTimeSerializer,
        responses={201: serializers.TimeEntrySerializer},
        description="Record time spent on the ticket.",
    )
    @action(detail=True, methods=["post"], url_path="log-time", filterset_class=None)
    def log_time(self, request, pk=None):
        ticket = self.get_object()
        form = serializers.LogTimeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        entry = services.log_time(ticket=ticket, user=request.user, **form.validated_data)
        return Response(serializers.TimeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @_action_schema(serializers.ResolveSerializer, description="Resolve with the solution.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def resolve(self, request, pk=None):
        return self._act(serializers.ResolveSerializer, services.resolve_ticket)

    @_action_schema(serializers.ReasonSerializer, description="Reopen within the allowed days.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def reopen(self, request, pk=None):
        return self._act(serializers.ReasonSerializer, services.reopen_ticket)

    @_action_schema(serializers.RateSerializer, description="The requester rates the solution.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def rate(self, request, pk=None):
        return self._act(serializers.RateSerializer, services.rate_ticket)

    @_action_schema(serializers.ReasonSerializer, description="Cancel the ticket.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request, pk=None):
        return self._act(serializers.ReasonSerializer, services.cancel_ticket)

    @_action_schema(serializers.MergeSerializer, description="Merge this duplicate into another.")
    @action(detail=True, methods=["post"], filterset_class=None)
    def merge(self, request, pk=None):
        duplicate = self.get_object()
        form = serializers.MergeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.merge_tickets(
            duplicate=duplicate, into=form.validated_data["into"], user=request.user
        )
        return Response(self._read(duplicate))

    @_action_schema(serializers.SetParentSerializer, description="Set or clear the parent.")
    @action(detail=True, methods=["post"], url_path="set-parent", filterset_class=None)
    def set_parent(self, request, pk=None):
        return self._act(serializers.SetParentSerializer, services.set_parent)

    @_action_schema(serializers.SupplierSerializer, description="Send to the supplier (warranty).")
    @action(detail=True, methods=["post"], url_path="send-to-supplier", filterset_class=None)
    def send_to_supplier(self, request, pk=None):
        return self._act(serializers.SupplierSerializer, services.send_to_supplier)

    @_action_schema(serializers.EmptySerializer, description="The device is back.")
    @action(detail=True, methods=["post"], url_path="return-from-supplier", filterset_class=None)
    def return_from_supplier(self, request, pk=None):
        return self._act(serializers.EmptySerializer, services.return_from_supplier)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: serializers.FieldVisitSerializer(many=True)},
        description="The ticket's field visits.",
    )
    @extend_schema(
        methods=["POST"],
        request=serializers.FieldVisitSerializer,
        responses={201: serializers.FieldVisitSerializer},
        description="Schedule a field visit.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="field-visits",
        filterset_class=None,
        pagination_class=None,
    )
    def field_visits(self, request, pk=None):
        ticket = self.get_object()
        if request.method == "GET":
            visits = ticket.field_visits.order_by("scheduled_start", "pk")
            return Response(serializers.FieldVisitSerializer(visits, many=True).data)
        form = serializers.FieldVisitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        visit = services.schedule_field_visit(
            ticket=ticket,
            technician=data["technician"],
            start=data["scheduled_start"],
            end=data["scheduled_end"],
            location=data.get("location", ""),
            notes=data.get("notes", ""),
            user=request.user,
        )
        return Response(
            serializers.FieldVisitSerializer(visit).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        responses={200: serializers.ResponsibilitySerializer(many=True)},
        description="Which unit held the ticket, from when to when.",
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def responsibility(self, request, pk=None):
        ticket = self.get_object()
        rows = TicketResponsibility.objects.filter(ticket=ticket).select_related(
            "unit", "changed_by"
        )
        return Response(serializers.ResponsibilitySerializer(rows, many=True).data)

    @extend_schema(
        responses={200: serializers.SLAStatusSerializer},
        description="The ticket's response and resolution clocks.",
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def sla(self, request, pk=None):
        ticket = self.get_object()
        return Response(serializers.SLAStatusSerializer(selectors.sla_status(ticket)).data)
