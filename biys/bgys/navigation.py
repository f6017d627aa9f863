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
                _("Statement of Applicability"),
                "bgys:applicabilityentry_list",
                icon="list-check",
                permission="bgys.view_applicabilityentry",
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
        ],
    )
)
