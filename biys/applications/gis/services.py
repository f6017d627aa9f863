"""Every write of GIS data sales. Keyword-only, each in one transaction: a refused write
raises ``ValidationError`` (with the field it is about) or ``PermissionDenied`` and leaves
nothing behind.

A sale goes requested → quoted (priced by the tariff valid on the day the application was
received) → accrued (a yearly accrual number) → paid (the payment reference, the whole
amount) → delivered (only once paid and with the buyer's signed undertaking on file), in one
delivery or in parts: each part records how much of which requested layer went out, never more
than is still due; the sale is partly delivered until every layer is delivered in full, and the
application is answered with the last part. It may be cancelled before the payment.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.applications import selectors as application_selectors
from biys.applications.choices import ApplicantKind, Channel, State
from biys.applications.gis import selectors
from biys.applications.gis.choices import (
    DELIVERABLE_STATES,
    EDITABLE_STATES,
    DataFormat,
    DeliveryMethod,
    SaleState,
)
from biys.applications.gis.models import (
    GisDataSale,
    GisDelivery,
    GisDeliveryLine,
    GisLayer,
    GisSaleItem,
    GisTariff,
    GisTariffLine,
)
from biys.applications.models import Application, ApplicationType
from biys.core.access import check_save, get_scope
from biys.core.validation import full_clean as _clean
from biys.org.validators import is_valid_tc_kimlik_no

ADD_SALE = "applications.add_gisdatasale"
CHANGE_SALE = "applications.change_gisdatasale"
COLLECT = "applications.collect_gisdatasale"
DELIVER = "applications.deliver_gisdatasale"
ACCRUAL_SEQUENCE = "applications.gis_accrual"
ACCRUAL_TEMPLATE = "CBS-TAH-{year}-{seq:05d}"


def _require(user, perm: str, unit_id) -> None:
    """``user`` None is the system (the demo, a task)."""
    if user is not None and not get_scope(user).has_perm(perm, unit_id):
        raise PermissionDenied(_("You may not do this for GIS data sales of that unit."))


# The permission each step on a sale needs over its application's unit (``require_step``).
SALE_STEPS = {
    "items": CHANGE_SALE,
    "remove_item": CHANGE_SALE,
    "quote": CHANGE_SALE,
    "accrue": COLLECT,
    "payment": COLLECT,
    "deliver": DELIVER,
    "cancel": CHANGE_SALE,
}


def require_step(user, sale: GisDataSale, step: str) -> None:
    """The permission check of a step on ``sale`` (``SALE_STEPS``; ``undertaking``: adding an
    attachment to it): each step makes it, and the API makes it before it reads the body."""
    if step == "undertaking":
        if user is not None and not sale.may_add_attachment(user):
            raise PermissionDenied(_("You may not do this for GIS data sales of that unit."))
        return
    _require(user, SALE_STEPS[step], sale.application.responsible_unit_id)


# The tariff --------------------------------------------------------------------------------


@transaction.atomic
def save_layer(*, user, layer: GisLayer) -> GisLayer:
    check_save(user, layer, layer.unit_id)
    layer.name = (layer.name or "").strip()
    _clean(layer)
    layer.save()
    return layer


@transaction.atomic
def save_tariff(*, user, tariff: GisTariff) -> GisTariff:
    """A tariff's record: its last day not before its first; no two start the same day (a
    later one replaces the one in force from its first day)."""
    check_save(user, tariff, tariff.unit_id)
    errors = {}
    if tariff.valid_from and tariff.valid_until and tariff.valid_until < tariff.valid_from:
        errors["valid_until"] = _("The tariff cannot end before it starts.")
    _clean(tariff, errors)
    tariff.save()
    return tariff


@transaction.atomic
def save_tariff_line(*, user, line: GisTariffLine) -> GisTariffLine:
    """A price of a tariff; a quote keeps its own copy of the prices it used."""
    if line.tariff_id is None:
        raise ValidationError({"tariff": _("Choose the tariff.")})
    check_save(user, line, line.tariff.unit_id)
    _clean(line)
    line.save()
    return line


# Requests ----------------------------------------------------------------------------------


def sale_type() -> ApplicationType | None:
    return ApplicationType.objects.filter(code=selectors.SALE_TYPE_CODE, active=True).first()


def is_valid_vkn(value: str) -> bool:
    """The check digit of a vergi kimlik numarası (10 digits)."""
    if len(value) != 10 or not (value.isascii() and value.isdigit()):
        return False
    digits = [int(char) for char in value]
    total = 0
    for index in range(9):
        step = (digits[index] + 10 - (index + 1)) % 10
        total += 9 if step == 9 else (step * 2 ** (10 - (index + 1))) % 9
    return (10 - total % 10) % 10 == digits[9]


def _check_buyer(applicant_kind: str, tc_kimlik_no: str, tax_number: str) -> dict:
    """An accrual names its debtor: a person by TC kimlik number, a company or institution by
    its tax number (VKN)."""
    if applicant_kind == ApplicantKind.PERSON:
        if not is_valid_tc_kimlik_no(tc_kimlik_no):
            return {"tc_kimlik_no": [_("Enter the buyer's valid TC kimlik number.")]}
    elif not is_valid_vkn(tax_number):
        return {"tax_number": [_("Enter the buyer's valid 10-digit tax number (VKN).")]}
    return {}


@transaction.atomic
def open_sale(
    *,
    user,
    received_on: date,
    applicant_kind: str,
    applicant_name: str,
    form_data: dict,
    tc_kimlik_no: str = "",
    tax_number: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    channel: str = Channel.COUNTER,
    responsible_unit=None,
    purpose: str = "",
    area_description: str = "",
    today: date | None = None,
) -> GisDataSale:
    """Record a GIS data purchase request: the application of the type ``cbs-veri-satisi``
    (its number, legal deadline and responsible unit) and the sale on it."""
    application_type = sale_type()
    if application_type is None:
        raise ValidationError(
            _("The application type “%(code)s” is not loaded.") % {"code": selectors.SALE_TYPE_CODE}
        )
    tc_kimlik_no = "".join((tc_kimlik_no or "").split())
    tax_number = "".join((tax_number or "").split())
    if applicant_kind == ApplicantKind.PERSON:
        tax_number = ""
    else:
        tc_kimlik_no = ""
    errors = _check_buyer(applicant_kind, tc_kimlik_no, tax_number)
    unit = responsible_unit or application_type.unit
    if unit is not None:
        _require(user, ADD_SALE, unit.pk)
    application = _receive(
        errors=errors,
        application_type=application_type,
        unit=unit,
        area_description=area_description,
        user=user,
        received_on=received_on,
        applicant_kind=applicant_kind,
        applicant_name=applicant_name,
        form_data=form_data,
        tc_kimlik_no=tc_kimlik_no,
        tax_number=tax_number,
        email=email,
        phone=phone,
        address=address,
        channel=channel,
        today=today,
    )
    return _new_sale(application, purpose=purpose, area_description=area_description)


def _receive(*, errors: dict, application_type, unit, area_description: str, **values):
    """The application through its own service; the buyer's problems and the application's
    are reported together (a refused try is rolled back, its number given back)."""
    from biys.applications import services as application_services

    subject = _("GIS data purchase") + (f": {area_description.strip()}" if area_description else "")

    def receive():
        return application_services.receive_application(
            type=application_type, responsible_unit=unit, subject=subject[:300], **values
        )

    if not errors:
        return receive()
    try:
        with transaction.atomic():
            receive()
            transaction.set_rollback(True)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, problems in error.error_dict.items():
                errors.setdefault(name, problems)
    raise ValidationError(errors)


def _new_sale(application, *, purpose: str, area_description: str) -> GisDataSale:
    sale = GisDataSale(
        application=application,
        purpose=(purpose or "").strip(),
        area_description=(area_description or "").strip(),
    )
    _clean(sale, exclude=["application"])
    sale.save()
    return sale


@transaction.atomic
def start_sale(
    *, user, application: Application, purpose: str = "", area_description: str = ""
) -> GisDataSale:
    """The sale on an application already recorded (the public form, the counter entry)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require(user, ADD_SALE, application.responsible_unit_id)
    if application.type.code != selectors.SALE_TYPE_CODE:
        raise ValidationError(_("Only a GIS data purchase application becomes a sale."))
    if GisDataSale.objects.filter(application=application).exists():
        raise ValidationError(_("This application already has its sale."))
    if application.state != State.OPEN:
        raise ValidationError(_("The application is already answered."))
    return _new_sale(application, purpose=purpose, area_description=area_description)


