from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for trial installations: the top layer, it may use every module."""

    name = "biys.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def ready(self):
        from biys.demo import servicedesk  # noqa: F401  (registers the service desk's demo step)
