"""Every write of address numbering and street naming. Keyword-only, each in one transaction:
a refused write raises ``ValidationError`` (with the field it is about) or ``PermissionDenied``
and leaves nothing behind; every saved record is change-logged.

A numbering request goes received → visited (the field visit: day, inspector, note) → numbered
(the door number and inner numbers; the building is registered or renumbered and its numbering
history gets a dated entry) → accrued (the fee, numbered ``NUM-TAH-YYYY-NNNNN``; a fee of 0 is
exempt and counts as paid) → paid (the receipt reference, the whole amount) → certificate
issued (numbered ``NUM-BLG-YYYY-NNNNN``; the application is answered). It may be refused with
its reason until it is paid (the application is refused with it).

A street naming proposal is prepared (its justification), sent to the council and gets the
council's decision: accepted (the proposed name), accepted with another name, or rejected. An
accepted name is the street's from the decision day, with a dated entry in its name history (a
street not yet in the register is added with it).
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.applications import selectors as application_selectors
from biys.applications.choices import ApplicantKind, Channel, State
from biys.applications.models import Application, ApplicationType
from biys.applications.numarataj import selectors
from biys.applications.numarataj.choices import (
    CLOSED_STATES,
    CouncilDecision,
    ProposalState,
    RequestState,
)
from biys.applications.numarataj.models import (
    Building,
    BuildingNumber,
    NumberingRequest,
    NumberingTariff,
    Street,
    StreetName,
    StreetNamingProposal,
)
from biys.core.access import check_save, get_scope
from biys.core.report_files import money
from biys.core.validation import full_clean as _clean
from biys.org.validators import is_valid_tc_kimlik_no

ADD_REQUEST = "applications.add_numberingrequest"
CHANGE_REQUEST = "applications.change_numberingrequest"
COLLECT = "applications.collect_numberingrequest"
ADD_PROPOSAL = "applications.add_streetnamingproposal"
CHANGE_PROPOSAL = "applications.change_streetnamingproposal"
DECIDE = "applications.decide_streetnamingproposal"
ACCRUAL_SEQUENCE = "applications.numarataj_accrual"
ACCRUAL_TEMPLATE = "NUM-TAH-{year}-{seq:05d}"
CERTIFICATE_SEQUENCE = "applications.numarataj_certificate"
CERTIFICATE_TEMPLATE = "NUM-BLG-{year}-{seq:05d}"


def _require(user, perm: str, unit_id) -> None:
    """``user`` None is the system (the demo, a task)."""
    if user is not None and not get_scope(user).has_perm(perm, unit_id):
        raise PermissionDenied(_("You may not do this for address numbering of that unit."))


# The permission each step needs over its unit (``require_step``): on a numbering request
# (its application's unit), on a naming proposal (its unit).
REQUEST_STEPS = {
    "visit": CHANGE_REQUEST,
    "number": CHANGE_REQUEST,
    "accrue": COLLECT,
    "payment": COLLECT,
    "issue": CHANGE_REQUEST,
    "refuse": CHANGE_REQUEST,
}
PROPOSAL_STEPS = {"send": CHANGE_PROPOSAL, "decide": DECIDE}


def require_step(user, obj, step: str) -> None:
    """The permission check of a step on a numbering request or a naming proposal: each step
    makes it, and the API makes it before it reads the step's body."""
    if isinstance(obj, StreetNamingProposal):
        _require(user, PROPOSAL_STEPS[step], obj.unit_id)
    else:
        _require(user, REQUEST_STEPS[step], obj.application.responsible_unit_id)


def _at_noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _not_future(day: date, field: str, message: str) -> None:
    if day > application_selectors.today():
        raise ValidationError({field: message})


# The address register ----------------------------------------------------------------------


