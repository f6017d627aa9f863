"""Tables of the service desk lists: the technicians' queue, my tickets, catalogue, articles."""

from datetime import timedelta
from functools import cached_property, lru_cache

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from biys.core.csrf import page_csrf_token
from biys.core.dates import datetime_formatter, format_datetime
from biys.core.html import escape
from biys.core.html import format_html as fast_format_html
from biys.core.tables import BiysTable
from biys.core.urlcache import pk_urls
from biys.servicedesk.choices import Priority, TicketState
from biys.servicedesk.models import CatalogItem, KnowledgeArticle, Queue, Ticket

STATE_COLOURS = {
    "new": "blue",
    "pending_approval": "purple",
    "assigned": "cyan",
    "in_progress": "orange",
    "on_hold": "secondary",
    "resolved": "green",
    "closed": "dark",
    "cancelled": "muted",
}
PRIORITY_COLOURS = {1: "red", 2: "orange", 3: "yellow", 4: "secondary"}
# Columns a laptop or a phone leaves out (their text is repeated under the subject).
WIDE_SCREEN = {
    "th": {"class": "d-none d-xxl-table-cell"},
    "td": {"class": "d-none d-xxl-table-cell"},
}
TABLET_UP = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}

# The SLA column of an export, in words (the page shows a coloured badge).
SLA_STATE_LABELS = {
    "ok": _("on time"),
    "warning": _("at risk"),
    "breached": _("breached"),
    "paused": _("paused"),
    "met": _("met"),
}


# get_FOO_display() rebuilds the field's choices on every call; a list page asks per row.
STATE_LABELS = dict(TicketState.choices)
PRIORITY_LABELS = dict(Priority.choices)
SLA_CLASSES = {
    "ok": "bg-green-lt",
    "warning": "bg-yellow-lt",
    "breached": "bg-red-lt",
    "paused": "bg-secondary-lt",
    "met": "bg-green-lt",
}


@lru_cache(maxsize=256)
def _state_badge(state: str, language: str | None) -> str:
    return format_html(
        '<span class="badge bg-{}-lt" data-state="{}">{}</span>',
        STATE_COLOURS.get(state, "secondary"),
        state,
        STATE_LABELS.get(state, state),
    )


@lru_cache(maxsize=64)
def _priority_badge(priority, language: str | None) -> str:
    return format_html(
        '<span class="badge bg-{}-lt">{}</span>',
        PRIORITY_COLOURS.get(priority, "secondary"),
        PRIORITY_LABELS.get(priority, priority),
    )


# A list shows one of each per row: the same few badges, built once per language.
def state_badge(ticket, language: str | None = None) -> str:
    return _state_badge(ticket.state, language or get_language())


def priority_badge(ticket, language: str | None = None) -> str:
    return _priority_badge(ticket.priority, language or get_language())


@lru_cache(maxsize=16)
def _sla_words(language: str | None) -> dict[str, str]:
    """What an SLA badge says, translated once per language (a list page shows one badge per
    row)."""
    words = {
        "met": gettext("met"),
        "paused": gettext("paused"),
        "breached": gettext("breached"),
        "due": gettext("Due"),
        "late": gettext("%(late)s late"),
        "left": gettext("%(left)s left"),
        "hours_minutes": gettext("%(hours)d h %(minutes)d min"),
        "hours": gettext("%(hours)d h"),
        "minutes": gettext("%(minutes)d min"),
    }
    return words


