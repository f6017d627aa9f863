"""Side-menu entries of the inventory (imported from biys/inventory/urls.py)."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("Inventory"),
        icon="device-desktop",
        order=55,
        items=[
            MenuItem(_("My custody"), "inventory:my_custody", icon="user-check"),
            MenuItem(
                _("Assets"),
                "inventory:asset_list",
                icon="devices",
                permission="inventory.view_asset",
            ),
            MenuItem(
                _("Custody records"),
                "inventory:custody_list",
                icon="file-certificate",
                permission="inventory.view_custody",
            ),
            MenuItem(
                _("Item models"),
                "inventory:itemmodel_list",
                icon="category",
                permission="inventory.view_asset",
            ),
            MenuItem(
                _("Locations"),
                "inventory:location_list",
                icon="building",
                permission="inventory.view_asset",
            ),
            MenuItem(
                _("Property codes"),
                "inventory:tasinircode_list",
                icon="list-tree",
                permission="inventory.view_asset",
            ),
        ],
    )
)
