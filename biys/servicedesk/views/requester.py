"""The requester's pages: the short path to a new ticket, and the lists of one's tickets."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from biys.accounts.scope import ALL, get_scope
from biys.attachments.services import add_attachment
from biys.core.views.generic import ObjectListView
from biys.servicedesk import selectors, services
from biys.servicedesk.choices import TicketKind
from biys.servicedesk.forms import SearchForm, TicketCreateForm
from biys.servicedesk.models import CatalogItem, Ticket
from biys.servicedesk.tables import RequesterTicketTable, TicketTable
from biys.servicedesk.views.common import SLAContext, apply_validation_error, ticket_list_rows

SUGGESTIONS = 6
FILED_FORMS_KEY = "servicedesk_filed_forms"
FILED_FORMS_KEPT = 20
DUPLICATE_WINDOW = timedelta(minutes=10)


def catalogue_by_kind() -> list[dict]:
    """Every active item grouped by kind, for browsing when the words do not find it."""
    items = CatalogItem.objects.filter(is_active=True).select_related("unit", "duty")
    labels = dict(TicketKind.choices)
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item.kind, []).append(item)
    return [
        {"kind": kind, "label": labels.get(kind, kind), "items": groups[kind]}
        for kind in labels
        if kind in groups and kind != TicketKind.ALERT
    ]


def suggestions(request, query: str) -> dict:
    query = query.strip()
    if not query:
        return {"q": "", "items": [], "articles": []}
    return {
        "q": query,
        "items": selectors.suggest_catalog_items(query, limit=SUGGESTIONS),
        "articles": selectors.suggest_knowledge_articles(query, user=request.user, limit=3),
    }


class NewTicketView(LoginRequiredMixin, View):
    """'Yeni talep': one search box over the catalogue in the requester's own words."""

    def get(self, request):
        form = SearchForm(request.GET or None)
        query = form.data.get("q", "") if form.is_bound else ""
        context = {
            "title": _("New request"),
            "form": form,
            "catalogue": catalogue_by_kind(),
            **suggestions(request, query),
        }
        return render(request, "servicedesk/ticket_new.html", context)


class CatalogSuggestView(LoginRequiredMixin, View):
    """HTMX: the suggestions under the search box, as the requester types."""

    def get(self, request):
        context = suggestions(request, request.GET.get("q", ""))
        return render(request, "servicedesk/partials/suggestions.html", context)