def _locked(sale: GisDataSale) -> GisDataSale:
    return (
        GisDataSale.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=sale.pk)
    )


def _unquote(sale: GisDataSale) -> None:
    sale.state = SaleState.REQUESTED
    sale.tariff = None
    sale.quoted_on = None
    sale.net_total = sale.kdv_total = sale.total = None


@transaction.atomic
def add_item(
    *, user, sale: GisDataSale, layer: GisLayer, data_format: str, quantity: Decimal
) -> GisSaleItem:
    """A requested layer in a format; a quote already made is withdrawn (quote again)."""
    sale = _locked(sale)
    require_step(user, sale, "items")
    errors = {}
    if sale.state not in EDITABLE_STATES:
        errors["layer"] = _("The layers change only before the accrual.")
    if layer is None or not layer.active:
        errors["layer"] = _("Choose a layer on sale.")
    if data_format not in DataFormat.values:
        errors["data_format"] = _("Choose a format.")
    if quantity is None or Decimal(quantity) <= 0:
        errors["quantity"] = _("Give the hectares, sheets or items requested.")
    if errors:
        raise ValidationError(errors)
    if sale.items.filter(layer=layer, data_format=data_format).exists():
        raise ValidationError({"layer": _("This layer is already requested in this format.")})
    item = GisSaleItem(sale=sale, layer=layer, data_format=data_format, quantity=quantity)
    _clean(item)
    item.save()
    if sale.state != SaleState.REQUESTED:
        _unquote(sale)
        sale.save()
    return item