@transaction.atomic
def save_street(*, user, street: Street, named_on: date | None = None) -> Street:
    """A street of the register. A new one starts its name history on ``named_on`` (today).
    A name typed afterwards corrects the spelling of the current entry; a new name, dated, is
    given only by a council decision (``record_decision``)."""
    check_save(user, street, street.unit_id)
    street.name = " ".join((street.name or "").split())
    street.neighbourhood = " ".join((street.neighbourhood or "").split())
    is_new = street.pk is None
    stored = None if is_new else Street.objects.get(pk=street.pk)
    _clean(street)
    street.save()
    if is_new:
        StreetName.objects.create(
            street=street, name=street.name, valid_from=named_on or application_selectors.today()
        )
    elif stored.name != street.name:
        # A spelling corrected: the current entry of the history, not a new dated name.
        current = StreetName.objects.filter(street=street).order_by("-valid_from", "-id").first()
        if current is not None:
            current.name = street.name
            current.save()
    return street


def tariff_day_error(tariff: NumberingTariff) -> dict[str, str]:
    """``{"valid_from": message}`` when another row of the tariff's kind starts the same day
    (a row is valid until the next of its kind starts, so that is the only overlap); the
    form, the API and ``save_tariff`` answer it at the field."""
    if not tariff.kind or not tariff.valid_from:
        return {}
    same_day = NumberingTariff.objects.filter(kind=tariff.kind, valid_from=tariff.valid_from)
    if tariff.pk is not None:
        same_day = same_day.exclude(pk=tariff.pk)
    if not same_day.exists():
        return {}
    return {
        "valid_from": _(
            "An amount of this kind is already valid from %(day)s: correct that row, or give "
            "this one another day."
        )
        % {"day": tariff.valid_from.strftime("%d.%m.%Y")}
    }


@transaction.atomic
def save_tariff(*, user, tariff: NumberingTariff) -> NumberingTariff:
    """An amount of the council's numbering tariff, kept for the whole municipality (the add
    or change permission over every unit). A row is valid from its day until the next row of
    its kind starts, so two rows of a kind never share a first day: the second is refused at
    ``valid_from``. A request keeps what its accrual came to (``tariff_fee``), so a later
    correction changes no accrued fee."""
    check_save(user, tariff, None)
    tariff.council_decision = " ".join((tariff.council_decision or "").split())
    errors = tariff_day_error(tariff)
    # The same-day rule is answered at its field; the model's constraint would say it again.
    _clean(tariff, errors, exclude=list(errors) or None)
    tariff.save()
    return tariff


def _door_taken(street_id: int, door_number: str, building_id=None) -> bool:
    others = Building.objects.filter(street_id=street_id, door_number=door_number)
    if building_id is not None:
        others = others.exclude(pk=building_id)
    return bool(door_number) and others.exists()


@transaction.atomic
def save_building(*, user, building: Building) -> Building:
    """A building of the register (one numbered before BİYS, typed in). A door number, new or
    changed, is dated in the building's numbering history."""
    if building.street_id is None:
        raise ValidationError({"street": _("Choose the street.")})
    check_save(user, building, building.street.unit_id)
    building.door_number = (building.door_number or "").strip()
    errors = {}
    if _door_taken(building.street_id, building.door_number, building.pk):
        errors["door_number"] = _("Another building of this street has this door number.")
    stored = Building.objects.filter(pk=building.pk).first() if building.pk else None
    _clean(building, errors)
    building.save()
    if building.door_number and (
        stored is None
        or (stored.door_number, stored.street_id) != (building.door_number, building.street_id)
    ):
        BuildingNumber.objects.create(
            building=building,
            street=building.street,
            door_number=building.door_number,
            inner_numbers=building.inner_numbers,
            given_on=application_selectors.today(),
            note=_("Recorded in the register"),
        )
    return building


# Numbering requests ------------------------------------------------------------------------


def request_type() -> ApplicationType | None:
    return ApplicationType.objects.filter(code=selectors.REQUEST_TYPE_CODE, active=True).first()


def _check_applicant(applicant_kind: str, tc_kimlik_no: str, tax_number: str) -> dict:
    """The fee is accrued on the applicant: a person by TC kimlik number, a company or
    institution by its tax number (VKN)."""
    from biys.applications.gis.services import is_valid_vkn

    if applicant_kind == ApplicantKind.PERSON:
        if not is_valid_tc_kimlik_no(tc_kimlik_no):
            return {"tc_kimlik_no": [_("Enter the applicant's valid TC kimlik number.")]}
    elif not is_valid_vkn(tax_number):
        return {"tax_number": [_("Enter the applicant's valid 10-digit tax number (VKN).")]}
    return {}


