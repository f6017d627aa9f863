"""Every write of the applications module. Keyword-only, each in one transaction: a refused
write raises ``ValidationError`` (with the field it is about) or ``PermissionDenied`` and
leaves nothing behind."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.accounts.selectors import unit_manager_user
from biys.applications import selectors, tracking
from biys.applications.choices import OUTCOMES, ApplicantKind, Channel, IdentityRule, State
from biys.applications.deadlines import deadline_for, objection_deadline
from biys.applications.models import (
    Application,
    ApplicationResponsibility,
    ApplicationType,
)
from biys.calendar.selectors import get_calendar
from biys.core import correspondence
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


def asks_identity_number(application_type: ApplicationType) -> bool:
    """Whether the type's forms (public and counter) have a TC kimlik number field."""
    return application_type.identity_number != IdentityRule.NOT_ASKED


def _identity_errors(
    application_type: ApplicationType, applicant_kind: str, tc_kimlik_no: str
) -> dict:
    """The type's rule on the TC kimlik number: a person gives it when the type requires it
    (its legal ground named), and it is not taken for a type that does not ask it."""
    given = bool((tc_kimlik_no or "").strip())
    rule = application_type.identity_number
    if rule == IdentityRule.NOT_ASKED and given:
        return {"tc_kimlik_no": _("This kind of application does not take a TC kimlik number.")}
    if rule == IdentityRule.REQUIRED and applicant_kind == ApplicantKind.PERSON and not given:
        if application_type.identity_ground:
            return {
                "tc_kimlik_no": _("Give the applicant's TC kimlik number (%(ground)s).")
                % {"ground": application_type.identity_ground}
            }
        return {"tc_kimlik_no": _("Give the applicant's TC kimlik number.")}
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
    objection_to: Application | None = None,
    message_id: str = "",
    require_form_fields: bool = True,
    today: date | None = None,
) -> Application:
    """Record an application (counter quick entry, CİMER or Alo 153 typed in): a yearly
    number, the legal deadline on the working calendar and the first responsibility period.
    An objection (``objection_to``, 4982 md. 13) names the answered application it objects
    to; the applicant's contact data not given is taken from it. The type says whether a
    person gives the TC kimlik number (``identity_number``); an e-mail or an imported row
    (``require_form_fields`` false) is completed by the clerk, and a number the type does not
    ask is not kept."""
    today = today or selectors.today()
    form_data = form_data or {}
    errors: dict = {}
    if objection_to is not None:
        errors |= _objection_errors(user, type, objection_to, received_on)
        if not errors:
            # The same applicant: the contact data not typed again comes from the original.
            if asks_identity_number(type):
                tc_kimlik_no = tc_kimlik_no or objection_to.tc_kimlik_no
            tax_number = tax_number or objection_to.tax_number
            email = email or objection_to.email
            phone = phone or objection_to.phone
            address = address or objection_to.address
        responsible_unit = responsible_unit or (
            None if type.unit_id else objection_to.responsible_unit
        )
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
    if require_form_fields:  # an e-mail's text is the request: the clerk completes the fields
        errors |= _check_form_data(type, form_data)
        errors |= _identity_errors(type, applicant_kind, tc_kimlik_no)
    elif not asks_identity_number(type):
        tc_kimlik_no = ""
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
        objection_to=objection_to,
        message_id=message_id,
        created_by=user if user is not None and user.is_authenticated else None,
        number="-",
        due_date=received_on,
    )
    try:
        application.full_clean(
            exclude=["number", "due_date", "responsible_unit", "created_by", "objection_to"]
        )
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


def _objection_errors(user, type: ApplicationType, original: Application, received_on) -> dict:
    """An objection names an application the user may see, of a type that allows objection,
    answered, and is received within the objection period after the answer."""
    if user is not None and not (
        Application.objects.restrict(user, "view").filter(pk=original.pk).exists()
    ):
        return {"objection_to": _("Choose an application you may see.")}
    original_type = original.type
    if not original_type.objection_period:
        return {
            "objection_to": _("An answer to a %(type)s cannot be objected to.")
            % {"type": original_type.name}
        }
    if original.state == State.OPEN or original.answered_on is None:
        return {"objection_to": _("%(number)s has not been answered yet.") % {
            "number": original.number}}  # fmt: skip
    if original.objection_to_id is not None:
        return {"objection_to": _("An objection is not objected to again here.")}
    errors = {}
    if original_type.objection_type_id and original_type.objection_type_id != type.pk:
        errors["type"] = _("An objection to a %(original)s is recorded as %(type)s.") % {
            "original": original_type.name,
            "type": original_type.objection_type.name,
        }
    last_day = objection_deadline(original_type, original.answered_on, calendar=get_calendar())
    if received_on < original.answered_on:
        errors["received_on"] = _(
            "An objection cannot be received before the answer (%(day)s)."
        ) % {"day": original.answered_on.strftime("%d.%m.%Y")}
    elif received_on > last_day:
        errors["received_on"] = _(
            "The objection period of %(number)s ended on %(day)s (%(n)d days after the answer)."
        ) % {
            "number": original.number,
            "day": last_day.strftime("%d.%m.%Y"),
            "n": original_type.objection_period,
        }
    return errors


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
    application = _locked(application)
    _require(user, ANSWER, application.responsible_unit_id)
    errors = {}
    # With an answer document, the answer is the signed document: dated by its signature.
    document = correspondence.describe_outgoing(None, application.answer_document_id)
    answered_on = answered_on or (document.signed_on if document else None) or today
    if application.state != State.OPEN:
        errors["outcome"] = _("This application already has an outcome.")
    elif outcome not in OUTCOMES:
        errors["outcome"] = _("Choose an outcome.")
    elif document is not None and not document.signed:
        errors["outcome"] = _(
            "The answer document is not signed yet: the outcome is recorded once it is."
        )
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
    if application.tracking_digest and application.email:
        _queue_answer_notice(application)
    return application


