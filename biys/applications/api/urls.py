from django.urls import path
from rest_framework.routers import DefaultRouter

from biys.applications.api import views

router = DefaultRouter()
router.register("types", views.ApplicationTypeViewSet, basename="applicationtype")
router.register("applications", views.ApplicationViewSet, basename="application")
urlpatterns = [
    path("report/", views.ReportView.as_view(), name="applications-report"),
    *router.urls,
]
