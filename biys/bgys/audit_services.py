"""Every write of the BGYS internal audits: the yearly plan, the audits and their state
(planned → in progress → reported → closed), the checklist drawn from a framework and its
results, the findings, the corrective actions (DÖF) they open, and the management reviews.

Functions take keyword arguments only and run in one transaction; a refusal is a
``ValidationError`` naming the field (or ``PermissionDenied``), and nothing is half-written.
Each rule is written here once: the screens and the API call these functions.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.bgys.audit_models import (
    NONCONFORMITIES,
    Audit,
    AuditPlan,
    AuditState,
    ChecklistItem,
    ChecklistResult,
    CorrectiveAction,
    CorrectiveState,
    Finding,
    ManagementReview,
    ReviewAction,
)
from biys.bgys.models import AssetGroup, Measure, Section
from biys.calendar.selectors import get_calendar
from biys.core import changelog
from biys.core.access import can, can_add, check_save, get_scope

DEFAULT_DUE_WORKING_DAYS = 30


# --------------------------------------------------------------------------- plans and audits


@transaction.atomic
def save_plan(*, plan: AuditPlan, user) -> AuditPlan:
    """A unit's internal audit plan for a year."""
    check_save(user, plan, plan.unit_id, system=False)
    plan.title = plan.title.strip()
    plan.full_clean()
    plan.save()
    return plan


AUDIT_FROZEN = ("framework_id", "unit_id")


@transaction.atomic
def save_audit(*, audit: Audit, user, audited_units=None, auditors=None) -> Audit:
    """An audit: its scope, audited units, auditors and period. A closed audit is not changed;
    once its checklist is drawn, its framework stays."""
    check_save(user, audit, audit.unit_id, system=False)
    if audit.pk is not None:
        stored = Audit.objects.get(pk=audit.pk)
        if stored.state == AuditState.CLOSED:
            raise ValidationError(_("A closed audit is not changed."))
        if stored.framework_id != audit.framework_id and stored.items.exists():
            raise ValidationError(
                {"framework": _("The checklist is drawn from this framework; it stays.")}
            )
        audit.state = stored.state
    audit.full_clean()
    audit.save()
    if audited_units is not None:
        audit.audited_units.set(audited_units)
    if auditors is not None:
        audit.auditors.set(auditors)
    return audit


@transaction.atomic
def delete_audit(*, audit: Audit, user) -> None:
    """A planned audit (with its checklist) may be deleted; once started it is a record."""
    audit = _locked_audit(audit, user, "delete")
    if audit.state != AuditState.PLANNED:
        raise ValidationError(_("Only a planned audit is deleted."))
    audit.delete()


def _locked_audit(audit: Audit, user, action: str = "change") -> Audit:
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if not can(user, action, audit):
        raise PermissionDenied
    return audit


def checklist_measures(*, framework, section=None, level=None, asset_group=None):
    """The measures of ``framework`` a checklist draws: those of a section (with its
    sub-sections) or of an asset group's section, up to a level (a level 2 audit checks the
    level 1 and 2 measures), in the framework's order."""
    measures = Measure.objects.filter(framework=framework)
    chosen = []
    if section is not None:
        chosen.append(section)
    if asset_group is not None:
        if asset_group.section_id is None:
            return measures.none()
        chosen.append(asset_group.section)
    for item in chosen:
        if item.framework_id != framework.pk:
            raise ValidationError({"section": _("Choose a section of the audit's framework.")})
        measures = measures.filter(
            Q(section=item) | Q(section__number__startswith=f"{item.number}.")
        )
    if level is not None:
        measures = measures.filter(level__lte=level)
    return measures.order_by("position")


