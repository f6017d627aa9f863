"""The technicians' queue, the ticket page (requester's and IT staff's) and its actions."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from biys.accounts.scope import ALL, get_scope
from biys.attachments.services import add_attachment
from biys.comments.selectors import comments_of
from biys.core import assets
from biys.core.tickets import linked_records
from biys.core.views.generic import (
    ObjectDetailView,
    ObjectListView,
    Tab,
    render_htmx_aware,
    safe_return_url,
)
from biys.servicedesk import forms, selectors, services, workflow
from biys.servicedesk.choices import TicketState
from biys.servicedesk.filtersets import TicketFilterSet
from biys.servicedesk.models import KnowledgeArticle, Ticket
from biys.servicedesk.tables import TicketTable
from biys.servicedesk.views.common import (
    SLAContext,
    apply_validation_error,
    is_it_staff_for,
    ticket_detail_queryset,
    ticket_list_rows,
    visible_ticket,
    visible_ticket_or_404,
)

S = TicketState


# --------------------------------------------------------------------------- queue


class TicketQueueView(ObjectListView):
    """'Kuyruk': the tickets of the user's units. One query for the rows whatever the page size
    (select_related), one for the count, one for the SLA targets."""

    queryset = Ticket.objects.all()
    table_class = TicketTable
    filterset_class = TicketFilterSet
    template_name = "servicedesk/ticket_queue.html"
    default_per_page = 25
    keyset_pagination = True

    def get_queryset(self):
        user = self.request.user
        units = get_scope(user).units_for(selectors.VIEW_TICKET)
        if units is not ALL and not units:
            raise PermissionDenied
        if self.request.GET.getlist("state"):
            if units is ALL:
                queryset = selectors.tickets_visible_to(user)
            else:
                queryset = selectors.unit_tickets(user, units)
            queryset = queryset.order_by("priority", "resolution_due", "-id")
        else:
            queryset = selectors.queue_tickets(user)
        if self.request.GET.get("q", "").strip():
            # Search results newest first (a column header still sorts them otherwise): a word
            # found in half the tickets then reads a page's worth of the newest, instead of
            # sorting every match by priority and due time.
            queryset = queryset.order_by("-id")
        # The page reads its rows with their relations' names (``page_rows``), not through
        # joins: without them the filter set's and the paging's copies of the query are cheap.
        return queryset.select_related(None)

    def export_queryset(self, queryset):
        return queryset.select_related(*selectors.TICKET_LIST_RELATED)

    def bulk_edit_url(self) -> str:
        return ""

    def page_rows(self, queryset) -> list:
        return ticket_list_rows(queryset)

    def get_table(self, queryset, *, selectable=False):
        return self.table_class(
            queryset,
            selectable=False,
            request=self.request,
            sla_context=SLAContext(),
            take_button=True,
        )

    def get_extra_context(self):
        return {
            "title": _("Queue"),
            "add_url": "",
            "open_count_label": _("Open tickets of my units"),
        }


# --------------------------------------------------------------------------- actions


@dataclass
class Action:
    name: str
    label: Any
    form_class: type
    run: Callable  # (ticket, user, cleaned_data) -> None
    done: Any  # message after success
    icon: str = ""
    style: str = "outline-secondary"


def _lookup_ticket(user, number: str, field: str) -> Ticket:
    ticket = selectors.tickets_visible_to(user).filter(number__iexact=number).first()
    if ticket is None:
        raise ValidationError(
            {field: _("There is no ticket %(number)s you can see.") % {"number": number}}
        )
    return ticket


def _parent(ticket, user, data):
    parent = _lookup_ticket(user, data["parent"], "parent") if data["parent"] else None
    services.set_parent(ticket=ticket, parent=parent, user=user)


def _merge(ticket, user, data):
    services.merge_tickets(
        duplicate=ticket, into=_lookup_ticket(user, data["into"], "into"), user=user
    )


@transaction.atomic
def _reply(ticket, user, data):
    """The message and its files in one transaction; an internal note's files are internal."""
    internal = data.get("internal", False)
    services.add_reply(ticket=ticket, user=user, text=data["text"], internal=internal)
    for uploaded in data.get("files") or []:
        add_attachment(obj=ticket, uploaded_file=uploaded, user=user, is_internal=internal)


