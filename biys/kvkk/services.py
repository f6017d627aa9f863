"""Every write of the KVKK module. Keyword-only; a refused write raises ``ValidationError``
(with the field it is about) or ``PermissionDenied`` and leaves nothing behind.

The answer period of a data subject's request (KVKK md. 13/2: "en kısa sürede ve en geç otuz
gün içinde") is ``answer_deadline``: 30 calendar days after the day of receipt on the working
calendar, ending on the next working day when the 30th is a weekend or holiday day (the
general rule for periods in days, as the applications module counts them).
"""

from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from biys.core.access import can, check_save, get_scope
from biys.core.personal_data import record_view
from biys.kvkk import selectors
from biys.kvkk.choices import OPEN_STATES, ListKind, Outcome, RequestState
from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest

ANSWER_DAYS = 30
REQUEST_SEQUENCE = "kvkk.request"
REQUEST_NUMBER_TEMPLATE = "KVKK-{year}-{seq:04d}"
REVEAL = "kvkk.reveal_subjectrequest"
CHANGE_REQUEST = "kvkk.change_subjectrequest"


def _by(user):
    return user if user is not None and user.is_authenticated else None


# Pick-lists -------------------------------------------------------------------------------


@transaction.atomic
def save_list_item(*, item: ListItem, user) -> ListItem:
    """A pick-list entry: data of the whole municipality, changed by whoever holds the
    permission over every unit."""
    action = "add" if item.pk is None else "change"
    if user is not None and not get_scope(user).has_perm(f"kvkk.{action}_listitem", None):
        raise PermissionDenied
    item.name = (item.name or "").strip()
    item.code = (item.code or "").strip()
    if item.kind not in (ListKind.DATA_CATEGORY, ListKind.LEGAL_BASIS):
        item.special = False
    item.full_clean()
    item.save()
    return item


# Processing inventory ---------------------------------------------------------------------

ACTIVITY_LISTS = {
    "data_categories": ListKind.DATA_CATEGORY,
    "purposes": ListKind.PURPOSE,
    "legal_bases": ListKind.LEGAL_BASIS,
    "subject_groups": ListKind.SUBJECT_GROUP,
    "recipient_groups": ListKind.RECIPIENT_GROUP,
    "technical_measures": ListKind.TECHNICAL_MEASURE,
    "administrative_measures": ListKind.ADMINISTRATIVE_MEASURE,
}
REQUIRED_LISTS = {
    "data_categories": gettext_noop("Choose at least one data category."),
    "purposes": gettext_noop("Choose at least one processing purpose."),
    "legal_bases": gettext_noop("Choose at least one legal basis."),
    "subject_groups": gettext_noop("Choose at least one data-subject group."),
}


