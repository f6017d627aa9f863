import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from biys.comments.models import Comment
from biys.servicedesk import services
from biys.servicedesk.choices import AssignmentRule, Channel, HoldReason, Recurrence, TicketState
from biys.servicedesk.models import (
    Approval,
    CatalogItem,
    Queue,
    RecurringTicket,
    SLATarget,
    Ticket,
    TicketResponsibility,
)
from biys.servicedesk.tests.conftest import at

S = TicketState


def file(desk, **extra):
    return services.create_ticket(
        catalog_item=extra.pop("catalog_item", desk.printer),
        requester=extra.pop("requester", desk.requester.person),
        title=extra.pop("title", "Yazıcı çalışmıyor"),
        created_by=extra.pop("created_by", desk.requester),
        **extra,
    )


def comments_of(ticket):
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(Ticket), object_id=str(ticket.pk)
    )


# Filing --------------------------------------------------------------------------------------


def test_create_ticket_numbers_routes_and_prefills(desk, clock):
    desk.requester.person.work_phone = "0222 111 22 33"
    desk.requester.person.location = "B blok kat 2"
    desk.requester.person.save()
    ticket = file(desk)
    second = file(desk)
    assert ticket.number == "ARZ-2026-000001"
    assert second.number == "ARZ-2026-000002"
    assert ticket.state == S.NEW
    assert ticket.responsible_unit == desk.helpdesk
    assert ticket.requesting_unit == desk.roads
    assert ticket.contact_phone == "0222 111 22 33"
    assert ticket.location == "B blok kat 2"
    assert ticket.priority == 4  # low impact x medium urgency
    row = TicketResponsibility.objects.get(ticket=ticket)
    assert row.unit == desk.helpdesk and row.ended_at is None


def test_create_ticket_validates_title_and_form(desk, clock):
    with pytest.raises(ValidationError) as error:
        file(desk, title="  ")
    assert "title" in error.value.message_dict
    desk.printer.form_fields = [
        {
            "name": "system",
            "label": "Sistem",
            "type": "choice",
            "required": True,
            "choices": ["EBYS", "CBS"],
        }
    ]
    desk.printer.save()
    with pytest.raises(ValidationError) as error:
        file(desk)
    assert "form_data" in error.value.message_dict
    with pytest.raises(ValidationError):
        file(desk, form_data={"system": "SAP"})
    assert file(desk, form_data={"system": "EBYS"}).form_data == {"system": "EBYS"}


def test_only_it_staff_files_on_someone_elses_behalf(desk, clock):
    with pytest.raises(PermissionDenied):
        file(desk, created_by=desk.colleague)
    ticket = file(desk, created_by=desk.technician, channel=Channel.PHONE)
    assert ticket.requester == desk.requester.person
    assert ticket.created_by == desk.technician


def test_unregistered_asset_is_flagged_or_refused(desk, clock, settings):
    """odunpazari 10(1)(c): hardware faults only for devices in the municipal inventory. The
    register (biys.inventory) knows a device by its inventory number or its serial number."""
    from biys.inventory import services as inventory
    from biys.inventory.tests.factories import make_asset

    desk.printer.requires_asset = True
    desk.printer.save()
    registered = make_asset(desk.requester.person.unit, serial_number="CNB7K12345")
    assert file(desk).asset_unregistered is True
    assert file(desk, asset_reference="DMB-0042").asset_unregistered is True
    for reference in (registered.inventory_number, "CNB7K12345", "cnb7k12345"):
        assert file(desk, asset_reference=reference).asset_unregistered is False, reference
    settings.SERVICEDESK_UNREGISTERED_ASSET = "refuse"
    with pytest.raises(ValidationError) as error:
        file(desk)
    assert "asset_reference" in error.value.message_dict
    with pytest.raises(ValidationError):
        file(desk, asset_reference="DMB-0042")
    assert file(desk, asset_reference="CNB7K12345").asset_unregistered is False
    # A scrapped device is off the register.
    inventory.set_status(asset=registered, status="scrapped", notes="Komisyon kararı 2026/7")
    with pytest.raises(ValidationError):
        file(desk, asset_reference="CNB7K12345")


# SLA -----------------------------------------------------------------------------------------


def test_due_dates_in_office_hours_across_a_weekend(desk, clock):
    clock.set(2026, 11, 20, 16, 30)  # Friday
    ticket = file(desk)
    # 1h on Friday, then Monday 08:30 + 3h (the lunch break comes after 11:30).
    assert ticket.resolution_due == at(2026, 11, 23, 11, 30)
    assert ticket.first_response_due == at(2026, 11, 20, 17, 30)