def _approve(ticket, user, data):
    services.approve_ticket(ticket=ticket, user=user, comment=data["comment"])


def _reject(ticket, user, data):
    services.reject_ticket(ticket=ticket, user=user, comment=data["comment"])


ACTIONS = {
    action.name: action
    for action in [
        Action(
            "take",
            gettext_lazy("Take"),
            forms.EmptyForm,
            lambda t, u, d: services.take_ticket(ticket=t, user=u),
            gettext_lazy("You took the ticket."),
            "hand-grab",
            "primary",
        ),
        Action(
            "assign",
            gettext_lazy("Assign"),
            forms.AssignForm,
            lambda t, u, d: services.assign_ticket(ticket=t, assignee=d["assignee"], user=u),
            gettext_lazy("Ticket assigned."),
            "user-check",
        ),
        Action(
            "transfer",
            gettext_lazy("Transfer"),
            forms.TransferForm,
            lambda t, u, d: services.transfer_ticket(
                ticket=t, unit=d["unit"], user=u, reason=d["reason"]
            ),
            gettext_lazy("Ticket transferred."),
            "arrows-exchange",
        ),
        Action(
            "start",
            gettext_lazy("Start work"),
            forms.EmptyForm,
            lambda t, u, d: services.start_work(ticket=t, user=u),
            gettext_lazy("Work started."),
            "player-play",
            "primary",
        ),
        Action(
            "hold",
            gettext_lazy("Put on hold"),
            forms.HoldForm,
            lambda t, u, d: services.put_on_hold(
                ticket=t, user=u, reason=d["reason"], note=d["note"]
            ),
            gettext_lazy("Ticket on hold; the SLA clock is paused."),
            "player-pause",
        ),
        Action(
            "resume",
            gettext_lazy("Resume"),
            forms.EmptyForm,
            lambda t, u, d: services.resume_ticket(ticket=t, user=u),
            gettext_lazy("Ticket resumed."),
            "player-play",
            "primary",
        ),
        Action(
            "reply",
            gettext_lazy("Reply"),
            forms.ReplyForm,
            _reply,
            gettext_lazy("Message added."),
            "message",
        ),
        Action(
            "time",
            gettext_lazy("Log time"),
            forms.TimeForm,
            lambda t, u, d: services.log_time(
                ticket=t, user=u, minutes=d["minutes"], note=d["note"]
            ),
            gettext_lazy("Time logged."),
            "clock-plus",
        ),
        Action(
            "resolve",
            gettext_lazy("Resolve"),
            forms.ResolveForm,
            lambda t, u, d: services.resolve_ticket(
                ticket=t,
                user=u,
                resolution=d["resolution"],
                knowledge_article=d["knowledge_article"],
            ),
            gettext_lazy("Ticket resolved."),
            "circle-check",
            "success",
        ),
        Action(
            "cancel",
            gettext_lazy("Cancel ticket"),
            forms.ReasonForm,
            lambda t, u, d: services.cancel_ticket(ticket=t, user=u, reason=d["reason"]),
            gettext_lazy("Ticket cancelled."),
            "ban",
            "outline-danger",
        ),
        Action(
            "merge",
            gettext_lazy("Merge into…"),
            forms.MergeForm,
            _merge,
            gettext_lazy("Ticket merged."),
            "arrow-merge",
        ),
        Action(
            "parent",
            gettext_lazy("Set parent"),
            forms.ParentForm,
            _parent,
            gettext_lazy("Parent ticket saved."),
            "hierarchy",
        ),
        Action(
            "supplier",
            gettext_lazy("Sent to supplier"),
            forms.SupplierForm,
            lambda t, u, d: services.send_to_supplier(
                ticket=t, user=u, case_number=d["case_number"]
            ),
            gettext_lazy("Marked as sent to the supplier."),
            "truck-delivery",
        ),
        Action(
            "supplier_return",
            gettext_lazy("Returned from supplier"),
            forms.EmptyForm,
            lambda t, u, d: services.return_from_supplier(ticket=t, user=u),
            gettext_lazy("Marked as returned from the supplier."),
            "truck-return",
        ),
        Action(
            "visit",
            gettext_lazy("Schedule a visit"),
            forms.FieldVisitForm,
            lambda t, u, d: services.schedule_field_visit(
                ticket=t,
                technician=d["technician"],
                start=d["start"],
                end=d["end"],
                location=d["location"],
                notes=d["notes"],
                user=u,
            ),
            gettext_lazy("Field visit scheduled."),
            "calendar-event",
        ),
        # the requester's and the manager's
        Action(
            "comment",
            gettext_lazy("Send"),
            forms.RequesterReplyForm,
            _reply,
            gettext_lazy("Message sent."),
            "send",
            "primary",
        ),
        Action(
            "reopen",
            gettext_lazy("Reopen"),
            forms.ReasonForm,
            lambda t, u, d: services.reopen_ticket(ticket=t, user=u, reason=d["reason"]),
            gettext_lazy("Ticket reopened."),
            "refresh",
        ),
        Action(
            "rate",
            gettext_lazy("Rate"),
            forms.RateForm,
            lambda t, u, d: services.rate_ticket(
                ticket=t, user=u, rating=d["rating"], comment=d["comment"]
            ),
            gettext_lazy("Thank you for your rating."),
            "star",
            "primary",
        ),
        Action(
            "approve",
            gettext_lazy("Approve"),
            forms.ApprovalForm,
            _approve,
            gettext_lazy("Request approved."),
            "check",
            "success",
        ),
        Action(
            "reject",
            gettext_lazy("Reject"),
            forms.ApprovalForm,
            _reject,
            gettext_lazy("Request rejected."),
            "x",
            "outline-danger",
        ),
    ]
}

