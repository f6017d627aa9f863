"""Every write of base-station sites. Keyword-only, each in one transaction: a refused write
raises ``ValidationError`` (with the field it is about) or ``PermissionDenied`` and leaves
nothing behind; every saved record is change-logged.

A site permit goes received (the operator's application of the type
``baz-istasyonu-yer-secim``, or ``mobil-baz-istasyonu`` for a mobile station, with the site's
location) → inspected (the visit: day, inspector, note; the documents the type requires are
ticked as they come) → approved (every required document in; the application is answered) or
refused (with its reason; the application is refused) → under contract (a fee or rent contract
with its yearly amount and period). Each contract year is accrued once
(``BAZ-TAH-YYYY-NNNNN``) and its payment recorded. The right-of-way agreement is recorded on an
approved site. A resident's complaint is an application of the type ``baz-istasyonu-sikayet``
tied to a site, answered with the finding.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.applications import selectors as application_selectors
from biys.applications.basestation import selectors
from biys.applications.basestation.choices import (
    ComplaintState,
    ContractKind,
    Decision,
    SiteKind,
    SiteState,
)
from biys.applications.basestation.models import (
    BaseStationSite,
    Operator,
    SiteAccrual,
    SiteComplaint,
)
from biys.applications.choices import ApplicantKind, Channel, State
from biys.applications.models import Application, ApplicationType
from biys.core.access import can, can_add, get_scope
from biys.core.validation import full_clean as _clean

ADD_SITE = "applications.add_basestationsite"
CHANGE_SITE = "applications.change_basestationsite"
DECIDE = "applications.decide_basestationsite"
COLLECT = "applications.collect_basestationsite"
ADD_COMPLAINT = "applications.add_sitecomplaint"
CHANGE_COMPLAINT = "applications.change_sitecomplaint"
ACCRUAL_SEQUENCE = "applications.basestation_accrual"
ACCRUAL_TEMPLATE = "BAZ-TAH-{year}-{seq:05d}"
OPEN_STATES = (SiteState.RECEIVED, SiteState.INSPECTED)


def _require(user, perm: str, unit_id) -> None:
    """``user`` None is the system (the demo, a task)."""
    if user is not None and not get_scope(user).has_perm(perm, unit_id):
        raise PermissionDenied(_("You may not do this for base-station sites of that unit."))


# The permission each step on a site needs over its application's unit (``require_step``).
SITE_STEPS = {
    "documents": CHANGE_SITE,
    "inspect": CHANGE_SITE,
    "decide": DECIDE,
    "contract": COLLECT,
    "accrue": COLLECT,
    "payment": COLLECT,
    "right_of_way": CHANGE_SITE,
}


def require_step(user, site: BaseStationSite, step: str) -> None:
    """The permission check of a step on ``site`` (``SITE_STEPS``): each step makes it, and the
    API makes it before it reads the step's body."""
    _require(user, SITE_STEPS[step], site.application.responsible_unit_id)


def require_answer(user, complaint: SiteComplaint) -> None:
    """The permission check of answering ``complaint`` (the API makes it before the body)."""
    _require(user, CHANGE_COMPLAINT, complaint.application.responsible_unit_id)


def _at_noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _today() -> date:
    return application_selectors.today()


def _day_between(day, earliest, field: str, message: str) -> dict:
    if day is None:
        return {field: _("Give the day.")}
    if day > _today() or (earliest is not None and day < earliest):
        return {field: message}
    return {}


# Operators ---------------------------------------------------------------------------------


@transaction.atomic
def save_operator(*, user, operator: Operator) -> Operator:
    from biys.applications.gis.services import is_valid_vkn

    if user is not None:
        if operator.pk is None:
            if not can_add(user, Operator, operator.unit_id):
                raise PermissionDenied
        elif not can(user, "change", Operator.objects.get(pk=operator.pk)) or not can_add(
            user, Operator, operator.unit_id
        ):
            raise PermissionDenied
    operator.name = " ".join((operator.name or "").split())
    operator.tax_number = "".join((operator.tax_number or "").split())
    errors = {}
    if not is_valid_vkn(operator.tax_number):
        errors["tax_number"] = _("Enter the operator's valid 10-digit tax number (VKN).")
    _clean(operator, errors)
    operator.save()
    return operator


