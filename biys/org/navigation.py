"""Side-menu entries of the organisation module (imported from biys/org/urls.py at start-up)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from biys.core.dashboard import register_counts
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


def _home_counts(user) -> list[dict]:
    from biys.org.models import Duty, Person, Unit

    return [
        {
            "label": label,
            "icon": icon,
            "count": model.objects.restrict(user, "view").count(),
            "url": reverse(url_name),
        }
        for model, url_name, label, icon in (
            (Unit, "org:unit_list", _("Units"), "sitemap"),
            (Person, "org:person_list", _("People"), "users"),
            (Duty, "org:duty_list", _("Duties"), "list-check"),
        )
    ]


register_counts(_home_counts, order=100)