def duration_short(value, words: dict | None = None) -> str:
    """'3 h 20 min' (the sign dropped: the badge says whether it is left or late)."""
    if not isinstance(value, timedelta):
        return ""
    words = words or _sla_words(get_language())
    return _minutes_short(abs(int(value.total_seconds())) // 60, words)


def _minutes_short(minutes: int, words: dict) -> str:
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return words["hours_minutes"] % {"hours": hours, "minutes": minutes}
    if hours:
        return words["hours"] % {"hours": hours}
    return words["minutes"] % {"minutes": minutes}


def sla_badge(clock: dict, *, language: str | None = None, due_text=format_datetime) -> str:
    """One SLA clock as a badge: state, time left or late, the due time on hover. A list page
    shows one per row, so it is built here rather than from a template include per row: the
    badge around its due time is built once per state, minutes shown and language
    (``_sla_badge_frame``); a table passes its page's language and date formatter
    (``TicketTable.page_formats``)."""
    if not clock.get("due"):
        return _NO_DUE_BADGE
    remaining = clock.get("remaining")
    if isinstance(remaining, timedelta):
        seconds = remaining.total_seconds()
        minutes, late = abs(int(seconds)) // 60, seconds < 0
    else:
        minutes, late = None, False
    before, after = _sla_badge_frame(clock.get("state"), minutes, late, language or get_language())
    return SafeString(f"{before}{escape(str(due_text(clock['due'])))}{after}")


_NO_DUE_BADGE = fast_format_html('<span class="text-secondary">{}</span>\n', "—")


@lru_cache(maxsize=4096)
def _sla_badge_frame(state, minutes: int | None, late: bool, language: str | None):
    """The badge's markup before and after its due time."""
    words = _sla_words(language)
    shown = "" if minutes is None else _minutes_short(minutes, words)
    if state == "met":
        body = fast_format_html(_ICON, "check", words["met"])
    elif state == "paused":
        body = fast_format_html(
            '<i class="ti ti-player-pause" aria-hidden="true"></i>{} · {}',
            words["paused"],
            shown,
        )
    elif state == "breached":
        text = words["late"] % {"late": shown} if late else words["breached"]
        body = fast_format_html(_ICON, "alert-triangle", text)
    else:
        body = fast_format_html(_ICON, "clock", words["left"] % {"left": shown})
    marker = "\x00due\x00"
    html = fast_format_html(
        '<span class="badge sla-{} {}" data-sla="{}" title="{}: {}">\n{}\n</span>\n',
        state,
        SLA_CLASSES.get(state, "bg-secondary-lt"),
        state,
        words["due"],
        SafeString(marker),
        body,
    )
    before, _marker, after = str(html).partition(marker)
    return before, after


_ICON = '<i class="ti ti-{}" aria-hidden="true"></i>{}'


class TicketTable(BiysTable):
    """The queue: one row per ticket, everything from the select_related joins."""

    number = tables.Column(
        verbose_name=_("Number"),
        linkify=lambda record: reverse("servicedesk:ticket", args=[record.pk]),
        attrs={"td": {"class": "text-nowrap"}},
        order_by=("id",),
    )
    title = tables.Column(verbose_name=_("Subject"), attrs={"td": {"class": "text-break"}})
    requester = tables.Column(
        verbose_name=_("Requester"),
        order_by=("requester__last_name", "requester__first_name"),
        attrs=WIDE_SCREEN,
    )
    # under 1400 px the service moves into the subject's cell: the SLA column stays in view
    catalog_item = tables.Column(
        verbose_name=_("Service"), order_by=("catalog_item__name",), attrs=WIDE_SCREEN
    )
    priority = tables.Column(verbose_name=_("Priority"))
    state = tables.Column(verbose_name=_("State"))
    # empty_values=(): render_* runs for unassigned tickets and tickets without a due time too
    assignee = tables.Column(
        verbose_name=_("Assignee"), order_by=("assignee__first_name",), empty_values=()
    )
    sla = tables.Column(
        verbose_name=_("SLA"),
        accessor="resolution_due",
        order_by=("resolution_due",),
        empty_values=(),
        attrs={"td": {"class": "text-nowrap"}},
    )
    # Not on the screen, in every export: where the ticket is and its dates and deadlines.
    responsible_unit = tables.Column(verbose_name=_("Responsible unit"), visible=False)
    created = tables.Column(verbose_name=_("Opened"), visible=False)
    first_response_due = tables.Column(verbose_name=_("First response due"), visible=False)
    resolution_due = tables.Column(verbose_name=_("Resolution due"), visible=False)
    resolved_at = tables.Column(verbose_name=_("Resolved at"), visible=False)

    class Meta(BiysTable.Meta):
        model = Ticket
        fields = (
            "number",
            "title",
            "requester",
            "catalog_item",
            "priority",
            "state",
            "assignee",
            "sla",
        )
        empty_text = _("No tickets.")
        attrs = {"class": "table table-vcenter card-table", "data-table": "tickets"}

    def __init__(self, *args, sla_context=None, take_button=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sla_context = sla_context
        self.take_button = take_button

    @cached_property
    def page_formats(self) -> tuple[str | None, dict, object]:
        """The page's language, SLA words and date formatter, looked up once for every row
        (each lookup reads the request's context-local state)."""
        language = get_language()
        return language, _sla_words(language), datetime_formatter()

    @cached_property
    def take_form(self) -> tuple[str, str, str]:
        """The "Take" button's form, built once per page around its ticket's action URL and
        number: (markup before the ticket's id, markup between the id and the number, after)."""
        marker = 9_876_543_210
        action = reverse("servicedesk:ticket_action", args=[marker, "take"])
        html = str(
            format_html(
                '<form method="post" action="{}" class="d-inline">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<input type="hidden" name="return_url" value="{}">'
                '<button type="submit" class="btn btn-sm btn-outline-primary" data-take="{}">'
                "{}</button></form>",
                action,
                page_csrf_token(self.request),
                self.request.get_full_path(),
                marker,
                _("Take"),
            )
        )
        before, _marker, rest = html.partition(str(marker))
        between, _marker, after = rest.rpartition(str(marker))
        return before, between, after

    def render_title(self, record):
        return fast_format_html(
            '{}<div class="small text-secondary d-xxl-none">{} · {}</div>',
            record.title,
            record.requester.full_name,
            record.catalog_item or "",
        )

    def value_title(self, record):
        return record.title

    def render_requester(self, record):
        return fast_format_html(
            '{}<div class="small text-secondary">{}</div>',
            record.requester.full_name,
            record.requesting_unit,
        )

    def value_requester(self, record):
        return f"{record.requester.full_name} ({record.requesting_unit})"

    def render_priority(self, record):
        return priority_badge(record, self.page_formats[0])

    def value_created(self, record):
        return record.created

    def value_priority(self, record):
        return record.get_priority_display()

    def render_state(self, record):
        return state_badge(record, self.page_formats[0])

    def value_state(self, record):
        return record.get_state_display()

    def render_assignee(self, record):
        if record.assignee_id:
            return record.assignee.get_full_name() or record.assignee.get_username()
        if not self.take_button or self.request is None:
            return format_html('<span class="text-secondary">{}</span>', _("Unassigned"))
        before, between, after = self.take_form
        return mark_safe(f"{before}{int(record.pk)}{between}{escape(record.number)}{after}")

    def value_assignee(self, record):
        return (
            (record.assignee.get_full_name() or record.assignee.get_username())
            if record.assignee_id
            else ""
        )

    def _sla(self, record):
        if self.sla_context is None:
            return None
        return self.sla_context.status(record, clocks=("resolution",))

    def render_sla(self, record):
        status = self._sla(record)
        if status is None:
            return "—"
        language, _words, due_text = self.page_formats
        return sla_badge(status["resolution"], language=language, due_text=due_text)

    # The rows as shown (core.tables.render_rows): what the render_ methods above give,
    # straight from the record.

    @cached_property
    def ticket_url(self):
        """The ticket page's URL by primary key, the URL configuration read once per page."""
        return pk_urls("servicedesk:ticket")

    def cell_number(self, record):
        if record.number in (None, ""):
            return None
        url = self.ticket_url(record.pk)
        return mark_safe(f'<a href="{escape(url)}">{escape(record.number)}</a>')

    def cell_title(self, record):
        return None if record.title in (None, "") else self.render_title(record)

    def cell_requester(self, record):
        return None if record.requester_id is None else self.render_requester(record)

    def cell_catalog_item(self, record):
        return None if record.catalog_item_id is None else record.catalog_item

    def cell_responsible_unit(self, record):
        return None if record.responsible_unit_id is None else record.responsible_unit

    def cell_priority(self, record):
        return (
            None if record.priority in (None, "") else priority_badge(record, self.page_formats[0])
        )

    def cell_state(self, record):
        return None if record.state in (None, "") else state_badge(record, self.page_formats[0])

    def cell_assignee(self, record):
        return self.render_assignee(record)

    def cell_sla(self, record):
        return self.render_sla(record)

    def value_sla(self, record):
        status = self._sla(record)
        if status is None or status["resolution"]["due"] is None:
            return ""
        state = status["resolution"]["state"]
        return str(SLA_STATE_LABELS.get(state, state))


class RequesterTicketTable(TicketTable):
    """What a requester needs in their own list: no assignee form, the responsible unit."""

    responsible_unit = tables.Column(
        verbose_name=_("Responsible unit"), order_by=("responsible_unit__name",), attrs=TABLET_UP
    )
    priority = None
    assignee = None
    sla = None
    created = tables.DateTimeColumn(
        verbose_name=_("Opened"),
        format="SHORT_DATETIME_FORMAT",
        attrs={
            "th": {"class": "d-none d-md-table-cell"},
            "td": {"class": "text-nowrap d-none d-md-table-cell"},
        },
    )

    class Meta(TicketTable.Meta):
        fields = (
            "number",
            "title",
            "requester",
            "catalog_item",
            "responsible_unit",
            "state",
            "created",
        )
        order_by = ("-number",)

    def cell_created(self, record):
        if record.created is None:
            return None
        return self.page_formats[2](record.created)


class CatalogItemTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True, order_by=("sort_name",))
    kind = tables.Column(verbose_name=_("Kind"))
    unit = tables.Column(
        verbose_name=_("Responsible unit"), linkify=True, order_by=("unit__sort_name",)
    )
    duty = tables.Column(verbose_name=_("Regulation duty"), order_by=("duty__reference",))
    requires_approval = tables.BooleanColumn(verbose_name=_("Approval"))
    requires_asset = tables.BooleanColumn(verbose_name=_("Device"))
    is_active = tables.BooleanColumn(verbose_name=_("Active"))

    class Meta(BiysTable.Meta):
        model = CatalogItem
        fields = (
            "name",
            "kind",
            "unit",
            "duty",
            "requires_approval",
            "requires_asset",
            "is_active",
        )
        order_by = ("name",)


class KnowledgeArticleTable(BiysTable):
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__name",))
    is_public = tables.BooleanColumn(verbose_name=_("Public"))
    last_updated = tables.DateTimeColumn(verbose_name=_("Updated"), format="SHORT_DATE_FORMAT")

    class Meta(BiysTable.Meta):
        model = KnowledgeArticle
        fields = ("title", "unit", "is_public", "last_updated")
        order_by = ("title",)


class QueueTable(BiysTable):
    unit = tables.Column(verbose_name=_("Unit"), linkify=lambda record: record.get_absolute_url())
    include_subtree = tables.BooleanColumn(verbose_name=_("Sub-units"))
    assignment_rule = tables.Column(verbose_name=_("Assignment rule"))
    member_count = tables.Column(verbose_name=_("Technicians"), attrs={"td": {"class": "text-end"}})
    auto_close_working_days = tables.Column(verbose_name=_("Auto-close (days)"))
    reopen_working_days = tables.Column(verbose_name=_("Reopen window (days)"))

    class Meta(BiysTable.Meta):
        model = Queue
        fields = (
            "unit",
            "include_subtree",
            "assignment_rule",
            "member_count",
            "auto_close_working_days",
            "reopen_working_days",
        )
        order_by = ("unit",)
