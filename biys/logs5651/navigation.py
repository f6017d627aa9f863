"""Side-menu entries of the 5651 access logs (imported from biys/logs5651/urls.py)."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("Access logs (5651)"),
        icon="file-certificate",
        order=60,
        items=[
            MenuItem(
                _("Who had this IP?"),
                "logs5651:who",
                icon="search",
                permission="logs5651.view_accessrecord",
            ),
            MenuItem(
                _("Log files"),
                "logs5651:logfile_list",
                icon="files",
                permission="logs5651.view_logfile",
            ),
            MenuItem(
                _("Daily seals"),
                "logs5651:dailyseal_list",
                icon="certificate",
                permission="logs5651.view_dailyseal",
            ),
            MenuItem(
                _("Verify"),
                "logs5651:verify",
                icon="shield-check",
                permission="logs5651.view_dailyseal",
            ),
            MenuItem(
                _("Log sources"),
                "logs5651:logsource_list",
                icon="router",
                permission="logs5651.view_logsource",
            ),
            MenuItem(
                _("Search log"),
                "logs5651:searchrequest_list",
                icon="list-search",
                permission="logs5651.view_searchrequest",
            ),
        ],
    )
)
