"""Service desk: faults and requests from every municipal unit, routed by the regulation's duties."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from biys.core.models import ChangeLoggedModel, ImapMailbox
from biys.core.querysets import RestrictedQuerySet
from biys.core.search import SearchableModel
from biys.core.text import sort_key
from biys.org.models import UnitResponsibilityPeriod
from biys.servicedesk.choices import (
    QUEUE_STATES,
    ApprovalDecision,
    AssignmentRule,
    Channel,
    HoldReason,
    Level,
    Priority,
    Recurrence,
    TicketKind,
    TicketState,
)


class TicketQuerySet(RestrictedQuerySet):
    """``restrict(user, "view")`` follows the service desk's own rule (requesters see their own
    tickets, unit managers their unit's, IT staff their queues), see ``selectors``."""

    def restrict(self, user, action: str = "view"):
        from biys.servicedesk.selectors import restrict_tickets

        return restrict_tickets(self, user, action)

    def overdue(self, at=None, *, calendar=None):
        """Past the resolution due time and unfinished (see ``selectors.overdue_q``)."""
        from biys.servicedesk.selectors import overdue_q

        return self.filter(overdue_q(at, calendar=calendar))

    def not_overdue(self, at=None, *, calendar=None):
        from biys.servicedesk.selectors import overdue_q

        return self.exclude(overdue_q(at, calendar=calendar))


class KnowledgeArticleQuerySet(RestrictedQuerySet):
    """Public articles are for every signed-in user; internal ones for the unit's IT staff."""

    def restrict(self, user, action: str = "view"):
        from biys.servicedesk.selectors import restrict_knowledge_articles

        return restrict_knowledge_articles(self, user, action)


class CatalogItem(SearchableModel, ChangeLoggedModel):
    """A service the IT department offers, citing the regulation's duty that makes a unit do it."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TicketKind.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="catalog_items",
    )
    duty = models.ForeignKey(
        "org.Duty",
        verbose_name=_("regulation duty"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catalog_items",
        help_text=_("The regulation item that makes the unit responsible, e.g. MADDE 10 (1) i."),
    )
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_("Words requesters use for it, e.g. 'yazıcı çalışmıyor, toner, kağıt sıkıştı'."),
    )
    form_fields = models.JSONField(
        _("extra form fields"),
        default=list,
        blank=True,
        help_text=_(
            "List of {name, label, type (text|textarea|choice|date|number), required, choices}."
        ),
    )
    requires_approval = models.BooleanField(
        _("requires the requester's manager's approval"), default=False
    )
    requires_asset = models.BooleanField(_("asks for a registered device"), default=False)
    default_impact = models.PositiveSmallIntegerField(
        _("default impact"), choices=Level.choices, default=Level.LOW
    )
    default_urgency = models.PositiveSmallIntegerField(
        _("default urgency"), choices=Level.choices, default=Level.MEDIUM
    )
    round_the_clock = models.BooleanField(
        _("served round the clock"),
        default=False,
        help_text=_("SLA clock runs 24 hours a day (duty team) instead of office hours."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Turkish alphabetical order on every database (İ right after I, Ç after C)
    sort_name = models.CharField(max_length=400, editable=False, default="", db_index=True)

    scope_path = "unit"
    visible_to_all_staff = True
    search_fields = ("name", "description", "keywords", "unit__name")

    class Meta:
        ordering = ["order", "sort_name"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.sort_name = sort_key(self.name, 200)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    def form_answers(self, form_data: dict) -> list[tuple[str, str]]:
        """The answers given to the item's extra form fields, labelled as the form asked them
        (the stored keys are technical names), in the form's order; empty answers left out."""
        form_data = dict(form_data or {})
        answers = []
        for spec in self.form_fields or []:
            name = spec.get("name")
            value = form_data.pop(name, None)
            if value not in (None, "", []):
                answers.append((spec.get("label") or name, value))
        answers.extend((key, value) for key, value in form_data.items() if value not in (None, ""))
        return answers


