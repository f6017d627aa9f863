"""Every write of the applications module. Keyword-only, each in one transaction: a refused
write raises ``ValidationError`` (with the field it is about) or ``PermissionDenied`` and
leaves nothing behind."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.accounts.selectors import unit_manager_user
from biys.applications import selectors
from biys.applications.choices import OUTCOMES, ApplicantKind, Channel, State
from biys.applications.deadlines import deadline_for
from biys.applications.models import (
    Application,
    ApplicationResponsibility,
    ApplicationType,
)
from biys.calendar.selectors import get_calendar
from biys.core.access import get_scope
from biys.core.numbering import next_number
from biys.core.personal_data import record_view

NUMBER_SEQUENCE = "applications"
NUMBER_TEMPLATE = "BSV-{year}-{seq:06d}"
ADD = "applications.add_application"
ROUTE = "applications.route_application"
EXTEND = "applications.extend_application"
ANSWER = "applications.answer_application"
REVEAL = "applications.reveal_applicant_data"


def _require(user, perm: str, unit_id) -> None:
    """``user`` None is the system (a task, the demo)."""
    if user is not None and not get_scope(user).has_perm(perm, unit_id):
        raise PermissionDenied(_("You may not do this for applications of that unit."))


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("type").get(pk=application.pk)


def _check_form_data(application_type: ApplicationType, form_data: dict) -> dict:
    missing = [
        field.get("label") or field["name"]
        for field in application_type.form_fields or []
        if field.get("required") and not str(form_data.get(field["name"], "")).strip()
    ]
    if missing:
        return {
            "form_data": _("Required for this type: %(fields)s.") % {"fields": ", ".join(missing)}
        }
    return {}


@transaction.atomic
def receive_application(
    *,
    user,
    type: ApplicationType,
    received_on: date,
    subject: str,
    applicant_name: str,
    applicant_kind: str = ApplicantKind.PERSON,
    channel: str = Channel.COUNTER,
    responsible_unit=None,
    channel_reference: str = "",
    channel_due_date: date | None = None,
    description: str = "",
    form_data: dict | None = None,
    tc_kimlik_no: str = "",
    tax_number: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    today: date | None = None,
) -> Application:
    """Record an application (counter quick entry, CİMER or Alo 153 typed in): a yearly
    number, the legal deadline on the working calendar and the first responsibility period."""
    today = today or selectors.today()
    form_data = form_data or {}
    errors: dict = {}
    if not type.active:
        errors["type"] = _("This application type is no longer used.")
    if received_on > today:
        errors["received_on"] = _("An application cannot be received in the future.")
    if channel_due_date and channel_due_date < received_on:
        errors["channel_due_date"] = _("The channel's due date is before the receipt.")
    if tax_number and not (
        tax_number.isascii() and tax_number.isdigit() and len(tax_number) in (10, 11)
    ):
        errors["tax_number"] = _("A tax number has 10 digits (11 for a person's TC number).")
    errors |= _check_form_data(type, form_data)
    unit = responsible_unit or type.unit
    if unit is None:
        errors["responsible_unit"] = _("Choose the unit responsible for answering.")
    application = Application(
        type=type,
        channel=channel,
        channel_reference=channel_reference.strip(),
        received_on=received_on,
        channel_due_date=channel_due_date,
        subject=subject.strip(),
        description=description,
        form_data=form_data,
        applicant_kind=applicant_kind,
        applicant_name=applicant_name.strip(),
        tc_kimlik_no=(tc_kimlik_no or "").strip(),
        tax_number=(tax_number or "").strip(),
        email=email.strip(),
        phone=phone.strip(),
        address=address,
        responsible_unit=unit,
        created_by=user if user is not None and user.is_authenticated else None,
        number="-",
        due_date=received_on,
    )
    try:
        application.full_clean(exclude=["number", "due_date", "responsible_unit", "created_by"])
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    _require(user, ADD, unit.pk)
    application.due_date = deadline_for(
        type, received_on, channel_due_date=channel_due_date, calendar=get_calendar()
    )
    application.number = next_number(NUMBER_SEQUENCE, template=NUMBER_TEMPLATE)
    application.save()
    ApplicationResponsibility.objects.create(
        application=application,
        unit=unit,
        started_at=timezone.now(),
        reason=_("Recorded"),
        changed_by=application.created_by,
    )
    return application


@transaction.atomic
def route_application(*, user, application: Application, unit, reason: str) -> Application:
    """Give the application to another unit; the history keeps who held it, when and why."""
    application = _locked(application)
    _require(user, ROUTE, application.responsible_unit_id)
    errors = {}
    if application.state != State.OPEN:
        errors["unit"] = _("Only an open application can be routed.")
    elif unit is None or unit.pk == application.responsible_unit_id:
        errors["unit"] = _("Choose another unit than the one holding it.")
    if not (reason or "").strip():
        errors["reason"] = _("Say why it goes to that unit.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    by = user if user is not None and user.is_authenticated else None
    ApplicationResponsibility.objects.filter(application=application, ended_at__isnull=True).update(
        ended_at=now
    )
    ApplicationResponsibility.objects.create(
        application=application, unit=unit, started_at=now, reason=reason.strip(), changed_by=by
    )
    application.responsible_unit = unit
    application.reminded_at = application.escalated_at = None
    application.save()
    return application


@transaction.atomic
def extend_application(
    *, user, application: Application, reason: str, today: date | None = None
) -> Application:
    """Extend the period (4982 md. 11: to 30 working days), with the reason notified to the
    applicant; only within the original period and only once."""
    today = today or selectors.today()
    application = _locked(application)
    _require(user, EXTEND, application.responsible_unit_id)
    errors = {}
    if application.state != State.OPEN:
        errors["reason"] = _("Only an open application can be extended.")
    elif application.extended:
        errors["reason"] = _("The period has already been extended.")
    elif not application.type.extended_period:
        errors["reason"] = _("The period of this type cannot be extended.")
    elif today > application.due_date:
        errors["reason"] = _("The period can only be extended before it ends.")
    if not errors and not (reason or "").strip():
        errors["reason"] = _("Give the reason notified to the applicant.")
    if errors:
        raise ValidationError(errors)
    application.due_date = deadline_for(
        application.type, application.received_on, extended=True, calendar=get_calendar()
    )
    application.extended = True
    application.extension_reason = reason.strip()
    application.extended_at = timezone.now()
    application.reminded_at = application.escalated_at = None
    application.save()
    return application


@transaction.atomic
def record_outcome(
    *,
    user,
    application: Application,
    outcome: str,
    note: str,
    answered_on: date | None = None,
    refusal_ground: str = "",
    forwarded_to: str = "",
    today: date | None = None,
) -> Application:
    """Answered, partly answered, refused (with the legal ground) or forwarded to another
    institution. The answer itself is a document (official correspondence, when it exists)."""
    today = today or selectors.today()
    answered_on = answered_on or today
    application = _locked(application)
    _require(user, ANSWER, application.responsible_unit_id)
    errors = {}
    if application.state != State.OPEN:
        errors["outcome"] = _("This application already has an outcome.")
    elif outcome not in OUTCOMES:
        errors["outcome"] = _("Choose an outcome.")
    if answered_on > today:
        errors["answered_on"] = _("The answer cannot be dated in the future.")
    elif answered_on < application.received_on:
        errors["answered_on"] = _("The answer cannot be dated before the receipt.")
    if outcome == State.REFUSED and not refusal_ground.strip():
        errors["refusal_ground"] = _("A refusal names its legal ground (e.g. 4982 md. 25).")
    if outcome == State.FORWARDED and not forwarded_to.strip():
        errors["forwarded_to"] = _("Name the institution it was forwarded to.")
    if not (note or "").strip():
        errors["note"] = _("Summarise the answer given.")
    if errors:
        raise ValidationError(errors)
    application.state = outcome
    application.answered_on = answered_on
    application.outcome_note = note.strip()
    application.refusal_ground = refusal_ground.strip() if outcome == State.REFUSED else ""
    application.forwarded_to = forwarded_to.strip() if outcome == State.FORWARDED else ""
    application.save()
    return application


def may_reveal(user, application: Application) -> bool:
    return get_scope(user).has_perm(REVEAL, application.responsible_unit_id)


@transaction.atomic
def reveal_personal_data(*, user, application: Application, reason: str = "") -> dict:
    """The applicant's unmasked personal data, for a holder of the reveal permission over the
    responsible unit; every call is logged (KVKK)."""
    _require(user, REVEAL, application.responsible_unit_id)
    record_view(user=user, obj=application, reason=reason)
    return {name: getattr(application, name) for name in Application.personal_fields}


# Reminders and escalation ----------------------------------------------------------------


def remind_working_days() -> int:
    return getattr(settings, "BIYS_APPLICATIONS_REMIND_WORKING_DAYS", 3)


def escalate_working_days() -> int:
    return getattr(settings, "BIYS_APPLICATIONS_ESCALATE_WORKING_DAYS", 1)


RESPONDER_ROLES = ("applications_responder", "applications_manager")


def check_deadlines(*, today: date | None = None) -> dict:
    """Once per application: a reminder to the unit's responders when the deadline is
    ``BIYS_APPLICATIONS_REMIND_WORKING_DAYS`` working days away, and an escalation to the unit's
    manager (and its applications managers) when it is one working day away or passed."""
    from biys.notifications.services import notify

    today = today or selectors.today()
    calendar = get_calendar()
    horizon = calendar.add_working_days(today, remind_working_days())
    result = {"reminded": 0, "escalated": 0}
    candidates = (
        Application.objects.filter(state=State.OPEN, due_date__lte=horizon)
        .filter(escalated_at__isnull=True)
        .select_related("responsible_unit", "type")
        .order_by("due_date", "pk")
    )
    for application in candidates.iterator():
        left = calendar.working_days_between(today, application.due_date)
        unit = application.responsible_unit
        values = {"number": application.number, "due": application.due_date.strftime("%d.%m.%Y")}
        with transaction.atomic():
            if left <= escalate_working_days():
                recipients = [unit_manager_user(unit)]
                recipients += selectors.role_holders(unit, ("applications_manager",))
                notify(
                    recipients=recipients,
                    title=_("Application %(number)s: the legal deadline %(due)s is at hand")
                    % values,
                    body=_("%(subject)s. Answer it or extend the period today.")
                    % {"subject": application.subject},
                    target=application,
                )
                Application.objects.filter(pk=application.pk).update(
                    escalated_at=timezone.now(),
                    reminded_at=application.reminded_at or timezone.now(),
                )
                result["escalated"] += 1
            elif application.reminded_at is None:
                notify(
                    recipients=selectors.role_holders(unit, RESPONDER_ROLES)
                    or [unit_manager_user(unit)],
                    title=_("Application %(number)s is due on %(due)s") % values,
                    body=application.subject,
                    target=application,
                )
                Application.objects.filter(pk=application.pk).update(reminded_at=timezone.now())
                result["reminded"] += 1
    return result
