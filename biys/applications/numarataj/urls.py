"""The numbering and street naming URLs, in the applications namespace (included from its
``urls.py``)."""

from django.urls import include, path

from biys.applications.numarataj import navigation, views  # noqa: F401 - menu and views
from biys.core.views.generic import get_model_urls

urlpatterns = [
    path(
        "requests/<int:pk>/certificate.pdf",
        views.CertificatePdfView.as_view(),
        name="numarataj_certificate_pdf",
    ),
    path(
        "requests/<int:pk>/do/<slug:action>/",
        views.RequestActionView.as_view(),
        name="numarataj_request_action",
    ),
    path("requests/", include(get_model_urls("applications", "numberingrequest"))),
    path("tariff/", include(get_model_urls("applications", "numberingtariff"))),
    path("streets/", include(get_model_urls("applications", "street"))),
    path("buildings/", include(get_model_urls("applications", "building"))),
    path(
        "proposals/<int:pk>/do/<slug:action>/",
        views.ProposalActionView.as_view(),
        name="numarataj_proposal_action",
    ),
    path("proposals/", include(get_model_urls("applications", "streetnamingproposal"))),
]
