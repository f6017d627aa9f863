"""The roles of the security operations team (SOME, siber olaylara müdahale ekibi), each held
over units like every role (normally over the whole department, with its sub-units):

- the SOME member imports scanner reports, records penetration tests with their findings
  and works the findings of their units: starts the
  remediation, marks a finding fixed or a false positive, reopens one;
- the SOME lead does the same, accepts a risk (with an expiry) and keeps the remediation
  targets (held over the whole department for those).

Vulnerability details are a map for an attacker: the technician and the chief, who read or
write everything else of their units, do not see them (the department head and the auditor do).
The personal-data breach record of an incident is kept by the SOME and by the KVKK contact
person (``biys.kvkk.roles``), who sees it without the rest of the incident.
Imported from the app's ``ready()``; roles are re-synced after every migrate.
"""

from django.utils.translation import gettext_lazy as _

from biys.accounts.roles import RoleSpec, extend_role, register_role

extend_role("technician", exclude=["secops.*"])
extend_role("chief", exclude=["secops.*"])
# Incidents and their evidence: the SOME, the auditor (reading) and the people named on one.
INCIDENT_MODELS = ("incident", "incidentevent", "indicator", "notification", "evidence",
                   "custodyentry", "breach", "incidenttask")  # fmt: skip
extend_role(
    "department_head",
    exclude=[f"secops.{action}_{model}" for model in INCIDENT_MODELS
             for action in ("view", "add", "change", "delete")],
)  # fmt: skip

MEMBER = [
    "secops.view_*",
    "secops.add_scanimport",
    "secops.change_finding",
    "secops.add_pentest",
    "secops.change_pentest",
    "secops.add_usomlistimport",
    "secops.add_incident",
    "secops.change_incident",
    "secops.add_breach",
    "secops.change_breach",
]

register_role(
    RoleSpec(
        "some_member",
        _("SOME member"),
        _(
            "Security operations team: imports vulnerability scanner reports and works the"
            " findings of their units (remediation, fixed, false positive, reopen); records"
            " incidents, their timeline, indicators, evidence and notifications."
        ),
        include=MEMBER,
    )
)
register_role(
    RoleSpec(
        "some_lead",
        _("SOME lead"),
        _(
            "Leads the security operations team: everything a member does, accepts risks with an"
            " expiry and keeps the remediation targets and the notification rules."
        ),
        include=[
            *MEMBER,
            "secops.accept_risk_finding",
            "secops.change_remediationtarget",
            "secops.change_notificationrule",
        ],
    )
)
