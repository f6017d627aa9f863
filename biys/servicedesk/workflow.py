"""Who may do what with a ticket, in which state: the one table the services, the ticket page,
its action view and the API all read.

A user's relation to a ticket is one or more *parties*:

  requester  the person the ticket is for
  filer      whoever filed it (an IT colleague taking a phone call, the requester themselves)
  manager    holds ``approve_requests`` over the requesting unit (şef, şube müdürü, head)
  worker     holds ``change_ticket`` over the responsible unit (its IT staff)

Seeing a ticket grants nothing: the auditor, who reads every ticket, is none of these parties
and so may do none of the actions.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy

from biys.accounts.scope import get_scope
from biys.servicedesk.choices import OPEN_STATES, HoldReason, TicketState

S = TicketState

REQUESTER, FILER, MANAGER, WORKER = "requester", "filer", "manager", "worker"

WORKING = (S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD)
NOT_STARTED_OR_RUNNING = (S.NEW, S.ASSIGNED, S.IN_PROGRESS)
ALIVE = (*OPEN_STATES, S.RESOLVED)  # a conversation goes on until the ticket is closed
RESOLVED = (S.RESOLVED, S.CLOSED)
ALL_STATES = tuple(S)


@dataclass(frozen=True)
class Transition:
    states: tuple  # the ticket's states in which the action is allowed
    parties: frozenset  # who may run it
    refused: object  # the message when the state does not allow it (``%(state)s`` filled in)
    # A further condition on the ticket (and user) for the action to apply, or None.
    applies: object = None
    # Whether the ticket page offers it (a hint, not a rule: the API may still run it), or None.
    offered: object = None


def _waiting_for_supplier(ticket, user) -> bool:
    return bool(ticket.sent_to_supplier_at and not ticket.returned_from_supplier_at)


def _not_at_supplier(ticket, user) -> bool:
    return not ticket.sent_to_supplier_at or bool(ticket.returned_from_supplier_at)


def _parties(*names) -> frozenset:
    return frozenset(names)


STAFF = _parties(WORKER)
OWN = _parties(REQUESTER, FILER)

TRANSITIONS: dict[str, Transition] = {
    "approve": Transition(
        (S.PENDING_APPROVAL,),
        _parties(MANAGER),
        gettext_lazy("A ticket in state “%(state)s” cannot be approved or rejected."),
    ),
    "reject": Transition(
        (S.PENDING_APPROVAL,),
        _parties(MANAGER),
        gettext_lazy("A ticket in state “%(state)s” cannot be approved or rejected."),
    ),
    "take": Transition(
        WORKING, STAFF, gettext_lazy("A ticket in state “%(state)s” cannot be taken or assigned.")
    ),
    "assign": Transition(
        WORKING, STAFF, gettext_lazy("A ticket in state “%(state)s” cannot be taken or assigned.")
    ),
    "transfer": Transition(
        WORKING, STAFF, gettext_lazy("A ticket in state “%(state)s” cannot be transferred.")
    ),
    "start": Transition(
        (S.NEW, S.ASSIGNED),
        STAFF,
        gettext_lazy("Work cannot start on a ticket in state “%(state)s”."),
    ),
    "hold": Transition(
        NOT_STARTED_OR_RUNNING,
        STAFF,
        gettext_lazy("A ticket in state “%(state)s” cannot be put on hold."),
    ),
    # The requester may also resume a ticket that waits for them (by answering).
    "resume": Transition(
        (S.ON_HOLD,),
        _parties(WORKER, REQUESTER),
        gettext_lazy("Only a ticket on hold can be resumed; this one is “%(state)s”."),
    ),
    "edit": Transition(ALL_STATES, STAFF, ""),
    "reply": Transition(
        ALIVE,
        _parties(WORKER, REQUESTER, FILER, MANAGER),
        gettext_lazy("A ticket in state “%(state)s” takes no more messages."),
    ),
    "note": Transition(ALL_STATES, STAFF, ""),  # an internal note of the IT staff
    "attach": Transition(
        ALIVE,
        _parties(WORKER, REQUESTER, FILER, MANAGER),
        gettext_lazy("Files cannot be added to a ticket in state “%(state)s”."),
    ),
    "time": Transition(ALL_STATES, STAFF, ""),
    "resolve": Transition(
        WORKING, STAFF, gettext_lazy("A ticket in state “%(state)s” cannot be resolved.")
    ),
    "reopen": Transition(
        RESOLVED,
        _parties(REQUESTER, MANAGER),
        gettext_lazy("Only a resolved or closed ticket can be reopened; this one is “%(state)s”."),
    ),
    "rate": Transition(
        RESOLVED,
        _parties(REQUESTER),
        gettext_lazy("Only a resolved or closed ticket can be rated; this one is “%(state)s”."),
    ),
    "cancel": Transition(
        OPEN_STATES,
        _parties(WORKER, REQUESTER, FILER),
        gettext_lazy("A ticket in state “%(state)s” cannot be cancelled."),
    ),
    "close": Transition(
        (S.RESOLVED,),
        _parties(WORKER, REQUESTER),
        gettext_lazy("Only a resolved ticket can be closed; this one is “%(state)s”."),
    ),
    "merge": Transition(
        OPEN_STATES,
        STAFF,
        gettext_lazy("A ticket in state “%(state)s” cannot be merged into another."),
    ),
    "parent": Transition(
        OPEN_STATES,
        STAFF,
        gettext_lazy("The parent of a ticket in state “%(state)s” cannot change."),
    ),
    "supplier": Transition(
        NOT_STARTED_OR_RUNNING,
        STAFF,
        gettext_lazy("A ticket in state “%(state)s” cannot be sent to the supplier."),
        applies=_not_at_supplier,
        offered=lambda ticket: ticket.under_warranty,
    ),
    "supplier_return": Transition(
        (S.ON_HOLD,),
        STAFF,
        gettext_lazy("The ticket is not waiting for the supplier."),
        applies=_waiting_for_supplier,
    ),
    "visit": Transition(
        WORKING,
        STAFF,
        gettext_lazy("A field visit cannot be scheduled for a ticket in state “%(state)s”."),
    ),
}

# Shown to every party that may run them, but only where they make sense on the page.
REFUSED_PARTY = {
    "approve": gettext_lazy("Only the requesting unit's manager may approve this request."),
    "reject": gettext_lazy("Only the requesting unit's manager may approve this request."),
    "reopen": gettext_lazy("Only the requester or their unit's manager may reopen a ticket."),
    "rate": gettext_lazy("Only the requester may rate the solution."),
    "close": gettext_lazy("Only the requester or the IT staff may close this ticket."),
    "reply": gettext_lazy("You may not reply to this ticket."),
    "attach": gettext_lazy("You may not add attachments to this object."),
}
DEFAULT_REFUSED_PARTY = gettext_lazy("Only the IT staff of the responsible unit may do this.")


def parties(user, ticket) -> frozenset:
    """The user's relations to the ticket (empty for an anonymous user or a mere reader)."""
    from biys.servicedesk.selectors import APPROVE_REQUESTS, CHANGE_TICKET

    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    found = set()
    person_id = getattr(user, "person_id", None)
    if person_id is not None and person_id == ticket.requester_id:
        found.add(REQUESTER)
    if ticket.created_by_id is not None and ticket.created_by_id == user.pk:
        found.add(FILER)
    scope = get_scope(user)
    if scope.has_perm(APPROVE_REQUESTS, ticket.requesting_unit_id):
        found.add(MANAGER)
    if scope.has_perm(CHANGE_TICKET, ticket.responsible_unit_id):
        found.add(WORKER)
    return frozenset(found)


