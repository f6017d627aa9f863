from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "biys.applications"
    label = "applications"
    verbose_name = _("Applications (başvuru)")

    def ready(self):
        from biys.applications import roles  # noqa: F401  (the three applications roles)
        from biys.applications.types_loader import preset_types_summary
        from biys.org.presets import register_preset_extension

        register_preset_extension(preset_types_summary)
        # An outgoing document's page names the application it answers (biys.core.
        # correspondence: the correspondence module is never imported).
        from biys.applications.selectors import applications_answered_by
        from biys.core.correspondence import register_outgoing_link_provider

        register_outgoing_link_provider(applications_answered_by)