@changelog.batched
def draw_checklist(
    *,
    audit: Audit,
    user,
    section: Section | None = None,
    level: int | None = None,
    asset_group: AssetGroup | None = None,
    measures=None,
) -> int:
    """Put measures on an audit's checklist: chosen one by one, or drawn by section, level and
    asset group. Those already on it stay as they are. Returns how many were added."""
    audit = _locked_audit(audit, user)
    if audit.state not in (AuditState.PLANNED, AuditState.IN_PROGRESS):
        raise ValidationError(_("The checklist changes only before the audit is reported."))
    if asset_group is not None and asset_group.framework_id != audit.framework_id:
        raise ValidationError({"asset_group": _("Choose an asset group of the audit's framework.")})
    if measures is None:
        measures = checklist_measures(
            framework=audit.framework, section=section, level=level, asset_group=asset_group
        )
    else:
        foreign = [m for m in measures if m.framework_id != audit.framework_id]
        if foreign:
            raise ValidationError({"measures": _("Choose measures of the audit's framework.")})
    present = set(audit.items.values_list("measure_id", flat=True))
    position = audit.items.aggregate(top=Max("position"))["top"] or 0
    new = []
    for measure in measures:
        if measure.pk in present:
            continue
        position += 1
        present.add(measure.pk)
        new.append(ChecklistItem(audit=audit, measure=measure, position=position))
    if not new and not present:
        raise ValidationError(_("No measure matches the choice."))
    ChecklistItem.objects.bulk_create(new, batch_size=500)
    first = position - len(new)
    changelog.record_changes(ChecklistItem.objects.filter(audit=audit, position__gt=first))
    return len(new)


@transaction.atomic
def remove_checklist_item(*, item: ChecklistItem, user) -> None:
    """Take a measure off the checklist before the audit is reported, unless a finding names
    it."""
    audit = _locked_audit(item.audit, user)
    if audit.state not in (AuditState.PLANNED, AuditState.IN_PROGRESS):
        raise ValidationError(_("The checklist changes only before the audit is reported."))
    if item.findings.exists():
        raise ValidationError(_("A finding names this checklist item."))
    item.delete()


@transaction.atomic
def start_audit(*, audit: Audit, user) -> Audit:
    """Planned → in progress: the checklist is there and the audit begins today."""
    audit = _locked_audit(audit, user)
    if audit.state != AuditState.PLANNED:
        raise ValidationError(_("Only a planned audit is started."))
    if not audit.items.exists():
        raise ValidationError(_("Draw the checklist first."))
    audit.state, audit.started_on = AuditState.IN_PROGRESS, timezone.localdate()
    audit.save()
    return audit


@transaction.atomic
def record_result(*, item: ChecklistItem, user, result: str, notes: str | None = None):
    """The result of a checklist item (conforming, nonconforming, not applicable, not checked)
    and its notes, while the audit is in progress."""
    item = ChecklistItem.objects.select_for_update().select_related("audit").get(pk=item.pk)
    if not can(user, "change", item):
        raise PermissionDenied
    if item.audit.state != AuditState.IN_PROGRESS:
        raise ValidationError(_("Results are recorded while the audit is in progress."))
    if result not in ChecklistResult.values:
        raise ValidationError({"result": _("Choose a result.")})
    item.result = result
    if notes is not None:
        item.notes = notes
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def save_checklist_item(*, item: ChecklistItem, user) -> ChecklistItem:
    """The result and notes of a checklist item from its edit form."""
    return record_result(item=item, user=user, result=item.result, notes=item.notes)


@transaction.atomic
def report_audit(*, audit: Audit, user) -> Audit:
    """In progress → reported: every checklist item has a result and every nonconforming item
    has its nonconformity finding. The report is the audit's PDF."""
    audit = _locked_audit(audit, user)
    if audit.state != AuditState.IN_PROGRESS:
        raise ValidationError(_("Only an audit in progress is reported."))
    unchecked = audit.items.filter(result=ChecklistResult.NOT_CHECKED).count()
    if unchecked:
        raise ValidationError(
            _("%(count)s checklist items have no result yet.") % {"count": unchecked}
        )
    bare = (
        audit.items.filter(result=ChecklistResult.NONCONFORMING)
        .exclude(findings__kind__in=NONCONFORMITIES)
        .select_related("measure")
    )
    if bare:
        raise ValidationError(
            _("Record the nonconformity of measures %(numbers)s.")
            % {"numbers": ", ".join(item.measure.number for item in bare)}
        )
    if not audit.conclusion.strip():
        raise ValidationError({"conclusion": _("Write the audit's conclusion first.")})
    audit.state, audit.ended_on = AuditState.REPORTED, timezone.localdate()
    audit.reported_by, audit.reported_at = user, timezone.now()
    audit.save()
    return audit


