from rest_framework.routers import SimpleRouter

from biys.comments.api.views import CommentViewSet

# Mounted at /api/v1/comments/: the collection is the app's root, so no browsable root view.
router = SimpleRouter()
router.register("", CommentViewSet, basename="comment")
urlpatterns = router.urls
