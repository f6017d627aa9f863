from rest_framework.routers import DefaultRouter

from biys.org.api import views

router = DefaultRouter()
router.register("municipality", views.MunicipalityViewSet, basename="municipality")
router.register("units", views.UnitViewSet, basename="unit")
router.register("titles", views.TitleViewSet, basename="title")
router.register("positions", views.PositionViewSet, basename="position")
router.register("people", views.PersonViewSet, basename="person")
router.register("regulations", views.RegulationViewSet, basename="regulation")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("duty-categories", views.DutyCategoryViewSet, basename="dutycategory")
router.register("duties", views.DutyViewSet, basename="duty")
urlpatterns = router.urls
