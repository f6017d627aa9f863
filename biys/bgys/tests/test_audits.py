"""Internal audits: the plan, the audit's states (planned → in progress → reported → closed), the
checklist drawn from the framework, findings, the corrective action (DÖF) every nonconformity
opens, its due date on the working calendar, its verification by someone other than its owner,
its closure; the read-only auditor who sees only the audits they are named on; the management
review."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from biys.bgys import audit_services as services
from biys.bgys.models import (
    Audit,
    AuditPlan,
    AuditState,
    ChecklistItem,
    CorrectiveAction,
    CorrectiveState,
    Finding,
    ManagementReview,
    ReviewAction,
)
from biys.bgys.tests.factories import make_audit, make_corrective_action, small_framework
from biys.calendar.selectors import get_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched by their English text."""
    from django.utils import translation

    with translation.override("en"):
        yield


def new_audit(manager, org_tree, framework=None, **fields) -> Audit:
    framework = framework or small_framework()
    plan = AuditPlan.objects.filter(year=2026).first() or services.save_plan(
        plan=AuditPlan(unit=org_tree["network"], year=2026, title="2026 iç denetim planı"),
        user=manager,
    )
    values = {
        "plan": plan,
        "unit": org_tree["network"],
        "title": "Ağ ve sistemler denetimi",
        "framework": framework,
        "scope": "Merkez bina ağı, sunucular ve güvenlik duvarları",
        "planned_start": datetime.date(2026, 3, 2),
        "planned_end": datetime.date(2026, 3, 6),
    }
    values.update(fields)
    return services.save_audit(audit=Audit(**values), user=manager)


def test_an_audit_runs_from_plan_to_closure(manager, make_user, org_tree):
    framework = small_framework()
    audit = new_audit(manager, org_tree, framework)
    assert audit.state == AuditState.PLANNED

    # Starting needs a checklist; it is drawn by asset group and level.
    with pytest.raises(ValidationError):
        services.start_audit(audit=audit, user=manager)
    added = services.draw_checklist(
        audit=audit, user=manager, asset_group=framework.asset_groups.get(), level=2
    )
    assert added == 3  # the level 1 and 2 measures of the group's section
    assert services.draw_checklist(audit=audit, user=manager, level=3) == 1  # the level 3 one
    audit = services.start_audit(audit=audit, user=manager)
    assert audit.state == AuditState.IN_PROGRESS and audit.started_on

    items = list(audit.items.select_related("measure"))
    for item in items[1:]:
        services.record_result(item=item, user=manager, result="conforming", notes="Görüldü")
    with pytest.raises(ValidationError, match="no result"):
        services.report_audit(audit=audit, user=manager)
    services.record_result(item=items[0], user=manager, result="nonconforming")
    audit.conclusion = "Envanter dışında tedbirler uygulanıyor."
    audit.save()
    with pytest.raises(ValidationError, match=items[0].measure.number):
        services.report_audit(audit=audit, user=manager)

    # The nonconformity opens its corrective action at once.
    finding = services.save_finding(
        finding=Finding(
            audit=audit,
            kind="minor",
            checklist_item=items[0],
            description="Ağ cihazlarının envanteri altı aydır güncellenmemiş",
        ),
        user=manager,
    )
    assert finding.number == 1 and finding.measure_id == items[0].measure_id
    action = CorrectiveAction.objects.get(finding=finding)
    assert action.state == CorrectiveState.OPEN and action.unit_id == audit.unit_id
    assert action.due_date == get_calendar().add_working_days(action.opened_on, 30)
    observation = services.save_finding(
        finding=Finding(
            audit=audit, kind="observation", measure=items[1].measure, description="İyi"
        ),
        user=manager,
    )
    assert observation.number == 2 and not hasattr(observation, "corrective_action")

    audit = services.report_audit(audit=audit, user=manager)
    assert audit.state == AuditState.REPORTED and audit.reported_by == manager
    with pytest.raises(ValidationError):  # no findings after the report
        services.save_finding(
            finding=Finding(audit=audit, kind="minor", measure=items[1].measure, description="x"),
            user=manager,
        )
    with pytest.raises(ValidationError, match="still open"):
        services.close_audit(audit=audit, user=manager)

    # The owner works on the action; someone else verifies it; then it closes.
    owner = make_user(None, org_tree["network"])
    action.owner, action.root_cause = owner.person, "Envanter sorumlusu atanmamış"
    action.actions = "Sorumlu atandı, aylık kontrol takvime eklendi"
    action = services.save_corrective_action(action=action, user=manager)
    with pytest.raises(ValidationError):  # closing needs the verification first
        services.close_corrective_action(action=action, user=manager)
    action = services.complete_corrective_action(
        action=action, user=owner, notes="Envanter güncellendi"
    )
    assert action.state == CorrectiveState.IMPLEMENTED
    with pytest.raises(ValidationError):
        services.close_corrective_action(action=action, user=manager)
    action = services.verify_corrective_action(
        action=action, user=manager, effective=True, notes="Mart envanteri yerinde incelendi"
    )
    assert action.state == CorrectiveState.VERIFIED and action.verified_by == manager
    action = services.close_corrective_action(action=action, user=manager)
    assert action.state == CorrectiveState.CLOSED and action.closed_at

    audit = services.close_audit(audit=audit, user=manager)
    assert audit.state == AuditState.CLOSED
    with pytest.raises(ValidationError):
        services.save_audit(audit=audit, user=manager)


