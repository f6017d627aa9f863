from rest_framework.routers import DefaultRouter

from biys.kvkk.api import views

router = DefaultRouter()
router.register("lists", views.ListItemViewSet, basename="kvkk-listitem")
router.register("activities", views.ProcessingActivityViewSet, basename="kvkk-activity")
router.register("requests", views.SubjectRequestViewSet, basename="kvkk-request")
urlpatterns = router.urls
