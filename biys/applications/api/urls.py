from django.urls import path
from rest_framework.routers import DefaultRouter

from biys.applications.api import views
from biys.applications.basestation.api import views as basestation_views
from biys.applications.gis.api import views as gis_views
from biys.applications.numarataj.api import views as numarataj_views

router = DefaultRouter()
router.register("types", views.ApplicationTypeViewSet, basename="applicationtype")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("gis-layers", gis_views.GisLayerViewSet, basename="gislayer")
router.register("gis-tariffs", gis_views.GisTariffViewSet, basename="gistariff")
router.register("gis-sales", gis_views.GisDataSaleViewSet, basename="gisdatasale")
router.register("operators", basestation_views.OperatorViewSet, basename="operator")
router.register(
    "base-station-sites", basestation_views.BaseStationSiteViewSet, basename="basestationsite"
)
router.register(
    "base-station-complaints", basestation_views.SiteComplaintViewSet, basename="sitecomplaint"
)
router.register(
    "numbering-tariffs", numarataj_views.NumberingTariffViewSet, basename="numberingtariff"
)
router.register("streets", numarataj_views.StreetViewSet, basename="street")
router.register("buildings", numarataj_views.BuildingViewSet, basename="building")
router.register(
    "numbering-requests", numarataj_views.NumberingRequestViewSet, basename="numberingrequest"
)
router.register(
    "street-naming-proposals",
    numarataj_views.StreetNamingProposalViewSet,
    basename="streetnamingproposal",
)
urlpatterns = [
    path("report/", views.ReportView.as_view(), name="applications-report"),
    path("gis-report/", gis_views.GisReportView.as_view(), name="applications-gis-report"),
    *router.urls,
]
