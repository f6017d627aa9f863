"""Who does what with the KVKK records (imported from the app's ``ready()``; roles are
re-synced after every migrate):

- the KVKK contact person (``kvkk_contact``, a built-in role of the accounts app) keeps the
  processing inventory of their units, registers and answers the data subjects' requests, sees
  an applicant's identity unmasked (each reveal logged) and records the breach part of a
  personal-data incident (``biys.secops``);
- unit staff (technician, chief) read their units' processing activities and nothing else of
  KVKK: the requests carry applicants' identities;
- the department head manages their units' records like every other module's; the auditor
  reads everything (``*.view_*``) and changes nothing; a person assigned to answer a request
  reads that request whatever their role.

Held over the whole municipality, the KVKK contact person also edits the pick-lists.
"""

from biys.accounts.roles import extend_role

UNIT_STAFF_EXCLUDE = [
    "kvkk.add_*",
    "kvkk.change_*",
    "kvkk.delete_*",
    "kvkk.reveal_*",
    "kvkk.view_subjectrequest",
]

extend_role("technician", exclude=UNIT_STAFF_EXCLUDE)
extend_role("chief", exclude=UNIT_STAFF_EXCLUDE)
extend_role(
    "kvkk_contact",
    include=[
        "kvkk.*",
        "secops.view_breach",
        "secops.add_breach",
        "secops.change_breach",
    ],
)
