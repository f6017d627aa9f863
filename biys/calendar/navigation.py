"""Side-menu entries of the working calendar (imported from the app's ready())."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("Working calendar"),
        icon="calendar",
        order=800,
        items=[
            MenuItem(_("Holidays and half days"), "calendar:year_current", icon="calendar-event"),
            MenuItem(
                _("Declared days"),
                "calendar:declaredday_list",
                icon="calendar-off",
                permission="calendar.add_declaredday",
            ),
        ],
    )
)
