"""Side-menu entries of the 5651 access logs (imported from biys/logs5651/urls.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from biys.core.dashboard import register_counts
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


def _home_counts(user) -> list[dict]:
    """For whoever sees the seals: the days not sealed (retrying or failed), so a stopped
    time-stamping authority shows on the home page."""
    from biys.core.access import get_scope
    from biys.logs5651.models import DailySeal, SealStatus

    if not get_scope(user).has_perm("logs5651.view_dailyseal"):
        return []
    unsealed = DailySeal.objects.restrict(user, "view").exclude(status=SealStatus.SEALED).count()
    url = reverse("logs5651:dailyseal_list")
    return [
        {
            "label": _("Days not sealed (5651)"),
            "icon": "certificate-off" if unsealed else "certificate",
            "count": unsealed,
            "url": f"{url}?status=not_sealed&status=failed",
        }
    ]


register_counts(_home_counts, order=160)
