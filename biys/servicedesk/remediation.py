"""Tickets other modules file through ``biys.core.tickets`` (a vulnerability finding's fix,
issue 12): the ticket goes to the unit that owns the asset, or to the nearest unit above it
that the service desk serves, then to the IT department; filed by the user who asked, for
themselves, through ``create_ticket`` like any other ticket."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from biys.core.tickets import OpenedTicket

# Kinds a fix is filed as, in order of preference.
PREFERRED_KINDS = ("fault", "request")


def _candidates(unit):
    from biys.org.models import Unit
    from biys.servicedesk.models import CatalogItem

    chain = [unit.pk, *reversed([ancestor.pk for ancestor in unit.ancestors()])]
    chain += [
        pk
        for pk in Unit.objects.filter(is_it_department=True)
        .order_by("depth", "order", "pk")
        .values_list("pk", flat=True)
        if pk not in chain
    ]
    items = list(
        CatalogItem.objects.filter(
            unit_id__in=chain, is_active=True, requires_approval=False, requires_asset=False
        ).order_by("name", "pk")
    )

    def rank(item):
        kind = PREFERRED_KINDS.index(item.kind) if item.kind in PREFERRED_KINDS else 9
        return (chain.index(item.unit_id), kind)

    return sorted(items, key=rank)


def catalog_item_for(unit):
    """The catalogue item a fix for ``unit`` is filed under: one that asks for no approval,
    no registered device and no form field, of the nearest unit that offers one."""
    from biys.servicedesk.services import clean_form_data

    for item in _candidates(unit):
        try:
            clean_form_data(item, {})
        except ValidationError:
            continue
        return item
    return None


def open_for_unit(*, user, unit_id, title, description="", asset_reference="") -> OpenedTicket:
    from biys.org.models import Unit
    from biys.servicedesk.services import create_ticket

    unit = Unit.objects.get(pk=unit_id)
    person = getattr(user, "person", None) if user is not None else None
    if person is None:
        raise ValidationError(
            {"ticket": _("Your login is linked to no person: a ticket needs its requester.")}
        )
    item = catalog_item_for(unit)
    if item is None:
        raise ValidationError(
            {
                "ticket": _(
                    "No catalogue item of %(unit)s, the units above it or the IT department"
                    " can take this ticket (one without approval, device or form fields)."
                )
                % {"unit": unit}
            }
        )
    ticket = create_ticket(
        catalog_item=item,
        requester=person,
        title=title[:200],
        description=description,
        created_by=user,
        asset_reference=asset_reference if asset_reference else "",
    )
    return OpenedTicket(ticket.pk, ticket.number, ticket.get_absolute_url())
