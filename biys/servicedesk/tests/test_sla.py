from datetime import timedelta

from biys.servicedesk import services
from biys.servicedesk.choices import HoldReason
from biys.servicedesk.selectors import sla_status
from biys.servicedesk.tests.conftest import at


def file(desk):
    return services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title="Yazıcı",
        created_by=desk.requester,
    )


def test_clock_states_through_the_day(desk, clock):
    ticket = file(desk)  # Monday 09:00: response due 10:00, resolution due 14:00
    status = sla_status(ticket, now=at(2026, 11, 16, 9, 30))
    assert status["response"]["state"] == "ok"
    assert status["response"]["percent"] == 50
    assert status["response"]["remaining"] == timedelta(minutes=30)
    assert sla_status(ticket, now=at(2026, 11, 16, 9, 50))["response"]["state"] == "warning"
    late = sla_status(ticket, now=at(2026, 11, 16, 10, 30))
    assert late["response"]["state"] == "breached"
    assert late["response"]["remaining"] == -timedelta(minutes=30)
    # The lunch break does not count: 3.5 office hours of 4 at 12:30 and still at 13:30.
    for lunch_edge in (at(2026, 11, 16, 12, 30), at(2026, 11, 16, 13, 30)):
        assert sla_status(ticket, now=lunch_edge)["resolution"]["percent"] == 88


def test_met_and_paused_clocks(desk, clock):
    ticket = file(desk)
    clock.set(2026, 11, 16, 9, 40)
    services.add_reply(ticket=ticket, user=desk.technician, text="Bakıyoruz")
    ticket.refresh_from_db()
    assert sla_status(ticket, now=at(2026, 11, 16, 11, 0))["response"]["state"] == "met"
    services.put_on_hold(ticket=ticket, user=desk.technician, reason=HoldReason.REQUESTER)
    paused = sla_status(ticket, now=at(2026, 11, 18, 9, 0))["resolution"]
    assert paused["state"] == "paused"
    assert paused["remaining"] == timedelta(hours=3, minutes=20)
    clock.set(2026, 11, 16, 15, 0)
    services.resolve_ticket(ticket=ticket, user=desk.technician, resolution="Tamam")
    assert sla_status(ticket)["resolution"]["state"] == "met"


def test_late_resolution_is_breached(desk, clock):
    ticket = file(desk)
    clock.set(2026, 11, 17, 9, 0)
    services.resolve_ticket(ticket=ticket, user=desk.technician, resolution="Geç")
    assert sla_status(ticket)["resolution"]["state"] == "breached"