@transaction.atomic
def remove_item(*, user, sale: GisDataSale, item: GisSaleItem) -> None:
    sale = _locked(sale)
    require_step(user, sale, "remove_item")
    if sale.state not in EDITABLE_STATES:
        raise ValidationError(_("The layers change only before the accrual."))
    if item.sale_id != sale.pk:
        raise ValidationError(_("Not a layer of this sale."))
    item.delete()
    if sale.state != SaleState.REQUESTED:
        _unquote(sale)
        sale.save()


@transaction.atomic
def quote_sale(*, user, sale: GisDataSale, today: date | None = None) -> GisDataSale:
    """Price the requested layers by the tariff valid on the day the application was received
    (``selectors.compute_quote``), keeping a copy of each price on its item."""
    today = today or application_selectors.today()
    sale = _locked(sale)
    require_step(user, sale, "quote")
    if sale.state not in EDITABLE_STATES:
        raise ValidationError(_("Only a sale not yet accrued is quoted."))
    items = list(sale.items.select_related("layer").order_by("id"))
    if not items:
        raise ValidationError({"layer": _("Add the requested layers first.")})
    day = sale.application.received_on
    quote = selectors.compute_quote(items, day=day)
    if quote.tariff is None:
        raise ValidationError(
            _("No tariff is valid on %(day)s: an administrator records the approved one.")
            % {"day": day.strftime("%d.%m.%Y")}
        )
    if quote.unpriced:
        raise ValidationError(
            _("The tariff “%(tariff)s” has no price for: %(items)s.")
            % {
                "tariff": quote.tariff.name,
                "items": ", ".join(
                    f"{item.layer.name} ({item.get_data_format_display()})"
                    for item in quote.unpriced
                ),
            }
        )
    for quote_line in quote.lines:
        item, line, amounts = quote_line.item, quote_line.line, quote_line.amounts
        item.tariff_line = line
        item.charge_unit = line.charge_unit
        item.unit_price = line.unit_price
        item.minimum_charge = line.minimum_charge
        item.kdv_rate = line.kdv_rate
        item.net_amount, item.kdv_amount, item.total_amount = (
            amounts.net,
            amounts.kdv,
            amounts.total,
        )
        item.save()
    sale.tariff = quote.tariff
    sale.quoted_on = today
    sale.net_total, sale.kdv_total, sale.total = quote.net, quote.kdv, quote.total
    sale.state = SaleState.QUOTED
    sale.save()
    return sale


