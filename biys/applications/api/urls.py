from django.urls import path
from rest_framework.routers import DefaultRouter

from biys.applications.api import views
from biys.applications.gis.api import views as gis_views

router = DefaultRouter()
router.register("types", views.ApplicationTypeViewSet, basename="applicationtype")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("gis-layers", gis_views.GisLayerViewSet, basename="gislayer")
router.register("gis-tariffs", gis_views.GisTariffViewSet, basename="gistariff")
router.register("gis-sales", gis_views.GisDataSaleViewSet, basename="gisdatasale")
urlpatterns = [
    path("report/", views.ReportView.as_view(), name="applications-report"),
    path("gis-report/", gis_views.GisReportView.as_view(), name="applications-gis-report"),
    *router.urls,
]
