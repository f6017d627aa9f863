"""The seam between a module that needs work done by the service desk and the service desk
(``biys.servicedesk``), which sit side by side in the layers and never import each other; and
the way back, so a ticket's page lists the records that opened it.

- The service desk plugs in an opener at start-up (``register_ticket_opener``); a module asks
  ``open_ticket(...)`` and keeps the answer's ``pk`` (its own foreign key to the ticket model,
  named by its label, needs no import). Without a service desk installed, ``open_ticket``
  refuses with a ``ValidationError``.
- A module plugs in a provider of linked records for a model (``register_link_provider``); a
  page asks ``linked_records(user, obj)`` and shows what the user may open. A provider may
  bring a hint, an expression true when the object may have records of the module (an
  ``EXISTS`` over its foreign keys): the page's own query carries the hints
  (``with_link_hints``), and a provider whose hint is false is not asked, which spares a page
  of the common case (no linked record) a query per module.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Expression, ExpressionWrapper, OuterRef
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class OpenedTicket:
    pk: int
    number: str
    url: str


@dataclass(frozen=True)
class LinkedRecord:
    """A record of another module linked to an object (a finding on its ticket)."""

    kind: str
    label: str
    url: str
    state: str = ""


Opener = Callable[..., OpenedTicket]
LinkProvider = Callable[[object, object], list[LinkedRecord]]
LinkHint = Callable[[OuterRef], Expression]
_opener: Opener | None = None
_providers: dict[str, list[tuple[LinkProvider, LinkHint | None]]] = {}


def register_ticket_opener(opener: Opener) -> None:
    """``opener(*, user, unit_id, title, description, asset_reference)``: file a ticket for the
    unit ``unit_id`` (or the nearest unit above it the service desk serves) on behalf of
    ``user``; raises ``ValidationError`` / ``PermissionDenied`` when it cannot."""
    global _opener
    _opener = opener


def ticket_opener_installed() -> bool:
    return _opener is not None


def open_ticket(
    *, user, unit_id: int, title: str, description: str = "", asset_reference: str = ""
) -> OpenedTicket:
    if _opener is None:
        raise ValidationError(_("The service desk is not installed."))
    return _opener(
        user=user,
        unit_id=unit_id,
        title=title,
        description=description,
        asset_reference=asset_reference,
    )


def register_link_provider(
    model_label: str, provider: LinkProvider, *, hint: LinkHint | None = None
) -> None:
    """``provider(user, obj)``: the records linked to ``obj`` (a ``model_label`` instance, e.g.
    ``servicedesk.ticket``) that ``user`` may open. ``hint(OuterRef("pk"))``: a boolean
    expression, false only when ``obj`` has none of the module's records whoever asks."""
    _providers.setdefault(model_label.lower(), []).append((provider, hint))


def _hint_name(index: int) -> str:
    return f"_linked_records_{index}"


def with_link_hints(queryset):
    """``queryset`` with each provider's hint for its objects, read by ``linked_records``."""
    providers = _providers.get(queryset.model._meta.label_lower, [])
    hints = {
        _hint_name(index): ExpressionWrapper(hint(OuterRef("pk")), output_field=BooleanField())
        for index, (_provider, hint) in enumerate(providers)
        if hint is not None
    }
    return queryset.annotate(**hints) if hints else queryset


def linked_records(user, obj) -> list[LinkedRecord]:
    records: list[LinkedRecord] = []
    for index, (provider, _hint) in enumerate(_providers.get(obj._meta.label_lower, [])):
        if getattr(obj, _hint_name(index), True) is False:
            continue  # the object's own query found none of this module's records
        records.extend(provider(user, obj))
    return records
