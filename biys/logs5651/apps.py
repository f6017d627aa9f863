from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Logs5651Config(AppConfig):
    name = "biys.logs5651"
    label = "logs5651"
    verbose_name = _("Internet access logs (5651)")

    def ready(self):
        from biys.core.access_records import register_access_matcher
        from biys.logs5651 import roles  # noqa: F401  (the 5651 log officer role)
        from biys.logs5651.selectors import ACCESS_RECORD_VIEW, records_to

        register_access_matcher(records_to, reader_permission=ACCESS_RECORD_VIEW)