# Site permits ------------------------------------------------------------------------------


def permit_type(kind: str) -> ApplicationType | None:
    code = selectors.MOBILE_TYPE_CODE if kind == SiteKind.MOBILE else selectors.PERMIT_TYPE_CODE
    return ApplicationType.objects.filter(code=code, active=True).first()


def required_documents(site: BaseStationSite) -> list[str]:
    return [str(name) for name in (site.application.type.documents or [])]


def missing_documents(site: BaseStationSite) -> list[str]:
    received = set(site.documents_received or [])
    return [name for name in required_documents(site) if name not in received]


def check_coordinates(latitude, longitude, *, required: bool = True) -> dict:
    """Errors of a point's latitude and longitude (both given, on the earth): a site's
    location, and the station a resident points at on the public form (``required=False``:
    neither given is fine, one alone is not)."""
    if not required and latitude is None and longitude is None:
        return {}
    errors = {}
    if latitude is None:
        errors["latitude"] = [_("Give the latitude.")]
    elif not Decimal(-90) <= Decimal(latitude) <= Decimal(90):
        errors["latitude"] = [_("A latitude lies between -90 and 90.")]
    if longitude is None:
        errors["longitude"] = [_("Give the longitude.")]
    elif not Decimal(-180) <= Decimal(longitude) <= Decimal(180):
        errors["longitude"] = [_("A longitude lies between -180 and 180.")]
    return errors


@transaction.atomic
def open_site(
    *,
    user,
    received_on: date,
    operator: Operator,
    kind: str,
    latitude: Decimal,
    longitude: Decimal,
    site_code: str = "",
    neighbourhood: str = "",
    address: str = "",
    block: str = "",
    parcel: str = "",
    channel: str = Channel.COUNTER,
    responsible_unit=None,
    email: str = "",
    phone: str = "",
    today: date | None = None,
) -> BaseStationSite:
    """Record an operator's site permit application: the application (its number, legal
    deadline and responsible unit; the operator is the applicant) and the site on it."""
    from biys.applications import services as application_services

    errors = {}
    if operator is None:
        errors["operator"] = [_("Choose the operator.")]
    elif not operator.active:
        errors["operator"] = [_("This operator is no longer active.")]
    if kind not in SiteKind.values:
        errors["kind"] = [_("Choose the kind of site.")]
    errors.update(check_coordinates(latitude, longitude))
    if errors:
        raise ValidationError(errors)
    application_type = permit_type(kind)
    if application_type is None:
        raise ValidationError(
            _("The application type “%(code)s” is not loaded.")
            % {"code": selectors.MOBILE_TYPE_CODE if kind == SiteKind.MOBILE
               else selectors.PERMIT_TYPE_CODE}
        )  # fmt: skip
    unit = responsible_unit or application_type.unit
    if unit is not None:
        _require(user, ADD_SITE, unit.pk)
    block, parcel = (block or "").strip(), (parcel or "").strip()
    location = f"{latitude}, {longitude}" + (f" (ada {block} / parsel {parcel})" if block else "")
    application = application_services.receive_application(
        user=user,
        type=application_type,
        responsible_unit=unit,
        subject=(_("Base-station site: %(operator)s, %(place)s")
                 % {"operator": operator.name, "place": neighbourhood or location})[:300],
        received_on=received_on,
        applicant_kind=ApplicantKind.COMPANY,
        applicant_name=operator.name,
        tax_number=operator.tax_number,
        email=email,
        phone=phone,
        channel=channel,
        form_data={"isletmeci": operator.name, "konum": location},
        today=today,
    )  # fmt: skip
    site = BaseStationSite(
        application=application,
        operator=operator,
        kind=kind,
        site_code=(site_code or "").strip(),
        latitude=Decimal(latitude).quantize(Decimal("0.000001")),
        longitude=Decimal(longitude).quantize(Decimal("0.000001")),
        neighbourhood=" ".join((neighbourhood or "").split()),
        address=(address or "").strip(),
        block=block,
        parcel=parcel,
    )
    _clean(site, exclude=["application"])
    site.save()
    return site


