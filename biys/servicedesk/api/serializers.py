from django.utils.functional import LazyObject, empty
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from biys.accounts.models import User
from biys.comments.models import Comment
from biys.core.api.serializers import (
    BiysModelSerializer,
    PlannedReadMixin,
    PrecompiledPrimaryKeyRelatedField,
    StorableJSONField,
)
from biys.org.api.serializers import BriefSerializer
from biys.org.models import Person, Unit
from biys.servicedesk import selectors, workflow
from biys.servicedesk.choices import Channel, HoldReason, Level
from biys.servicedesk.models import (
    CatalogItem,
    FieldVisit,
    KnowledgeArticle,
    Queue,
    RecurringTicket,
    SLATarget,
    Ticket,
    TicketResponsibility,
    TimeEntry,
)


class CatalogItemSerializer(BiysModelSerializer):
    unit_display = serializers.CharField(source="unit.name", read_only=True)
    duty_reference = serializers.SerializerMethodField()

    class Meta:
        model = CatalogItem
        fields = [
            "id",
            "display",
            "name",
            "description",
            "kind",
            "unit",
            "unit_display",
            "duty",
            "duty_reference",
            "keywords",
            "form_fields",
            "requires_approval",
            "requires_asset",
            "default_impact",
            "default_urgency",
            "round_the_clock",
            "is_active",
            "order",
            "created",
            "last_updated",
        ]

    def get_duty_reference(self, obj) -> str:
        duty = obj.duty
        return getattr(duty, "reference", "") or "" if duty is not None else ""

    def validate_form_fields(self, value):
        if not isinstance(value, list) or not all(
            isinstance(spec, dict) and spec.get("name") for spec in value
        ):
            raise serializers.ValidationError("A list of {name, label, type, required, choices}.")
        return value


class SLATargetSerializer(BiysModelSerializer):
    class Meta:
        model = SLATarget
        fields = [
            "id",
            "display",
            "catalog_item",
            "priority",
            "first_response_minutes",
            "resolution_minutes",
            "warn_before_percent",
            "created",
            "last_updated",
        ]


class QueueSerializer(BiysModelSerializer):
    members = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), many=True, required=False
    )

    class Meta:
        model = Queue
        fields = [
            "id",
            "display",
            "unit",
            "include_subtree",
            "assignment_rule",
            "members",
            "last_assigned",
            "auto_close_working_days",
            "reopen_working_days",
            "created",
            "last_updated",
        ]
        read_only_fields = ["last_assigned"]