@transaction.atomic
def accrue_sale(*, user, sale: GisDataSale, accrued_on: date | None = None) -> GisDataSale:
    """The accrual (tahakkuk) of a quoted sale, numbered ``CBS-TAH-YYYY-NNNNN``."""
    from biys.core.numbering import next_number

    accrued_on = accrued_on or application_selectors.today()
    sale = _locked(sale)
    require_step(user, sale, "accrue")
    if sale.state != SaleState.QUOTED:
        raise ValidationError(_("Only a quoted sale is accrued."))
    if accrued_on > application_selectors.today() or accrued_on < sale.quoted_on:
        raise ValidationError(
            {"accrued_on": _("The accrual is dated between the quote and today.")}
        )
    sale.accrual_number = next_number(
        ACCRUAL_SEQUENCE,
        at=timezone.make_aware(datetime.combine(accrued_on, time(12))),
        template=ACCRUAL_TEMPLATE,
    )
    sale.accrued_on = accrued_on
    sale.state = SaleState.ACCRUED
    sale.save()
    return sale


@transaction.atomic
def record_payment(
    *,
    user,
    sale: GisDataSale,
    payment_reference: str,
    amount: Decimal,
    paid_on: date | None = None,
) -> GisDataSale:
    """The payment of the accrual: its receipt or transfer reference and the whole amount."""
    paid_on = paid_on or application_selectors.today()
    sale = _locked(sale)
    require_step(user, sale, "payment")
    errors = {}
    if sale.state != SaleState.ACCRUED:
        errors["payment_reference"] = _("Only an accrued sale is paid.")
    payment_reference = (payment_reference or "").strip()
    if not payment_reference:
        errors["payment_reference"] = _("Give the receipt or transfer reference.")
    if amount is None or selectors.kurus(amount) != sale.total:
        errors["amount"] = _("The accrual is %(total)s TRY: record the whole amount.") % {
            "total": sale.total
        }
    if paid_on > application_selectors.today():
        errors["paid_on"] = _("A payment cannot be dated in the future.")
    elif sale.accrued_on and paid_on < sale.accrued_on:
        errors["paid_on"] = _("The payment cannot come before the accrual.")
    if errors:
        raise ValidationError(errors)
    sale.payment_reference = payment_reference
    sale.paid_amount = selectors.kurus(amount)
    sale.paid_on = paid_on
    sale.state = SaleState.PAID
    sale.save()
    return sale


@transaction.atomic
def attach_undertaking(
    *, user, sale: GisDataSale, uploaded_file, signed_on: date | None = None
) -> GisDataSale:
    """The protocol or undertaking the buyer signed, scanned, through the attachments."""
    from biys.attachments.services import add_attachment

    signed_on = signed_on or application_selectors.today()
    sale = _locked(sale)
    require_step(user, sale, "undertaking")
    if sale.state in (SaleState.CANCELLED, SaleState.DELIVERED):
        raise ValidationError({"file": _("The sale is closed.")})
    if signed_on > application_selectors.today():
        raise ValidationError({"signed_on": _("The undertaking cannot be signed in the future.")})
    if uploaded_file is None:
        raise ValidationError({"file": _("Choose the scanned, signed undertaking.")})
    attachment = add_attachment(
        obj=sale,
        uploaded_file=uploaded_file,
        user=user,
        description=_("Signed undertaking (%(date)s)") % {"date": signed_on.strftime("%d.%m.%Y")},
    )
    sale.undertaking = attachment
    sale.undertaking_signed_on = signed_on
    sale.save()
    return sale


