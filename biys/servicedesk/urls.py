from django.urls import include, path

from biys.core.views.generic import get_model_urls
from biys.servicedesk import asset_link_views, navigation, views  # noqa: F401 - menu, views

app_name = "servicedesk"
urlpatterns = [
    path("new/", views.NewTicketView.as_view(), name="ticket_new"),
    path("new/suggest/", views.CatalogSuggestView.as_view(), name="catalog_suggest"),
    path("new/<int:pk>/", views.TicketCreateView.as_view(), name="ticket_create"),
    path("phone/", views.PhoneIntakeView.as_view(), name="phone_intake"),
    path("phone/people/", views.PersonSearchView.as_view(), name="person_search"),
    path("my/", views.MyTicketsView.as_view(), name="my_tickets"),
    path("unit/", views.UnitTicketsView.as_view(), name="unit_tickets"),
    path("approvals/", views.ApprovalsView.as_view(), name="approvals"),
    path(
        "tickets/<int:pk>/do/<slug:action>/",
        views.TicketActionView.as_view(),
        name="ticket_action",
    ),
    path("tickets/", include(get_model_urls("servicedesk", "ticket"))),
    path("catalog/", include(get_model_urls("servicedesk", "catalogitem"))),
    path("knowledge/", include(get_model_urls("servicedesk", "knowledgearticle"))),
    path("queues/", include(get_model_urls("servicedesk", "queue"))),
    path("asset-links/", asset_link_views.AssetLinksView.as_view(), name="asset_links"),
    path(
        "asset-links/unlinked.csv",
        asset_link_views.AssetLinksCsvView.as_view(),
        name="asset_links_csv",
    ),
    path("stats/", include("biys.servicedesk.stats_urls")),
    path("", include("biys.servicedesk.webhooks")),
]
