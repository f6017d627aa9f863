from rest_framework.routers import DefaultRouter

from biys.bgys.api import views

router = DefaultRouter()
router.register("frameworks", views.FrameworkViewSet, basename="bgys-framework")
router.register("measures", views.MeasureViewSet, basename="bgys-measure")
router.register("assessments", views.AssessmentViewSet, basename="bgys-assessment")
router.register("mappings", views.MeasureMappingViewSet, basename="bgys-mapping")
router.register("soa", views.ApplicabilityEntryViewSet, basename="bgys-soa")
router.register("assets", views.InformationAssetViewSet, basename="bgys-asset")
router.register("methodologies", views.MethodologyViewSet, basename="bgys-methodology")
router.register("threats", views.ThreatViewSet, basename="bgys-threat")
router.register("vulnerabilities", views.VulnerabilityViewSet, basename="bgys-vulnerability")
router.register("risks", views.RiskViewSet, basename="bgys-risk")
urlpatterns = router.urls
