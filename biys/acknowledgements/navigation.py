"""Side-menu entry of the acknowledgements (imported from the app's ready()): every signed-in
member of staff finds what they must read and accept."""

from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("Acknowledgements"),
        icon="signature",
        order=790,
        items=[MenuItem(_("My acknowledgements"), "acknowledgements:mine", icon="signature")],
    )
)