class SLATarget(ChangeLoggedModel):
    """Response and resolution targets for a catalogue item and priority (item empty: default)."""

    catalog_item = models.ForeignKey(
        CatalogItem,
        verbose_name=_("catalogue item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sla_targets",
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(_("first response within (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution within (minutes)"))
    warn_before_percent = models.PositiveSmallIntegerField(
        _("warn when this share of the time has passed (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )

    scope_path = "catalog_item__unit"
    visible_to_all_staff = True

    class Meta:
        ordering = ["catalog_item", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["catalog_item", "priority"], name="unique_sla_target"),
            models.UniqueConstraint(
                fields=["priority"],
                condition=models.Q(catalog_item__isnull=True),
                name="unique_default_sla_target",
            ),
        ]
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")

    def __str__(self) -> str:
        return f"{self.catalog_item or _('Default')} — {self.get_priority_display()}"


class Queue(ChangeLoggedModel):
    """A unit's work queue: tickets whose responsible unit is in it (with its sub-units)."""

    unit = models.OneToOneField(
        "org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="queue"
    )
    include_subtree = models.BooleanField(_("includes sub-units"), default=True)
    assignment_rule = models.CharField(
        _("assignment rule"),
        max_length=20,
        choices=AssignmentRule.choices,
        default=AssignmentRule.MANUAL,
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("technicians"), blank=True, related_name="queues"
    )
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    auto_close_working_days = models.PositiveSmallIntegerField(
        _("close resolved tickets after (working days)"), default=5
    )
    reopen_working_days = models.PositiveSmallIntegerField(
        _("requesters may reopen within (working days)"), default=10
    )

    scope_path = "unit"

    class Meta:
        ordering = ["unit__path"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def __str__(self) -> str:
        return str(self.unit)


class Ticket(SearchableModel, ChangeLoggedModel):
    """A fault or request (arıza / talep). Exactly one responsible unit at a time."""

    # Unique through ``Meta.constraints``: a field-level ``unique`` adds a second (pattern)
    # index on PostgreSQL that nothing reads.
    number = models.CharField(_("number"), max_length=30, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=TicketKind.choices)
    catalog_item = models.ForeignKey(
        CatalogItem,
        verbose_name=_("catalogue item"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    title = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    form_data = models.JSONField(_("form answers"), default=dict, blank=True)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )

    requester = models.ForeignKey(
        "org.Person",
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,
    )
    requesting_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("requesting unit"),
        on_delete=models.PROTECT,
        related_name="requested_tickets",
        db_index=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="filed_tickets",
    )
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)

    responsible_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        db_index=False,
    )
    state = models.CharField(
        _("state"), max_length=20, choices=TicketState.choices, default=TicketState.NEW
    )
    hold_reason = models.CharField(
        _("on hold for"), max_length=20, choices=HoldReason.choices, blank=True
    )
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices, default=Level.LOW)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Level.choices, default=Level.MEDIUM
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.LOW
    )

    # The device as the requester named it (free text), and its link to the register: the id
    # of the asset (``biys.inventory``, reached through ``biys.core.assets``; no foreign key, the
    # service desk works without the inventory). Kept by the services at filing and by
    # ``link_ticket_assets`` for older tickets; it survives a new inventory number.
    asset_reference = models.CharField(_("device (inventory number)"), max_length=100, blank=True)
    asset_id = models.PositiveIntegerField(
        _("registered device"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The asset of the inventory register the device reference names."),
    )
    asset_unregistered = models.BooleanField(
        _("device not in the inventory"),
        default=False,
        help_text=_(
            "Flagged: only devices in the municipal inventory are serviced (odunpazari 10(1)(c))."
        ),
    )
    under_warranty = models.BooleanField(_("under warranty"), default=False)
    supplier_case_number = models.CharField(_("supplier case number"), max_length=100, blank=True)
    sent_to_supplier_at = models.DateTimeField(_("sent to supplier"), null=True, blank=True)
    returned_from_supplier_at = models.DateTimeField(
        _("returned from supplier"), null=True, blank=True
    )

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        db_index=False,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_tickets",
        db_index=False,
    )

    round_the_clock = models.BooleanField(_("SLA round the clock"), default=False)
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first responded"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    sla_paused_at = models.DateTimeField(_("SLA clock paused since"), null=True, blank=True)
    sla_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    sla_escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    resolution = models.TextField(_("resolution"), blank=True)
    knowledge_article = models.ForeignKey(
        "servicedesk.KnowledgeArticle",
        verbose_name=_("knowledge article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        db_index=False,
        help_text=_("The article the resolution followed."),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    # Deduplication keys for tickets opened by machines.
    alert_fingerprint = models.CharField(max_length=200, blank=True, editable=False)
    email_message_id = models.CharField(max_length=300, blank=True, editable=False)

    objects = TicketQuerySet.as_manager()

    scope_path = "responsible_unit"
    # Bookkeeping of the SLA timers and of machine intake: not shown in the History tab.
    history_hidden = (
        "sla_warned_at",
        "sla_escalated_at",
        "sla_paused_at",
        "alert_fingerprint",
        "email_message_id",
    )
    search_fields = (
        "number",
        "title",
        "description",
        "requester__first_name",
        "requester__last_name",
    )
    search_index = True

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["number"], name="ticket_number_unique")]
        # Every index costs each filing and each change of its columns. The four foreign keys
        # the lists filter on lead the composite indexes below (no index of their own); the
        # columns that are mostly empty are indexed only where set.
        indexes = [
            models.Index(fields=["responsible_unit", "state", "-id"]),
            models.Index(fields=["requesting_unit", "-id"]),
            models.Index(fields=["requester", "-id"]),
            models.Index(fields=["assignee", "state"]),
            models.Index(fields=["state", "resolution_due"]),
            # A list's capped count of the tickets in some states that a user may see, from the
            # index alone: every column the visibility rule reads (``tickets_visible_to``).
            # Without it the count of the open tickets scans the table (8-12 ms at 200,000).
            models.Index(
                fields=["state", "responsible_unit", "requesting_unit", "created_by"],
                name="ticket_state_scope",
            ),
            # The queue as it opens, in its own order: read from the top, no sort.
            models.Index(
                fields=["priority", "resolution_due", "-id"],
                condition=models.Q(state__in=QUEUE_STATES),
                name="ticket_queue_order",
            ),
            # The statistics' live figures (overdue now, late first responses) are counted
            # from these alone (index-only scans): every column their conditions read.
            models.Index(
                fields=[
                    "responsible_unit",
                    "resolution_due",
                    "round_the_clock",
                    "sla_paused_at",
                    "resolved_at",
                    "closed_at",
                    "created",
                ],
                condition=models.Q(state__in=QUEUE_STATES),
                name="ticket_overdue_open",
            ),
            models.Index(
                fields=[
                    "created",
                    "responsible_unit",
                    "first_response_due",
                    "state",
                    "resolved_at",
                    "closed_at",
                ],
                condition=models.Q(first_responded_at__isnull=True),
                name="ticket_unanswered_created",
            ),
            *(
                models.Index(
                    fields=[column],
                    condition=models.Q(**{f"{column}__isnull": False}),
                    name=f"ticket_{column}_set",
                )
                for column in ("parent", "merged_into", "knowledge_article", "asset_id")
            ),
            # Machine intake finds its earlier ticket by these keys (queries say ``__gt=""``
            # too, so that SQLite uses the partial index as well).
            *(
                models.Index(
                    fields=[column],
                    condition=models.Q(**{f"{column}__gt": ""}),
                    name=f"ticket_{column}_set",
                )
                for column in ("alert_fingerprint", "email_message_id")
            ),
        ]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        permissions = [
            ("view_unit_requests", _("Can follow the tickets requested by the unit")),
            ("approve_requests", _("Can approve the requests of the unit")),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    @property
    def form_answers(self) -> list[tuple[str, str]]:
        return self.catalog_item.form_answers(self.form_data)

    @classmethod
    def history_format(cls, key: str, value, data: dict, cache: dict) -> str | None:
        """The History tab shows form answers under the labels the form asked them with."""
        if key != "form_data" or not isinstance(value, dict):
            return None
        item_id = data.get("catalog_item_id")
        if item_id not in cache:
            cache[item_id] = CatalogItem.objects.filter(pk=item_id).first()
        item = cache[item_id] or CatalogItem()
        return "; ".join(f"{label}: {answer}" for label, answer in item.form_answers(value))

    # The statistics summary (``stats_summary``) is kept by the difference between the ticket
    # as read and as saved: remember what was read.
    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        from biys.servicedesk.stats_summary import remember

        remember(instance)
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None:
            from biys.servicedesk.stats_summary import remember

            remember(self)

    def may_add_attachment(self, user) -> bool:
        """The workflow table's ``attach``: the ticket's parties, until it is closed."""
        from biys.servicedesk import workflow

        return workflow.allows(user, self, "attach")

    def may_comment(self, user) -> bool:
        from biys.servicedesk import workflow

        return workflow.allows(user, self, "reply")

    def add_comment_as(self, *, user, text: str, is_internal: bool = False):
        """A comment through the generic endpoint is the ticket's own reply or internal note,
        with the workflow's rules, the first response and the notifications."""
        from django.core.exceptions import ValidationError

        from biys.servicedesk.services import add_reply

        try:
            return add_reply(ticket=self, user=user, text=text, internal=is_internal)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            renamed = {
                "is_internal" if k == "internal" else k: v for k, v in error.error_dict.items()
            }
            raise ValidationError(renamed) from None


class TicketStat(models.Model):
    """Statistics summary: ticket counts per day (``grain`` "d") and per month ("m"), per
    responsible unit and one breakdown (``facet``: all, catalogue item, requesting unit, device
    group), kept up to date as tickets change (``stats_summary``). The statistics page reads
    these rows instead of the tickets. Counters are attributed to the day of their event:
    opened and the response figures to the filing day, resolution figures to the resolution day,
    ``*_in`` / ``*_out`` to the day a ticket entered or left the backlog (or became late)."""

    grain = models.CharField(max_length=1)
    day = models.DateField()
    responsible_unit = models.ForeignKey(
        "org.Unit", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    pending = models.BooleanField(default=False)  # awaiting approval: hidden from IT staff
    facet = models.CharField(max_length=10)
    facet_key = models.CharField(max_length=100, blank=True)

    opened = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    backlog_in = models.IntegerField(default=0)
    backlog_out = models.IntegerField(default=0)
    late_in = models.IntegerField(default=0)
    late_out = models.IntegerField(default=0)
    resolution_measured = models.IntegerField(default=0)
    resolution_met = models.IntegerField(default=0)
    response_answered = models.IntegerField(default=0)
    response_met = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)
    rating_1 = models.IntegerField(default=0)
    rating_2 = models.IntegerField(default=0)
    rating_3 = models.IntegerField(default=0)
    rating_4 = models.IntegerField(default=0)
    rating_5 = models.IntegerField(default=0)
    response_us = models.BigIntegerField(default=0)  # microseconds
    response_count = models.IntegerField(default=0)
    resolution_us = models.BigIntegerField(default=0)
    resolution_count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "day", "responsible_unit", "pending", "facet", "facet_key"],
                name="unique_ticket_stat_cell",
            )
        ]
        indexes = [models.Index(fields=["grain", "facet", "day"])]

    def __str__(self) -> str:
        return f"{self.grain} {self.day} {self.responsible_unit_id} {self.facet}={self.facet_key}"