def delivery_refusal(sale: GisDataSale) -> str:
    """Why the files may not be delivered now ("" when they may)."""
    if sale.state == SaleState.DELIVERED:
        return _("The data has already been delivered.")
    if sale.state not in DELIVERABLE_STATES:
        return _("The data is delivered only once the accrual is paid.")
    if sale.undertaking_id is None:
        return _("The data is delivered only once the buyer's signed undertaking is on file.")
    return ""


QUANTUM = Decimal("0.001")


def _delivery_lines(sale, progress, items, quantities) -> tuple[list, list]:
    """The (item, quantity) pairs of a delivery and the problems with them. ``quantities``
    maps items (or their ids) to what went out; ``items`` alone delivers what is still due of
    each; neither: everything still due. Each problem names its item (``params["item"]``)
    so a form shows it at that item's field."""
    by_id = {line.item.pk: line for line in progress}
    wanted: list[tuple[int, object]] = []
    problems: list[ValidationError] = []
    if quantities is not None:
        wanted = [(getattr(key, "pk", key), value) for key, value in quantities.items()]
    elif items:
        wanted = [(getattr(item, "pk", item), None) for item in items]
    else:
        wanted = [(line.item.pk, None) for line in progress if line.remaining > 0]
    lines, seen = [], set()
    for item_id, value in wanted:
        line = by_id.get(item_id)
        if item_id in seen:
            problems.append(ValidationError(_("Each layer once in a delivery."), code="twice"))
            continue
        seen.add(item_id)
        if line is None:
            problems.append(ValidationError(_("Choose layers of this sale."), code="foreign"))
            continue
        label = f"{line.item.layer.name} ({line.item.get_data_format_display()})"
        # Django fills the message from its params; ``item`` tells a form which field it is.
        params = {
            "item": item_id,
            "layer": label,
            "ordered": selectors.quantity_text(line.ordered),
            "delivered": selectors.quantity_text(line.delivered),
            "remaining": selectors.quantity_text(line.remaining),
        }
        if value is None:
            value = line.remaining
        try:
            quantity = Decimal(str(value))
        except (ArithmeticError, ValueError):
            quantity = None
        if quantity is None or not quantity.is_finite() or quantity <= 0:
            if value in ("", None) or quantity == 0:
                continue  # nothing of this layer in this part
            problems.append(
                ValidationError(
                    _("%(layer)s: give a quantity above zero."), code="quantity", params=params
                )
            )
            continue
        if quantity != quantity.quantize(QUANTUM):
            problems.append(
                ValidationError(
                    _("%(layer)s: at most three decimals."), code="quantity", params=params
                )
            )
            continue
        if quantity > line.remaining:
            problems.append(
                ValidationError(
                    _(
                        "%(layer)s: %(ordered)s ordered, %(delivered)s delivered already; at "
                        "most %(remaining)s more."
                    ),
                    code="over_delivery",
                    params=params,
                )
            )
            continue
        lines.append((line.item, quantity))
    if not lines and not problems:
        problems.append(ValidationError(_("Give what this delivery carried."), code="empty"))
    return lines, problems


