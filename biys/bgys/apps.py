from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BgysConfig(AppConfig):
    name = "biys.bgys"
    label = "bgys"
    verbose_name = _("Information security management (BGYS)")

    def ready(self):
        from biys.bgys import roles  # noqa: F401  (BGYS manager, BGYS team member)
