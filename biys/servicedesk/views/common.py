"""Helpers shared by the service desk pages."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from biys.accounts.scope import get_scope, scope_version
from biys.calendar.selectors import get_calendar
from biys.core.precompiled import PrecompiledLookup
from biys.core.querysets import read_rows
from biys.core.tickets import with_link_hints
from biys.servicedesk import selectors
from biys.servicedesk.models import Ticket

# A ticket page's relations, joined into the ticket's own query, and whether other modules'
# records name it (``with_link_hints``). The catalogue item with its unit and duty comes from
# the process's copy of the catalogue (``visible_ticket``). Not "parent" and "merged_into":
# links most tickets never have, one query each when they do. Planning seven joined tables
# costs PostgreSQL a few milliseconds, once per connection: the SQL is compiled once per user
# and scope (``_ticket_pages``) and the connection keeps it prepared (``settings.DATABASES``).
TICKET_DETAIL_RELATED = (
    "requesting_unit",
    "responsible_unit",
    "assignee",
    "created_by",
    "requester__unit",
)


def ticket_detail_queryset(user):
    """The tickets ``user`` may see, with what a ticket page shows of their relations but the
    catalogue item (``with_catalog_item``)."""
    return with_link_hints(
        selectors.tickets_visible_to(user).select_related(*TICKET_DETAIL_RELATED)
    )


def with_catalog_item(ticket: Ticket | None) -> Ticket | None:
    """The ticket holding its catalogue item, unit and duty from the process's catalogue."""
    if ticket is not None and ticket.catalog_item_id is not None:
        item = selectors.catalog_item_of_ticket(ticket.catalog_item_id)
        if item is not None:
            ticket.catalog_item = item
    return ticket


# The ticket page's query, compiled once per user and scope (``biys.core.precompiled``):
# building the SQL of its visibility rule and four joins cost more than running it.
_ticket_pages = PrecompiledLookup()


def visible_ticket(user, pk) -> Ticket | None:
    """The ticket with what its page shows, if ``user`` may see it; ``None`` otherwise."""
    version = scope_version(user)
    # the rule reads the scope, the user and their person (``selectors.ticket_visibility_q``)
    key = None if version is None else (*version, user.person_id)
    return with_catalog_item(_ticket_pages.get(key, lambda: ticket_detail_queryset(user), pk))


# What a ticket list shows of a ticket's relations (read_rows): their names.
TICKET_LIST_READ = {
    "catalog_item": ("name",),
    "requester": ("first_name", "last_name"),
    "requesting_unit": ("name",),
    "responsible_unit": ("name",),
    "assignee": ("first_name", "last_name", "username"),
}


# The columns a ticket list reads: what its rows show (the columns a user may switch on and
# the exports' included), what the SLA badge computes from, and the keys of the relations
# read by name. Reading a ticket's 47 columns cost more to compile, fetch and build than the
# page's query took to run; a column left out would be read one query per row, which the
# list query-count tests would catch.
TICKET_LIST_COLUMNS = frozenset(
    {
        "id",
        "number",
        "title",
        "kind",
        "created",
        "last_updated",
        "catalog_item",
        "requester",
        "requesting_unit",
        "responsible_unit",
        "assignee",
        "state",
        "priority",
        "round_the_clock",
        "first_response_due",
        "resolution_due",
        "first_responded_at",
        "resolved_at",
        "closed_at",
        "sla_paused_at",
    }
)
TICKET_LIST_UNREAD = tuple(
    field.name for field in Ticket._meta.concrete_fields if field.name not in TICKET_LIST_COLUMNS
)


def ticket_list_rows(queryset) -> list:
    """One list page of tickets read as plain rows (``read_rows``): every column the rows and
    their SLA badges read, and the relations' names."""
    return read_rows(queryset, exclude=TICKET_LIST_UNREAD, related=TICKET_LIST_READ)


def visible_ticket_or_404(user, pk) -> Ticket:
    """The ticket if ``user`` may see it; 404 otherwise (existence never leaks)."""
    ticket = visible_ticket(user, pk)
    if ticket is None:
        raise Http404
    return ticket


def is_it_staff_for(user, ticket: Ticket) -> bool:
    """IT staff of the responsible unit see the full ticket page with internal notes."""
    return get_scope(user).has_perm(selectors.VIEW_TICKET, ticket.responsible_unit_id)


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError at the form fields it names, the rest above the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    field_for = getattr(form, "field_for_error", lambda key: key if key in form.fields else None)
    for key, messages in error.message_dict.items():
        field = field_for(key)
        for message in messages:
            if field is None and key not in ("__all__", None):
                form.add_error(None, message)
            else:
                form.add_error(field, message)


class SLAContext:
    """SLA clocks of many tickets: one calendar and one query for every target (a small table:
    catalogue items times four priorities), loaded on first use."""

    def __init__(self):
        self._calendar = None
        self._targets = None
        self._now = None

    @property
    def calendar(self):
        if self._calendar is None:
            self._calendar = get_calendar()
        return self._calendar

    @property
    def targets(self) -> dict:
        if self._targets is None:
            self._targets = selectors.sla_targets()
        return self._targets

    def target_for(self, ticket):
        return self.targets.get((ticket.catalog_item_id, ticket.priority)) or self.targets.get(
            (None, ticket.priority)
        )

    def status(self, ticket, clocks=selectors.SLA_CLOCKS) -> dict:
        if self._now is None:
            self._now = timezone.now()  # one instant for every row of the page
        return selectors.sla_status(
            ticket,
            now=self._now,
            calendar=self.calendar,
            target=self.target_for(ticket) or _NO_TARGET,
            clocks=clocks,
        )


class _NoTarget:
    """Stands for 'no SLA target' so sla_status does not look one up again."""

    warn_before_percent = 80
    first_response_minutes = None
    resolution_minutes = None

    def __bool__(self):
        return False


_NO_TARGET = _NoTarget()