def _answer_reference(application: Application) -> str:
    """The ilgi line of the answer, as the letter prints it (in Turkish, like every ilgi line
    of the correspondence module)."""
    return f"{application.received_on:%d.%m.%Y} tarihli ve {application.number} sayılı başvurunuz."


@transaction.atomic
def draft_answer_document(*, user, application: Application) -> Application:
    """Draft the answer as an outgoing document (giden evrak) of the responsible unit, to the
    applicant (name and address) for action, about the application's subject, with the
    application as its ilgi line; linked to the application, whose outcome then waits for its
    signature. Needs the answer permission here and the drafting one in the correspondence
    module (checked there)."""
    application = _locked(application)
    _require(user, ANSWER, application.responsible_unit_id)
    errors = {}
    if not correspondence.correspondence_installed():
        errors["answer_document"] = _("The official correspondence module is not installed.")
    elif application.state != State.OPEN:
        errors["answer_document"] = _("This application already has an outcome.")
    elif application.answer_document_id is not None:
        errors["answer_document"] = _("The answer document of this application is drafted.")
    if errors:
        raise ValidationError(errors)
    drafted = correspondence.draft_outgoing(
        user=user,
        unit_id=application.responsible_unit_id,
        subject=application.subject,
        recipient_name=application.applicant_name,
        recipient_address=" ".join(application.address.split()),
        reference_text=_answer_reference(application),
    )
    application.answer_document_id = drafted.pk
    application.save()
    return application


def answer_document(user, application: Application):
    """The summary of the application's answer document (its link only when the user may open
    it), or None."""
    return correspondence.describe_outgoing(user, application.answer_document_id)


def may_draft_answer(user, application: Application) -> bool:
    return (
        application.state == State.OPEN
        and application.answer_document_id is None
        and get_scope(user).has_perm(ANSWER, application.responsible_unit_id)
        and correspondence.may_draft_outgoing(user, application.responsible_unit_id)
    )


def _queue_answer_notice(application: Application) -> None:
    """The citizen who filed on the public form learns that the answer is there (the answer
    itself is read on the tracking page, with the code only the citizen holds)."""
    from biys.notifications.services import queue_email

    lines = [_("Your application %(number)s has been answered.") % {"number": application.number}]
    if public_tracking_url():
        lines.append(
            _("Read the answer at %(url)s with your tracking code.")
            % {"url": public_tracking_url()}
        )
    queue_email(
        to=application.email,
        subject=_("Application %(number)s answered") % {"number": application.number},
        body="\n".join(lines),
    )


def may_reveal(user, application: Application) -> bool:
    return get_scope(user).has_perm(REVEAL, application.responsible_unit_id)


@transaction.atomic
def reveal_personal_data(*, user, application: Application, reason: str = "") -> dict:
    """The applicant's unmasked personal data, for a holder of the reveal permission over the
    responsible unit; every call is logged (KVKK)."""
    _require(user, REVEAL, application.responsible_unit_id)
    record_view(user=user, obj=application, reason=reason)
    return {name: getattr(application, name) for name in Application.personal_fields}


# The public form ----------------------------------------------------------------------------


class FileRefused(ValidationError):
    """A file of the public form refused (size, type, count): the form shows it at the files."""


def public_max_files() -> int:
    return getattr(settings, "BIYS_PUBLIC_MAX_FILES", 3)


