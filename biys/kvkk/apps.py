from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KvkkConfig(AppConfig):
    name = "biys.kvkk"
    label = "kvkk"
    verbose_name = _("Personal data protection (KVKK)")

    def ready(self):
        from biys.kvkk import roles  # noqa: F401  (KVKK contact person, unit staff)
