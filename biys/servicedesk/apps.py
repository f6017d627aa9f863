from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "biys.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service desk")

    def ready(self):
        from biys.servicedesk import roles  # noqa: F401  (extends the built-in roles)