def public_max_bytes() -> int:
    return getattr(settings, "BIYS_PUBLIC_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def takes_coordinates(application_type: ApplicationType) -> bool:
    """Whether the public form asks for the coordinates of a place: a resident's complaint
    about a base station may point at the station (optional)."""
    from biys.applications.basestation.selectors import COMPLAINT_TYPE_CODE

    return application_type.code == COMPLAINT_TYPE_CODE


def _public_coordinates(application_type, latitude, longitude) -> tuple[dict, dict]:
    """The form data entries of the coordinates given on the public form, and their errors:
    only for a type that takes them, both or neither, on the earth."""
    from biys.applications.basestation import selectors as site_selectors
    from biys.applications.basestation.services import check_coordinates

    if latitude is None and longitude is None:
        return {}, {}
    if not takes_coordinates(application_type):
        return {}, {"latitude": _("This kind of application takes no coordinates.")}
    errors = {
        field: messages[0] if isinstance(messages, list) else messages
        for field, messages in check_coordinates(latitude, longitude, required=False).items()
    }
    if errors:
        return {}, errors
    return {
        site_selectors.LATITUDE_KEY: f"{Decimal(latitude):.6f}",
        site_selectors.LONGITUDE_KEY: f"{Decimal(longitude):.6f}",
    }, {}


@transaction.atomic
def file_public_application(
    *,
    type: ApplicationType,
    subject: str,
    description: str,
    applicant_name: str,
    address: str,
    applicant_kind: str = ApplicantKind.PERSON,
    tc_kimlik_no: str = "",
    tax_number: str = "",
    email: str = "",
    phone: str = "",
    form_data: dict | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    files=(),
    today: date | None = None,
) -> tuple[Application, str]:
    """A citizen's application from the public form, without an account: recorded as the
    counter clerk would (number, legal deadline, the type's unit), with a tracking code whose
    digest alone is kept, the files checked as every attachment is, and the code e-mailed when
    an address is given. Whether a person gives the TC kimlik number is the type's rule
    (``identity_number``, checked by ``receive_application``). A base-station complaint may carry the station's coordinates
    (``takes_coordinates``), kept in its form data. Returns the application and the code,
    shown once."""
    from biys.attachments.services import store_attachment

    errors: dict = {}
    if not type.public:
        errors["type"] = _("This kind of application cannot be filed on this form.")
    if not (address or "").strip():
        # 3071 md. 6 and 4982 md. 6: an application names where the applicant can be reached.
        errors["address"] = _("Give your residence or business address.")
    if applicant_kind != ApplicantKind.PERSON and not (tax_number or "").strip():
        errors["tax_number"] = _("Give the tax number of the company or institution.")
    if not (description or "").strip():
        errors["description"] = _("Write what you are asking for.")
    coordinates, coordinate_errors = _public_coordinates(type, latitude, longitude)
    errors |= coordinate_errors
    form_data = {**(form_data or {}), **coordinates}
    files = list(files)
    if len(files) > public_max_files():
        errors["files"] = _("Attach at most %(count)d files.") % {"count": public_max_files()}
    elif sum(f.size or 0 for f in files) > public_max_bytes():
        errors["files"] = _("The files together are larger than %(limit)s.") % {
            "limit": filesizeformat(public_max_bytes())
        }
    try:
        application = receive_application(
            user=None,
            type=type,
            received_on=today or selectors.today(),
            channel=Channel.WEB,
            subject=subject,
            description=description,
            form_data=form_data,
            applicant_name=applicant_name,
            applicant_kind=applicant_kind,
            tc_kimlik_no=tc_kimlik_no,
            tax_number=tax_number,
            email=email,
            phone=phone,
            address=address,
            today=today,
        )
    except ValidationError as error:
        raise ValidationError(error.update_error_dict(errors)) from error
    if errors:
        raise ValidationError(errors)
    code = tracking.new_code()
    application.tracking_digest = tracking.digest(code)
    application.save(update_fields=["tracking_digest", "last_updated"])
    for uploaded in files:
        try:
            store_attachment(
                obj=application, uploaded_file=uploaded, description=_("Filed with the form")
            )
        except ValidationError as error:
            message = "; ".join(error.message_dict.get("file", error.messages))
            raise FileRefused({"files": f"{uploaded.name}: {message}"}) from error
    if application.email:
        _queue_public_notice(application, code)
    return application, code


def _queue_public_notice(application: Application, code: str) -> None:
    from biys.notifications.services import queue_email

    track_url = public_tracking_url()
    lines = [
        _("Your application has been received."),
        "",
        _("Number: %(number)s") % {"number": application.number},
        _("Tracking code: %(code)s") % {"code": tracking.shown(code)},
        _("Legal deadline for the answer: %(due)s")
        % {"due": application.due_date.strftime("%d.%m.%Y")},
    ]
    if track_url:
        lines += ["", _("Follow it at %(url)s with your tracking code.") % {"url": track_url}]
    queue_email(
        to=application.email,
        subject=_("Application %(number)s received") % {"number": application.number},
        body="\n".join(lines),
    )


def public_tracking_url() -> str:
    base = (getattr(settings, "BIYS_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}/takip/" if base else ""


def sms_notice(application: Application, code: str) -> str:
    """The same notice in one SMS (160 characters of GSM text, no link), for an installation
    that sends SMS through its operator's gateway. Its Turkish translation is written without
    ç, ğ, ı, ş: one of them would make the whole message UCS-2, 70 characters a part."""
    return _("App. %(number)s received. Code %(code)s. Answer due %(due)s.") % {
        "number": application.number,
        "code": tracking.shown(code),
        "due": application.due_date.strftime("%d.%m.%Y"),
    }


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