def _locked(site: BaseStationSite) -> BaseStationSite:
    return (
        BaseStationSite.objects.select_for_update(of=("self",))
        .select_related("application", "application__type", "operator")
        .get(pk=site.pk)
    )


@transaction.atomic
def record_documents(*, user, site: BaseStationSite, documents: list[str]) -> BaseStationSite:
    """Tick the documents of the application type that came (until the decision)."""
    site = _locked(site)
    require_step(user, site, "documents")
    if site.state not in OPEN_STATES:
        raise ValidationError(_("The documents are recorded before the decision."))
    required = required_documents(site)
    unknown = [name for name in documents if name not in required]
    if unknown:
        raise ValidationError(
            {"documents": _("Not a document of this type: %(names)s.")
             % {"names": ", ".join(unknown)}}
        )  # fmt: skip
    site.documents_received = [name for name in required if name in set(documents)]
    site.save()
    return site


@transaction.atomic
def record_inspection(
    *, user, site: BaseStationSite, inspected_on: date, inspector, note: str = ""
) -> BaseStationSite:
    """The inspection visit: its day, the inspector and what they found (corrected until the
    decision)."""
    site = _locked(site)
    require_step(user, site, "inspect")
    errors = {}
    if site.state not in OPEN_STATES:
        errors["inspected_on"] = _("The inspection is recorded before the decision.")
    else:
        errors.update(
            _day_between(inspected_on, site.application.received_on, "inspected_on",
                         _("The inspection is dated between the application and today."))
        )  # fmt: skip
    if inspector is None:
        errors["inspector"] = _("Name the inspector who visited.")
    if errors:
        raise ValidationError(errors)
    site.inspected_on = inspected_on
    site.inspector = inspector
    site.inspection_note = (note or "").strip()
    site.state = SiteState.INSPECTED
    site.save()
    return site


@transaction.atomic
def decide(
    *,
    user,
    site: BaseStationSite,
    decision: str,
    decided_on: date | None = None,
    decision_number: str = "",
    note: str = "",
) -> BaseStationSite:
    """The decision on an inspected site: approved (every document the type requires came)
    or refused with its reason. The application is answered or refused with it."""
    from biys.applications import services as application_services

    decided_on = decided_on or _today()
    site = _locked(site)
    require_step(user, site, "decide")
    note = (note or "").strip()
    errors = {}
    if site.state != SiteState.INSPECTED:
        errors["decision"] = _("The decision is made on an inspected site.")
    elif decision not in Decision.values:
        errors["decision"] = _("Choose the decision.")
    elif decision == Decision.APPROVED and missing_documents(site):
        errors["decision"] = _("Documents still missing: %(names)s.") % {
            "names": ", ".join(missing_documents(site))
        }
    if decision == Decision.REFUSED and not note:
        errors["note"] = _("Give the reason for refusing.")
    if not errors:
        errors.update(
            _day_between(decided_on, site.inspected_on, "decided_on",
                         _("The decision is dated between the inspection and today."))
        )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    site.decided_on = decided_on
    site.decision_number = (decision_number or "").strip()
    site.decision_note = note
    site.state = SiteState.APPROVED if decision == Decision.APPROVED else SiteState.REFUSED
    site.save()
    application = site.application
    if application.state == State.OPEN:
        approved = decision == Decision.APPROVED
        application_services.record_outcome(
            user=None,
            application=application,
            outcome=State.ANSWERED if approved else State.REFUSED,
            note=(_("Base-station site approved.") if approved
                  else _("Base-station site refused.")) + (f" {note}" if note else ""),
            refusal_ground="" if approved else note,
            answered_on=max(decided_on, application.received_on),
            today=max(decided_on, _today()),
        )  # fmt: skip
    return site


