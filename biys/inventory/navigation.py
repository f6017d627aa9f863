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
                _("Register imports"),
                "inventory:assetimport_list",
                icon="file-import",
                permission="inventory.add_assetimport",
            ),
            MenuItem(
                _("Custody records"),
                "inventory:custody_list",
                icon="file-certificate",
                permission="inventory.view_custody",
            ),
            MenuItem(
                _("Stock"),
                "inventory:stockitem_list",
                icon="packages",
                permission="inventory.view_stockitem",
            ),
            MenuItem(
                _("Low stock"),
                "inventory:low_stock",
                icon="alert-triangle",
                permission="inventory.view_stockitem",
            ),
            MenuItem(
                _("Property transaction slips"),
                "inventory:slip_list",
                icon="file-invoice",
                permission="inventory.view_slip",
            ),
            MenuItem(
                _("Stock requests"),
                "inventory:stockrequest_list",
                icon="clipboard-list",
                permission="inventory.view_stockrequest",
            ),
            MenuItem(
                _("Stock counts"),
                "inventory:count_list",
                icon="list-check",
                permission="inventory.view_count",
            ),
            MenuItem(
                _("Write-offs and scrapping"),
                "inventory:disposal_list",
                icon="trash-x",
                permission="inventory.view_disposal",
            ),
            MenuItem(
                _("Software compliance"),
                "inventory:software_compliance",
                icon="scale",
                permission="inventory.view_licence",
            ),
            MenuItem(
                _("Licences"),
                "inventory:licence_list",
                icon="license",
                permission="inventory.view_licence",
            ),
            MenuItem(
                _("Software installations"),
                "inventory:installation_list",
                icon="apps",
                permission="inventory.view_installation",
            ),
            MenuItem(
                _("Software titles"),
                "inventory:softwaretitle_list",
                icon="list-details",
                permission="inventory.view_licence",
            ),
            MenuItem(
                _("Agent devices"),
                "inventory:agentdevice_list",
                icon="radar",
                permission="inventory.view_agentdevice",
            ),
            MenuItem(
                _("Agent conflicts"),
                "inventory:agentconflict_list",
                icon="arrows-split",
                permission="inventory.view_agentconflict",
            ),
            MenuItem(
                _("Network devices"),
                "inventory:networkdevice_list",
                icon="router",
                permission="inventory.view_networkdevice",
            ),
            MenuItem(
                _("Subnets"),
                "inventory:subnet_list",
                icon="sitemap",
                permission="inventory.view_subnet",
            ),
            MenuItem(
                _("IP addresses"),
                "inventory:ipassignment_list",
                icon="network",
                permission="inventory.view_ipassignment",
            ),
            MenuItem(
                _("VRFs"),
                "inventory:vrf_list",
                icon="route",
                permission="inventory.view_vrf",
            ),
            MenuItem(
                _("VLANs"),
                "inventory:vlan_list",
                icon="layers-subtract",
                permission="inventory.view_vlan",
            ),
            MenuItem(
                _("VLAN groups"),
                "inventory:vlangroup_list",
                icon="stack-2",
                permission="inventory.view_vlangroup",
            ),
            MenuItem(
                _("Network device faults"),
                "inventory:network_faults",
                icon="chart-bar",
                permission="inventory.view_networkdevice",
            ),
            MenuItem(
                _("Stores"),
                "inventory:store_list",
                icon="building-warehouse",
                permission="inventory.view_store",
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
