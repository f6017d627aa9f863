"""Side-menu entries of base-station sites (imported from its urls.py)."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("Base stations"),
        icon="antenna",
        order=58,
        items=[
            MenuItem(
                _("Site permits"),
                "applications:basestationsite_list",
                icon="list-details",
                permission="applications.view_basestationsite",
            ),
            MenuItem(
                _("New site application"),
                "applications:basestationsite_add",
                icon="plus",
                permission="applications.add_basestationsite",
            ),
            MenuItem(
                _("Complaints"),
                "applications:sitecomplaint_list",
                icon="message-report",
                permission="applications.view_sitecomplaint",
            ),
            MenuItem(
                _("Map"),
                "applications:basestation_map",
                icon="map-pin",
                permission="applications.view_basestationsite",
            ),
            MenuItem(
                _("Operators"),
                "applications:operator_list",
                icon="building-broadcast-tower",
                permission="applications.view_operator",
            ),
        ],
    )
)
