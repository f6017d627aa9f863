"""Side-menu entries of the BGYS module (imported from biys/bgys/urls.py)."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("Information security"),
        icon="shield-lock",
        order=58,
        items=[
            MenuItem(
                _("Compliance dashboard"),
                "bgys:compliance",
                icon="chart-bar",
                permission="bgys.view_applicabilityentry",
            ),
            MenuItem(
                _("Statement of Applicability"),
                "bgys:applicabilityentry_list",
                icon="list-check",
                permission="bgys.view_applicabilityentry",
            ),
            MenuItem(
                _("Information assets"),
                "bgys:informationasset_list",
                icon="database",
                permission="bgys.view_informationasset",
            ),
            MenuItem(
                _("Risk register"),
                "bgys:risk_list",
                icon="alert-triangle",
                permission="bgys.view_risk",
            ),
            MenuItem(
                _("Risk heat map"),
                "bgys:risk_heatmap",
                icon="grid-dots",
                permission="bgys.view_risk",
            ),
            MenuItem(
                _("Internal audits"),
                "bgys:audit_list",
                icon="clipboard-check",
                permission="bgys.view_audit",
            ),
            MenuItem(
                _("My audits"),
                "bgys:audit_assigned",
                icon="clipboard-search",
                permission="bgys.read_assigned_audit",
            ),
            MenuItem(
                _("Corrective actions (DÖF)"),
                "bgys:correctiveaction_list",
                icon="tool",
                permission="bgys.view_correctiveaction",
            ),
            MenuItem(
                _("Internal audit plans"),
                "bgys:auditplan_list",
                icon="calendar-event",
                permission="bgys.view_auditplan",
            ),
            MenuItem(
                _("Management reviews"),
                "bgys:managementreview_list",
                icon="presentation",
                permission="bgys.view_managementreview",
            ),
            MenuItem(
                _("Policies and procedures"),
                "bgys:policy_list",
                icon="file-certificate",
                permission="bgys.view_policy",
            ),
            MenuItem(
                _("Policy acknowledgements"),
                "bgys:policy_compliance",
                icon="signature",
                permission="bgys.view_policyversion",
            ),
            MenuItem(
                _("Awareness training"),
                "bgys:trainingsession_list",
                icon="school",
                permission="bgys.view_trainingsession",
            ),
            MenuItem(
                _("Training compliance"),
                "bgys:training_compliance",
                icon="user-check",
                permission="bgys.view_trainingsession",
            ),
            MenuItem(
                _("Third parties"),
                "bgys:thirdparty_list",
                icon="building-store",
                permission="bgys.view_thirdparty",
            ),
            MenuItem(
                _("Confidentiality agreements"),
                "bgys:confidentialityagreement_list",
                icon="file-certificate",
                permission="bgys.view_confidentialityagreement",
            ),
            MenuItem(
                _("Criticality assessments"),
                "bgys:assessment_list",
                icon="gauge",
                permission="bgys.view_assessment",
            ),
            MenuItem(
                _("Measures"),
                "bgys:measure_list",
                icon="checklist",
                permission="bgys.view_assessment",
            ),
            MenuItem(
                _("Measure mappings"),
                "bgys:measuremapping_list",
                icon="arrows-exchange",
                permission="bgys.view_assessment",
            ),
            MenuItem(
                _("Frameworks"),
                "bgys:framework_list",
                icon="books",
                permission="bgys.view_assessment",
            ),
            MenuItem(
                _("Risk methodologies"),
                "bgys:methodology_list",
                icon="adjustments",
                permission="bgys.view_risk",
            ),
            MenuItem(
                _("Threats"),
                "bgys:threat_list",
                icon="bug",
                permission="bgys.view_risk",
            ),
            MenuItem(
                _("Vulnerabilities"),
                "bgys:vulnerability_list",
                icon="lock-open",
                permission="bgys.view_risk",
            ),
        ],
    )
)
