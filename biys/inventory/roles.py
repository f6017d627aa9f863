"""The inventory roles (Taşınır Mal Yönetmeliği), each held over a unit like every role:

- the inventory officer (taşınır kayıt yetkilisi) keeps the unit's register: registers assets,
  hands them over, takes them back, transfers them, keeps item models and locations (and
  deletes those, stores, software titles and licences nothing holds yet);
  keeps the stores and their stock, writes draft işlem fişleri and approves and issues the
  units' stock requests (istek belgeleri) from the store; opens and records the year-end
  counts and writes the write-off and scrapping proposals;
- the inventory controller (taşınır kontrol yetkilisi) reads the register, stock and fişler;
- the spending authority (harcama yetkilisi) reads them and approves the fişler (an approved
  fişi moves the stock and the register) and the write-off and scrapping proposals (kayıttan
  düşme teklif ve onay tutanağı), which issues their exit fişi.

The chief (şef / şube müdürü) reads the register of their units but no longer writes it: that
is the officer's job. Imported from the app's ``ready()``; roles are re-synced after migrate.
"""

from django.utils.translation import gettext_lazy as _

from biys.accounts.roles import RoleSpec, extend_role, register_role

extend_role("chief", exclude=["inventory.add_*", "inventory.change_*", "inventory.delete_*"])

register_role(
    RoleSpec(
        "inventory_officer",
        _("Inventory officer"),
        _(
            "Keeps the property register of their units: registers assets, hands them over to"
            " staff, takes them back, transfers them; keeps item models and locations."
        ),
        include=[
            "inventory.view_*",
            "inventory.add_*",
            "inventory.change_*",
            "inventory.issue_stockrequest",
            # reference data nothing names yet (a model, a room, a store never used, a software
            # title, a licence recorded in error); what others hold is refused
            "inventory.delete_itemmodel",
            "inventory.delete_location",
            "inventory.delete_store",
            "inventory.delete_softwaretitle",
            "inventory.delete_licence",
            # the network inventory is no taşınır record: its officer deletes what is gone
            "inventory.delete_vrf",
            "inventory.delete_vlan",
            "inventory.delete_vlangroup",
            "inventory.delete_networkdevice",
            "inventory.delete_deviceport",
            "inventory.delete_subnet",
            "inventory.delete_ipassignment",
        ],
    )
)
register_role(
    RoleSpec(
        "inventory_controller",
        _("Inventory controller"),
        _("Checks the property register of their units: reads assets, custody and history."),
        include=["inventory.view_*"],
    )
)
register_role(
    RoleSpec(
        "spending_authority",
        _("Spending authority"),
        _(
            "Answers for the movable property of their spending unit: reads its register, custody"
            " and stock, and approves its property transaction slips and its write-off and"
            " scrapping proposals."
        ),
        include=["inventory.view_*", "inventory.approve_slip", "inventory.approve_disposal"],
    )
)
