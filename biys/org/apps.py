from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "biys.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from biys.org import search  # noqa: F401  (registers units, people and duties for search)