class TicketCreateView(LoginRequiredMixin, View):
    """The form of one catalogue item; the ticket is filed through ``services.create_ticket``."""

    template_name = "servicedesk/ticket_create.html"

    def get_item(self, pk) -> CatalogItem:
        return get_object_or_404(
            CatalogItem.objects.filter(is_active=True).select_related("unit", "duty"), pk=pk
        )

    def person(self):
        person = getattr(self.request.user, "person", None)
        if person is None:
            raise PermissionDenied(
                _("Your login is not linked to a staff record; ask the IT department.")
            )
        return person

    def render_form(self, item, form, status=200, duplicate=None):
        context = {"title": item.name, "item": item, "form": form, "duplicate": duplicate}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        item = self.get_item(pk)
        initial = {
            "form_token": uuid.uuid4().hex,
            # the words typed in the suggestion box are the subject's first draft
            "title": request.GET.get("q", "").strip()[:200],
        }
        form = TicketCreateForm(catalog_item=item, person=self.person(), initial=initial)
        return self.render_form(item, form)

    def already_filed(self, token: str) -> Ticket | None:
        ticket_id = self.request.session.get(FILED_FORMS_KEY, {}).get(token) if token else None
        return selectors.tickets_visible_to(self.request.user).filter(pk=ticket_id).first()

    def remember_filed(self, token: str, ticket: Ticket) -> None:
        if not token:
            return
        filed = dict(self.request.session.get(FILED_FORMS_KEY, {}))
        filed[token] = ticket.pk
        self.request.session[FILED_FORMS_KEY] = dict(list(filed.items())[-FILED_FORMS_KEPT:])

    def post(self, request, pk):
        item = self.get_item(pk)
        person = self.person()
        form = TicketCreateForm(request.POST, request.FILES, catalog_item=item, person=person)
        if not form.is_valid():
            return self.render_form(item, form, status=400)
        data = form.cleaned_data
        earlier = self.already_filed(data["form_token"])
        if earlier is not None:
            messages.warning(
                request,
                _(
                    "This form was already sent: it filed request %(number)s. No second request was made."
                )
                % {"number": earlier.number},
            )
            return redirect("servicedesk:ticket", pk=earlier.pk)
        if not data["confirm_duplicate"]:
            recent = selectors.recent_ticket_with_subject(
                requester=person, title=data["title"], since=timezone.now() - DUPLICATE_WINDOW
            )
            if recent is not None:
                return self.render_form(item, form, status=409, duplicate=recent)
        try:
            with transaction.atomic():
                ticket = services.create_ticket(
                    catalog_item=item,
                    requester=person,
                    title=data["title"],
                    description=data["description"],
                    form_data=form.form_data(),
                    created_by=request.user,
                    contact_phone=data["contact_phone"] or None,
                    location=data["location"] or None,
                    asset_reference=data.get("asset_reference", ""),
                    impact=data["impact"],
                    urgency=data["urgency"],
                )
                for uploaded in data["attachments"]:
                    add_attachment(obj=ticket, uploaded_file=uploaded, user=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "file" in error.error_dict:
                error = ValidationError({"attachments": error.error_dict["file"]})
            apply_validation_error(form, error)
            return self.render_form(item, form, status=400)
        except PermissionDenied as error:
            form.add_error("attachments" if data["attachments"] else None, str(error))
            return self.render_form(item, form, status=403)
        self.remember_filed(data["form_token"], ticket)
        messages.success(
            request,
            _("Your request %(number)s has been filed. You can follow it here.")
            % {"number": ticket.number},
        )
        return redirect("servicedesk:ticket", pk=ticket.pk)


# --------------------------------------------------------------------------- lists


class RequesterListView(ObjectListView):
    """A list of tickets the user follows as a requester or a unit's manager."""

    queryset = Ticket.objects.all()
    table_class = RequesterTicketTable
    filterset_class = None
    keyset_pagination = True
    title = ""

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        # The page reads its rows with their relations' names (``page_rows``), not through
        # joins: without them the paging's copies of the query are cheap.
        return self.base_queryset()

    def export_queryset(self, queryset):
        return queryset.select_related(*selectors.TICKET_LIST_RELATED)

    def page_rows(self, queryset) -> list:
        return ticket_list_rows(queryset)

    def get_table(self, queryset, *, selectable=False):
        return self.table_class(
            queryset, selectable=False, request=self.request, sla_context=SLAContext()
        )

    def get_extra_context(self):
        return {"title": self.title, "add_url": ""}


class MyTicketsView(RequesterListView):
    template_name = "servicedesk/ticket_list_requester.html"

    @property
    def title(self):
        return _("My requests")

    def base_queryset(self):
        user = self.request.user
        condition = {"created_by": user}
        queryset = Ticket.objects.filter(**condition)
        if getattr(user, "person_id", None):
            queryset = queryset | Ticket.objects.filter(requester_id=user.person_id)
        return queryset.order_by("-id")

    def get_extra_context(self):
        return {**super().get_extra_context(), "new_url": "servicedesk:ticket_new"}


class UnitTicketsView(RequesterListView):
    """'Birimimin talepleri': for managers of the requesting unit."""

    template_name = "servicedesk/ticket_list_requester.html"

    @property
    def title(self):
        return _("My unit's requests")

    def base_queryset(self):
        units = get_scope(self.request.user).units_for(selectors.VIEW_UNIT_REQUESTS)
        if units is not ALL and not units:
            # a page, not an object: refused as an action the user may not take (403)
            raise PermissionDenied
        queryset = Ticket.objects.all()
        if units is not ALL:
            queryset = queryset.filter(requesting_unit__in=units)
        return queryset.order_by("-id")


class ApprovalsView(RequesterListView):
    """'Onayımı bekleyenler': requests waiting for this manager's approval."""

    template_name = "servicedesk/ticket_list_requester.html"
    table_class = TicketTable

    @property
    def title(self):
        return _("Awaiting my approval")

    def base_queryset(self):
        units = get_scope(self.request.user).units_for(selectors.APPROVE_REQUESTS)
        if units is not ALL and not units:
            raise PermissionDenied
        return selectors.pending_approvals_for(self.request.user).order_by("id")

    def get_table(self, queryset, *, selectable=False):
        return self.table_class(
            queryset,
            selectable=False,
            request=self.request,
            exclude=("assignee", "sla", "priority"),
        )
