from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "biys.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from biys.core import changelog  # noqa: F401  (connects the change-log signals)
        from biys.core.search_index import ensure_search_indexes

        post_migrate.connect(ensure_search_indexes, sender=self, dispatch_uid="search_indexes")
