"""Who may do what with a ticket, for views and templates (the services check the same rules).

may_view(user, ticket)     requester, filer, the requesting unit's managers, the IT staff
                           of the responsible unit (once past approval)
may_work(user, ticket)     IT staff with change_ticket over the responsible unit
may_approve(user, ticket)  approve_requests over the requesting unit
may_reopen / may_rate      the requester (reopen: also the requesting unit's managers)
"""

from biys.servicedesk.choices import TicketState
from biys.servicedesk.selectors import (
    can_approve,
    can_view_ticket,
    can_work_on,
    is_requester,
    is_unit_manager_of_requester,
)

may_view = can_view_ticket
may_work = can_work_on


def may_approve(user, ticket) -> bool:
    return ticket.state == TicketState.PENDING_APPROVAL and can_approve(user, ticket)


def may_reopen(user, ticket) -> bool:
    return ticket.state in (TicketState.RESOLVED, TicketState.CLOSED) and (
        is_requester(user, ticket) or is_unit_manager_of_requester(user, ticket)
    )


def may_rate(user, ticket) -> bool:
    return ticket.state in (TicketState.RESOLVED, TicketState.CLOSED) and is_requester(user, ticket)


def may_cancel(user, ticket) -> bool:
    from biys.servicedesk.choices import OPEN_STATES

    if ticket.state not in OPEN_STATES:
        return False
    own = is_requester(user, ticket) or (
        ticket.created_by_id is not None and ticket.created_by_id == getattr(user, "pk", None)
    )
    return own or can_work_on(user, ticket)
