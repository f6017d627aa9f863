from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvrakConfig(AppConfig):
    name = "biys.evrak"
    label = "evrak"
    verbose_name = _("Official correspondence (evrak)")

    def ready(self):
        from biys.evrak import (
            roles,  # noqa: F401  (registry clerk, unit reader)
            search,  # noqa: F401  (registers incoming documents for the global search)
        )
