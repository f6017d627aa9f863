from rest_framework.routers import DefaultRouter

from biys.core.api.personal_data import PersonalDataViewViewSet

router = DefaultRouter()
router.register("personal-data-views", PersonalDataViewViewSet)
urlpatterns = router.urls