def _check_place(street, block: str, parcel: str) -> dict:
    errors = {}
    if street is None:
        errors["street"] = [_("Choose the street.")]
    elif not street.active:
        errors["street"] = [_("This street is no longer in use.")]
    if not (block or "").strip():
        errors["block"] = [_("Give the block (ada).")]
    if not (parcel or "").strip():
        errors["parcel"] = [_("Give the parcel (parsel).")]
    return errors


@transaction.atomic
def open_request(
    *,
    user,
    received_on: date,
    applicant_kind: str,
    applicant_name: str,
    street: Street,
    block: str,
    parcel: str,
    building_description: str = "",
    tc_kimlik_no: str = "",
    tax_number: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    channel: str = Channel.COUNTER,
    responsible_unit=None,
    form_data: dict | None = None,
    today: date | None = None,
) -> NumberingRequest:
    """Record a building-number or address-certificate request: the application of the type
    ``numarataj`` (its number, legal deadline and responsible unit) and the request on it."""
    from biys.applications import services as application_services

    application_type = request_type()
    if application_type is None:
        raise ValidationError(
            _("The application type “%(code)s” is not loaded.")
            % {"code": selectors.REQUEST_TYPE_CODE}
        )
    tc_kimlik_no = "".join((tc_kimlik_no or "").split())
    tax_number = "".join((tax_number or "").split())
    if applicant_kind == ApplicantKind.PERSON:
        tax_number = ""
    else:
        tc_kimlik_no = ""
    block, parcel = (block or "").strip(), (parcel or "").strip()
    errors = {**_check_applicant(applicant_kind, tc_kimlik_no, tax_number)}
    errors.update(_check_place(street, block, parcel))
    unit = responsible_unit or application_type.unit
    if unit is not None:
        _require(user, ADD_REQUEST, unit.pk)
    form_data = {"ada_parsel": f"{block} / {parcel}", **(form_data or {})}
    subject = _("Address numbering: %(place)s") % {
        "place": f"{street.neighbourhood}, {street.name}" if street else f"{block}/{parcel}"
    }
    values = {
        "user": user, "type": application_type, "responsible_unit": unit,
        "subject": subject[:300], "received_on": received_on, "applicant_kind": applicant_kind,
        "applicant_name": applicant_name, "form_data": form_data, "tc_kimlik_no": tc_kimlik_no,
        "tax_number": tax_number, "email": email, "phone": phone, "address": address,
        "channel": channel, "today": today,
    }  # fmt: skip
    if errors:
        # The application's own problems are reported with ours (a refused try is rolled back).
        try:
            with transaction.atomic():
                application_services.receive_application(**values)
                transaction.set_rollback(True)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, problems in error.error_dict.items():
                    errors.setdefault(name, problems)
        raise ValidationError(errors)
    application = application_services.receive_application(**values)
    return _new_request(
        application,
        street=street,
        block=block,
        parcel=parcel,
        building_description=building_description,
    )


def _new_request(application, *, street, block, parcel, building_description) -> NumberingRequest:
    numbering = NumberingRequest(
        application=application,
        street=street,
        block=block,
        parcel=parcel,
        building_description=(building_description or "").strip(),
    )
    _clean(numbering, exclude=["application"])
    numbering.save()
    return numbering