def test_checklist_by_section_and_foreign_measures(manager, org_tree):
    framework = small_framework()
    audit = new_audit(manager, org_tree, framework)
    section = framework.sections.get(number="3.1")
    assert services.draw_checklist(audit=audit, user=manager, section=section, level=1) == 2
    assert services.draw_checklist(audit=audit, user=manager, section=section, level=1) == 0
    other = small_framework()
    with pytest.raises(ValidationError):
        services.draw_checklist(audit=audit, user=manager, section=other.sections.first())
    with pytest.raises(ValidationError):
        services.draw_checklist(audit=audit, user=manager, measures=list(other.measures.all()))
    assert audit.items.count() == 2


def test_the_due_date_counts_working_days_across_a_holiday(manager, org_tree):
    action = make_corrective_action(org_tree["network"])
    # 23 April (Ulusal Egemenlik ve Çocuk Bayramı) and 1 May are public holidays.
    assert not get_calendar().is_working_day(datetime.date(2026, 4, 23))
    CorrectiveAction.objects.filter(pk=action.pk).update(opened_on=datetime.date(2026, 4, 22))
    action.refresh_from_db()
    action.due_working_days = 1
    action = services.save_corrective_action(action=action, user=manager)
    assert action.due_date == datetime.date(2026, 4, 24)  # Friday: Thursday is the holiday
    action.due_working_days = 6
    action = services.save_corrective_action(action=action, user=manager)
    # 24, 27, 28, 29, 30 April, then 1 May (holiday) and the weekend: Monday 4 May.
    assert action.due_date == datetime.date(2026, 5, 4)
    action.due_working_days = 0
    with pytest.raises(ValidationError) as error:
        services.save_corrective_action(action=action, user=manager)
    assert "due_working_days" in error.value.message_dict


def test_the_owner_does_not_verify_their_own_action(manager, org_tree):
    action = make_corrective_action(
        org_tree["network"],
        owner=manager.person,
        root_cause="Kök neden",
        actions="Faaliyetler",
    )
    action = services.complete_corrective_action(action=action, user=manager, notes="Yapıldı")
    with pytest.raises(ValidationError, match="owner"):
        services.verify_corrective_action(action=action, user=manager, effective=True, notes="x")
    with pytest.raises(PermissionDenied):
        services.close_corrective_action(action=action, user=manager)
    assert CorrectiveAction.objects.get(pk=action.pk).state == CorrectiveState.IMPLEMENTED


