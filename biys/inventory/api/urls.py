from rest_framework.routers import DefaultRouter

from biys.inventory.api import views

router = DefaultRouter()
router.register("codes", views.TasinirCodeViewSet, basename="tasinircode")
router.register("item-models", views.ItemModelViewSet, basename="itemmodel")
router.register("locations", views.LocationViewSet, basename="location")
router.register("assets", views.AssetViewSet, basename="asset")
router.register("custody", views.CustodyViewSet, basename="custody")
router.register("stores", views.StoreViewSet, basename="store")
router.register("stock", views.StockItemViewSet, basename="stockitem")
router.register("slips", views.SlipViewSet, basename="slip")
router.register("requests", views.StockRequestViewSet, basename="stockrequest")
urlpatterns = router.urls