@transaction.atomic
def record_contract(
    *,
    user,
    site: BaseStationSite,
    contract_kind: str,
    contract_number: str,
    contract_start: date,
    contract_end: date,
    yearly_amount: Decimal,
) -> BaseStationSite:
    """The fee or rent contract of an approved site: its number, period and yearly amount
    (corrected until its first accrual)."""
    site = _locked(site)
    require_step(user, site, "contract")
    errors = {}
    if site.state not in (SiteState.APPROVED, SiteState.CONTRACTED):
        errors["contract_kind"] = _("The contract is made on an approved site.")
    elif site.accruals.exists():
        errors["contract_kind"] = _("The contract has accruals: it no longer changes.")
    if contract_kind not in ContractKind.values:
        errors["contract_kind"] = _("Choose a fee or a rent contract.")
    contract_number = (contract_number or "").strip()
    if not contract_number:
        errors["contract_number"] = _("Give the contract number.")
    if contract_start is None:
        errors["contract_start"] = _("Give the day the contract starts.")
    elif site.decided_on and contract_start < site.decided_on:
        errors["contract_start"] = _("The contract cannot start before the decision.")
    if contract_end is None or (contract_start and contract_end <= contract_start):
        errors["contract_end"] = _("The contract ends after it starts.")
    if yearly_amount is None or Decimal(yearly_amount) < 0:
        errors["yearly_amount"] = _("Give the yearly amount (0 for an exemption).")
    if errors:
        raise ValidationError(errors)
    site.contract_kind = contract_kind
    site.contract_number = contract_number
    site.contract_start = contract_start
    site.contract_end = contract_end
    site.yearly_amount = Decimal(yearly_amount).quantize(Decimal("0.01"))
    site.state = SiteState.CONTRACTED
    site.save()
    return site


def accruable_years(site: BaseStationSite) -> list[int]:
    """The contract years up to this one not accrued yet."""
    if site.state != SiteState.CONTRACTED or site.contract_start is None:
        return []
    last = min(site.contract_end.year, _today().year)
    done = set(site.accruals.values_list("year", flat=True))
    return [year for year in range(site.contract_start.year, last + 1) if year not in done]


