"""Side-menu entries of the applications module (imported from biys/applications/urls.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from biys.core.dashboard import register_counts
from biys.core.navigation import MenuGroup, MenuItem, register_menu

register_menu(
    MenuGroup(
        label=_("Applications"),
        icon="mail-opened",
        order=55,
        items=[
            MenuItem(
                _("Applications"),
                "applications:application_list",
                icon="list-details",
                permission="applications.view_application",
            ),
            MenuItem(
                _("New application"),
                "applications:application_add",
                icon="plus",
                permission="applications.add_application",
            ),
            MenuItem(
                _("Import CİMER and Alo 153 entries"),
                "applications:import",
                icon="file-import",
                permission="applications.add_application",
            ),
            MenuItem(
                _("Report"),
                "applications:report",
                icon="chart-bar",
                permission="applications.view_application",
            ),
            MenuItem(
                _("Application types"),
                "applications:applicationtype_list",
                icon="gavel",
                permission="applications.view_applicationtype",
            ),
        ],
    )
)


def _home_counts(user) -> list[dict]:
    """Applications due this week and late, for whoever sees applications."""
    from biys.applications import selectors
    from biys.applications.choices import State
    from biys.core.access import get_scope

    if not get_scope(user).has_perm("applications.view_application"):
        return []
    day = selectors.today()
    monday, sunday = selectors.week_bounds(day)
    visible = selectors.applications_for(user).filter(state=State.OPEN)
    url = reverse("applications:application_list")
    return [
        {
            "label": _("Applications due this week"),
            "icon": "calendar-due",
            "count": visible.filter(due_date__gte=monday, due_date__lte=sunday).count(),
            "url": f"{url}?due=this_week",
        },
        {
            "label": _("Applications past their legal deadline"),
            "icon": "alarm",
            "count": visible.filter(due_date__lt=day).count(),
            "url": f"{url}?due=late",
        },
    ]


register_counts(_home_counts, order=150)
