"""A finding's fix as a service-desk ticket (through ``biys.core.tickets``: the secops and
service-desk modules never import each other): filed for the unit owning the asset, linked
both ways, and closing it never fixes the finding: the SOME verifies."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.core.tickets import linked_records
from biys.secops import selectors, services
from biys.secops.choices import State
from biys.secops.models import Finding
from biys.secops.tests.factories import make_finding
from biys.servicedesk.models import CatalogItem, Ticket
from biys.servicedesk.tests.factories import CatalogItemFactory

pytestmark = pytest.mark.django_db


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_ticket_goes_to_the_unit_owning_the_asset_and_links_both_ways(
    member, make_user, org_tree
):
    CatalogItemFactory(unit=org_tree["dept"], name="Genel arıza")
    item = CatalogItemFactory(unit=org_tree["network"], name="Ağ arızası")
    finding = make_finding(org_tree["network"], solution="OpenSSH 9.8'e yükseltin.")
    finding = services.open_finding_ticket(user=member, finding=finding)
    ticket = Ticket.objects.get()
    assert finding.ticket == ticket and ticket.catalog_item == item
    assert ticket.responsible_unit == org_tree["network"]
    assert ticket.requester == member.person and ticket.created_by == member
    assert finding.title in ticket.title and "OpenSSH 9.8" in ticket.description
    assert finding.state == State.IN_REMEDIATION and ticket.number in finding.state_note
    records = linked_records(member, ticket)
    assert [(r.kind, r.url) for r in records] == [("finding", finding.get_absolute_url())]
    # The service desk's staff, who see no findings, see no link either.
    technician = make_user("technician", org_tree["network"])
    assert linked_records(technician, ticket) == []


def test_without_a_catalogue_item_of_its_own_the_nearest_unit_above_takes_it(member, org_tree):
    CatalogItemFactory(unit=org_tree["software"], name="Yazılım")
    dept = CatalogItemFactory(unit=org_tree["dept"], name="Bilgi işlem")
    CatalogItemFactory(unit=org_tree["network"], name="Onaylı", requires_approval=True)
    finding = make_finding(org_tree["helpdesk"])
    services.open_finding_ticket(user=member, finding=finding)
    assert Ticket.objects.get().catalog_item == dept


def test_no_catalogue_item_refuses_and_changes_nothing(member, org_tree):
    finding = make_finding(org_tree["network"])
    with pytest.raises(ValidationError) as error:
        services.open_finding_ticket(user=member, finding=finding)
    assert "ticket" in error.value.message_dict
    finding.refresh_from_db()
    assert finding.ticket is None and finding.state == State.OPEN
    assert not Ticket.objects.exists()


def test_one_live_ticket_per_finding_and_only_for_an_active_one(member, org_tree):
    CatalogItemFactory(unit=org_tree["network"])
    finding = make_finding(org_tree["network"])
    services.open_finding_ticket(user=member, finding=finding)
    with pytest.raises(ValidationError):
        services.open_finding_ticket(user=member, finding=finding)
    Ticket.objects.update(state="cancelled")
    finding.refresh_from_db()
    assert services.may_open_ticket(member, finding)
    services.open_finding_ticket(user=member, finding=finding)
    assert Ticket.objects.count() == 2
    fixed = make_finding(org_tree["network"], state=State.FIXED)
    with pytest.raises(ValidationError):
        services.open_finding_ticket(user=member, finding=fixed)


def test_closing_the_ticket_leaves_the_finding_awaiting_verification(member, org_tree):
    CatalogItemFactory(unit=org_tree["network"])
    finding = services.open_finding_ticket(user=member, finding=make_finding(org_tree["network"]))
    other = make_finding(org_tree["network"])
    Ticket.objects.update(state="closed")
    finding.refresh_from_db()
    assert finding.state == State.IN_REMEDIATION
    assert services.awaiting_verification(finding)
    waiting = selectors.findings_for(member).filter(selectors.awaiting_verification_q())
    assert list(waiting) == [finding] and other not in waiting
    client = page_client(member)
    page = client.get(finding.get_absolute_url()).content.decode()
    assert 'id="awaiting-verification"' in page
    listed = client.get(reverse("secops:finding_list"), {"awaiting_verification": "true"})
    assert finding.get_absolute_url() in listed.content.decode()
    assert other.get_absolute_url() not in listed.content.decode()
    services.change_state(user=member, finding=finding, action="fix")
    finding.refresh_from_db()
    assert not services.awaiting_verification(finding)


def test_the_page_and_the_api_open_it_for_whoever_may_change_the_finding(
    member, make_user, org_tree
):
    CatalogItemFactory(unit=org_tree["network"])
    finding = make_finding(org_tree["network"])
    url = reverse("secops:finding_ticket", args=[finding.pk])
    page = page_client(member).get(finding.get_absolute_url()).content.decode()
    assert 'id="finding-ticket-form"' in page
    auditor = make_user("auditor", org_tree["dept"])
    assert (
        'id="finding-ticket-form"'
        not in page_client(auditor).get(finding.get_absolute_url()).content.decode()
    )
    assert page_client(auditor).post(url).status_code == 403
    assert page_client(make_user("technician", org_tree["network"])).post(url).status_code == 404
    api = APIClient()
    api.force_authenticate(auditor)
    assert api.post(f"/api/v1/secops/findings/{finding.pk}/ticket/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.open_finding_ticket(user=auditor, finding=finding)
    assert not Ticket.objects.exists()

    response = page_client(member).post(url)
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.ticket is not None
    api.force_authenticate(member)
    again = api.post(f"/api/v1/secops/findings/{finding.pk}/ticket/")
    assert again.status_code == 400 and "ticket" in again.json()["errors"]
    other = make_finding(org_tree["network"])
    opened = api.post(f"/api/v1/secops/findings/{other.pk}/ticket/")
    assert (
        opened.status_code == 200
        and opened.json()["ticket"] == Finding.objects.get(pk=other.pk).ticket_id
    )


def test_the_tickets_page_lists_the_finding_for_whoever_sees_both(make_user, org_tree):
    CatalogItemFactory(unit=org_tree["network"])
    admin = make_user(superuser=True)
    finding = make_finding(org_tree["network"])
    lead = make_user("some_lead", org_tree["dept"])
    services.open_finding_ticket(user=lead, finding=finding)
    ticket = Ticket.objects.get()
    page = page_client(admin).get(ticket.get_absolute_url()).content.decode()
    assert 'id="ticket-linked"' in page and finding.get_absolute_url() in page
    assert CatalogItem.objects.count() == 1


def test_a_ticket_no_record_names_costs_one_statement_and_an_incident_is_found(member, org_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from biys.secops.tests.factories import make_incident

    CatalogItemFactory(unit=org_tree["network"], name="Ağ arızası")
    services.open_finding_ticket(user=member, finding=make_finding(org_tree["network"]))
    ticket = Ticket.objects.get()
    Finding.objects.update(ticket=None)
    with CaptureQueriesContext(connection) as queries:
        assert linked_records(member, ticket) == []
    assert len(queries) == 1
    incident = make_incident(org_tree["network"], ticket=ticket)
    records = linked_records(member, ticket)
    assert [(r.kind, r.url) for r in records] == [("incident", incident.get_absolute_url())]


def test_the_ticket_pages_query_tells_whether_to_ask_for_records(member, org_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from biys.core.tickets import with_link_hints
    from biys.secops.tests.factories import make_incident

    CatalogItemFactory(unit=org_tree["network"], name="Ağ arızası")
    services.open_finding_ticket(user=member, finding=make_finding(org_tree["network"]))
    Finding.objects.update(ticket=None)
    ticket = with_link_hints(Ticket.objects.all()).get()
    with CaptureQueriesContext(connection) as queries:
        assert linked_records(member, ticket) == []
    assert len(queries) == 0  # the hint said none: the module is not asked
    incident = make_incident(org_tree["network"], ticket=ticket)
    ticket = with_link_hints(Ticket.objects.all()).get()
    records = linked_records(member, ticket)
    assert [(r.kind, r.url) for r in records] == [("incident", incident.get_absolute_url())]
