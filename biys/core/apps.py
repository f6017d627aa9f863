from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "biys.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        # Importing the change log connects its signals.
        from biys.core.changelog import start_chains_after_migrate
        from biys.core.generations import install_triggers_after_migrate
        from biys.core.search_index import ensure_search_indexes

        post_migrate.connect(ensure_search_indexes, sender=self, dispatch_uid="search_indexes")
        post_migrate.connect(
            install_triggers_after_migrate, sender=self, dispatch_uid="generation_triggers"
        )
        post_migrate.connect(
            start_chains_after_migrate, sender=self, dispatch_uid="audit_chain_heads"
        )
        use_turkish_capfirst()
        from biys.core import db_adapters, db_plans

        db_adapters.install()
        db_plans.install()


def use_turkish_capfirst() -> None:
    """Django, django-tables2 and django-filter capitalise verbose names into form labels, table
    headers and filter labels with ``str.upper``, which writes 'ilk yanıt' as 'Ilk yanıt'. Each
    holds its own reference to ``capfirst``; point those at the Turkish-aware one."""
    import django.db.models.base
    import django.db.models.fields
    import django.forms.models
    import django_filters.utils
    import django_tables2.columns.base

    from biys.core.text import capfirst

    for module in (
        django.db.models.base,
        django.db.models.fields,
        django.forms.models,
        django_filters.utils,
        django_tables2.columns.base,
    ):
        module.capfirst = capfirst