def check_activity(activity: ProcessingActivity, lists: dict) -> None:
    """The inventory's rules: each list from its own pick-list; categories, purposes, legal
    bases and subject groups given; special categories need a condition of md. 6; a transfer
    abroad names its countries and basis."""
    errors = {}
    for name, kind in ACTIVITY_LISTS.items():
        items = lists.get(name) or []
        if any(item.kind != kind for item in items):
            errors[name] = _("Choose entries of this list only.")
        elif name in REQUIRED_LISTS and not items:
            errors[name] = _(REQUIRED_LISTS[name])
    categories = lists.get("data_categories") or []
    bases = lists.get("legal_bases") or []
    special_data = any(item.special for item in categories)
    if (
        special_data
        and not any(item.special for item in bases)
        and not {"data_categories", "legal_bases"} & set(errors)
    ):
        errors["legal_bases"] = _(
            "Special categories of personal data are processed only on a condition of"
            " KVKK md. 6: choose one."
        )
    if activity.transfer_abroad:
        if not activity.transfer_countries.strip():
            errors["transfer_countries"] = _("Name the countries the data goes to.")
        if not activity.transfer_basis.strip():
            errors["transfer_basis"] = _("Give the basis of the transfer (KVKK md. 9).")
    if not (activity.retention_period or "").strip():
        errors["retention_period"] = _("Give the maximum retention period.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_activity(*, activity: ProcessingActivity, user, **lists) -> ProcessingActivity:
    """Record a processing activity of a unit with its lists (``data_categories=[...]``, ... as
    in ``ACTIVITY_LISTS``; a list not given keeps its stored entries)."""
    unknown = set(lists) - set(ACTIVITY_LISTS)
    if unknown:
        raise ValueError(f"not activity lists: {sorted(unknown)}")
    check_save(user, activity, activity.unit_id)
    merged = {
        name: list(lists[name])
        if lists.get(name) is not None
        else (list(getattr(activity, name).all()) if activity.pk else [])
        for name in ACTIVITY_LISTS
    }
    if not activity.transfer_abroad:
        activity.transfer_countries = activity.transfer_basis = ""
    for name in ("name", "description", "personal_data", "transfer_countries",
                 "transfer_basis", "retention_period"):  # fmt: skip
        setattr(activity, name, (getattr(activity, name) or "").strip())
    errors = {}
    try:
        activity.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        check_activity(activity, merged)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    activity.save()
    for name in ACTIVITY_LISTS:
        if lists.get(name) is not None or not activity.pk:
            getattr(activity, name).set(merged[name])
    return activity


@transaction.atomic
def delete_activity(*, activity: ProcessingActivity, user) -> None:
    if user is not None and not can(user, "delete", activity):
        raise PermissionDenied
    activity.delete()


# Data subjects' requests ------------------------------------------------------------------


def answer_deadline(received_on: date, *, calendar=None) -> date:
    """The last day to answer a request received on ``received_on`` (KVKK md. 13/2)."""
    if calendar is None:
        from biys.calendar.selectors import get_calendar

        calendar = get_calendar()
    return calendar.add_days(received_on, ANSWER_DAYS)


REQUEST_FIELDS = ("received_on", "channel", "right", "request_text", "applicant_name",
                  "tc_kimlik_no", "email", "phone", "address", "unit", "assignee")  # fmt: skip


def _check_request(request: SubjectRequest) -> None:
    errors = {}
    try:
        request.full_clean(exclude=["number", "due_date"])
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if request.received_on and request.received_on > selectors.today():
        errors.setdefault("received_on", []).append(
            ValidationError(_("The receipt cannot be in the future."))
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def register_request(*, user, **values) -> SubjectRequest:
    """Register a data subject's request with its number and its answer deadline."""
    from biys.core.numbering import next_number

    unknown = set(values) - set(REQUEST_FIELDS)
    if unknown:
        raise ValueError(f"not request fields: {sorted(unknown)}")
    request = SubjectRequest(**values)
    for name in ("request_text", "applicant_name", "tc_kimlik_no", "email", "phone", "address"):
        setattr(request, name, "".join((getattr(request, name) or "").split())
                if name == "tc_kimlik_no" else (getattr(request, name) or "").strip())  # fmt: skip
    if request.unit_id is None:
        raise ValidationError({"unit": _("Choose the unit that answers.")})
    check_save(user, request, request.unit_id)
    _check_request(request)
    request.due_date = answer_deadline(request.received_on)
    request.number = next_number(
        REQUEST_SEQUENCE,
        at=timezone.make_aware(datetime.combine(request.received_on, time(12))),
        template=REQUEST_NUMBER_TEMPLATE,
    )
    request.save()
    return request


@transaction.atomic
def update_request(*, user, request: SubjectRequest, **values) -> SubjectRequest:
    """Change a request's record (the fields of ``REQUEST_FIELDS``); a new receipt day moves
    the deadline; the number and the answer do not change here."""
    unknown = set(values) - set(REQUEST_FIELDS)
    if unknown:
        raise ValueError(f"not request fields: {sorted(unknown)}")
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    if user is not None and not can(user, "change", request):
        raise PermissionDenied
    for name, value in values.items():
        if name == "tc_kimlik_no":
            value = "".join((value or "").split())
        elif isinstance(value, str):
            value = value.strip()
        setattr(request, name, value)
    check_save(user, request, request.unit_id)
    _check_request(request)
    request.due_date = answer_deadline(request.received_on)
    request.save()
    return request


def request_actions(user, request: SubjectRequest) -> list[str]:
    """The steps ``user`` may take on ``request`` now."""
    if not get_scope(user).has_perm(CHANGE_REQUEST, request.unit_id):
        return []
    if request.state == RequestState.RECEIVED:
        return ["start", "answer"]
    if request.state == RequestState.IN_PROGRESS:
        return ["answer"]
    return ["reopen"]


def require_change(user, request: SubjectRequest) -> None:
    """Changing ``request`` (its steps): the services check it, and the API checks it before
    it reads a body."""
    if user is not None and not get_scope(user).has_perm(CHANGE_REQUEST, request.unit_id):
        raise PermissionDenied(_("You may not change this request."))


def _locked_for_change(user, request: SubjectRequest) -> SubjectRequest:
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    require_change(user, request)
    return request


@transaction.atomic
def start_request(*, user, request: SubjectRequest, assignee=None) -> SubjectRequest:
    """received → being answered (optionally naming who prepares the answer)."""
    request = _locked_for_change(user, request)
    if request.state != RequestState.RECEIVED:
        raise ValidationError({"state": _("Only a received request is started.")})
    request.state = RequestState.IN_PROGRESS
    if assignee is not None:
        request.assignee = assignee
    request.save()
    return request


@transaction.atomic
def answer_request(
    *, user, request: SubjectRequest, outcome: str, answer: str, answered_on: date | None = None
) -> SubjectRequest:
    """Record the written answer (md. 13/2): its outcome, text and day; a refusal gives its
    reason in the answer."""
    request = _locked_for_change(user, request)
    errors = {}
    if request.state not in OPEN_STATES:
        errors["state"] = _("The request is already answered.")
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose the outcome.")
    answer = (answer or "").strip()
    if not answer:
        errors["answer"] = _("Write the answer given to the applicant.")
    answered_on = answered_on or selectors.today()
    if answered_on > selectors.today():
        errors["answered_on"] = _("The answer cannot be given in the future.")
    elif answered_on < request.received_on:
        errors["answered_on"] = _("The answer cannot come before the request.")
    if errors:
        raise ValidationError(errors)
    request.state = RequestState.ANSWERED
    request.outcome = outcome
    request.answer = answer
    request.answered_on = answered_on
    request.answered_by = _by(user)
    request.save()
    return request


@transaction.atomic
def reopen_request(*, user, request: SubjectRequest) -> SubjectRequest:
    """An answered request back to being answered (a wrong entry, an answer returned); the
    deadline stays the one of its receipt."""
    request = _locked_for_change(user, request)
    if request.state != RequestState.ANSWERED:
        raise ValidationError({"state": _("Only an answered request is reopened.")})
    request.state = RequestState.IN_PROGRESS
    request.outcome = ""
    request.answered_on = None
    request.answered_by = None
    request.save()
    return request


def may_reveal(user, request: SubjectRequest) -> bool:
    return get_scope(user).has_perm(REVEAL, request.unit_id)


@transaction.atomic
def reveal_identity(*, user, request: SubjectRequest, reason: str = "") -> dict:
    """The applicant's unmasked personal data, for a holder of the reveal permission over the
    assigned unit; every call is logged (``biys.core.personal_data``)."""
    if user is None or not may_reveal(user, request):
        raise PermissionDenied(_("You may not see this applicant's personal data."))
    record_view(user=user, obj=request, reason=reason)
    return {name: getattr(request, name) for name in SubjectRequest.personal_fields}


# Reminders --------------------------------------------------------------------------------


def remind_days() -> int:
    return getattr(settings, "BIYS_KVKK_REMIND_DAYS", 7)


def _recipients(request: SubjectRequest) -> list:
    from biys.accounts.selectors import unit_manager_user

    recipients = selectors.role_holders(request.unit, ("kvkk_contact",))
    if request.assignee_id:
        recipients.append(request.assignee)
    if not recipients:
        recipients.append(unit_manager_user(request.unit))
    return recipients


def send_reminders(*, today: date | None = None) -> dict:
    """Once per open request: a reminder to the KVKK contact people of its unit (and its
    assignee) when the deadline is ``BIYS_KVKK_REMIND_DAYS`` days away, and a notice when it
    has passed."""
    from biys.notifications.services import notify

    today = today or selectors.today()
    horizon = date.fromordinal(today.toordinal() + remind_days())
    result = {"reminded": 0, "overdue": 0}
    candidates = (
        SubjectRequest.objects.filter(state__in=OPEN_STATES, due_date__lte=horizon)
        .filter(overdue_notified_at__isnull=True)
        .select_related("unit", "assignee")
        .order_by("due_date", "pk")
    )
    for request in candidates.iterator():
        values = {"number": request.number, "due": request.due_date.strftime("%d.%m.%Y")}
        with transaction.atomic():
            now = timezone.now()
            if request.due_date < today:
                notify(
                    recipients=_recipients(request),
                    title=_("KVKK request %(number)s is overdue: the answer was due on %(due)s")
                    % values,
                    body=request.get_right_display(),
                    target=request,
                )
                SubjectRequest.objects.filter(pk=request.pk).update(
                    overdue_notified_at=now, reminded_at=request.reminded_at or now
                )
                result["overdue"] += 1
            elif request.reminded_at is None:
                notify(
                    recipients=_recipients(request),
                    title=_("KVKK request %(number)s must be answered by %(due)s") % values,
                    body=request.get_right_display(),
                    target=request,
                )
                SubjectRequest.objects.filter(pk=request.pk).update(reminded_at=now)
                result["reminded"] += 1
    return result
