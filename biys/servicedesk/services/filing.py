"""Filing a ticket: the requester's form answers, the asset rule, numbering, first routing."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core import assets, changelog
from biys.core.numbering import next_number
from biys.servicedesk import selectors, workflow
from biys.servicedesk.choices import Channel, Level
from biys.servicedesk.models import Approval, Ticket
from biys.servicedesk.services.common import (
    NO_QUEUE,
    S,
    _apply_assignment_rule,
    _emit,
    _has_perm_anywhere,
    _lock,
    _open_responsibility,
    _require_text,
)
from biys.servicedesk.services.sla import _set_due_dates, compute_priority

TICKET_SEQUENCE = "ticket"
TICKET_NUMBER_TEMPLATE = "ARZ-{year}-{seq:06d}"
# ``Level.values`` builds its list (and every label) anew on each reading: kept once.
LEVELS = tuple(Level.values)


def _choice_values(choices) -> list[str]:
    values = []
    for choice in choices or []:
        if isinstance(choice, dict):
            values.append(str(choice.get("value", choice.get("label", ""))))
        elif isinstance(choice, (list, tuple)) and choice:
            values.append(str(choice[0]))
        else:
            values.append(str(choice))
    return values


def clean_form_data(catalog_item, form_data) -> dict:
    """The item's own form: required answers present, choices among the offered ones."""
    data = dict(form_data or {})
    errors = []
    for spec in catalog_item.form_fields or []:
        if not isinstance(spec, dict) or not spec.get("name"):
            continue
        name, label = spec["name"], spec.get("label") or spec["name"]
        value = data.get(name)
        if isinstance(value, str):
            value = data[name] = value.strip()
        if value in (None, "", []):
            if spec.get("required"):
                errors.append(_("“%(label)s” is required.") % {"label": label})
            continue
        if spec.get("type") == "choice" and spec.get("choices"):
            allowed = _choice_values(spec["choices"])
            given = value if isinstance(value, list) else [value]
            if any(str(item) not in allowed for item in given):
                errors.append(
                    _("Pick one of the offered answers for “%(label)s”.") % {"label": label}
                )
    if errors:
        raise ValidationError({"form_data": errors}, code="invalid")
    return data


def asset_is_registered(reference: str) -> bool:
    """A device in the municipal inventory: the register (``biys.inventory``, reached through
    ``biys.core.assets``) knows the reference as an inventory or serial number of an asset in
    service. Without a register installed, any reference counts as registered."""
    reference = (reference or "").strip()
    if not reference:
        return False
    if not assets.register_installed():
        return True
    return assets.find_asset(reference) is not None


def unregistered_asset_policy() -> str:
    return getattr(settings, "SERVICEDESK_UNREGISTERED_ASSET", "flag")


def linked_asset_id(reference: str) -> int | None:
    """The id of the asset the reference names, kept on the ticket as its link to the register:
    the register's own answer (its inventory number, else its serial), else the one asset whose
    number folds to the same key (Turkish case, spaces: ``biys.core.assets.reference_key``).
    None without a register, for a reference naming nothing, or naming several assets."""
    reference = (reference or "").strip()
    if not reference or not assets.register_installed():
        return None
    summary = assets.find_asset(reference)
    if summary is not None:
        return summary.pk
    matched = assets.match_assets([reference]).get(assets.reference_key(reference), ())
    return matched[0] if len(matched) == 1 else None


def _check_asset(catalog_item, asset_reference: str) -> tuple[int | None, bool]:
    """The ticket's link to the register (``linked_asset_id``) and whether the ticket must be
    flagged for an unregistered device; raises when refused."""
    asset_id = linked_asset_id(asset_reference)
    if not catalog_item.requires_asset:
        return asset_id, False
    if asset_id is not None or (asset_reference and not assets.register_installed()):
        return asset_id, False
    if unregistered_asset_policy() == "refuse":
        raise ValidationError(
            {
                "asset_reference": _(
                    "Only devices in the municipal inventory are serviced: enter the device's"
                    " inventory number."
                )
            },
            code="unregistered_asset",
        )
    return None, True


def _check_may_file_for(created_by, requester) -> None:
    """Anyone files for themselves; filing for someone else (a phone call) is IT staff's job."""
    if created_by is None or not created_by.is_authenticated:
        return
    if created_by.is_superuser or getattr(created_by, "person_id", None) == requester.pk:
        return
    if not _has_perm_anywhere(created_by, selectors.CHANGE_TICKET):
        raise PermissionDenied(_("Only IT staff may file a ticket on someone else's behalf."))


