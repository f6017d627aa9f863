"""The ticket lists render their rows from the record (the tables' ``cell_`` methods, read by
``core.tables.render_rows``): the same cells as django-tables2's own rendering, and the SLA
badge is the same whatever the page."""

import re
from datetime import timedelta

import pytest
from django.template import Context
from django.template.base import render_value_in_context
from django.test import RequestFactory
from django.utils import timezone, translation

from biys.core.tables import render_rows
from biys.servicedesk import services
from biys.servicedesk.choices import TicketState
from biys.servicedesk.models import Ticket
from biys.servicedesk.tables import RequesterTicketTable, TicketTable, sla_badge
from biys.servicedesk.views.common import SLAContext

pytestmark = pytest.mark.django_db


def _tickets(desk):
    def file(title):
        return services.create_ticket(
            catalog_item=desk.printer,
            requester=desk.requester.person,
            title=title,
            created_by=desk.requester,
        )

    new, taken, resolved, cancelled = (file(f"Yazıcı <b>{n}</b> & toner") for n in range(4))
    services.take_ticket(ticket=taken, user=desk.technician)
    services.take_ticket(ticket=resolved, user=desk.technician)
    services.resolve_ticket(ticket=resolved, user=desk.technician, resolution="Tamam.")
    services.cancel_ticket(ticket=cancelled, user=desk.requester, reason="Vazgeçtim")
    return [new, taken, resolved, cancelled]


def _masked(rows):
    """The take button's CSRF token is masked afresh each time it is asked for."""
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "csrf", repr(rows))


def _django_tables2_rows(table):
    context = Context(autoescape=True)
    rows = []
    for row in table.paginated_rows:
        cells = [
            (column.attrs["td"].as_html(), render_value_in_context(cell, context))
            for column, cell in row.items()
        ]
        rows.append((row.attrs.as_html(), cells))
    return rows


def _rendered(table) -> str:
    return str(render_rows(table, Context(autoescape=True)))


def _fast_rows(table):
    """(row attributes, [(cell attributes, cell)]) of each rendered ``<tr>``."""
    rows = []
    for row in _rendered(table).split("<tr ")[1:]:
        attrs, _, body = row.partition(">")
        cells = []
        for part in body.rstrip("\n").removesuffix("</tr>").split("\n<td ")[1:]:
            td_attrs, _, rest = part.partition(">")
            cells.append((td_attrs, rest.removesuffix("\n").removesuffix("</td>")))
        rows.append((attrs, cells))
    return rows


@pytest.mark.parametrize(
    ("table_class", "options"),
    [
        (TicketTable, {"sla_context": True, "take_button": True}),
        (TicketTable, {"exclude": ("assignee", "sla", "priority")}),
        (RequesterTicketTable, {"sla_context": True}),
    ],
)
def test_fast_rows_are_the_cells_django_tables2_renders(desk, table_class, options):
    _tickets(desk)
    request = RequestFactory().get("/servicedesk/tickets/")
    request.user = desk.technician
    queryset = Ticket.objects.select_related(
        "catalog_item", "requester", "requesting_unit", "responsible_unit", "assignee"
    ).order_by("-id")
    if options.get("sla_context"):
        options = {**options, "sla_context": SLAContext()}
    with translation.override("tr"):
        table = table_class(queryset, request=request, **options)
        fast = _fast_rows(table)
        slow = _django_tables2_rows(table)
    assert len(fast) == 4
    assert _masked(fast) == _masked(slow)
    html = _rendered(table)
    assert "&lt;b&gt;" in html and "<b>" not in html  # the subject is escaped


def test_sla_badge_in_turkish():
    due = timezone.now()
    with translation.override("tr"):
        late = str(sla_badge({"due": due, "state": "breached", "remaining": -timedelta(hours=2)}))
        left = str(sla_badge({"due": due, "state": "ok", "remaining": timedelta(minutes=200)}))
        met = str(sla_badge({"due": due, "state": "met", "remaining": timedelta(0)}))
        none = str(sla_badge({"due": None, "state": "none", "remaining": None}))
    assert 'data-sla="breached"' in late and "bg-red-lt" in late and "2 sa gecikti" in late
    assert "3 sa 20 dk kaldı" in left and "bg-green-lt" in left
    assert 'data-sla="met"' in met
    assert none == '<span class="text-secondary">—</span>\n'


def _sla_badge_with_format_html(clock: dict) -> str:
    """The badge as it was built before its words were cached: the reference markup."""
    from django.utils.html import format_html
    from django.utils.translation import gettext

    from biys.core.dates import format_datetime
    from biys.servicedesk.tables import SLA_CLASSES

    def short(value):
        minutes = abs(int(value.total_seconds())) // 60
        hours, minutes = divmod(minutes, 60)
        if hours and minutes:
            return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
        if hours:
            return gettext("%(hours)d h") % {"hours": hours}
        return gettext("%(minutes)d min") % {"minutes": minutes}

    if not clock.get("due"):
        return format_html('<span class="text-secondary">{}</span>\n', "—")
    state, remaining = clock.get("state"), clock.get("remaining")
    icon = '<i class="ti ti-{}" aria-hidden="true"></i>{}'
    if state == "met":
        body = format_html(icon, "check", gettext("met"))
    elif state == "paused":
        body = format_html(
            '<i class="ti ti-player-pause" aria-hidden="true"></i>{} · {}',
            gettext("paused"),
            short(remaining),
        )
    elif state == "breached":
        if remaining is not None and remaining.total_seconds() < 0:
            text = gettext("%(late)s late") % {"late": short(remaining)}
        else:
            text = gettext("breached")
        body = format_html(icon, "alert-triangle", text)
    else:
        body = format_html(icon, "clock", gettext("%(left)s left") % {"left": short(remaining)})
    return format_html(
        '<span class="badge sla-{} {}" data-sla="{}" title="{}: {}">\n{}\n</span>\n',
        state,
        SLA_CLASSES.get(state, "bg-secondary-lt"),
        state,
        gettext("Due"),
        format_datetime(clock["due"]),
        body,
    )


@pytest.mark.parametrize("language", ["tr", "en"])
def test_sla_badges_are_the_markup_of_format_html(language):
    due = timezone.now()
    clocks = [
        {"due": None, "state": "none", "remaining": None},
        {"due": due, "state": "met", "remaining": timedelta(0)},
        {"due": due, "state": "paused", "remaining": timedelta(hours=1, minutes=5)},
        {"due": due, "state": "breached", "remaining": -timedelta(hours=2)},
        {"due": due, "state": "breached", "remaining": timedelta(minutes=3)},
        {"due": due, "state": "warning", "remaining": timedelta(minutes=45)},
        {"due": due, "state": "ok", "remaining": timedelta(days=2, minutes=1)},
    ]
    with translation.override(language):
        for clock in clocks:
            assert str(sla_badge(clock)) == str(_sla_badge_with_format_html(clock)), clock


def test_ticket_states_are_labelled(desk):
    ticket = _tickets(desk)[1]
    table = TicketTable(Ticket.objects.filter(pk=ticket.pk), request=None)
    with translation.override("tr"):
        html = _rendered(table)
    assert f'data-state="{TicketState.ASSIGNED}"' in html and "Atandı" in html
