from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "biys.inventory"
    label = "inventory"
    verbose_name = _("Inventory and custody")

    def ready(self):
        from biys.core.assets import register_asset_resolver
        from biys.inventory import roles, search  # noqa: F401  (roles, the search box)
        from biys.inventory.selectors import asset_summary, may_view_summary

        # The service desk's device references resolve against the register.
        register_asset_resolver(asset_summary, may_view=may_view_summary)
