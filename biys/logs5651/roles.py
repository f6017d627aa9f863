"""Who sees the access records (Law 5651): only the dedicated 5651 log officer role and, read
only, the auditor. Technicians, chiefs and department heads do not reach the module; the
administrator sets up sources and watches the seals and files (their digests and counts) but
sees no access record, raw file or search (imported from the app's ``ready()``; roles are
re-synced after every migrate)."""

from django.utils.translation import gettext_lazy as _

from biys.accounts.roles import RoleSpec, extend_role, register_role

for slug in ("technician", "chief", "department_head"):
    extend_role(slug, exclude=["logs5651.*"])
extend_role("administrator", exclude=["logs5651.*_accessrecord", "logs5651.*_searchrequest"])

register_role(
    RoleSpec(
        "log_officer",
        _("5651 log officer (log sorumlusu)"),
        _(
            "Keeps the internet access logs of their units under Law 5651: sources, files,"
            " daily seals; answers court and prosecutor requests (every search is logged)."
        ),
        include=[
            "logs5651.view_*",
            "logs5651.add_logsource",
            "logs5651.change_logsource",
            "logs5651.add_logfile",
            "logs5651.change_dailyseal",
            "logs5651.add_searchrequest",
        ],
    )
)
