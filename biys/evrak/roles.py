"""The roles of the evrak module, each held over units (imported from the app's ``ready()``;
roles are re-synced after every migrate).

- the registry clerk (evrak kayıt memuru) registers the incoming documents of their units
  (paper scans and e-Yazışma packages), corrects the register and sees the sender's identity;
- the unit reader reads the register of their units;
- the document writer (yazı hazırlayan) drafts the outgoing documents of their units and
  reads the unit's register (the department head does too). Paraf and signature are not a
  role: they belong to the people named on a document's approval path.

Routing (havale): the clerk routes a document of their units to a unit for action or for
information; a unit's chief or department head routes it on to a person of the unit
(``evrak.route_on_routing``); the person it was routed to closes it.

The chief reads the register but does not write it: that is the clerk's job. Gizli and Çok
Gizli documents are shown only to the people named on them, whatever the role.
"""

from django.utils.translation import gettext_lazy as _

from biys.accounts.roles import RoleSpec, extend_role, register_role

REVEAL = "evrak.reveal_sender_data"
ROUTE = "evrak.route_incomingdocument"
ROUTE_ON = "evrak.route_on_routing"
# The year-end transfer and destruction of files is approved by the department head: the
# commission's decision is an act of the administration that answers for the units' records,
# not a registry chore (the clerk keeps the register, and a destruction removes content the
# clerk cannot judge). Held over a department, it covers the files of its units.
APPROVE_DISPOSAL = "evrak.approve_disposal"
# The hand-over of files to the State Archives (Devlet Arşivleri Başkanlığı): prepared,
# approved, exported and completed by the institutional archive's archivist over the units whose
# archive they keep, and by the department head over their department.
HAND_OVER = "evrak.hand_over_files"

extend_role(
    "chief", include=[ROUTE_ON], exclude=["evrak.add_*", "evrak.change_*", "evrak.delete_*"]
)
# Who viewed a Gizli or Çok Gizli document: read by the department head and the auditor over
# their units (not a view_* permission: the unit's readers never hold it by pattern).
AUDIT_CONFIDENTIAL = "evrak.audit_confidential"

extend_role("department_head", include=[ROUTE_ON, APPROVE_DISPOSAL, AUDIT_CONFIDENTIAL, HAND_OVER])
# The signing authorities (imza yetkileri) are the municipality's, set by its directive: kept
# by the administrator (the evrak administration), not by the heads who sign under them.
SIGNING_RULES = ["evrak.add_signingrule", "evrak.change_signingrule", "evrak.delete_signingrule"]
extend_role("department_head", exclude=SIGNING_RULES)
extend_role("auditor", include=[AUDIT_CONFIDENTIAL])

register_role(
    RoleSpec(
        "evrak_clerk",
        _("Registry clerk (evrak kayıt memuru)"),
        _(
            "Registers the incoming documents of their units, on paper or as e-Yazışma"
            " packages, keeps the register right and sees the sender's identity."
        ),
        include=[
            "evrak.view_*",
            "evrak.add_incomingdocument",
            "evrak.change_incomingdocument",
            REVEAL,
            ROUTE,
        ],
    )
)
register_role(
    RoleSpec(
        "evrak_reader",
        _("Document reader (unit)"),
        _("Reads the incoming documents registered for their units."),
        include=["evrak.view_*"],
    )
)
register_role(
    RoleSpec(
        "evrak_writer",
        _("Document writer (yazı hazırlayan)"),
        _(
            "Drafts the outgoing documents of their units and sends them along the approval"
            " path; reads the units' incoming documents."
        ),
        include=["evrak.view_*", "evrak.add_outgoingdocument", "evrak.change_outgoingdocument"],
    )
)
register_role(
    RoleSpec(
        "evrak_archivist",
        _("Archivist (kurum arşivi)"),
        _(
            "Keeps the institutional archive of their units: reads their documents and files,"
            " prepares and approves the hand-over lists to the State Archives, exports them"
            " and marks them handed over."
        ),
        include=["evrak.view_*", HAND_OVER],
    )
)
# The institution's e-seal (e-mühür) on outgoing e-Yazışma packages: a service account for the
# sealing agent (the e-mühür device's program), given this role over the top unit, holds only
# this. It sees no document's content: only the digests it seals (biys.evrak.sealing).
SEAL = "evrak.seal_package"
register_role(
    RoleSpec(
        "evrak_sealer",
        _("e-Seal agent (service account)"),
        _(
            "For the institution's e-seal (e-mühür) device: fetches the sealing requests of"
            " signed outgoing documents' e-Yazışma packages and returns the seal. Give it over"
            " the top unit to a service account, never to a person."
        ),
        include=[SEAL],
    )
)
