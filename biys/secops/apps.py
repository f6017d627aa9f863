from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecopsConfig(AppConfig):
    name = "biys.secops"
    label = "secops"
    verbose_name = _("Security operations")

    def ready(self):
        from biys.secops import roles  # noqa: F401  (the SOME roles)