class TicketSerializer(PlannedReadMixin, BiysModelSerializer):
    catalog_item = BriefSerializer(read_only=True)
    requester = BriefSerializer(read_only=True)
    requesting_unit = BriefSerializer(read_only=True)
    responsible_unit = BriefSerializer(read_only=True)
    assignee = BriefSerializer(read_only=True, allow_null=True)
    # Read-only fields lose ``allow_blank``; an empty hold reason is the normal case.
    hold_reason = serializers.ChoiceField(
        choices=HoldReason.choices, allow_blank=True, read_only=True
    )
    allowed_actions = serializers.SerializerMethodField(
        help_text="What the caller may do with the ticket now (the workflow table's names)."
    )

    class Meta:
        model = Ticket
        fields = [
            "id",
            "display",
            "number",
            "kind",
            "catalog_item",
            "title",
            "description",
            "form_data",
            "channel",
            "requester",
            "requesting_unit",
            "created_by",
            "contact_phone",
            "location",
            "responsible_unit",
            "assignee",
            "state",
            "hold_reason",
            "impact",
            "urgency",
            "priority",
            "asset_reference",
            "asset_id",
            "asset_unregistered",
            "under_warranty",
            "supplier_case_number",
            "sent_to_supplier_at",
            "returned_from_supplier_at",
            "parent",
            "merged_into",
            "round_the_clock",
            "first_response_due",
            "resolution_due",
            "first_responded_at",
            "resolved_at",
            "closed_at",
            "sla_paused_at",
            "resolution",
            "knowledge_article",
            "rating",
            "rating_comment",
            "rated_at",
            "created",
            "last_updated",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, ticket) -> list[str]:
        user = self._caller()
        # The caller's parties to a ticket follow from what ``workflow.parties`` reads: whether
        # the caller is its requester, whether they filed it, and its two units. A list page's
        # rows share a few such combinations: each is worked out once per page.
        person_id = getattr(user, "person_id", None)
        key = (
            person_id is not None and person_id == ticket.requester_id,
            ticket.created_by_id is not None and ticket.created_by_id == getattr(user, "pk", None),
            ticket.requesting_unit_id,
            ticket.responsible_unit_id,
        )
        found = self._parties.get(key)
        if found is None:
            found = self._parties[key] = workflow.parties(user, ticket)
        return workflow.allowed_actions(user, ticket, found=found)

    def _caller(self):
        """The requesting user, unwrapped from Django's lazy proxy once per serializer (every
        attribute read through the proxy costs a call, and a page reads hundreds)."""
        try:
            return self.__dict__["_caller_user"]
        except KeyError:
            pass
        user = getattr(self.context.get("request"), "user", None)
        if isinstance(user, LazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        self.__dict__["_caller_user"] = user
        self.__dict__["_parties"] = {}
        return user


class OfferedCatalogItemField(serializers.PrimaryKeyRelatedField):
    """An active catalogue item by its id, with its unit, as ``PrimaryKeyRelatedField`` over
    ``queryset`` answers (the same errors), but read from the process's cache of the offered
    items (``selectors.offered_catalog_item``) instead of a query per filing."""

    def to_internal_value(self, data):
        try:
            if isinstance(data, bool):
                raise TypeError
            pk = CatalogItem._meta.pk.get_prep_value(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        item = selectors.offered_catalog_item(pk)
        if item is None:
            self.fail("does_not_exist", pk_value=data)
        return item


class TicketCreateSerializer(serializers.Serializer):
    # The units and the requester's login come along: filing routes, answers and notifies with
    # them, so they are not fetched again one by one.
    catalog_item = OfferedCatalogItemField(
        queryset=CatalogItem.objects.filter(is_active=True).select_related("unit")
    )
    requester = PrecompiledPrimaryKeyRelatedField(
        lookup_key="servicedesk.ticket_create.requester",
        queryset=Person.objects.select_related("unit", "user"),
        required=False,
        help_text="The person the ticket is for; defaults to the caller's own person record.",
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    form_data = StorableJSONField(required=False, default=dict)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)
    contact_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="Defaults to the requester's."
    )
    location = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Defaults to the requester's."
    )
    asset_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    impact = serializers.ChoiceField(choices=Level.choices, required=False)
    urgency = serializers.ChoiceField(choices=Level.choices, required=False)
    parent = serializers.PrimaryKeyRelatedField(queryset=Ticket.objects.all(), required=False)

    def get_fields(self):
        """The declared fields, each copied for this serializer to bind. DRF deep-copies them,
        which builds every field (and its validators) again on each filing; these fields hold
        nothing that validation changes, so a shallow copy of each is as independent. Each is
        made as ``copy.copy`` makes it (a new instance of the class holding the same
        attributes), without the pickling protocol's detour through ``__reduce_ex__``."""
        fields = {}
        for name, field in self._declared_fields.items():
            twin = fields[name] = object.__new__(type(field))
            twin.__dict__.update(field.__dict__)
        return fields


class TicketUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    asset_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    under_warranty = serializers.BooleanField(required=False)
    impact = serializers.ChoiceField(choices=Level.choices, required=False)
    urgency = serializers.ChoiceField(choices=Level.choices, required=False)


# Action inputs -----------------------------------------------------------------------------------


class CommentInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RequiredCommentSerializer(serializers.Serializer):
    comment = serializers.CharField()


class AssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class TransferSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    reason = serializers.CharField(max_length=300)


class HoldSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=HoldReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000)
    internal = serializers.BooleanField(default=False)


class LogTimeSerializer(serializers.Serializer):
    minutes = serializers.IntegerField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()
    knowledge_article = serializers.PrimaryKeyRelatedField(
        queryset=KnowledgeArticle.objects.all(), required=False, allow_null=True
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class RateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text="1 (poor) to 5 (excellent).")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class MergeSerializer(serializers.Serializer):
    into = serializers.PrimaryKeyRelatedField(
        queryset=Ticket.objects.all(), help_text="The ticket the duplicate is merged into."
    )


class SetParentSerializer(serializers.Serializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Ticket.objects.all(), allow_null=True)


class SupplierSerializer(serializers.Serializer):
    case_number = serializers.CharField(max_length=100)


class EmptySerializer(serializers.Serializer):
    pass


# Related records ---------------------------------------------------------------------------------


class ReplyResultSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "text", "is_internal", "created"]
        read_only_fields = fields


class TimeEntrySerializer(serializers.ModelSerializer):
    user = BriefSerializer(read_only=True)

    class Meta:
        model = TimeEntry
        fields = ["id", "ticket", "user", "minutes", "note", "created"]
        read_only_fields = fields


class FieldVisitSerializer(serializers.ModelSerializer):
    technician = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))

    class Meta:
        model = FieldVisit
        fields = [
            "id",
            "ticket",
            "technician",
            "scheduled_start",
            "scheduled_end",
            "location",
            "notes",
            "done",
            "created",
        ]
        read_only_fields = ["id", "ticket", "done", "created"]


class ResponsibilitySerializer(serializers.ModelSerializer):
    unit = BriefSerializer(read_only=True)
    changed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = TicketResponsibility
        fields = ["id", "unit", "started_at", "ended_at", "reason", "changed_by"]
        read_only_fields = fields


class ClockSerializer(serializers.Serializer):
    due = serializers.DateTimeField(allow_null=True)
    remaining_minutes = serializers.SerializerMethodField()
    percent = serializers.IntegerField(allow_null=True)
    state = serializers.ChoiceField(choices=["ok", "warning", "breached", "paused", "met", "none"])

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_remaining_minutes(self, clock):
        remaining = clock.get("remaining")
        return None if remaining is None else int(remaining.total_seconds() // 60)


class SLAStatusSerializer(serializers.Serializer):
    mode = serializers.CharField()
    warn_percent = serializers.IntegerField()
    response = ClockSerializer()
    resolution = ClockSerializer()


class CatalogSuggestionSerializer(serializers.ModelSerializer):
    unit = BriefSerializer(read_only=True)

    class Meta:
        model = CatalogItem
        fields = ["id", "name", "kind", "description", "unit", "requires_approval", "form_fields"]
        read_only_fields = fields


class KnowledgeArticleSerializer(BiysModelSerializer):
    catalog_items = serializers.PrimaryKeyRelatedField(
        queryset=CatalogItem.objects.all(), many=True, required=False
    )

    class Meta:
        model = KnowledgeArticle
        fields = [
            "id",
            "display",
            "unit",
            "title",
            "body",
            "is_public",
            "catalog_items",
            "keywords",
            "created",
            "last_updated",
        ]


class KnowledgeSuggestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = KnowledgeArticle
        fields = ["id", "title", "body", "is_public", "unit"]
        read_only_fields = fields


class RecurringTicketSerializer(BiysModelSerializer):
    class Meta:
        model = RecurringTicket
        fields = [
            "id",
            "display",
            "catalog_item",
            "title",
            "description",
            "responsible_unit",
            "requester",
            "recurrence",
            "next_run",
            "is_active",
            "last_ticket",
            "created",
            "last_updated",
        ]
        read_only_fields = ["last_ticket"]
