"""Side-menu entries of the organisation module (imported from biys/org/urls.py at start-up)."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("Organisation"),
        icon="sitemap",
        order=10,
        items=[
            MenuItem(_("Organisation chart"), "org:chart", icon="hierarchy"),
            MenuItem(_("Units"), "org:unit_list", icon="building"),
            MenuItem(_("People"), "org:person_list", icon="users"),
            MenuItem(_("Duties"), "org:duty_list", icon="list-check"),
            MenuItem(_("Regulation"), "org:regulation_list", icon="gavel"),
            MenuItem(
                _("Import a regulation"),
                "org:regulation_import",
                icon="file-import",
                permission="org.import_regulation",
            ),
            MenuItem(_("Positions"), "org:position_list", icon="id-badge"),
            MenuItem(_("Titles"), "org:title_list", icon="certificate"),
        ],
    )
)
