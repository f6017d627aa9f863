"""The inventory roles (Taşınır Mal Yönetmeliği), each held over a unit like every role:

- the inventory officer (taşınır kayıt yetkilisi) keeps the unit's register: registers assets,
  hands them over, takes them back, transfers them, keeps item models and locations;
- the inventory controller (taşınır kontrol yetkilisi) and the spending authority (harcama
  yetkilisi) read the register; the forms they approve (işlem fişleri, counts) come later.

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
        include=["inventory.view_*", "inventory.add_*", "inventory.change_*"],
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
            "Answers for the movable property of their spending unit: reads its register and custody."
        ),
        include=["inventory.view_*"],
    )
)
