"""Mounted by ``biys/servicedesk/urls.py`` with
``path("stats/", include("biys.servicedesk.stats_urls"))``: names live in the ``servicedesk``
namespace (``servicedesk:stats``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from biys.core.navigation import MenuGroup, MenuItem, register_menu
from biys.servicedesk.stats_views import StatisticsView

register_menu(
    MenuGroup(
        _("Service desk"),
        "headset",
        [MenuItem(_("Statistics"), "servicedesk:stats", "chart-bar", "servicedesk.view_ticket")],
        order=20,
    )
)

urlpatterns = [
    path("", StatisticsView.as_view(), name="stats"),
]
