"""Side-menu entries of the core module (imported from biys/core/urls.py at start-up)."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("Audit"),
        icon="shield-check",
        order=950,
        items=[
            MenuItem(
                _("Change log"),
                "core:changelog",
                icon="history",
                permission="core.view_objectchange",
            ),
            MenuItem(
                _("Personal data seen"),
                "core:personaldataview_list",
                icon="eye-check",
                permission="core.view_personaldataview",
            ),
            MenuItem(
                _("Verify the change log"),
                "core:audit_verify",
                icon="shield-check",
                permission="core.view_objectchange",
            ),
        ],
    )
)
