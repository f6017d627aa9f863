"""The seam between a module that answers by an official document (the applications module's
answer to an applicant) and the correspondence module (``biys.evrak``), which sit side by side
in the layers and never import each other.

- The correspondence module plugs in at start-up a drafter of outgoing documents
  (``register_outgoing_drafter``) and a describer (``register_outgoing_describer``). A module
  asks ``draft_outgoing(...)`` and keeps the answer's ``pk`` in its own foreign key to the
  outgoing document model (named by its label, no import); it reads the document's state
  through ``describe_outgoing``. Without the correspondence module, ``draft_outgoing`` refuses
  with a ``ValidationError`` and ``describe_outgoing`` answers None.
- A module plugs in a provider of the records linked to an outgoing document
  (``register_outgoing_link_provider``); the document's page lists ``outgoing_links(user,
  document)``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class OutgoingSummary:
    """What another module shows of an outgoing document."""

    pk: int
    label: str  # its number (sayı) once signed, else "draft — subject"
    state: str  # the state's label
    signed: bool
    signed_on: date | None = None
    url: str = ""  # empty when the user may not open it


@dataclass(frozen=True)
class LinkedRecord:
    """A record of another module linked to an outgoing document (the application it answers)."""

    kind: str
    label: str
    url: str = ""
    state: str = ""


Drafter = Callable[..., OutgoingSummary]
Describer = Callable[[object, int], OutgoingSummary | None]
LinkProvider = Callable[[object, object], list[LinkedRecord]]
_drafter: Drafter | None = None
_may_draft: Callable[[object, int], bool] | None = None
_describer: Describer | None = None
_link_providers: list[LinkProvider] = []


def register_outgoing_drafter(drafter: Drafter, may_draft: Callable[[object, int], bool]) -> None:
    """``drafter(*, user, unit_id, subject, recipient_name, recipient_address, reference_text,
    body)``: a draft outgoing document of the unit ``unit_id`` with one recipient for action
    (gereği) and one ilgi line; raises ``ValidationError`` / ``PermissionDenied``.
    ``may_draft(user, unit_id)``: whether the user may draft for that unit (to offer it)."""
    global _drafter, _may_draft
    _drafter, _may_draft = drafter, may_draft


def may_draft_outgoing(user, unit_id: int) -> bool:
    return _may_draft is not None and _may_draft(user, unit_id)


def register_outgoing_describer(describer: Describer) -> None:
    """``describer(user, pk)``: the document's summary (its url only when ``user`` may open
    it; ``user`` None is the system), or None when there is no such document."""
    global _describer
    _describer = describer


def correspondence_installed() -> bool:
    return _drafter is not None


def draft_outgoing(
    *,
    user,
    unit_id: int,
    subject: str,
    recipient_name: str,
    recipient_address: str = "",
    reference_text: str = "",
    body: str = "",
) -> OutgoingSummary:
    if _drafter is None:
        raise ValidationError(_("The official correspondence module is not installed."))
    return _drafter(
        user=user,
        unit_id=unit_id,
        subject=subject,
        recipient_name=recipient_name,
        recipient_address=recipient_address,
        reference_text=reference_text,
        body=body,
    )


def describe_outgoing(user, pk: int | None) -> OutgoingSummary | None:
    if pk is None or _describer is None:
        return None
    return _describer(user, pk)


def register_outgoing_link_provider(provider: LinkProvider) -> None:
    """``provider(user, document)``: the records linked to the outgoing document that ``user``
    may see."""
    _link_providers.append(provider)


def outgoing_links(user, document) -> list[LinkedRecord]:
    records: list[LinkedRecord] = []
    for provider in _link_providers:
        records.extend(provider(user, document))
    return records
