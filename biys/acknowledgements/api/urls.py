from rest_framework.routers import SimpleRouter

from biys.acknowledgements.api.views import AcknowledgementViewSet

# Mounted at /api/v1/acknowledgements/: the person's own list is the app's root.
router = SimpleRouter()
router.register("", AcknowledgementViewSet, basename="acknowledgement")
urlpatterns = router.urls