def test_due_dates_skip_a_bayram_and_count_its_eve_as_half_day(desk, clock):
    SLATarget.objects.create(priority=4, first_response_minutes=60, resolution_minutes=480)
    other = CatalogItem.objects.create(name="E-posta", kind="request", unit=desk.helpdesk)
    clock.set(2026, 5, 25, 16, 30)  # Monday before Kurban Bayramı 2026
    ticket = file(desk, catalog_item=other)  # only the default row applies
    # Monday 1h, the eve (Tuesday) 08:30-12:30 4h, Wednesday to Saturday bayram, Sunday,
    # then Monday 1 June 08:30 + 3h.
    assert ticket.resolution_due == at(2026, 6, 1, 11, 30)


def test_no_target_means_no_due_date(desk, clock):
    other = CatalogItem.objects.create(name="Etkinlik", kind="event", unit=desk.helpdesk)
    ticket = file(desk, catalog_item=other)
    assert ticket.resolution_due is None and ticket.first_response_due is None


def test_round_the_clock_item_counts_every_hour(desk, clock):
    desk.printer.round_the_clock = True
    desk.printer.save()
    clock.set(2026, 11, 20, 16, 30)
    ticket = file(desk)
    assert ticket.round_the_clock
    assert ticket.resolution_due == at(2026, 11, 20, 20, 30)


def test_hold_pauses_the_clock_and_resume_pushes_due_dates(desk, clock):
    ticket = file(desk)  # Monday 09:00, due 13:00 + lunch hour = 14:00
    assert ticket.resolution_due == at(2026, 11, 16, 14, 0)
    clock.set(2026, 11, 16, 10, 0)
    services.put_on_hold(
        ticket=ticket, user=desk.technician, reason=HoldReason.SPARE_PART, note="Parça bekleniyor"
    )
    assert ticket.state == S.ON_HOLD and ticket.sla_paused_at == at(2026, 11, 16, 10, 0)
    clock.set(2026, 11, 17, 10, 0)  # a whole office day (8h) later
    services.resume_ticket(ticket=ticket, user=desk.technician)
    ticket.refresh_from_db()
    assert ticket.state == S.NEW
    assert ticket.sla_paused_at is None
    assert ticket.resolution_due == at(2026, 11, 17, 14, 0)
    assert ticket.first_response_due == at(2026, 11, 17, 10, 0)
    pause = ticket.sla_pauses.get()
    assert pause.ended_at == at(2026, 11, 17, 10, 0)


def test_first_public_reply_by_it_is_the_first_response(desk, clock):
    ticket = file(desk)
    services.add_reply(ticket=ticket, user=desk.requester, text="Acil lütfen")
    services.add_reply(ticket=ticket, user=desk.technician, text="Bakıyoruz", internal=True)
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None
    clock.set(2026, 11, 16, 9, 20)
    services.add_reply(ticket=ticket, user=desk.technician, text="Geliyoruz")
    ticket.refresh_from_db()
    assert ticket.first_responded_at == at(2026, 11, 16, 9, 20)
    with pytest.raises(ValidationError):
        services.add_reply(ticket=ticket, user=desk.requester, text="gizli", internal=True)
    assert comments_of(ticket).count() == 3


def test_requester_reply_resumes_a_ticket_waiting_for_them(desk, clock):
    ticket = file(desk)
    services.put_on_hold(ticket=ticket, user=desk.technician, reason=HoldReason.REQUESTER)
    services.add_reply(ticket=ticket, user=desk.requester, text="Oda numarası 204")
    ticket.refresh_from_db()
    assert ticket.state == S.NEW and ticket.sla_paused_at is None


def test_sla_warning_and_escalation_fire_once(desk, clock):
    ticket = file(desk)  # Monday 09:00, response due 10:00, resolution due 14:00
    clock.set(2026, 11, 16, 9, 30)
    assert services.check_sla() == {"warned": 0, "escalated": 0}
    clock.set(2026, 11, 16, 9, 50)  # 83% of the response time
    assert services.check_sla() == {"warned": 1, "escalated": 0}
    assert services.check_sla() == {"warned": 0, "escalated": 0}
    ticket.refresh_from_db()
    assert ticket.sla_warned_at == at(2026, 11, 16, 9, 50)
    clock.set(2026, 11, 16, 10, 5)
    assert services.check_sla() == {"warned": 0, "escalated": 1}
    clock.set(2026, 11, 16, 15, 0)
    assert services.check_sla() == {"warned": 0, "escalated": 0}
    ticket.refresh_from_db()
    assert ticket.sla_escalated_at == at(2026, 11, 16, 10, 5)