# Shown in the page itself (conversation, side cards), not in the actions menu.
INLINE_ACTIONS = ("reply", "comment", "rate", "reopen", "approve", "reject")
# The page's forms that are not the workflow's own names: the requester's message is a reply.
WORKFLOW_NAME = {"comment": "reply"}
# The order of the page's buttons and menu.
PAGE_ORDER = (
    "take",
    "start",
    "resume",
    "resolve",
    "assign",
    "transfer",
    "hold",
    "supplier",
    "supplier_return",
    "visit",
    "time",
    "reply",
    "comment",
    "parent",
    "merge",
    "cancel",
    "reopen",
    "rate",
    "approve",
    "reject",
)


def page_actions(ticket: Ticket, user) -> list[str]:
    """The page's actions ``user`` may run on ``ticket`` now, as the workflow table says. IT staff
    write replies (with internal notes), everyone else comments."""
    allowed = set(workflow.allowed_actions(user, ticket, offered_only=True))
    if "reply" in allowed and workflow.WORKER not in workflow.parties(user, ticket):
        allowed.add("comment")
        allowed.discard("reply")
    if "rate" in allowed and ticket.rating is not None:
        allowed.discard("rate")
    return [name for name in PAGE_ORDER if name in allowed]


def may_run(user, ticket: Ticket, name: str) -> bool:
    """Is ``user`` a party to the page's action ``name`` on this ticket? The state is the
    service's to check, so a stale page gets the form back with the reason."""
    if name == "comment":
        return workflow.is_party(user, ticket, "reply") and workflow.WORKER not in (
            workflow.parties(user, ticket)
        )
    return workflow.is_party(user, ticket, WORKFLOW_NAME.get(name, name))


def build_action_form(action: Action, ticket: Ticket, data=None, user=None, files=None):
    # approve and reject share one form on the page (two submit buttons)
    prefix = "decision" if action.name in ("approve", "reject") else action.name
    if action.form_class in (forms.AssignForm, forms.FieldVisitForm):
        return action.form_class(data, ticket=ticket, prefix=prefix)
    form = action.form_class(data, files, prefix=prefix)
    if action.form_class is forms.ResolveForm and user is not None:
        form.fields["knowledge_article"].queryset = KnowledgeArticle.objects.restrict(user, "view")
    if action.form_class is forms.TransferForm:
        form.fields["unit"].queryset = form.fields["unit"].queryset.exclude(
            pk=ticket.responsible_unit_id
        )
    return form


