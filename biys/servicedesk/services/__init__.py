"""Writes of the service desk: the ticket's life from filing to closing, SLA clocks, routing.

Every function takes keyword arguments, runs in one transaction and raises ``ValidationError``
(keyed by the field at fault) or ``PermissionDenied``. Notifications are written in the same
transaction through ``biys.servicedesk.notify.notify_ticket_event``.

The functions live in modules along the seams of a ticket's life (``filing``, ``actions``,
``sla``, ``jobs``, with shared helpers in ``common``); callers import them from here.
"""

from biys.servicedesk.services.actions import (  # noqa: F401
    add_reply,
    approve_ticket,
    assign_ticket,
    cancel_ticket,
    close_ticket,
    log_time,
    merge_tickets,
    put_on_hold,
    rate_ticket,
    reject_ticket,
    reopen_ticket,
    resolve_ticket,
    resume_ticket,
    return_from_supplier,
    schedule_field_visit,
    send_to_supplier,
    set_parent,
    start_work,
    take_ticket,
    transfer_ticket,
)
from biys.servicedesk.services.asset_links import (  # noqa: F401
    link_ticket_assets,
    unlinked_references,
)
from biys.servicedesk.services.common import (  # noqa: F401
    DEFAULT_AUTO_CLOSE_WORKING_DAYS,
    DEFAULT_REOPEN_WORKING_DAYS,
    LOAD_STATES,
    MAX_MINUTES_PER_ENTRY,
    WORKING_STATES,
)
from biys.servicedesk.services.filing import (  # noqa: F401
    TICKET_NUMBER_TEMPLATE,
    TICKET_SEQUENCE,
    asset_is_registered,
    clean_form_data,
    create_ticket,
    linked_asset_id,
    unregistered_asset_policy,
    update_ticket,
)
from biys.servicedesk.services.jobs import (  # noqa: F401
    close_resolved_tickets,
    create_recurring_tickets,
    next_run_after,
)
from biys.servicedesk.services.sla import (  # noqa: F401
    check_sla,
    compute_priority,
)