@changelog.batched
def create_ticket(
    *,
    catalog_item,
    requester,
    title,
    description="",
    form_data=None,
    created_by=None,
    channel=Channel.WEB,
    contact_phone=None,
    location=None,
    asset_reference="",
    impact=None,
    urgency=None,
    parent=None,
) -> Ticket:
    errors = {}
    if catalog_item is None:
        errors["catalog_item"] = _("Choose what the ticket is about.")
    elif not catalog_item.is_active:
        errors["catalog_item"] = _("This catalogue item is no longer offered.")
    if requester is None:
        errors["requester"] = _("Choose the person the ticket is for.")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Write a short subject.")
    elif len(title) > 200:
        errors["title"] = _("Keep the subject under 200 characters.")
    if errors:
        raise ValidationError(errors, code="invalid")
    _check_may_file_for(created_by, requester)
    form_data = clean_form_data(catalog_item, form_data)
    asset_reference = (asset_reference or "").strip()
    asset_id, flagged = _check_asset(catalog_item, asset_reference)
    impact = impact or catalog_item.default_impact
    urgency = urgency or catalog_item.default_urgency
    if impact not in LEVELS or urgency not in LEVELS:
        raise ValidationError(
            {"impact" if impact not in LEVELS else "urgency": _("Choose a valid level.")}
        )

    now = timezone.now()
    ticket = Ticket(
        kind=catalog_item.kind,
        catalog_item=catalog_item,
        title=title,
        description=(description or "").strip(),
        form_data=form_data,
        channel=channel,
        requester=requester,
        requesting_unit_id=requester.unit_id,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        contact_phone=(requester.work_phone if contact_phone is None else contact_phone)[:30],
        location=(requester.location if location is None else location)[:200],
        responsible_unit_id=catalog_item.unit_id,
        impact=impact,
        urgency=urgency,
        priority=compute_priority(impact, urgency),
        asset_reference=asset_reference,
        asset_id=asset_id,
        asset_unregistered=flagged,
        round_the_clock=catalog_item.round_the_clock,
        parent=parent,
    )
    # Units the caller loaded already (select_related) are reused, not fetched again.
    _reuse_loaded(ticket, "requesting_unit", requester, "unit")
    _reuse_loaded(ticket, "responsible_unit", catalog_item, "unit")
    approval_needed = catalog_item.requires_approval
    assigned = False
    queue = NO_QUEUE
    if approval_needed:
        # The SLA clock starts when the IT unit first sees the ticket: at the approval.
        ticket.state = S.PENDING_APPROVAL
    else:
        ticket.state = S.NEW
        _set_due_dates(ticket, start=now)
        queue = selectors.queue_for_unit(ticket.responsible_unit)
        assigned = _apply_assignment_rule(ticket, queue=queue)
    # The number comes last: its yearly counter row stays locked until the commit, and every
    # other filing waits for it, so everything that can be read or computed is done before.
    ticket.number = next_number(TICKET_SEQUENCE, at=now, template=TICKET_NUMBER_TEMPLATE)
    ticket.save()
    # The responsible unit is already loaded (routing, SLA calendar): no need to fetch it again.
    _open_responsibility(
        ticket, ticket.responsible_unit, user=created_by, reason=_("Filed"), now=now
    )
    _emit(ticket, "created", created_by, queue=queue)
    if approval_needed:
        Approval.objects.create(ticket=ticket, approver_unit_id=ticket.requesting_unit_id)
        _emit(ticket, "approval_requested", created_by)
    elif assigned:
        _emit(ticket, "assigned", created_by)
    return ticket


def _reuse_loaded(ticket: Ticket, field: str, source, source_field: str) -> None:
    descriptor = type(source)._meta.get_field(source_field)
    if descriptor.is_cached(source):
        setattr(ticket, field, getattr(source, source_field))


@transaction.atomic
def update_ticket(*, ticket, user, **changes) -> Ticket:
    """Edit the description fields; a new impact or urgency recomputes the priority and the
    SLA due dates (from the filing time)."""
    _lock(ticket)
    workflow.require(user, ticket, "edit")
    allowed = {
        "title",
        "description",
        "contact_phone",
        "location",
        "asset_reference",
        "under_warranty",
        "impact",
        "urgency",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if "title" in changes:
        changes["title"] = _require_text(changes["title"], "title", _("Write a short subject."))
    previous_reference = ticket.asset_reference
    for name, value in changes.items():
        setattr(ticket, name, value)
    if "asset_reference" in changes:
        ticket.asset_reference = (ticket.asset_reference or "").strip()
        # the same reference keeps its link (to an asset since scrapped, or renumbered)
        if ticket.asset_reference != previous_reference or ticket.asset_id is None:
            ticket.asset_id, ticket.asset_unregistered = _check_asset(
                ticket.catalog_item, ticket.asset_reference
            )
    if {"impact", "urgency"} & set(changes):
        priority = compute_priority(ticket.impact, ticket.urgency)
        if priority != ticket.priority:
            ticket.priority = priority
            if ticket.state != S.PENDING_APPROVAL:
                _set_due_dates(ticket, start=ticket.created)
    ticket.full_clean(exclude=["number"])
    ticket.save()
    return ticket