class DialogForm:
    """An action's form as the ticket page needs it before its dialog opens: whether it has
    fields at all (a dialog, or a plain button that posts)."""

    def __init__(self, action: Action):
        self.fields = action.form_class.base_fields


class TicketActionView(LoginRequiredMixin, View):
    """POST one action of a ticket to its service. Errors: the action's form again, with the
    service's messages at the fields; nothing is half saved (each service is one transaction)."""

    template_name = "servicedesk/ticket_action.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.action = ACTIONS.get(kwargs.get("action"))

    def get_ticket(self):
        if self.action is None:
            raise Http404
        ticket = visible_ticket(self.request.user, self.kwargs["pk"])
        if ticket is None:
            raise Http404
        return ticket

    def render_form(self, ticket, form, status=200):
        context = {
            "title": f"{ticket.number} — {self.action.label}",
            "ticket": ticket,
            "action": self.action,
            "form": form,
            "return_url": safe_return_url(self.request, ticket.get_absolute_url()),
        }
        # The ticket page's modal asks for the form alone when it opens.
        return render_htmx_aware(
            self.request,
            self.template_name,
            "servicedesk/partials/action_form.html",
            f"action-{self.action.name}-body",
            context,
            status=status,
        )

    def get_allowed_ticket(self):
        """The ticket, if the workflow table names the user among those who may run this
        action; anyone else (a reader such as the auditor) gets 403."""
        ticket = self.get_ticket()
        if not may_run(self.request.user, ticket, self.action.name):
            raise PermissionDenied
        return ticket

    def get(self, request, pk, action):
        ticket = self.get_allowed_ticket()
        return self.render_form(ticket, build_action_form(self.action, ticket, user=request.user))

    def post(self, request, pk, action):
        ticket = self.get_allowed_ticket()
        form = build_action_form(
            self.action, ticket, request.POST, user=request.user, files=request.FILES
        )
        if not form.is_valid():
            return self.render_form(ticket, form, status=400)
        try:
            self.action.run(ticket, request.user, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.render_form(ticket, form, status=400)
        messages.success(request, self.action.done)
        if not selectors.tickets_visible_to(request.user).filter(pk=ticket.pk).exists():
            # e.g. transferred out of the user's units: its page would be a 404
            return redirect("servicedesk:ticket_list")
        return redirect(safe_return_url(request, ticket.get_absolute_url()))


# --------------------------------------------------------------------------- ticket page


REQUESTER_FIELDS = (
    "number",
    "kind",
    "catalog_item",
    "channel",
    "requester",
    "requesting_unit",
    "contact_phone",
    "location",
    "asset_reference",
    "responsible_unit",
    "state",
    "created",
    "resolved_at",
    "closed_at",
)
STAFF_FIELDS = (
    "number",
    "kind",
    "catalog_item",
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
    "asset_unregistered",
    "under_warranty",
    "supplier_case_number",
    "sent_to_supplier_at",
    "returned_from_supplier_at",
    "parent",
    "merged_into",
    "round_the_clock",
    "first_response_due",
    "first_responded_at",
    "resolution_due",
    "resolved_at",
    "closed_at",
    "rating",
    "rating_comment",
    "created",
    "last_updated",
)


class TicketDetailView(ObjectDetailView):
    """One URL for everyone who may see the ticket: IT staff get every field, the clocks, the
    internal notes and the actions; requesters and managers the public conversation."""

    queryset = Ticket.objects.all()
    template_name = "servicedesk/ticket_detail.html"
    details_template_name = "servicedesk/partials/ticket_fields.html"
    show_comments = False

    def get_queryset(self):
        return ticket_detail_queryset(self.request.user)

    def get_object(self):
        return visible_ticket_or_404(self.request.user, self.kwargs["pk"])

    def get_detail_fields(self, obj):
        names = STAFF_FIELDS if is_it_staff_for(self.request.user, obj) else REQUESTER_FIELDS
        return [Ticket._meta.get_field(name) for name in names]

    def get_tabs(self, obj):
        staff = is_it_staff_for(self.request.user, obj)
        user = self.request.user
        conversation = Tab(
            "conversation",
            _("Conversation"),
            template_name="servicedesk/partials/ticket_conversation.html",
            context=lambda: {
                # internal notes for who may change the ticket: its unit's IT staff
                "conversation": list(
                    comments_of(obj, user, internal=selectors.can_work_on(user, obj))
                )
            },
        )
        if not staff:
            return [
                conversation,
                Tab("details", _("Details"), template_name=self.details_template_name),
                Tab(
                    "files",
                    _("Attachments"),
                    url=self.related_url(
                        "attachments:for_object",
                        ContentType.objects.get_for_model(Ticket).pk,
                        obj.pk,
                    ),
                ),
            ]
        tabs = super().get_tabs(obj)
        extra = [
            Tab(
                "responsibility",
                _("Responsibility"),
                template_name="servicedesk/partials/ticket_responsibility.html",
                context=lambda: {
                    "periods": list(obj.responsibilities.select_related("unit", "changed_by"))
                },
            ),
            Tab(
                "work",
                _("Time and visits"),
                template_name="servicedesk/partials/ticket_work.html",
                context=lambda: {
                    "time_entries": list(obj.time_entries.select_related("user")),
                    "visits": list(obj.field_visits.select_related("technician")),
                },
            ),
            Tab(
                "related",
                _("Related tickets"),
                template_name="servicedesk/partials/ticket_related.html",
                context=lambda: {
                    "children": list(obj.children.select_related("responsible_unit")),
                    "merged": list(obj.merged_tickets.all()),
                },
            ),
        ]
        return [conversation, tabs[0], *extra, *tabs[1:]]

    def get_extra_context(self, obj):
        user = self.request.user
        staff = is_it_staff_for(user, obj)
        names = page_actions(obj, user)
        # The forms shown in the page itself; a dialog's form is loaded when it opens.
        forms_by_name = {
            name: build_action_form(ACTIONS[name], obj, user=user)
            if name in INLINE_ACTIONS
            else DialogForm(ACTIONS[name])
            for name in names
        }
        sla = selectors.sla_status(obj)
        primary = [n for n in names if n in ("take", "start", "resume", "resolve")]
        # The device in the register (biys.core.assets): its warranty and custodian, and a link
        # for whoever may open the asset's page. The ticket's link when it has one, else its
        # reference as typed: one query either way.
        if obj.asset_id:
            asset = assets.find_asset_by_pk(obj.asset_id)
        else:
            asset = assets.find_asset(obj.asset_reference) if obj.asset_reference else None
        return {
            "ticket": obj,
            "asset": asset,
            "asset_link": asset is not None and assets.may_view_asset(user, asset),
            # Records of other modules that opened or follow the ticket (biys.core.tickets).
            "linked_records": linked_records(user, obj),
            "is_staff_view": staff,
            "sla": sla,
            "actions": [ACTIONS[name] for name in names],
            "primary_actions": [ACTIONS[name] for name in primary],
            "secondary_actions": [
                ACTIONS[name]
                for name in names
                if name not in primary and name not in INLINE_ACTIONS
            ],
            "action_forms": forms_by_name,
            "reply_form": forms_by_name.get("reply") or forms_by_name.get("comment"),
            "reply_action": "reply" if "reply" in forms_by_name else "comment",
            "pending_approval": obj.approvals.filter(decision="pending").first()
            if obj.state == S.PENDING_APPROVAL
            else None,
            "content_type_id": ContentType.objects.get_for_model(Ticket).pk,
        }

    def get_object_urls(self, obj):
        # Tickets change through their actions, never an edit form, and are never deleted.
        return {"edit_url": "", "delete_url": ""}
