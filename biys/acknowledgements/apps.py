from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcknowledgementsConfig(AppConfig):
    name = "biys.acknowledgements"
    label = "acknowledgements"
    verbose_name = _("Acknowledgements")

    def ready(self):
        from biys.acknowledgements import navigation  # noqa: F401