@transaction.atomic
def close_audit(*, audit: Audit, user) -> Audit:
    """Reported → closed, once every corrective action it opened is closed."""
    audit = _locked_audit(audit, user)
    if audit.state != AuditState.REPORTED:
        raise ValidationError(_("Only a reported audit is closed."))
    open_actions = CorrectiveAction.objects.filter(finding__audit=audit).exclude(
        state=CorrectiveState.CLOSED
    )
    if open_actions.exists():
        raise ValidationError(
            _("%(count)s corrective actions of this audit are still open.")
            % {"count": open_actions.count()}
        )
    audit.state, audit.closed_at = AuditState.CLOSED, timezone.now()
    audit.save()
    return audit


# --------------------------------------------------------------------------- findings


def due_date_for(opened_on, working_days: int):
    """The due date of a corrective action: ``working_days`` working days after it was
    opened, on the working calendar (public holidays and declared days off skipped)."""
    return get_calendar().add_working_days(opened_on, working_days)


def _open_corrective_action(finding: Finding) -> CorrectiveAction:
    action = CorrectiveAction(
        finding=finding,
        unit_id=finding.unit_id or finding.audit.unit_id,
        opened_on=timezone.localdate(),
        due_working_days=DEFAULT_DUE_WORKING_DAYS,
    )
    action.due_date = due_date_for(action.opened_on, action.due_working_days)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def save_finding(*, finding: Finding, user) -> Finding:
    """A finding of an audit in progress. A nonconformity opens its corrective action (DÖF)
    at once; a finding whose action is open stays a nonconformity."""
    audit = Audit.objects.select_for_update().get(pk=finding.audit_id)
    check_save(user, finding, audit.unit_id, system=False)
    if audit.state != AuditState.IN_PROGRESS:
        raise ValidationError(_("Findings are recorded while the audit is in progress."))
    if finding.checklist_item_id and not finding.measure_id:
        finding.measure_id = finding.checklist_item.measure_id
    if finding.pk is None:
        top = audit.findings.aggregate(top=Max("number"))["top"] or 0
        finding.number = top + 1
    else:
        stored = Finding.objects.get(pk=finding.pk)
        if stored.audit_id != finding.audit_id:
            raise ValidationError({"audit": _("A finding stays with its audit.")})
        has_action = CorrectiveAction.objects.filter(finding=stored).exists()
        if has_action and finding.kind not in NONCONFORMITIES:
            raise ValidationError(
                {"kind": _("A corrective action is open for it: it stays a nonconformity.")}
            )
    finding.full_clean()
    finding.save()
    if finding.is_nonconformity and not CorrectiveAction.objects.filter(finding=finding).exists():
        _open_corrective_action(finding)
    return finding


# --------------------------------------------------------------------------- corrective actions


def may_work_on(user, action: CorrectiveAction) -> bool:
    """The BGYS team of its unit, or its owner."""
    person_id = getattr(user, "person_id", None)
    return can(user, "change", action) or (bool(person_id) and person_id == action.owner_id)


def may_verify(user, action: CorrectiveAction) -> bool:
    """The verification permission over the action's unit or its audit's unit; never its
    owner."""
    scope = get_scope(user)
    perm = "bgys.verify_correctiveaction"
    held = scope.has_perm(perm, action.unit_id) or scope.has_perm(
        perm, action.finding.audit.unit_id
    )
    owner = bool(user.person_id) and user.person_id == action.owner_id
    return held and not owner


def _locked_action(action: CorrectiveAction) -> CorrectiveAction:
    return (
        CorrectiveAction.objects.select_for_update()
        .select_related("finding__audit")
        .get(pk=action.pk)
    )


CORRECTIVE_FIELDS = ("unit_id", "owner_id", "root_cause", "actions", "due_working_days")