def test_paused_tickets_are_not_escalated(desk, clock):
    ticket = file(desk)
    services.put_on_hold(ticket=ticket, user=desk.technician, reason=HoldReason.SUPPLIER)
    clock.set(2026, 11, 18, 9, 0)
    assert services.check_sla()["escalated"] == 0


def test_escalation_goes_to_the_holder_of_the_manager_position(desk, clock, make_user):
    from biys.accounts.selectors import unit_manager_user
    from biys.org.models import Position

    manager = make_user("chief", desk.tree["network"])
    position = Position.objects.create(
        unit=desk.tree["network"], name="Şube Müdürü", holder=manager.person, is_manager=True
    )
    desk.tree["network"].manager_position = position
    desk.tree["network"].save()
    # The help desk has no chief of its own: its branch manager answers for it.
    assert unit_manager_user(desk.helpdesk) == manager


# Approval ------------------------------------------------------------------------------------


def test_approval_flow(desk, clock):
    from biys.servicedesk.selectors import tickets_visible_to

    desk.printer.requires_approval = True
    desk.printer.save()
    ticket = file(desk)
    assert ticket.state == S.PENDING_APPROVAL and ticket.resolution_due is None
    assert Approval.objects.get(ticket=ticket).approver_unit == desk.roads
    assert not tickets_visible_to(desk.technician).filter(pk=ticket.pk).exists()
    assert tickets_visible_to(desk.roads_chief).filter(pk=ticket.pk).exists()
    with pytest.raises(PermissionDenied):
        services.approve_ticket(ticket=ticket, user=desk.technician)
    with pytest.raises(PermissionDenied):
        services.approve_ticket(ticket=ticket, user=desk.colleague)
    clock.set(2026, 11, 16, 11, 0)
    services.approve_ticket(ticket=ticket, user=desk.roads_chief, comment="Uygun")
    assert ticket.state == S.NEW
    assert ticket.resolution_due == at(2026, 11, 16, 16, 0)  # the clock starts at approval
    assert Approval.objects.get(ticket=ticket).decision == "approved"
    assert tickets_visible_to(desk.technician).filter(pk=ticket.pk).exists()
    with pytest.raises(ValidationError):
        services.approve_ticket(ticket=ticket, user=desk.roads_chief)


def test_rejection_cancels_with_a_reason(desk, clock):
    desk.printer.requires_approval = True
    desk.printer.save()
    ticket = file(desk)
    with pytest.raises(ValidationError):
        services.reject_ticket(ticket=ticket, user=desk.roads_chief, comment="")
    services.reject_ticket(ticket=ticket, user=desk.roads_chief, comment="Bütçe yok")
    assert ticket.state == S.CANCELLED
    assert Approval.objects.get(ticket=ticket).decision == "rejected"


# State machine -------------------------------------------------------------------------------


def test_full_life_cycle(desk, clock):
    ticket = file(desk)
    services.take_ticket(ticket=ticket, user=desk.technician)
    assert ticket.state == S.ASSIGNED and ticket.assignee == desk.technician
    services.start_work(ticket=ticket, user=desk.technician)
    assert ticket.state == S.IN_PROGRESS
    entry = services.log_time(ticket=ticket, user=desk.technician, minutes=25, note="Toner")
    assert entry.minutes == 25
    with pytest.raises(ValidationError):
        services.log_time(ticket=ticket, user=desk.technician, minutes=0)
    services.resolve_ticket(ticket=ticket, user=desk.technician, resolution="Toner değişti")
    assert ticket.state == S.RESOLVED and ticket.resolved_at is not None
    assert ticket.first_responded_at is not None
    services.close_ticket(ticket=ticket)
    assert ticket.state == S.CLOSED and ticket.closed_at is not None


def test_illegal_transitions_are_refused_with_a_clear_error(desk, clock):
    ticket = file(desk)
    services.cancel_ticket(ticket=ticket, user=desk.requester, reason="Vazgeçtim")
    with pytest.raises(ValidationError) as error:
        services.resolve_ticket(ticket=ticket, user=desk.technician, resolution="x")
    assert "state" in error.value.message_dict
    assert (
        "cannot be resolved" in error.value.message_dict["state"][0]
        or "çözülemez" in (error.value.message_dict["state"][0])
    )
    with pytest.raises(ValidationError):
        services.resume_ticket(ticket=ticket, user=desk.technician)
    with pytest.raises(ValidationError):
        services.close_ticket(ticket=ticket)