class TicketResponsibility(UnitResponsibilityPeriod):
    """Which unit held a ticket, from when to when (append-only; the open row has no end)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="responsibilities"
    )

    class Meta:
        ordering = ["ticket", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_responsibility",
            )
        ]
        verbose_name = _("responsibility period")
        verbose_name_plural = _("responsibility periods")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.unit_id} {self.started_at:%Y-%m-%d %H:%M}"


class SLAPause(models.Model):
    """A period the SLA clock stood still (on hold for the requester, supplier or a spare part)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="sla_pauses"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=HoldReason.choices)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["ticket", "started_at"]
        verbose_name = _("SLA pause")
        verbose_name_plural = _("SLA pauses")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.reason} {self.started_at:%Y-%m-%d %H:%M}"


class TimeEntry(ChangeLoggedModel):
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="time_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT
    )
    minutes = models.PositiveIntegerField(_("minutes"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_path = "ticket__responsible_unit"

    class Meta:
        ordering = ["-created"]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.minutes} min"


class Approval(ChangeLoggedModel):
    """The requester's unit manager approves equipment and access requests before IT sees them."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="approvals"
    )
    approver_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("approving unit"), on_delete=models.PROTECT
    )
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=ApprovalDecision.choices,
        default=ApprovalDecision.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    scope_path = "approver_unit"

    class Meta:
        ordering = ["-id"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.get_decision_display()}"


class FieldVisit(ChangeLoggedModel):
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="field_visits"
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT
    )
    scheduled_start = models.DateTimeField(_("starts"))
    scheduled_end = models.DateTimeField(_("ends"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    done = models.BooleanField(_("done"), default=False)

    scope_path = "ticket__responsible_unit"

    class Meta:
        ordering = ["scheduled_start"]
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.scheduled_start:%Y-%m-%d %H:%M}"


class KnowledgeArticle(SearchableModel, ChangeLoggedModel):
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    is_public = models.BooleanField(_("visible to requesters"), default=False)
    catalog_items = models.ManyToManyField(
        CatalogItem, verbose_name=_("catalogue items"), blank=True
    )
    keywords = models.TextField(_("keywords"), blank=True)

    objects = KnowledgeArticleQuerySet.as_manager()

    scope_path = "unit"
    search_fields = ("title", "body", "keywords")

    class Meta:
        ordering = ["title"]
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")

    def __str__(self) -> str:
        return self.title


class RecurringTicket(ChangeLoggedModel):
    """Periodic work (monthly UPS check, yearly licence review) opened on schedule by Celery beat."""

    catalog_item = models.ForeignKey(
        CatalogItem, verbose_name=_("catalogue item"), on_delete=models.PROTECT
    )
    title = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT
    )
    requester = models.ForeignKey(
        "org.Person", verbose_name=_("requester"), on_delete=models.PROTECT
    )
    recurrence = models.CharField(_("recurrence"), max_length=20, choices=Recurrence.choices)
    next_run = models.DateField(_("next run"))
    is_active = models.BooleanField(_("active"), default=True)
    last_ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("last ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_path = "responsible_unit"

    class Meta:
        ordering = ["next_run"]
        verbose_name = _("recurring ticket")
        verbose_name_plural = _("recurring tickets")

    def __str__(self) -> str:
        return self.title


class Mailbox(ImapMailbox):
    """An IMAP mailbox polled for new tickets and replies."""

    catalog_item = models.ForeignKey(
        CatalogItem, verbose_name=_("catalogue item for new tickets"), on_delete=models.PROTECT
    )

    scope_path = "catalog_item__unit"

    class Meta(ImapMailbox.Meta):
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")


class AlertRoute(ChangeLoggedModel):
    """Maps monitoring alerts to the responsible unit by a label (e.g. team=network)."""

    label = models.CharField(_("label"), max_length=100, default="team")
    value = models.CharField(_("value"), max_length=200)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="alert_routes"
    )
    catalog_item = models.ForeignKey(
        CatalogItem, verbose_name=_("catalogue item"), on_delete=models.PROTECT
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    scope_path = "unit"

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("alert route")
        verbose_name_plural = _("alert routes")

    def __str__(self) -> str:
        return f"{self.label}={self.value} → {self.unit}"
