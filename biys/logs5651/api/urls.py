from django.urls import path
from rest_framework.routers import DefaultRouter

from biys.logs5651.api import views

router = DefaultRouter()
router.register("sources", views.LogSourceViewSet, basename="logsource")
router.register("files", views.LogFileViewSet, basename="logfile")
router.register("seals", views.DailySealViewSet, basename="dailyseal")
router.register("searches", views.SearchRequestViewSet, basename="searchrequest")
urlpatterns = [
    path("who/", views.WhoView.as_view(), name="logs5651-who"),
    path("verify/", views.VerifyView.as_view(), name="logs5651-verify"),
    *router.urls,
]
