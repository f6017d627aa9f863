""" "Overdue" is defined once (``selectors.overdue_q``): the queue's filter, the API filter, the
statistics and the SLA badge of each row give the same tickets.

Office hours 08:30-17:30, lunch 12:30-13:30; 13 November 2026 is a Friday. Tickets with the
printer item have 4 office hours to be resolved, the duty-team item 4 elapsed hours.
"""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from biys.servicedesk import services
from biys.servicedesk.choices import HoldReason
from biys.servicedesk.models import CatalogItem, SLATarget, Ticket
from biys.servicedesk.stats import Period, PeriodPreset, ticket_statistics
from biys.servicedesk.views.common import SLAContext


def _file(desk, title, item=None):
    return services.create_ticket(
        catalog_item=item or desk.printer,
        requester=desk.requester.person,
        title=title,
        created_by=desk.requester,
    )


@pytest.fixture
def tickets(desk, clock):
    duty_team = CatalogItem.objects.create(
        name="Sunucu kesintisi", kind="fault", unit=desk.helpdesk, round_the_clock=True
    )
    SLATarget.objects.create(
        catalog_item=duty_team, priority=4, first_response_minutes=60, resolution_minutes=240
    )
    duty_team.default_impact, duty_team.default_urgency = 3, 2
    duty_team.save()
    clock.set(2026, 11, 12, 9, 0)  # Thursday: due 14:00
    forgotten = _file(desk, "forgotten")
    on_hold = _file(desk, "on hold in time")
    solved = _file(desk, "solved")
    clock.set(2026, 11, 12, 9, 30)
    services.resolve_ticket(ticket=solved, user=desk.technician, resolution="Tamam")
    services.put_on_hold(ticket=on_hold, user=desk.technician, reason=HoldReason.REQUESTER)
    clock.set(2026, 11, 13, 13, 30)  # Friday: due at closing time, 17:30
    friday = _file(desk, "due friday at closing")
    duty = _file(desk, "duty team", item=duty_team)
    assert friday.resolution_due.hour == 17 and duty.resolution_due.hour == 17
    return {t.title: t for t in (forgotten, on_hold, solved, friday, duty)}


def _ui(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("servicedesk:ticket_list"), {"overdue": "true"})
    assert response.status_code == 200
    return {row.record.title for row in response.context["table"].rows}


def _api(user) -> set[str]:
    api = APIClient()
    api.force_authenticate(user)
    response = api.get("/api/v1/servicedesk/tickets/", {"overdue": "true"})
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def _badges() -> set[str]:
    context = SLAContext()
    return {
        ticket.title
        for ticket in Ticket.objects.all()
        if context.status(ticket)["resolution"]["state"] == "breached"
    }


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Saturday: the Friday ticket used no office time since its due time, so it is not late
        # yet (though its first response is); the duty team's clock runs through the weekend.
        ((2026, 11, 14, 10, 0), {"forgotten", "duty team"}),
        ((2026, 11, 16, 8, 29), {"forgotten", "duty team"}),
        ((2026, 11, 16, 8, 31), {"forgotten", "duty team", "due friday at closing"}),
    ],
)
def test_ui_api_statistics_and_badges_agree(client, desk, clock, tickets, moment, expected):
    clock.set(*moment)
    assert set(Ticket.objects.overdue().values_list("title", flat=True)) == expected
    assert _ui(client, desk.technician) == expected
    assert _api(desk.technician) == expected
    assert _badges() == expected
    month = Period.from_preset(PeriodPreset.THIS_MONTH, today=date(*moment[:3]))
    assert ticket_statistics(desk.technician, period=month).totals["overdue"] == len(expected)
    not_overdue = set(Ticket.objects.not_overdue().values_list("title", flat=True))
    assert not_overdue == set(tickets) - expected
