"""The ticket API's list and detail read fast (a compiled read plan, each caller's parties
worked out once per combination on a page, the caller's readable tickets built once per scope)
and still answer exactly what DRF's own reading and the workflow table answer, for every party,
in Turkish and in English; a change of roles is seen on the next request."""

import json

import pytest
from django.utils import translation
from rest_framework import serializers
from rest_framework.test import APIClient, APIRequestFactory

from biys.accounts.models import RoleAssignment
from biys.core.api.serializers import _run_plan
from biys.servicedesk import services, workflow
from biys.servicedesk.api import views as api_views
from biys.servicedesk.api.serializers import TicketSerializer
from biys.servicedesk.choices import HoldReason
from biys.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db

URL = "/api/v1/servicedesk/tickets/"


@pytest.fixture
def tickets(desk):
    """Tickets in the states and conditions the workflow table tells apart: new, assigned, in
    progress, waiting for the requester, at the supplier, resolved; filed by the requester, by
    the technician for a colleague, and one with a parent."""

    def filed(requester, by, title):
        return services.create_ticket(
            catalog_item=desk.printer, requester=requester.person, title=title, created_by=by
        )

    tech = desk.technician
    new = filed(desk.requester, desk.requester, "Yazıcı çalışmıyor")
    assigned = filed(desk.colleague, tech, "Toner bitti")
    services.take_ticket(ticket=assigned, user=tech)
    working = filed(desk.requester, desk.requester, "Kağıt sıkıştı")
    services.start_work(ticket=working, user=tech)
    waiting = filed(desk.requester, tech, "Şifre sıfırlama")
    services.put_on_hold(ticket=waiting, user=tech, reason=HoldReason.REQUESTER, note="Bilgi?")
    supplier = filed(desk.colleague, desk.colleague, "Garanti kapsamında arıza")
    services.send_to_supplier(ticket=supplier, user=tech, case_number="TR-42")
    resolved = filed(desk.requester, desk.requester, "Ekran titriyor")
    services.resolve_ticket(ticket=resolved, user=tech, resolution="Kablo değişti.")
    child = filed(desk.colleague, tech, "Alt iş")
    services.set_parent(ticket=child, user=tech, parent=new)
    return [new, assigned, working, waiting, supplier, resolved, child]


def callers(desk):
    return {
        "technician": desk.technician,
        "requester": desk.requester,
        "colleague": desk.colleague,
        "roads_chief": desk.roads_chief,
        "other_technician": desk.software_technician,
    }


def drf_row(ticket_id, user) -> dict:
    """DRF's own reading of the ticket (no plan) as the ORM loads it, with the workflow
    table's actions asked afresh."""
    ticket = Ticket.objects.select_related(
        "catalog_item", "requester", "requesting_unit", "responsible_unit", "assignee"
    ).get(pk=ticket_id)
    request = APIRequestFactory().get("/")
    request.user = user
    row = serializers.Serializer.to_representation(
        TicketSerializer(context={"request": request}), ticket
    )
    assert row["allowed_actions"] == workflow.allowed_actions(user, ticket)
    return row


@pytest.mark.parametrize("language", ["tr", "en"])
def test_list_and_detail_read_as_drf_and_the_workflow_table_for_every_party(
    desk, tickets, language
):
    seen_by_someone = set()
    for name, user in callers(desk).items():
        api = APIClient()
        api.force_login(user)
        with translation.override(language):
            page = api.get(URL, {"per_page": 100}, HTTP_ACCEPT_LANGUAGE=language)
            assert page.status_code == 200, name
            rows = page.json()["results"]
            for row in rows:
                expected = drf_row(row["id"], user)
                assert json.dumps(row) == json.dumps(expected), (name, row["id"])
                detail = api.get(f"{URL}{row['id']}/", HTTP_ACCEPT_LANGUAGE=language).json()
                assert json.dumps(detail) == json.dumps(expected), (name, row["id"])
                seen_by_someone.add(row["id"])
    assert seen_by_someone == {ticket.pk for ticket in tickets}


def test_actions_of_one_page_follow_each_rows_parties(desk, tickets):
    """Rows that share units but not the requester or filer get their own parties: the
    requester's own ticket offers what the colleague's does not."""
    api = APIClient()
    api.force_login(desk.requester)
    rows = {row["id"]: row for row in api.get(URL, {"per_page": 100}).json()["results"]}
    for ticket in tickets:
        if ticket.pk in rows:
            assert rows[ticket.pk]["allowed_actions"] == workflow.allowed_actions(
                desk.requester, ticket
            )
    assert tickets[3].pk in rows and "resume" in rows[tickets[3].pk]["allowed_actions"]


def test_compiled_plan_reads_as_the_plan(desk, tickets):
    request = APIRequestFactory().get("/")
    request.user = desk.technician
    serializer = TicketSerializer(context={"request": request})
    reader, plan = TicketSerializer.read_function(), TicketSerializer.read_plan()
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    for ticket in Ticket.objects.select_related(
        "catalog_item", "requester", "requesting_unit", "responsible_unit", "assignee"
    ):
        assert json.dumps(reader(serializer, ticket, zone)) == json.dumps(
            _run_plan(plan, serializer, ticket, zone)
        )


def test_a_change_of_roles_is_seen_on_the_next_request(desk, tickets):
    api = APIClient()
    api.force_login(desk.software_technician)
    technician_api = APIClient()
    technician_api.force_login(desk.technician)
    assert technician_api.get(URL).json()["count"] == len(tickets)
    assert api.get(URL).json()["count"] == 0
    assert api.get(f"{URL}{tickets[0].pk}/").status_code == 404
    # The software technician is given the help desk's role: the next request sees its tickets.
    assignment = RoleAssignment.objects.filter(user=desk.technician).first()
    RoleAssignment.objects.create(
        user=desk.software_technician, role=assignment.role, unit=desk.helpdesk
    )
    assert api.get(URL).json()["count"] == len(tickets)
    assert api.get(f"{URL}{tickets[0].pk}/").status_code == 200
    # And the help desk technician loses theirs: only the tickets they filed are left.
    RoleAssignment.objects.filter(user=desk.technician).delete()
    filed = Ticket.objects.filter(created_by=desk.technician).count()
    assert 0 < filed < len(tickets)
    assert technician_api.get(URL).json()["count"] == filed
    assert technician_api.get(f"{URL}{tickets[0].pk}/").status_code == 404


def test_readable_tickets_are_kept_per_caller_and_scope(desk, tickets):
    api_views._READABLE.clear()
    for user in (desk.technician, desk.requester):
        api = APIClient()
        api.force_login(user)
        api.get(URL)
        api.get(URL)
    assert len(api_views._READABLE) == 2
