"""Side-menu entries of the KVKK module (imported from biys/kvkk/urls.py)."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("KVKK"),
        icon="lock-access",
        order=59,
        items=[
            MenuItem(
                _("Processing inventory"),
                "kvkk:processingactivity_list",
                icon="list-details",
                permission="kvkk.view_processingactivity",
            ),
            MenuItem(
                _("Data-subject requests"),
                "kvkk:subjectrequest_list",
                icon="user-question",
                permission="kvkk.view_subjectrequest",
            ),
            MenuItem(
                _("Overdue requests"),
                "kvkk:request_overdue",
                icon="clock-exclamation",
                permission="kvkk.view_subjectrequest",
            ),
            MenuItem(
                _("Personal data breaches"),
                "secops:breach_list",
                icon="alert-triangle",
                permission="secops.view_breach",
            ),
            MenuItem(
                _("KVKK pick-lists"),
                "kvkk:listitem_list",
                icon="list",
                permission="kvkk.change_listitem",
            ),
        ],
    )
)
