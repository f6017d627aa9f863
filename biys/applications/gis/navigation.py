"""Side-menu entries of GIS data sales (imported from biys/applications/gis/urls.py)."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("GIS data sales"),
        icon="map-2",
        order=56,
        items=[
            MenuItem(
                _("Sales"),
                "applications:gisdatasale_list",
                icon="list-details",
                permission="applications.view_gisdatasale",
            ),
            MenuItem(
                _("New sale"),
                "applications:gisdatasale_add",
                icon="plus",
                permission="applications.add_gisdatasale",
            ),
            MenuItem(
                _("Sales report"),
                "applications:gis_report",
                icon="chart-bar",
                permission="applications.view_gisdatasale",
            ),
            MenuItem(
                _("Tariffs"),
                "applications:gistariff_list",
                icon="receipt",
                permission="applications.view_gistariff",
            ),
            MenuItem(
                _("Data layers"),
                "applications:gislayer_list",
                icon="stack-2",
                permission="applications.view_gislayer",
            ),
        ],
    )
)