def _tell_owner(action: CorrectiveAction, title: str) -> None:
    """An in-app notification (and an e-mail) to the owner's login, when they have one: the
    owner need hold no BGYS role to find their corrective action."""
    from biys.accounts.models import User
    from biys.notifications.services import notify

    if action.owner_id is None:
        return
    owner = User.objects.filter(person_id=action.owner_id, is_active=True).first()
    if owner is not None:
        notify(recipients=[owner], title=title, body=str(action.finding.description), target=action)


@transaction.atomic
def save_corrective_action(*, action: CorrectiveAction, user) -> CorrectiveAction:
    """Root cause, actions, owner, unit and the working days it has, while it is open. The due
    date is counted again from the day it was opened."""
    stored = _locked_action(action)
    if not may_work_on(user, stored):
        raise PermissionDenied
    moved = stored.unit_id != action.unit_id or stored.owner_id != action.owner_id
    if moved and not can(user, "change", stored):
        raise PermissionDenied  # the owner does not hand the action over
    if stored.unit_id != action.unit_id and not can_add(user, Finding, action.unit_id):
        raise PermissionDenied
    if stored.state != CorrectiveState.OPEN:
        raise ValidationError(_("Only an open corrective action is changed."))
    new_owner = action.owner_id is not None and action.owner_id != stored.owner_id
    for name in CORRECTIVE_FIELDS:
        setattr(stored, name, getattr(action, name))
    stored.full_clean()
    stored.due_date = due_date_for(stored.opened_on, stored.due_working_days)
    stored.save()
    if new_owner:
        _tell_owner(
            stored,
            _("%(action)s is yours: due %(date)s")
            % {"action": stored, "date": stored.due_date.strftime("%d.%m.%Y")},
        )
    return stored


def require_work_on(user, action: CorrectiveAction) -> None:
    """Completing ``action`` (``may_work_on``): the service checks it, and the API checks it
    before it reads the body."""
    if not may_work_on(user, action):
        raise PermissionDenied


def require_verify(user, action: CorrectiveAction) -> None:
    """Verifying ``action`` (``may_verify``; its owner is told why not): the service checks it,
    and the API checks it before it reads the body."""
    if not may_verify(user, action):
        if user.person_id and user.person_id == action.owner_id:
            raise ValidationError(_("The owner does not verify their own corrective action."))
        raise PermissionDenied


@transaction.atomic
def complete_corrective_action(
    *,
    action: CorrectiveAction,
    user,
    notes: str,
    root_cause: str | None = None,
    actions: str | None = None,
) -> CorrectiveAction:
    """Open → awaiting verification: the owner (or the BGYS team) says what was done, with
    the root cause and the actions when they are given here."""
    action = _locked_action(action)
    require_work_on(user, action)
    if action.state != CorrectiveState.OPEN:
        raise ValidationError(_("Only an open corrective action is completed."))
    if root_cause is not None:
        action.root_cause = root_cause.strip()
    if actions is not None:
        action.actions = actions.strip()
    errors = {}
    if not action.root_cause.strip():
        errors["root_cause"] = _("Give the root cause.")
    if not action.actions.strip():
        errors["actions"] = _("Give the actions taken.")
    if action.owner_id is None:
        errors["owner"] = _("Name the owner.")
    if not (notes or "").strip():
        errors["implementation_notes"] = _("Say what was done.")
    if errors:
        raise ValidationError(errors)
    action.state, action.implemented_on = CorrectiveState.IMPLEMENTED, timezone.localdate()
    action.implementation_notes = notes.strip()
    action.save()
    return action


@transaction.atomic
def verify_corrective_action(
    *, action: CorrectiveAction, user, effective: bool, notes: str
) -> CorrectiveAction:
    """The effectiveness of a completed action, judged by someone other than its owner:
    effective → verified; not effective → open again, with the reason."""
    action = _locked_action(action)
    require_verify(user, action)
    if action.state != CorrectiveState.IMPLEMENTED:
        raise ValidationError(_("Only a completed corrective action is verified."))
    if not (notes or "").strip():
        raise ValidationError({"verification_notes": _("Say how the effectiveness was checked.")})
    action.verification_notes = notes.strip()
    if effective:
        action.state = CorrectiveState.VERIFIED
        action.verified_by, action.verified_at = user, timezone.now()
    else:
        action.state, action.implemented_on = CorrectiveState.OPEN, None
        action.verified_by, action.verified_at = None, None
    action.save()
    if not effective:
        _tell_owner(action, _("%(action)s is open again: not effective") % {"action": action})
    return action


