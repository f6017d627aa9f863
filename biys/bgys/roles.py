"""The roles of the information security management system (BGYS), each held over units
(imported from the app's ``ready()``; roles are re-synced after every migrate):

- the BGYS manager (bilgi güvenliği yöneticisi) answers the criticality questionnaire of their
  units' asset groups and keeps their Statement of Applicability; held over the whole
  municipality, they also load frameworks and enter the texts of ISO/IEC 27001; they keep the
  information assets and the risk register and approve the risks' treatments (over the whole
  municipality also the risk methodology and the threat and vulnerability catalogues); they
  plan and run the internal audits, keep the management reviews and verify and close the
  corrective actions (DÖF) of others; they keep the policies and procedures, approve and
  publish their versions and follow who has acknowledged them;
- the BGYS team member reads the same and records the SoA: applicability, state, owner,
  evidence; in an audit, the checklist results, the findings and the corrective actions; they
  draft new versions of the policies.
- the asset owner (varlık sahibi) keeps the information assets of their units and records
  their risks; the BGYS manager approves the treatments.

- the internal auditor (iç denetçi) reads, read-only, the audits they are named an auditor of
  in their units: the checklist, its evidence, the findings and the corrective actions.

The auditor reads everything already (``*.view_*``) and changes nothing. The chief reads the
BGYS records of their units but does not write them: that is the BGYS team's job.
"""

from django.utils.translation import gettext_lazy as _

from biys.accounts.roles import RoleSpec, extend_role, register_role

extend_role(
    "chief",
    exclude=["bgys.add_*", "bgys.change_*", "bgys.delete_*", "bgys.approve_*", "bgys.verify_*"],
)

register_role(
    RoleSpec(
        "bgys_manager",
        _("BGYS manager"),
        _(
            "Runs the information security management system of their units: answers the"
            " criticality questionnaire of each asset group and keeps the Statement of"
            " Applicability; over the whole municipality, also loads frameworks. Plans and runs"
            " the internal audits, keeps the management reviews and verifies the corrective"
            " actions (DÖF) others carry out. Keeps the policies, approves and publishes their"
            " versions and follows who has acknowledged them."
        ),
        include=[
            "bgys.view_*",
            "bgys.add_*",
            "bgys.change_*",
            "bgys.delete_*",
            "bgys.approve_risk",
            "bgys.verify_correctiveaction",
            "bgys.approve_policyversion",
        ],
    )
)
register_role(
    RoleSpec(
        "bgys_member",
        _("BGYS team member"),
        _(
            "Works on the Statement of Applicability of their units: applicability and its"
            " reason, implementation state, owner and evidence; in an audit, the checklist"
            " results, the findings and the corrective actions; drafts policy versions."
        ),
        include=[
            "bgys.view_*",
            "bgys.change_applicabilityentry",
            "bgys.change_checklistitem",
            "bgys.add_finding",
            "bgys.change_finding",
            "bgys.change_correctiveaction",
            "bgys.add_policyversion",
            "bgys.change_policyversion",
            "bgys.add_trainingsession",
            "bgys.change_trainingsession",
            "bgys.add_trainingattendance",
            "bgys.change_trainingattendance",
        ],
    )
)
register_role(
    RoleSpec(
        "bgys_asset_owner",
        _("Asset owner"),
        _(
            "Keeps the information assets of their units (ratings, what they run on) and"
            " records their risks and treatments; the BGYS manager approves the treatments."
        ),
        include=[
            "bgys.view_*",
            "bgys.add_informationasset",
            "bgys.change_informationasset",
            "bgys.add_risk",
            "bgys.change_risk",
        ],
    )
)
register_role(
    RoleSpec(
        "bgys_auditor",
        _("Internal auditor"),
        _(
            "Reads, without changing anything, the internal audits of their units they are"
            " named an auditor of: the checklist and its evidence, the findings and the"
            " corrective actions."
        ),
        include=["bgys.read_assigned_audit"],
    )
)