def test_an_ineffective_action_opens_again(manager, make_user, org_tree):
    owner = make_user(None, org_tree["network"])
    action = make_corrective_action(
        org_tree["network"], owner=owner.person, root_cause="Kök", actions="Faaliyet"
    )
    action = services.complete_corrective_action(action=action, user=owner, notes="Yapıldı")
    with pytest.raises(ValidationError) as error:
        services.verify_corrective_action(action=action, user=manager, effective=True, notes="")
    assert "verification_notes" in error.value.message_dict
    action = services.verify_corrective_action(
        action=action, user=manager, effective=False, notes="Kayıtlar hâlâ eksik"
    )
    assert action.state == CorrectiveState.OPEN and action.verified_by is None
    assert action.verification_notes == "Kayıtlar hâlâ eksik"


def test_completing_needs_root_cause_actions_and_owner(manager, org_tree):
    action = make_corrective_action(org_tree["network"])
    with pytest.raises(ValidationError) as error:
        services.complete_corrective_action(action=action, user=manager, notes="")
    assert {"root_cause", "actions", "owner", "implementation_notes"} <= set(
        error.value.message_dict
    )


def test_the_team_member_records_but_does_not_verify(member, manager, make_user, org_tree):
    owner = make_user(None, org_tree["network"])
    action = make_corrective_action(
        org_tree["network"], owner=owner.person, root_cause="Kök", actions="Faaliyet"
    )
    item = action.finding.checklist_item
    services.record_result(item=item, user=member, result="nonconforming", notes="Eksik")
    action = services.complete_corrective_action(action=action, user=member, notes="Yapıldı")
    with pytest.raises(PermissionDenied):
        services.verify_corrective_action(action=action, user=member, effective=True, notes="x")
    outsider = make_user(None, org_tree["roads"])
    with pytest.raises(PermissionDenied):
        services.save_corrective_action(action=action, user=outsider)


def test_the_owner_does_not_hand_the_action_over(make_user, org_tree):
    owner = make_user(None, org_tree["network"])
    action = make_corrective_action(org_tree["network"], owner=owner.person)
    action.root_cause = "Sorumlu atanmamış"
    action = services.save_corrective_action(action=action, user=owner)
    assert action.root_cause == "Sorumlu atanmamış"
    action.owner = make_user(None, org_tree["network"]).person
    with pytest.raises(PermissionDenied):
        services.save_corrective_action(action=action, user=owner)


def test_the_auditor_reads_only_the_audits_they_are_named_on(make_user, org_tree):
    auditor = make_user("bgys_auditor", org_tree["network"])
    named = make_audit(org_tree["network"])
    other = make_audit(org_tree["network"])
    action = make_corrective_action(org_tree["network"])
    named.auditors.add(auditor.person)
    action.finding.audit.auditors.add(auditor.person)

    assert list(Audit.objects.restrict(auditor, "view").order_by("pk")) == [
        named,
        action.finding.audit,
    ]
    assert other not in Audit.objects.restrict(auditor, "view")
    items = ChecklistItem.objects.restrict(auditor, "view")
    assert set(items.values_list("audit_id", flat=True)) == {named.pk, action.finding.audit_id}
    assert list(CorrectiveAction.objects.restrict(auditor, "view")) == [action]
    assert list(Finding.objects.restrict(auditor, "view")) == [action.finding]
    # Read-only: nothing to change.
    assert not Audit.objects.restrict(auditor, "change").exists()
    with pytest.raises(PermissionDenied):
        services.record_result(item=named.items.first(), user=auditor, result="conforming")
    with pytest.raises(PermissionDenied):
        services.start_audit(audit=named, user=auditor)

    # Named on an audit of a unit they hold no role over: not seen.
    elsewhere = make_audit(org_tree["roads"])
    elsewhere.auditors.add(auditor.person)
    assert elsewhere not in Audit.objects.restrict(auditor, "view")


