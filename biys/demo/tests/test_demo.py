"""The service desk's demo activity on top of the odunpazari demo organisation."""

import time

import pytest

from biys.accounts.models import User
from biys.demo.builder import build_demo
from biys.servicedesk.catalog_loader import read_catalog
from biys.servicedesk.models import CatalogItem, Queue, Ticket, TimeEntry
from biys.servicedesk.selectors import tickets_visible_to


@pytest.fixture
def demo(db):
    started = time.monotonic()
    result = build_demo(preset="odunpazari")
    return result, time.monotonic() - started


def test_demo_builds_two_months_of_tickets_in_every_state(demo):
    result, _seconds = demo
    assert result.preset == "odunpazari"
    assert CatalogItem.objects.count() == len(read_catalog("odunpazari")["items"])
    tickets = Ticket.objects.all()
    assert tickets.count() >= 150
    states = set(tickets.values_list("state", flat=True))
    assert states >= {
        "new",
        "pending_approval",
        "assigned",
        "in_progress",
        "on_hold",
        "resolved",
        "closed",
        "cancelled",
    }
    assert (
        tickets.filter(hold_reason="supplier").exists()
        or tickets.filter(sent_to_supplier_at__isnull=False).exists()
    )
    assert tickets.filter(rating__isnull=False).count() >= 20
    assert tickets.filter(merged_into__isnull=False).exists()
    transferred = [
        t for t in tickets.prefetch_related("responsibilities") if len(t.responsibilities.all()) > 1
    ]
    assert transferred
    assert TimeEntry.objects.exists()
    # Spread over the last two months, from many units.
    created = sorted(tickets.values_list("created", flat=True))
    assert (created[-1] - created[0]).days >= 40
    assert tickets.values("requesting_unit").distinct().count() >= 8
    resolved = tickets.filter(resolved_at__isnull=False).first()
    assert resolved.created < resolved.resolved_at


def test_demo_logins_have_tickets_to_see(demo):
    talep = User.objects.get(username="talep")
    own = Ticket.objects.filter(requester=talep.person)
    assert own.count() >= 3
    visible = tickets_visible_to(talep)
    assert set(own) <= set(visible)
    assert not visible.exclude(requester=talep.person).exclude(created_by=talep).exists()

    teknisyen = User.objects.get(username="teknisyen")
    assert Queue.objects.filter(members=teknisyen).exists()
    assert Ticket.objects.filter(assignee=teknisyen).count() >= 3
    assert tickets_visible_to(User.objects.get(username="sube.muduru")).exists()


def test_demo_managers_have_requests_to_approve_and_a_busy_branch(demo):
    from biys.servicedesk import selectors

    chief = User.objects.get(username="sube.muduru")
    head = User.objects.get(username="daire.baskani")
    for manager, at_least in ((chief, 3), (head, 5)):
        pending = list(selectors.pending_approvals_for(manager))
        assert len(pending) >= at_least, manager
        for ticket in pending:
            assert selectors.can_view_ticket(manager, ticket)
            assert selectors.can_approve(manager, ticket)
    # the chief is the manager of the requesting unit (its position), and heads a busy branch
    branch = chief.role_assignments.get(role__slug="chief").unit
    assert branch.manager_position.holder == chief.person
    assert chief.person.unit == branch
    handled = Ticket.objects.filter(responsible_unit__path__startswith=branch.path)
    assert handled.count() >= 20