def test_only_it_staff_of_the_responsible_unit_work_the_ticket(desk, clock):
    ticket = file(desk)
    for outsider in (desk.requester, desk.software_technician, desk.roads_chief):
        with pytest.raises(PermissionDenied):
            services.take_ticket(ticket=ticket, user=outsider)
    # The branch's technician covers its section (roles include sub-units).
    services.take_ticket(ticket=ticket, user=desk.network_technician)
    with pytest.raises(ValidationError):
        services.assign_ticket(
            ticket=ticket, assignee=desk.software_technician, user=desk.technician
        )
    services.assign_ticket(ticket=ticket, assignee=desk.technician, user=desk.network_technician)
    assert ticket.assignee == desk.technician


def test_transfer_keeps_the_responsibility_history(desk, clock):
    ticket = file(desk)
    services.take_ticket(ticket=ticket, user=desk.technician)
    with pytest.raises(ValidationError):
        services.transfer_ticket(
            ticket=ticket, unit=desk.tree["software"], user=desk.technician, reason=""
        )
    clock.set(2026, 11, 16, 10, 0)
    services.transfer_ticket(
        ticket=ticket, unit=desk.tree["software"], user=desk.technician, reason="Yazılım hatası"
    )
    assert ticket.responsible_unit == desk.tree["software"]
    assert ticket.assignee is None and ticket.state == S.NEW
    rows = list(TicketResponsibility.objects.filter(ticket=ticket).order_by("started_at"))
    assert [(r.unit, r.started_at, r.ended_at) for r in rows] == [
        (desk.helpdesk, at(2026, 11, 16, 9, 0), at(2026, 11, 16, 10, 0)),
        (desk.tree["software"], at(2026, 11, 16, 10, 0), None),
    ]
    assert rows[1].reason == "Yazılım hatası"
    # The previous unit no longer works on it; the new one does.
    with pytest.raises(PermissionDenied):
        services.take_ticket(ticket=ticket, user=desk.technician)
    services.take_ticket(ticket=ticket, user=desk.software_technician)


def test_round_robin_assignment(desk, clock, make_user):
    second = make_user("technician", desk.helpdesk)
    queue = Queue.objects.create(unit=desk.helpdesk, assignment_rule=AssignmentRule.ROUND_ROBIN)
    queue.members.set([desk.technician, second])
    assignees = [file(desk).assignee for _ in range(3)]
    assert assignees == [desk.technician, second, desk.technician]
    queue.refresh_from_db()
    assert queue.last_assigned == desk.technician


def test_least_loaded_assignment_uses_the_parent_queue(desk, clock, make_user):
    second = make_user("technician", desk.helpdesk)
    queue = Queue.objects.create(
        unit=desk.tree["network"], assignment_rule=AssignmentRule.LEAST_LOADED
    )
    queue.members.set([desk.technician, second])
    first = file(desk)
    assert first.assignee == desk.technician and first.state == S.ASSIGNED
    assert file(desk).assignee == second
    services.resolve_ticket(ticket=first, user=desk.technician, resolution="Tamam")
    assert file(desk).assignee == desk.technician  # resolved work is no load


def test_reopen_within_working_days_only_by_requester_or_manager(desk, clock):
    Queue.objects.create(unit=desk.helpdesk, reopen_working_days=2)
    ticket = file(desk)
    services.resolve_ticket(ticket=ticket, user=desk.technician, resolution="Tamam")
    with pytest.raises(PermissionDenied):
        services.reopen_ticket(ticket=ticket, user=desk.colleague, reason="Olmadı")
    with pytest.raises(PermissionDenied):
        services.reopen_ticket(ticket=ticket, user=desk.technician, reason="Olmadı")
    clock.set(2026, 11, 18, 16, 0)  # Wednesday: two working days later
    services.reopen_ticket(ticket=ticket, user=desk.requester, reason="Yine bozuldu")
    assert ticket.state == S.ASSIGNED and ticket.resolved_at is None
    services.resolve_ticket(ticket=ticket, user=desk.technician, resolution="Kartuş")
    clock.set(2026, 11, 23, 9, 0)  # Monday: Thursday and Friday passed, window over
    with pytest.raises(ValidationError):
        services.reopen_ticket(ticket=ticket, user=desk.roads_chief, reason="Olmadı")
    clock.set(2026, 11, 20, 9, 0)
    services.reopen_ticket(ticket=ticket, user=desk.roads_chief, reason="Olmadı")
    assert ticket.state == S.ASSIGNED


