from django.urls import include, path

from biys.core.views.generic import get_model_urls
from biys.org import navigation, search, views  # noqa: F401 - menu and search registration

app_name = "org"
urlpatterns = [
    path("chart/", views.OrgChartView.as_view(), name="chart"),
    path("units/", include(get_model_urls("org", "unit"))),
    path("people/", include(get_model_urls("org", "person"))),
    path(
        "people/<int:pk>/personal-data/",
        views.PersonRevealView.as_view(),
        name="person_reveal",
    ),
    path("duties/", include(get_model_urls("org", "duty"))),
    path("regulations/", include(get_model_urls("org", "regulation"))),
    path("import/", include("biys.org.importer_urls")),
    path("articles/", include(get_model_urls("org", "article"))),
    path("titles/", include(get_model_urls("org", "title"))),
    path("positions/", include(get_model_urls("org", "position"))),
]
