from rest_framework.routers import SimpleRouter

from biys.attachments.api.views import AttachmentViewSet

# Mounted at /api/v1/attachments/: the collection is the app's root, so no browsable root view.
router = SimpleRouter()
router.register("", AttachmentViewSet, basename="attachment")
urlpatterns = router.urls