@transaction.atomic
def start_request(
    *,
    user,
    application: Application,
    street: Street,
    block: str,
    parcel: str,
    building_description: str = "",
) -> NumberingRequest:
    """The request on an application already recorded (the public form, the counter entry)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require(user, ADD_REQUEST, application.responsible_unit_id)
    if application.type.code != selectors.REQUEST_TYPE_CODE:
        raise ValidationError(_("Only an address numbering application becomes a request."))
    if NumberingRequest.objects.filter(application=application).exists():
        raise ValidationError(_("This application already has its numbering request."))
    if application.state != State.OPEN:
        raise ValidationError(_("The application is already answered."))
    errors = _check_place(street, block, parcel)
    if errors:
        raise ValidationError(errors)
    return _new_request(
        application,
        street=street,
        block=block.strip(),
        parcel=parcel.strip(),
        building_description=building_description,
    )


def _locked(numbering: NumberingRequest) -> NumberingRequest:
    return (
        NumberingRequest.objects.select_for_update(of=("self",))
        .select_related("application", "street")
        .get(pk=numbering.pk)
    )


@transaction.atomic
def record_visit(
    *, user, request: NumberingRequest, visited_on: date, inspector, note: str = ""
) -> NumberingRequest:
    """The field visit: its day, the inspector and what they found (corrected until the
    number is given)."""
    numbering = _locked(request)
    require_step(user, numbering, "visit")
    errors = {}
    if numbering.state not in (RequestState.RECEIVED, RequestState.VISITED):
        errors["visited_on"] = _("The visit is recorded before the number is given.")
    if visited_on is None:
        errors["visited_on"] = _("Give the day of the visit.")
    elif visited_on > application_selectors.today():
        errors["visited_on"] = _("A visit cannot be dated in the future.")
    elif visited_on < numbering.application.received_on:
        errors["visited_on"] = _("The visit cannot come before the request.")
    if inspector is None:
        errors["inspector"] = _("Name the inspector who visited.")
    if errors:
        raise ValidationError(errors)
    numbering.visited_on = visited_on
    numbering.inspector = inspector
    numbering.visit_note = (note or "").strip()
    numbering.state = RequestState.VISITED
    numbering.save()
    return numbering


def _clean_inner(inner_numbers: str) -> str:
    parts = [part.strip() for part in (inner_numbers or "").replace(";", ",").split(",")]
    return ", ".join(part for part in parts if part)


@transaction.atomic
def give_number(
    *,
    user,
    request: NumberingRequest,
    door_number: str,
    inner_numbers: str = "",
    building: Building | None = None,
    numbered_on: date | None = None,
) -> NumberingRequest:
    """The number given after the visit: a new building is registered on the request's street,
    block and parcel; a building already registered (``building``) is renumbered (and moved to
    the request's street). Its numbering history gets the dated number."""
    numbered_on = numbered_on or application_selectors.today()
    numbering = _locked(request)
    require_step(user, numbering, "number")
    door_number = (door_number or "").strip()
    inner_numbers = _clean_inner(inner_numbers)
    errors = {}
    if numbering.state != RequestState.VISITED:
        errors["door_number"] = _("The number is given after the field visit.")
    if not door_number:
        errors["door_number"] = _("Give the door number.")
    elif _door_taken(numbering.street_id, door_number, building.pk if building else None):
        errors["door_number"] = _("Another building of this street has this door number.")
    if numbered_on > application_selectors.today():
        errors["numbered_on"] = _("A number cannot be given in the future.")
    elif numbering.visited_on and numbered_on < numbering.visited_on:
        errors["numbered_on"] = _("The number cannot be given before the visit.")
    if errors:
        raise ValidationError(errors)
    if building is None:
        building = Building(
            street=numbering.street,
            block=numbering.block,
            parcel=numbering.parcel,
            building_name=numbering.building_description[:200],
        )
    building.street = numbering.street
    building.door_number = door_number
    building.inner_numbers = inner_numbers
    _clean(building)
    building.save()
    BuildingNumber.objects.create(
        building=building,
        street=numbering.street,
        door_number=door_number,
        inner_numbers=inner_numbers,
        given_on=numbered_on,
        request=numbering,
    )
    numbering.building = building
    numbering.door_number = door_number
    numbering.inner_numbers = inner_numbers
    numbering.numbered_on = numbered_on
    numbering.state = RequestState.NUMBERED
    numbering.save()
    return numbering


@transaction.atomic
def accrue_fee(
    *,
    user,
    request: NumberingRequest,
    fee: Decimal | None = None,
    fee_reason: str = "",
    accrued_on: date | None = None,
) -> NumberingRequest:
    """The fee by the council's tariff valid on the accrual day (``selectors.tariff_fee``),
    accrued (``NUM-TAH-YYYY-NNNNN``). No fee given: the tariff's. Another fee than the
    tariff's (an exemption, a decision) needs its reason; with no tariff valid that day the
    fee is typed. A fee of 0 (an exemption) needs no payment."""
    from biys.core.numbering import next_number

    accrued_on = accrued_on or application_selectors.today()
    numbering = _locked(request)
    require_step(user, numbering, "accrue")
    errors = {}
    if numbering.state != RequestState.NUMBERED:
        errors["fee"] = _("The fee is accrued once the number is given.")
    if accrued_on > application_selectors.today() or (
        numbering.numbered_on and accrued_on < numbering.numbered_on
    ):
        errors["accrued_on"] = _("The accrual is dated between the numbering and today.")
    quote = selectors.tariff_fee(numbering, accrued_on)
    fee_reason = (fee_reason or "").strip()
    if fee is None and quote is not None:
        fee = quote.total
    if fee is None or Decimal(fee) < 0:
        errors.setdefault("fee", _("Give the fee by the tariff (0 for an exemption)."))
    elif quote is not None and Decimal(fee).quantize(Decimal("0.01")) != quote.total:
        if not fee_reason:
            errors["fee_reason"] = _(
                "The tariff comes to %(total)s TL: give the reason for another fee."
            ) % {"total": money(quote.total)}
    else:
        fee_reason = ""
    if errors:
        raise ValidationError(errors)
    numbering.fee = Decimal(fee).quantize(Decimal("0.01"))
    numbering.tariff_fee = quote.total if quote is not None else None
    numbering.fee_reason = fee_reason
    numbering.accrual_number = next_number(
        ACCRUAL_SEQUENCE, at=_at_noon(accrued_on), template=ACCRUAL_TEMPLATE
    )
    numbering.accrued_on = accrued_on
    numbering.state = RequestState.ACCRUED
    if numbering.fee == 0:
        numbering.payment_reference = _("Exempt")
        numbering.paid_on = accrued_on
        numbering.state = RequestState.PAID
    numbering.save()
    return numbering


@transaction.atomic
def record_payment(
    *,
    user,
    request: NumberingRequest,
    payment_reference: str,
    amount: Decimal,
    paid_on: date | None = None,
) -> NumberingRequest:
    """The payment of the accrual: its receipt or transfer reference and the whole amount."""
    paid_on = paid_on or application_selectors.today()
    numbering = _locked(request)
    require_step(user, numbering, "payment")
    errors = {}
    if numbering.state != RequestState.ACCRUED:
        errors["payment_reference"] = _("Only an accrued fee is paid.")
    payment_reference = (payment_reference or "").strip()
    if not payment_reference:
        errors["payment_reference"] = _("Give the receipt or transfer reference.")
    if amount is None or Decimal(amount).quantize(Decimal("0.01")) != numbering.fee:
        errors["amount"] = _("The accrual is %(total)s TRY: record the whole amount.") % {
            "total": numbering.fee
        }
    if paid_on > application_selectors.today():
        errors["paid_on"] = _("A payment cannot be dated in the future.")
    elif numbering.accrued_on and paid_on < numbering.accrued_on:
        errors["paid_on"] = _("The payment cannot come before the accrual.")
    if errors:
        raise ValidationError(errors)
    numbering.payment_reference = payment_reference
    numbering.paid_on = paid_on
    numbering.state = RequestState.PAID
    numbering.save()
    return numbering


@transaction.atomic
def issue_certificate(
    *, user, request: NumberingRequest, issued_on: date | None = None
) -> NumberingRequest:
    """The numbering certificate (``NUM-BLG-YYYY-NNNNN``) of a paid request; the application is
    answered with it."""
    from biys.applications import services as application_services
    from biys.core.numbering import next_number

    issued_on = issued_on or application_selectors.today()
    numbering = _locked(request)
    require_step(user, numbering, "issue")
    if numbering.state != RequestState.PAID:
        raise ValidationError(_("The certificate is issued once the fee is paid."))
    if issued_on > application_selectors.today() or issued_on < numbering.paid_on:
        raise ValidationError(
            {"issued_on": _("The certificate is dated between the payment and today.")}
        )
    numbering.certificate_number = next_number(
        CERTIFICATE_SEQUENCE, at=_at_noon(issued_on), template=CERTIFICATE_TEMPLATE
    )
    numbering.certificate_issued_on = issued_on
    numbering.state = RequestState.ISSUED
    numbering.save()
    application = numbering.application
    if application.state == State.OPEN:
        application_services.record_outcome(
            user=None,
            application=application,
            outcome=State.ANSWERED,
            note=_("Numbering certificate %(number)s issued: %(address)s.")
            % {"number": numbering.certificate_number, "address": numbering.address},
            answered_on=max(issued_on, application.received_on),
            today=max(issued_on, application_selectors.today()),
        )
    return numbering


@transaction.atomic
def refuse_request(
    *, user, request: NumberingRequest, reason: str, refused_on: date | None = None
) -> NumberingRequest:
    """Refuse a request not yet paid (no building on the parcel, no licence), with its reason;
    the application is refused with it."""
    from biys.applications import services as application_services

    refused_on = refused_on or application_selectors.today()
    numbering = _locked(request)
    require_step(user, numbering, "refuse")
    if numbering.state in (RequestState.PAID, *CLOSED_STATES):
        raise ValidationError(_("A paid, issued or refused request is not refused."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    numbering.state = RequestState.REFUSED
    numbering.refusal_reason = reason[:300]
    numbering.save()
    application = numbering.application
    if application.state == State.OPEN:
        application_services.record_outcome(
            user=None,
            application=application,
            outcome=State.REFUSED,
            note=_("Numbering refused."),
            refusal_ground=reason,
            answered_on=max(refused_on, application.received_on),
            today=max(refused_on, application_selectors.today()),
        )
    return numbering


def request_actions(user, numbering: NumberingRequest) -> set[str]:
    """The steps ``user`` may take on ``numbering`` now."""
    scope = get_scope(user)
    unit_id = numbering.application.responsible_unit_id
    state = numbering.state
    actions = set()
    if scope.has_perm(CHANGE_REQUEST, unit_id):
        if state in (RequestState.RECEIVED, RequestState.VISITED):
            actions.add("visit")
        if state == RequestState.VISITED:
            actions.add("number")
        if state == RequestState.PAID:
            actions.add("issue")
        if state not in (RequestState.PAID, *CLOSED_STATES):
            actions.add("refuse")
    if scope.has_perm(COLLECT, unit_id):
        if state == RequestState.NUMBERED:
            actions.add("accrue")
        if state == RequestState.ACCRUED:
            actions.add("pay")
    return actions


# Street naming proposals -------------------------------------------------------------------


@transaction.atomic
def save_proposal(*, user, proposal: StreetNamingProposal) -> StreetNamingProposal:
    """A proposal being prepared: the name, the street (or the neighbourhood and area of a new
    one) and the justification. It changes only until it is sent to the council."""
    check_save(user, proposal, proposal.unit_id)
    if proposal.pk is not None:
        stored = StreetNamingProposal.objects.get(pk=proposal.pk)
        if stored.state != ProposalState.DRAFT:
            raise ValidationError(_("A proposal sent to the council no longer changes."))
    proposal.proposed_name = " ".join((proposal.proposed_name or "").split())
    proposal.neighbourhood = " ".join((proposal.neighbourhood or "").split())
    errors = {}
    if proposal.street_id is None and not proposal.neighbourhood:
        errors["neighbourhood"] = _("Name the neighbourhood of a street not yet registered.")
    if proposal.street_id is not None:
        proposal.neighbourhood = proposal.street.neighbourhood
        proposal.kind = proposal.street.kind
    if proposal.state != ProposalState.DRAFT and proposal.pk is None:
        proposal.state = ProposalState.DRAFT
    _clean(proposal, errors)
    proposal.save()
    return proposal


def _locked_proposal(proposal) -> StreetNamingProposal:
    return (
        StreetNamingProposal.objects.select_for_update(of=("self",))
        .select_related("street")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def send_to_council(
    *, user, proposal: StreetNamingProposal, sent_on: date | None = None
) -> StreetNamingProposal:
    sent_on = sent_on or application_selectors.today()
    proposal = _locked_proposal(proposal)
    require_step(user, proposal, "send")
    if proposal.state != ProposalState.DRAFT:
        raise ValidationError(_("The proposal has already been sent to the council."))
    _not_future(sent_on, "sent_on", _("It cannot be sent in the future."))
    proposal.sent_on = sent_on
    proposal.state = ProposalState.SENT
    proposal.save()
    return proposal


@transaction.atomic
def record_decision(
    *,
    user,
    proposal: StreetNamingProposal,
    decision: str,
    decision_number: str,
    decision_date: date,
    decided_name: str = "",
    note: str = "",
) -> StreetNamingProposal:
    """The council's decision (meclis kararı): its number and day, and the outcome. Accepted
    (the proposed name) or accepted with another name: the street bears it from the decision
    day, with a dated entry in its name history; a street not yet registered is added."""
    from biys.applications import services as application_services

    proposal = _locked_proposal(proposal)
    require_step(user, proposal, "decide")
    decision_number = (decision_number or "").strip()
    decided_name = " ".join((decided_name or "").split())
    errors = {}
    if proposal.state != ProposalState.SENT:
        errors["decision"] = _("The decision is recorded on a proposal sent to the council.")
    if decision not in CouncilDecision.values:
        errors["decision"] = _("Choose the council's decision.")
    if not decision_number:
        errors["decision_number"] = _("Give the council decision number.")
    if decision_date is None:
        errors["decision_date"] = _("Give the day of the decision.")
    elif decision_date > application_selectors.today():
        errors["decision_date"] = _("A decision cannot be dated in the future.")
    elif proposal.sent_on and decision_date < proposal.sent_on:
        errors["decision_date"] = _("The decision cannot come before the proposal was sent.")
    if decision == CouncilDecision.AMENDED and not decided_name:
        errors["decided_name"] = _("Give the name the council decided on.")
    if errors:
        raise ValidationError(errors)
    name = decided_name if decision == CouncilDecision.AMENDED else proposal.proposed_name
    proposal.decision = decision
    proposal.decision_number = decision_number
    proposal.decision_date = decision_date
    proposal.decided_name = name if decision != CouncilDecision.REJECTED else ""
    proposal.decision_note = (note or "").strip()
    proposal.state = {
        CouncilDecision.ACCEPTED: ProposalState.ACCEPTED,
        CouncilDecision.AMENDED: ProposalState.AMENDED,
        CouncilDecision.REJECTED: ProposalState.REJECTED,
    }[decision]
    reference = _("Council decision %(number)s of %(date)s") % {
        "number": decision_number,
        "date": decision_date.strftime("%d.%m.%Y"),
    }
    if decision != CouncilDecision.REJECTED:
        street = proposal.street
        if street is None:
            street = Street(
                name=name, kind=proposal.kind, neighbourhood=proposal.neighbourhood,
                unit=proposal.unit,
            )  # fmt: skip
        else:
            street = Street.objects.select_for_update().get(pk=street.pk)
            street.name = name
        clash = Street.objects.filter(
            neighbourhood=street.neighbourhood, name=name, kind=street.kind
        ).exclude(pk=street.pk)
        if clash.exists():
            raise ValidationError(
                {"decided_name": _("The neighbourhood already has a street of this name.")}
            )
        street.save()
        StreetName.objects.create(
            street=street,
            name=name,
            valid_from=decision_date,
            council_decision=reference[:200],
            proposal=proposal,
        )
        proposal.street = street
    proposal.save()
    application = proposal.application
    if application is not None and application.state == State.OPEN:
        outcome_note = (
            _("The council rejected the name “%(name)s” (%(reference)s).")
            if decision == CouncilDecision.REJECTED
            else _("The council named the street “%(name)s” (%(reference)s).")
        ) % {"name": name, "reference": reference}
        application_services.record_outcome(
            user=None,
            application=application,
            outcome=State.ANSWERED,
            note=outcome_note,
            answered_on=max(decision_date, application.received_on),
            today=max(decision_date, application_selectors.today()),
        )
    return proposal


def proposal_actions(user, proposal: StreetNamingProposal) -> set[str]:
    scope = get_scope(user)
    actions = set()
    if proposal.state == ProposalState.DRAFT and scope.has_perm(CHANGE_PROPOSAL, proposal.unit_id):
        actions.add("send")
    if proposal.state == ProposalState.SENT and scope.has_perm(DECIDE, proposal.unit_id):
        actions.add("decide")
    return actions