@transaction.atomic
def accrue_year(
    *, user, site: BaseStationSite, year: int, accrued_on: date | None = None
) -> SiteAccrual:
    """The fee or rent of one contract year, accrued once (``BAZ-TAH-YYYY-NNNNN``): the yearly
    amount, for a year of the contract up to the current one."""
    from biys.core.numbering import next_number

    accrued_on = accrued_on or _today()
    site = _locked(site)
    require_step(user, site, "accrue")
    errors = {}
    if site.state != SiteState.CONTRACTED:
        errors["year"] = _("Accruals are made on a site under contract.")
    elif year is None or year not in accruable_years(site):
        if year is not None and site.accruals.filter(year=year).exists():
            errors["year"] = _("The year %(year)s is already accrued.") % {"year": year}
        else:
            errors["year"] = _("Choose a contract year up to this one.")
    if accrued_on > _today():
        errors["accrued_on"] = _("An accrual cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)
    return SiteAccrual.objects.create(
        site=site,
        year=year,
        amount=site.yearly_amount,
        accrual_number=next_number(
            ACCRUAL_SEQUENCE, at=_at_noon(accrued_on), template=ACCRUAL_TEMPLATE
        ),
        accrued_on=accrued_on,
    )


@transaction.atomic
def record_accrual_payment(
    *,
    user,
    accrual: SiteAccrual,
    payment_reference: str,
    amount: Decimal,
    paid_on: date | None = None,
) -> SiteAccrual:
    """The payment of a year's accrual: its receipt or transfer reference and the whole
    amount."""
    paid_on = paid_on or _today()
    accrual = (
        SiteAccrual.objects.select_for_update(of=("self",))
        .select_related("site__application")
        .get(pk=accrual.pk)
    )
    require_step(user, accrual.site, "payment")
    errors = {}
    payment_reference = (payment_reference or "").strip()
    if accrual.paid_on is not None:
        errors["payment_reference"] = _("This accrual is already paid.")
    elif not payment_reference:
        errors["payment_reference"] = _("Give the receipt or transfer reference.")
    if amount is None or Decimal(amount).quantize(Decimal("0.01")) != accrual.amount:
        errors["amount"] = _("The accrual is %(total)s TRY: record the whole amount.") % {
            "total": accrual.amount
        }
    errors.update(
        _day_between(paid_on, accrual.accrued_on, "paid_on",
                     _("The payment is dated between the accrual and today."))
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    accrual.payment_reference = payment_reference
    accrual.paid_on = paid_on
    accrual.save()
    return accrual


@transaction.atomic
def record_right_of_way(
    *,
    user,
    site: BaseStationSite,
    agreement_number: str,
    signed_on: date,
    route: str = "",
) -> BaseStationSite:
    """The right-of-way agreement (geçiş hakkı) of an approved site: its number, the day it
    was signed and the route over municipal property."""
    site = _locked(site)
    require_step(user, site, "right_of_way")
    agreement_number = (agreement_number or "").strip()
    errors = {}
    if site.state not in (SiteState.APPROVED, SiteState.CONTRACTED):
        errors["agreement_number"] = _("The right-of-way agreement is made on an approved site.")
    elif not agreement_number:
        errors["agreement_number"] = _("Give the agreement number.")
    if not errors:
        errors.update(
            _day_between(signed_on, site.decided_on, "signed_on",
                         _("The agreement is dated between the decision and today."))
        )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    site.right_of_way_number = agreement_number
    site.right_of_way_signed_on = signed_on
    site.right_of_way_route = (route or "").strip()
    site.save()
    return site


def site_actions(user, site: BaseStationSite) -> set[str]:
    """The steps ``user`` may take on ``site`` now."""
    scope = get_scope(user)
    unit_id = site.application.responsible_unit_id
    state = site.state
    actions = set()
    if scope.has_perm(CHANGE_SITE, unit_id):
        if state in OPEN_STATES:
            actions |= {"documents", "inspect"}
        if state in (SiteState.APPROVED, SiteState.CONTRACTED):
            actions.add("right_of_way")
    if scope.has_perm(DECIDE, unit_id) and state == SiteState.INSPECTED:
        actions.add("decide")
    if scope.has_perm(COLLECT, unit_id):
        if state == SiteState.APPROVED or (
            state == SiteState.CONTRACTED and not site.accruals.exists()
        ):
            actions.add("contract")
        if state == SiteState.CONTRACTED:
            if accruable_years(site):
                actions.add("accrue")
            if site.accruals.filter(paid_on__isnull=True).exists():
                actions.add("pay")
    return actions


# Complaints --------------------------------------------------------------------------------


def complaint_type() -> ApplicationType | None:
    return ApplicationType.objects.filter(code=selectors.COMPLAINT_TYPE_CODE, active=True).first()


@transaction.atomic
def open_complaint(
    *,
    user,
    site: BaseStationSite,
    received_on: date,
    applicant_name: str,
    description: str = "",
    tc_kimlik_no: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    channel: str = Channel.COUNTER,
    responsible_unit=None,
    today: date | None = None,
) -> SiteComplaint:
    """A resident's complaint about a site: the application of the type
    ``baz-istasyonu-sikayet`` and the complaint tied to the site."""
    from biys.applications import services as application_services

    if site is None:
        raise ValidationError({"site": _("Choose the site complained about.")})
    application_type = complaint_type()
    if application_type is None:
        raise ValidationError(
            _("The application type “%(code)s” is not loaded.")
            % {"code": selectors.COMPLAINT_TYPE_CODE}
        )
    unit = responsible_unit or application_type.unit or site.application.responsible_unit
    _require(user, ADD_COMPLAINT, unit.pk)
    label = site.site_code or site.application.number
    application = application_services.receive_application(
        user=user,
        type=application_type,
        responsible_unit=unit,
        subject=(_("Complaint about the base station %(site)s (%(operator)s)")
                 % {"site": label, "operator": site.operator.name})[:300],
        received_on=received_on,
        applicant_name=applicant_name,
        description=description,
        tc_kimlik_no=tc_kimlik_no,
        email=email,
        phone=phone,
        address=address,
        channel=channel,
        form_data={"konum": f"{site.latitude}, {site.longitude} — {site.place}"[:500]},
        today=today,
    )  # fmt: skip
    return SiteComplaint.objects.create(application=application, site=site)


def may_link(application: Application) -> bool:
    """A resident's complaint (the complaint type, a petition, a CİMER or Alo 153 entry) still
    open, not yet tied to a site."""
    return (
        application.type.code in selectors.LINKABLE_TYPE_CODES
        and application.state == State.OPEN
        and not SiteComplaint.objects.filter(application=application).exists()
    )


@transaction.atomic
def link_complaint(*, user, application: Application, site: BaseStationSite) -> SiteComplaint:
    """Tie a resident's complaint already received (the public form, a clerk's entry, CİMER,
    Alo 153, an e-mail) to the site it is about. ``user`` records complaints in the
    application's unit and sees the site."""
    application = (
        Application.objects.select_for_update().select_related("type").get(pk=application.pk)
    )
    _require(user, ADD_COMPLAINT, application.responsible_unit_id)
    if site is None or (
        user is not None and not selectors.sites_for(user).filter(pk=site.pk).exists()
    ):
        raise ValidationError({"site": _("Choose the site complained about.")})
    if application.type.code not in selectors.LINKABLE_TYPE_CODES:
        raise ValidationError(
            {"application": _("Only a resident's complaint or petition is tied to a site.")}
        )
    if SiteComplaint.objects.filter(application=application).exists():
        raise ValidationError({"application": _("This complaint is already tied to a site.")})
    if application.state != State.OPEN:
        raise ValidationError(
            {"application": _("An answered complaint is no longer tied to a site.")}
        )
    return SiteComplaint.objects.create(application=application, site=site)


@transaction.atomic
def unlink_complaint(*, user, complaint: SiteComplaint) -> Application:
    """Untie a complaint from its site (tied to the wrong one, or not about a base station)
    while it is not answered; the application stays as it is. The removal is change-logged."""
    complaint = (
        SiteComplaint.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=complaint.pk)
    )
    _require(user, ADD_COMPLAINT, complaint.application.responsible_unit_id)
    if complaint.state != ComplaintState.OPEN:
        raise ValidationError(
            {"application": _("The complaint is answered: it stays tied to its site.")}
        )
    application = complaint.application
    complaint.delete()
    return application


@transaction.atomic
def answer_complaint(
    *, user, complaint: SiteComplaint, finding: str, answered_on: date | None = None
) -> SiteComplaint:
    """The answer to a complaint with what the inspection found; the application is
    answered with it."""
    from biys.applications import services as application_services

    answered_on = answered_on or _today()
    complaint = (
        SiteComplaint.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=complaint.pk)
    )
    require_answer(user, complaint)
    finding = (finding or "").strip()
    errors = {}
    if complaint.state != ComplaintState.OPEN:
        errors["finding"] = _("The complaint is already answered.")
    elif not finding:
        errors["finding"] = _("Give the finding and the answer.")
    if not errors:
        errors.update(
            _day_between(answered_on, complaint.application.received_on, "answered_on",
                         _("The answer is dated between the complaint and today."))
        )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    complaint.finding = finding
    complaint.answered_on = answered_on
    complaint.state = ComplaintState.ANSWERED
    complaint.save()
    application = complaint.application
    if application.state == State.OPEN:
        application_services.record_outcome(
            user=None,
            application=application,
            outcome=State.ANSWERED,
            note=finding,
            answered_on=answered_on,
            today=max(answered_on, _today()),
        )
    return complaint


def complaint_actions(user, complaint: SiteComplaint) -> set[str]:
    actions = set()
    if complaint.state != ComplaintState.OPEN:
        return actions
    scope = get_scope(user)
    unit_id = complaint.application.responsible_unit_id
    if scope.has_perm(CHANGE_COMPLAINT, unit_id):
        actions.add("answer")
    if scope.has_perm(ADD_COMPLAINT, unit_id):
        actions.add("unlink")
    return actions
