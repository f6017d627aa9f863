from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    """Django sends ``post_migrate`` once per application after a migrate or a flush; the roles
    are synced once, after the last one, when every application's permissions exist (synced
    after each, a flush between two browser tests took ten seconds)."""
    from django.apps import apps

    from biys.accounts.services import sync_builtin_roles

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if with_models and sender is not with_models[-1]:
        return
    sync_builtin_roles()


class AccountsConfig(AppConfig):
    name = "biys.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from biys.accounts.scope import ACCESS_GENERATION, access_tables
        from biys.core import generations
        from biys.core.navigation import MenuGroup, MenuItem, register_menu

        generations.watch(ACCESS_GENERATION, access_tables())
        from biys.accounts.selectors import MANAGER_GENERATION, manager_tables

        tables, ignoring = manager_tables()
        generations.watch(MANAGER_GENERATION, tables, ignoring=ignoring)
        from biys.accounts.tokens import TOKEN_GENERATION, token_tables

        tables, ignoring = token_tables()
        generations.watch(TOKEN_GENERATION, tables, ignoring=ignoring)

        # Runs after every app's migrations so later modules' permissions join the roles.
        post_migrate.connect(_sync_roles, dispatch_uid="biys_sync_builtin_roles")
        register_menu(
            MenuGroup(
                label=_("Administration"),
                icon="settings",
                order=900,
                items=[
                    MenuItem(_("Users"), "accounts:users", "users", "accounts.view_user"),
                    MenuItem(_("Roles"), "accounts:roles", "shield-lock", "accounts.view_role"),
                ],
            )
        )
