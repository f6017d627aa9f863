"""Side-menu entries of the findings module (imported from biys/secops/urls.py). Only the roles
that see findings (the SOME, the department head, the auditor) see the group."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

VIEW = "secops.view_finding"


register_menu(
    MenuGroup(
        label=_("Security operations"),
        icon="shield-lock",
        order=58,
        items=[
            MenuItem(
                _("Incidents"),
                "secops:incident_list",
                icon="alert-octagon",
                permission="secops.view_incident",
            ),
            MenuItem(
                _("Incident statistics"),
                "secops:incident_statistics",
                icon="chart-bar",
                permission="secops.view_incident",
            ),
            MenuItem(
                _("My incident tasks"),
                "secops:my_tasks",
                icon="checklist",
                permission="secops.view_incident",
            ),
            MenuItem(
                _("Escalate a ticket"),
                "secops:incident_escalate",
                icon="arrow-up-right",
                permission="secops.add_incident",
            ),
            MenuItem(_("Findings"), "secops:finding_list", icon="bug", permission=VIEW),
            MenuItem(
                _("Import a scanner report"),
                "secops:scanimport_add",
                icon="upload",
                permission="secops.add_scanimport",
            ),
            MenuItem(
                _("Scan imports"), "secops:scanimport_list", icon="file-import", permission=VIEW
            ),
            MenuItem(
                _("Penetration tests"),
                "secops:pentest_list",
                icon="spy",
                permission="secops.view_pentest",
            ),
            MenuItem(
                _("Overdue per unit"), "secops:overdue", icon="clock-exclamation", permission=VIEW
            ),
            MenuItem(
                _("Remediation targets"),
                "secops:remediationtarget_list",
                icon="target",
                permission=VIEW,
            ),
            MenuItem(
                _("Personal data breaches"),
                "secops:breach_list",
                icon="alert-triangle",
                permission="secops.view_breach",
            ),
            MenuItem(
                _("On USOM's list"),
                "secops:usom_matches",
                icon="world-x",
                permission="secops.view_usomaddress",
                also_requires=("secops.view_incident",),  # the matches are in incidents
            ),
            MenuItem(
                _("USOM list in access logs"),
                "secops:usom_access",
                icon="route",
                # the SOME, and the 5651 log officer whose records they are (any of the two)
                permission=("secops.view_usomaddress", "logs5651.view_accessrecord"),
            ),
            MenuItem(
                _("USOM list imports"),
                "secops:usomlistimport_list",
                icon="list-check",
                permission="secops.view_usomlistimport",
            ),
            MenuItem(
                _("Notification rules"),
                "secops:notificationrule_list",
                icon="clock-hour-4",
                permission="secops.view_incident",
            ),
        ],
    )
)
