"""Side-menu entries of address numbering and street naming (imported from its urls.py)."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("Address numbering"),
        icon="home-2",
        order=57,
        items=[
            MenuItem(
                _("Numbering requests"),
                "applications:numberingrequest_list",
                icon="list-details",
                permission="applications.view_numberingrequest",
            ),
            MenuItem(
                _("New numbering request"),
                "applications:numberingrequest_add",
                icon="plus",
                permission="applications.add_numberingrequest",
            ),
            MenuItem(
                _("Streets"),
                "applications:street_list",
                icon="road",
                permission="applications.view_street",
            ),
            MenuItem(
                _("Buildings"),
                "applications:building_list",
                icon="building",
                permission="applications.view_building",
            ),
            MenuItem(
                _("Street naming proposals"),
                "applications:streetnamingproposal_list",
                icon="signature",
                permission="applications.view_streetnamingproposal",
            ),
            MenuItem(
                _("Fee tariff"),
                "applications:numberingtariff_list",
                icon="receipt",
                permission="applications.view_numberingtariff",
            ),
        ],
    )
)