def test_rating_rules(desk, clock):
    ticket = file(desk)
    with pytest.raises(ValidationError):
        services.rate_ticket(ticket=ticket, user=desk.requester, rating=5)
    services.resolve_ticket(ticket=ticket, user=desk.technician, resolution="Tamam")
    with pytest.raises(PermissionDenied):
        services.rate_ticket(ticket=ticket, user=desk.technician, rating=5)
    with pytest.raises(ValidationError) as error:
        services.rate_ticket(ticket=ticket, user=desk.requester, rating=6)
    assert "rating" in error.value.message_dict
    services.rate_ticket(ticket=ticket, user=desk.requester, rating=4, comment="Hızlı")
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (4, "Hızlı")


def test_merge_cancels_the_duplicate_and_keeps_its_comments(desk, clock):
    original, duplicate = file(desk), file(desk)
    services.add_reply(ticket=duplicate, user=desk.requester, text="Aynı sorun")
    with pytest.raises(ValidationError):
        services.merge_tickets(duplicate=duplicate, into=duplicate, user=desk.technician)
    services.merge_tickets(duplicate=duplicate, into=original, user=desk.technician)
    duplicate.refresh_from_db()
    assert duplicate.state == S.CANCELLED and duplicate.merged_into == original
    assert comments_of(duplicate).filter(text="Aynı sorun").exists()
    with pytest.raises(ValidationError):
        services.merge_tickets(duplicate=duplicate, into=original, user=desk.technician)


def test_parent_tickets_refuse_loops(desk, clock):
    parent, child = file(desk), file(desk)
    services.set_parent(ticket=child, parent=parent, user=desk.technician)
    assert child.parent == parent
    with pytest.raises(ValidationError):
        services.set_parent(ticket=parent, parent=child, user=desk.technician)


def test_supplier_round_trip_pauses_the_clock(desk, clock):
    ticket = file(desk)
    due = ticket.resolution_due
    with pytest.raises(ValidationError):
        services.send_to_supplier(ticket=ticket, user=desk.technician, case_number="")
    services.send_to_supplier(ticket=ticket, user=desk.technician, case_number="HP-123")
    assert ticket.state == S.ON_HOLD and ticket.hold_reason == HoldReason.SUPPLIER
    clock.set(2026, 11, 16, 10, 0)
    services.return_from_supplier(ticket=ticket, user=desk.technician)
    assert ticket.state == S.IN_PROGRESS and ticket.returned_from_supplier_at is not None
    assert ticket.resolution_due == at(2026, 11, 16, 15, 0)
    assert due == at(2026, 11, 16, 14, 0)


def test_field_visit_scheduling(desk, clock):
    ticket = file(desk)
    start = at(2026, 11, 17, 10, 0)
    with pytest.raises(ValidationError):
        services.schedule_field_visit(
            ticket=ticket, technician=desk.technician, start=start, end=start, user=desk.technician
        )
    with pytest.raises(ValidationError):
        services.schedule_field_visit(
            ticket=ticket,
            technician=desk.software_technician,
            start=start,
            end=at(2026, 11, 17, 11, 0),
            user=desk.technician,
        )
    visit = services.schedule_field_visit(
        ticket=ticket,
        technician=desk.technician,
        start=start,
        end=at(2026, 11, 17, 11, 0),
        location="Fen İşleri, B blok",
        user=desk.technician,
    )
    assert visit.location == "Fen İşleri, B blok"


def test_resolved_tickets_close_after_the_queues_working_days(desk, clock):
    Queue.objects.create(unit=desk.helpdesk, auto_close_working_days=2)
    ticket = file(desk)
    clock.set(2026, 11, 20, 12, 0)  # Friday
    services.resolve_ticket(ticket=ticket, user=desk.technician, resolution="Tamam")
    clock.set(2026, 11, 23, 12, 0)  # Monday: one working day
    assert services.close_resolved_tickets() == 0
    clock.set(2026, 11, 24, 12, 0)
    assert services.close_resolved_tickets() == 1
    ticket.refresh_from_db()
    assert ticket.state == S.CLOSED


def test_recurring_tickets_are_created_and_rescheduled(desk, clock):
    from datetime import date

    recurring = RecurringTicket.objects.create(
        catalog_item=desk.printer,
        title="Aylık UPS kontrolü",
        responsible_unit=desk.tree["network"],
        requester=desk.technician.person,
        recurrence=Recurrence.MONTHLY,
        next_run=date(2026, 10, 31),
    )
    created = services.create_recurring_tickets(today=date(2026, 11, 16))
    assert len(created) == 1
    ticket = created[0]
    assert ticket.channel == Channel.RECURRING
    assert ticket.responsible_unit_id == desk.tree["network"].pk
    recurring.refresh_from_db()
    assert recurring.next_run == date(2026, 11, 30)
    assert recurring.last_ticket == ticket
    assert services.create_recurring_tickets(today=date(2026, 11, 16)) == []