@transaction.atomic
def close_corrective_action(*, action: CorrectiveAction, user) -> CorrectiveAction:
    """Verified → closed. Closing needs the verification of effectiveness first."""
    action = _locked_action(action)
    if not may_verify(user, action):
        raise PermissionDenied
    if action.state != CorrectiveState.VERIFIED or action.verified_by_id is None:
        raise ValidationError(
            _("A corrective action is closed once its effectiveness is verified.")
        )
    action.state = CorrectiveState.CLOSED
    action.closed_by, action.closed_at = user, timezone.now()
    action.save()
    return action


def overdue_reminder_recipients(action: CorrectiveAction) -> list:
    """Whom an overdue DÖF's reminder goes to: its owner's login and the owner's manager (the
    manager of the owner's unit, or of the unit above when the owner is that manager); without
    an owner, the manager of its responsible unit."""
    from biys.accounts.models import User
    from biys.accounts.selectors import unit_manager_user

    recipients = []
    unit = action.unit
    if action.owner_id is not None:
        owner = User.objects.filter(person_id=action.owner_id, is_active=True).first()
        if owner is not None:
            recipients.append(owner)
        unit = action.owner.unit
    manager = unit_manager_user(unit)
    if manager is not None and manager.person_id == action.owner_id and unit.parent_id:
        manager = unit_manager_user(unit.parent)
    if manager is not None and manager.person_id != action.owner_id:
        recipients.append(manager)
    return recipients


def send_overdue_reminders(*, today=None) -> dict:
    """Once a day per open or awaiting DÖF past its due date: a notification (and an e-mail)
    to its owner and their manager. The day is stamped on the action, so the hourly beat job
    reminds each one at most once a day and catches up after a missed run."""
    from biys.notifications.services import notify

    today = today or timezone.localdate()
    due = (
        CorrectiveAction.objects.filter(
            state__in=(CorrectiveState.OPEN, CorrectiveState.IMPLEMENTED), due_date__lt=today
        )
        .filter(Q(overdue_reminded_on__isnull=True) | Q(overdue_reminded_on__lt=today))
        .select_related("finding", "unit", "owner__unit__parent")
        .order_by("due_date", "pk")
    )
    result = {"reminded": 0, "notifications": 0}
    for action in due.iterator():
        with transaction.atomic():
            claimed = CorrectiveAction.objects.filter(pk=action.pk).filter(
                Q(overdue_reminded_on__isnull=True) | Q(overdue_reminded_on__lt=today)
            )
            if not claimed.update(overdue_reminded_on=today):
                continue  # another worker reminded it today
            title = _("%(action)s is overdue: it was due on %(date)s (%(days)s days ago)") % {
                "action": action,
                "date": action.due_date.strftime("%d.%m.%Y"),
                "days": (today - action.due_date).days,
            }
            sent = notify(
                recipients=overdue_reminder_recipients(action),
                title=title,
                body=str(action.finding.description),
                target=action,
            )
            result["reminded"] += 1
            result["notifications"] += len(sent)
    return result


# --------------------------------------------------------------------------- management review


@transaction.atomic
def save_review(*, review: ManagementReview, user, participants=None) -> ManagementReview:
    """A management review: date, participants, inputs and decisions."""
    check_save(user, review, review.unit_id, system=False)
    review.full_clean()
    review.save()
    if participants is not None:
        review.participants.set(participants)
    return review


@transaction.atomic
def save_review_action(*, action: ReviewAction, user) -> ReviewAction:
    """An action decided in a management review, with its owner and due date."""
    review = ManagementReview.objects.get(pk=action.review_id)
    check_save(user, action, review.unit_id, system=False)
    if action.pk is not None:
        stored = ReviewAction.objects.get(pk=action.pk)
        if stored.review_id != action.review_id:
            raise ValidationError({"review": _("An action stays with its review.")})
    action.full_clean()
    action.save()
    return action
