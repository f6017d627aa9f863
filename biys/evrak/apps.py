from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvrakConfig(AppConfig):
    name = "biys.evrak"
    label = "evrak"
    verbose_name = _("Official correspondence (evrak)")

    def ready(self):
        # Other modules draft and read outgoing documents through biys.core.correspondence
        # (the answer to an application).
        from biys.core.correspondence import (
            register_outgoing_describer,
            register_outgoing_drafter,
        )
        from biys.evrak import (
            correspondence,
            roles,  # noqa: F401  (registry clerk, unit reader)
            search,  # noqa: F401  (registers incoming documents for the global search)
        )

        register_outgoing_drafter(correspondence.draft, correspondence.may_draft)
        register_outgoing_describer(correspondence.describe)
