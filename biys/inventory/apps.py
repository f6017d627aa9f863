from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "biys.inventory"
    label = "inventory"
    verbose_name = _("Inventory and custody")

    def ready(self):
        from biys.core.assets import register_asset_resolver, register_network_device_lister
        from biys.inventory import roles, search  # noqa: F401  (roles, the search box)
        from biys.inventory.network_selectors import (
            may_view_network_device,
            network_device_summaries,
        )
        from biys.inventory.selectors import (
            asset_summary,
            asset_summary_by_pk,
            match_references,
            may_link_references,
            may_view_summary,
        )

        # The service desk's device references resolve against the register; a ticket keeps
        # the id of the asset it names (its link), read back by id.
        register_asset_resolver(
            asset_summary,
            may_view=may_view_summary,
            by_pk=asset_summary_by_pk,
            matcher=match_references,
            may_link=may_link_references,
        )
        # Other modules name a network device (a log source its device) through the seam.
        register_network_device_lister(network_device_summaries, may_view=may_view_network_device)
