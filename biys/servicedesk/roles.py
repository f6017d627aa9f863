"""What the built-in roles may do in the service desk (imported from the app's ``ready()``;
roles are re-synced after every migrate)."""

from biys.accounts.roles import extend_role

# Staff of any unit file tickets, comment and attach screenshots.
extend_role(
    "requester",
    include=["servicedesk.add_ticket", "comments.add_comment", "attachments.add_attachment"],
)
# Technicians work the tickets of their units; following a unit's requests is for managers.
extend_role(
    "technician",
    include=[
        "servicedesk.add_ticket",
        "servicedesk.change_ticket",
        "servicedesk.add_timeentry",
        "servicedesk.add_fieldvisit",
        "servicedesk.change_fieldvisit",
        "servicedesk.add_knowledgearticle",
        "servicedesk.change_knowledgearticle",
        "comments.add_comment",
        "attachments.add_attachment",
    ],
    exclude=["servicedesk.view_unit_requests"],
)
for slug in ("chief", "department_head"):
    extend_role(slug, include=["servicedesk.view_unit_requests", "servicedesk.approve_requests"])
# The catalogue and its SLA targets are set by department heads and administrators.
extend_role(
    "chief",
    exclude=[
        f"servicedesk.{action}_{model}"
        for action in ("add", "change", "delete")
        for model in ("catalogitem", "slatarget")
    ],
)
# The auditor's "*.view_*" already reads every ticket.
