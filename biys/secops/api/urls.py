from rest_framework.routers import DefaultRouter

from biys.secops.api import views

router = DefaultRouter()
router.register("findings", views.FindingViewSet, basename="finding")
router.register("imports", views.ScanImportViewSet, basename="scanimport")
router.register("targets", views.RemediationTargetViewSet, basename="remediationtarget")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("pentests", views.PenTestViewSet, basename="pentest")
router.register("usom-imports", views.UsomListImportViewSet, basename="usomlistimport")
router.register("usom-addresses", views.UsomAddressViewSet, basename="usomaddress")
router.register("breaches", views.BreachViewSet, basename="breach")
router.register("notification-rules", views.NotificationRuleViewSet, basename="notificationrule")
urlpatterns = router.urls