def _party_allows(action: str, user, ticket, found: frozenset) -> bool:
    transition = TRANSITIONS[action]
    if not transition.parties & found:
        return False
    if action == "resume" and found.isdisjoint({WORKER}):
        # The requester resumes only a ticket that is waiting for them.
        return ticket.hold_reason == HoldReason.REQUESTER
    return True


def is_party(user, ticket, action: str) -> bool:
    """Is ``user`` among those who may run ``action`` on this ticket (whatever its state)?"""
    return _party_allows(action, user, ticket, parties(user, ticket))


def allows(user, ticket, action: str) -> bool:
    """May ``user`` run ``action`` on ``ticket`` now (state, party and condition)?"""
    transition = TRANSITIONS[action]
    if ticket.state not in transition.states:
        return False
    if not _party_allows(action, user, ticket, parties(user, ticket)):
        return False
    return transition.applies is None or transition.applies(ticket, user)


def allowed_actions(
    user, ticket, *, offered_only: bool = False, found: frozenset | None = None
) -> list[str]:
    """Every action ``user`` may run on ``ticket`` now, in the table's order; with
    ``offered_only`` without those the ticket page does not offer for this ticket. ``found``:
    the user's ``parties`` to the ticket when the caller already knows them (a list page)."""
    if found is None:
        found = parties(user, ticket)
    if not found:
        return []
    return [
        name
        for name, transition in TRANSITIONS.items()
        if ticket.state in transition.states
        and _party_allows(name, user, ticket, found)
        and (transition.applies is None or transition.applies(ticket, user))
        and not (offered_only and transition.offered and not transition.offered(ticket))
    ]


def require(user, ticket, action: str) -> None:
    """Raise ``PermissionDenied`` when the user is no party to the action, ``ValidationError``
    (at ``state``) when the ticket's state or condition does not allow it."""
    if not _party_allows(action, user, ticket, parties(user, ticket)):
        raise PermissionDenied(str(REFUSED_PARTY.get(action, DEFAULT_REFUSED_PARTY)))
    require_state(ticket, action, user)


def require_state(ticket, action: str, user=None) -> None:
    """The state half of ``require``, for the scheduled jobs that act as nobody."""
    transition = TRANSITIONS[action]
    if ticket.state not in transition.states or (
        transition.applies is not None and not transition.applies(ticket, user)
    ):
        raise ValidationError(
            {"state": str(transition.refused) % {"state": ticket.get_state_display()}},
            code="invalid_state",
        )