def test_the_auditor_reads_the_evidence_of_their_audits(make_user, org_tree, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from biys.attachments.selectors import attachments_of, get_attachment
    from biys.attachments.services import store_attachment

    auditor = make_user("bgys_auditor", org_tree["network"])
    audit = make_audit(org_tree["network"])
    item = audit.items.first()
    stored = store_attachment(
        obj=item,
        uploaded_file=SimpleUploadedFile("kanit.pdf", b"%PDF-1.4 kanit\n%%EOF\n"),
        uploaded_by=manager,
    )
    assert not attachments_of(item, auditor).exists()
    audit.auditors.add(auditor.person)
    assert list(attachments_of(item, auditor)) == [stored]
    assert get_attachment(auditor, stored.pk)[1] == item


def test_findings_are_recorded_while_the_audit_is_in_progress(manager, org_tree):
    audit = new_audit(manager, org_tree)
    measure = audit.framework.measures.first()
    with pytest.raises(ValidationError):
        services.save_finding(
            finding=Finding(audit=audit, kind="major", measure=measure, description="x"),
            user=manager,
        )
    assert not Finding.objects.exists() and not CorrectiveAction.objects.exists()


def test_a_finding_names_a_measure_of_the_audits_framework(manager, org_tree):
    audit = make_audit(org_tree["network"])
    foreign = small_framework().measures.first()
    with pytest.raises(ValidationError) as error:
        services.save_finding(
            finding=Finding(audit=audit, kind="major", measure=foreign, description="x"),
            user=manager,
        )
    assert "measure" in error.value.message_dict
    assert not CorrectiveAction.objects.exists()


def test_a_finding_with_an_action_stays_a_nonconformity(manager, org_tree):
    action = make_corrective_action(org_tree["network"])
    finding = action.finding
    finding.kind = "observation"
    with pytest.raises(ValidationError) as error:
        services.save_finding(finding=finding, user=manager)
    assert "kind" in error.value.message_dict


def test_audit_dates_and_plan_year_are_checked(manager, org_tree):
    with pytest.raises(ValidationError) as error:
        new_audit(manager, org_tree, planned_end=datetime.date(2026, 3, 1))
    assert "planned_end" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        new_audit(
            manager,
            org_tree,
            planned_start=datetime.date(2027, 3, 1),
            planned_end=datetime.date(2027, 3, 2),
        )
    assert "planned_start" in error.value.message_dict


def test_outside_the_unit_nothing_is_written(make_user, org_tree):
    outsider = make_user("bgys_manager", org_tree["roads"])
    with pytest.raises(PermissionDenied):
        services.save_plan(
            plan=AuditPlan(unit=org_tree["network"], year=2026, title="Plan"), user=outsider
        )
    audit = make_audit(org_tree["network"])
    with pytest.raises(PermissionDenied):
        services.report_audit(audit=audit, user=outsider)


def test_management_review_and_its_actions(manager, make_user, org_tree):
    people = [make_user(None, org_tree["network"]).person for _ in range(2)]
    review = services.save_review(
        review=ManagementReview(
            unit=org_tree["network"],
            title="2026 yönetim gözden geçirmesi",
            held_on=datetime.date(2026, 6, 15),
            inputs="İç denetim sonuçları",
            decisions="Envanter süreci gözden geçirilecek",
        ),
        user=manager,
        participants=people,
    )
    assert set(review.participants.all()) == set(people)
    action = services.save_review_action(
        action=ReviewAction(
            review=review,
            description="Envanter prosedürü",
            owner=people[0],
            due_date=datetime.date(2026, 9, 30),
        ),
        user=manager,
    )
    assert action.pk
    member = make_user("bgys_member", org_tree["network"])
    with pytest.raises(PermissionDenied):
        services.save_review(review=review, user=member)


def test_the_owner_is_told(manager, make_user, org_tree):
    from biys.notifications.models import Notification

    owner = make_user(None, org_tree["network"])
    action = make_corrective_action(org_tree["network"])
    action.owner, action.root_cause, action.actions = owner.person, "Kök", "Faaliyet"
    action = services.save_corrective_action(action=action, user=manager)
    told = Notification.objects.get(recipient=owner)
    assert str(action) in told.title and told.url == action.get_absolute_url()
    action = services.complete_corrective_action(action=action, user=owner, notes="Yapıldı")
    services.verify_corrective_action(action=action, user=manager, effective=False, notes="Eksik")
    assert Notification.objects.filter(recipient=owner).count() == 2


def _manages(user, unit):
    from biys.org.models import Position, Unit

    position = Position.objects.create(unit=unit, name="Müdür", holder=user.person, is_manager=True)
    Unit.objects.filter(pk=unit.pk).update(manager_position=position)


def test_overdue_actions_remind_the_owner_and_their_manager_once_a_day(make_user, org_tree):
    from django.conf import settings

    from biys.bgys.tasks import send_overdue_reminders
    from biys.notifications.models import Notification

    chief = make_user(None, org_tree["network"])
    head = make_user(None, org_tree["dept"])
    _manages(chief, org_tree["network"])
    _manages(head, org_tree["dept"])
    owner = make_user(None, org_tree["helpdesk"])  # the section has no chief: its branch's
    late = make_corrective_action(org_tree["network"], owner=owner.person)
    CorrectiveAction.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 3, 2))
    # The chief owns one of their own: their manager is the department's head.
    chiefs = make_corrective_action(org_tree["network"], owner=chief.person)
    CorrectiveAction.objects.filter(pk=chiefs.pk).update(due_date=datetime.date(2026, 3, 2))
    # Not yet due, closed, or without an owner (its unit's manager hears of it).
    make_corrective_action(org_tree["network"], due_date=datetime.date(2026, 3, 9))
    done = make_corrective_action(org_tree["network"], state=CorrectiveState.CLOSED)
    CorrectiveAction.objects.filter(pk=done.pk).update(due_date=datetime.date(2026, 3, 1))
    ownerless = make_corrective_action(org_tree["software"])
    CorrectiveAction.objects.filter(pk=ownerless.pk).update(due_date=datetime.date(2026, 3, 1))

    day = datetime.date(2026, 3, 5)
    assert services.send_overdue_reminders(today=day) == {"reminded": 3, "notifications": 5}
    assert set(
        Notification.objects.filter(target_object_id=str(late.pk)).values_list(
            "recipient", flat=True
        )
    ) == {owner.pk, chief.pk}
    told = Notification.objects.get(recipient=owner)
    assert "02.03.2026" in told.title and "3 days" in told.title
    assert told.url == late.get_absolute_url()
    assert set(
        Notification.objects.filter(target_object_id=str(chiefs.pk)).values_list(
            "recipient", flat=True
        )
    ) == {chief.pk, head.pk}
    assert Notification.objects.get(target_object_id=str(ownerless.pk)).recipient == head

    # The same day again: nobody is told twice; the next day, once more.
    assert services.send_overdue_reminders(today=day) == {"reminded": 0, "notifications": 0}
    again = services.send_overdue_reminders(today=day + datetime.timedelta(days=1))
    assert again == {"reminded": 3, "notifications": 5}
    # Once it is done, the reminders stop.
    CorrectiveAction.objects.filter(pk=late.pk).update(state=CorrectiveState.VERIFIED)
    later = services.send_overdue_reminders(today=day + datetime.timedelta(days=2))
    assert later == {"reminded": 2, "notifications": 3}

    # The hourly beat job runs it for the real day (after March 2026: the one due on 9 March
    # is overdue too, its unit's manager told).
    assert "bgys-overdue-corrective-actions" in settings.CELERY_BEAT_SCHEDULE
    assert send_overdue_reminders.delay().get() == {"reminded": 3, "notifications": 4}
