from rest_framework.routers import SimpleRouter

from biys.notifications.api.views import NotificationViewSet

# Mounted at /api/v1/notifications/: the collection is the app's root, so no browsable root view.
router = SimpleRouter()
router.register("", NotificationViewSet, basename="notification")
urlpatterns = router.urls