@transaction.atomic
def deliver_sale(
    *,
    user,
    sale: GisDataSale,
    recipient_name: str,
    method: str,
    files: str,
    note: str = "",
    items=None,
    quantities: dict | None = None,
    file=None,
    delivered_at: datetime | None = None,
) -> GisDelivery:
    """Record a delivery, the whole order or a part of it (what: ``quantities`` of the sale's
    requested layers, or ``items`` delivered in full, or by default everything still due; in
    which files, to whom, when, by whom, optionally a ``file``) of a paid sale whose
    undertaking is on file. Never more of a layer, over all its deliveries, than was ordered.
    The sale is partly delivered until every layer is delivered in full; the last part
    answers the application."""
    from biys.applications import services as application_services
    from biys.attachments.services import add_attachment

    sale = _locked(sale)
    require_step(user, sale, "deliver")
    refusal = delivery_refusal(sale)
    if refusal:
        raise ValidationError(refusal)
    errors = {}
    recipient_name, files = (recipient_name or "").strip(), (files or "").strip()
    if not recipient_name:
        errors["recipient_name"] = _("Name the person who received the data.")
    if method not in DeliveryMethod.values:
        errors["method"] = _("Choose how the data was delivered.")
    if not files:
        errors["files"] = _("List the files delivered.")
    progress = selectors.delivery_progress(sale)
    lines, problems = _delivery_lines(sale, progress, items, quantities)
    if problems:
        errors["lines"] = problems
    delivered_at = delivered_at or timezone.now()
    if delivered_at > timezone.now():
        errors["delivered_at"] = _("A delivery cannot be dated in the future.")
    elif sale.paid_on and timezone.localtime(delivered_at).date() < sale.paid_on:
        errors["delivered_at"] = _("A delivery cannot come before the payment.")
    if errors:
        raise ValidationError(errors)
    if user is None:
        raise PermissionDenied(_("A delivery is recorded by the person who made it."))
    attachment = None
    if file is not None:
        attachment = add_attachment(
            obj=sale,
            uploaded_file=file,
            user=user,
            description=_("Delivery to %(recipient)s (%(date)s)")
            % {
                "recipient": recipient_name,
                "date": timezone.localtime(delivered_at).strftime("%d.%m.%Y"),
            },
        )
    delivery = GisDelivery.objects.create(
        sale=sale,
        delivered_at=delivered_at,
        delivered_by=user,
        recipient_name=recipient_name,
        method=method,
        files=files,
        file=attachment,
        note=(note or "").strip(),
    )
    for item, quantity in lines:
        GisDeliveryLine.objects.create(delivery=delivery, item=item, quantity=quantity)
    complete = selectors.fully_delivered(selectors.delivery_progress(sale))
    sale.state = SaleState.DELIVERED if complete else SaleState.PARTLY_DELIVERED
    sale.save()
    application = sale.application
    delivered_on = timezone.localtime(delivered_at).date()
    if complete and application.state == State.OPEN:
        # The last delivery is the answer to the application; whoever delivers records it.
        application_services.record_outcome(
            user=None,
            application=application,
            outcome=State.ANSWERED,
            note=_("GIS data delivered to %(recipient)s (accrual %(number)s).")
            % {"recipient": recipient_name, "number": sale.accrual_number},
            answered_on=max(delivered_on, application.received_on),
            today=max(delivered_on, application_selectors.today()),
        )
    return delivery


@transaction.atomic
def cancel_sale(*, user, sale: GisDataSale, reason: str) -> GisDataSale:
    """Cancel a sale not yet paid (the buyer withdrew, did not pay)."""
    sale = _locked(sale)
    require_step(user, sale, "cancel")
    if sale.state in (*DELIVERABLE_STATES, SaleState.DELIVERED, SaleState.CANCELLED):
        raise ValidationError(_("A paid, delivered or cancelled sale is not cancelled."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    sale.state = SaleState.CANCELLED
    sale.cancel_reason = reason[:300]
    sale.save()
    return sale


def sale_actions(user, sale: GisDataSale) -> set[str]:
    """The steps ``user`` may take on ``sale`` now."""
    scope = get_scope(user)
    unit_id = sale.application.responsible_unit_id
    actions = set()
    change = scope.has_perm(CHANGE_SALE, unit_id)
    if change and sale.state in EDITABLE_STATES:
        actions |= {"items", "quote"}
    if change and sale.state not in (*DELIVERABLE_STATES, SaleState.DELIVERED,
                                     SaleState.CANCELLED):  # fmt: skip
        actions.add("cancel")
    if scope.has_perm(COLLECT, unit_id):
        if sale.state == SaleState.QUOTED:
            actions.add("accrue")
        if sale.state == SaleState.ACCRUED:
            actions.add("pay")
    if sale.state not in (SaleState.CANCELLED, SaleState.DELIVERED) and sale.may_add_attachment(
        user
    ):
        actions.add("undertaking")
    if scope.has_perm(DELIVER, unit_id) and sale.state in DELIVERABLE_STATES:
        actions.add("deliver")
    return actions
