"""The GIS data sale URLs, in the applications namespace (included from its ``urls.py``)."""

from django.urls import include, path

from biys.applications.gis import navigation, views  # noqa: F401 - menu and view registration
from biys.core.views.generic import get_model_urls

urlpatterns = [
    path("report/", views.ReportView.as_view(), name="gis_report"),
    path("sales/<int:pk>/quote.pdf", views.QuotePdfView.as_view(), name="gis_quote_pdf"),
    path(
        "sales/<int:pk>/do/<slug:action>/", views.SaleActionView.as_view(), name="gis_sale_action"
    ),
    path("sales/", include(get_model_urls("applications", "gisdatasale"))),
    path("layers/", include(get_model_urls("applications", "gislayer"))),
    path(
        "tariffs/<int:tariff_pk>/lines/add/",
        views.GisTariffLineAddView.as_view(),
        name="gistariffline_add_to",
    ),
    path("tariffs/lines/", include(get_model_urls("applications", "gistariffline"))),
    path("tariffs/", include(get_model_urls("applications", "gistariff"))),
    path("from-application/<int:pk>/", views.StartSaleView.as_view(), name="gis_start_sale"),
]
