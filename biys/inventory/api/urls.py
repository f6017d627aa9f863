from rest_framework.routers import DefaultRouter

from biys.inventory.api import (
    agent_views,
    count_views,
    import_views,
    licence_views,
    network_views,
    views,
)

router = DefaultRouter()
router.register("codes", views.TasinirCodeViewSet, basename="tasinircode")
router.register("item-models", views.ItemModelViewSet, basename="itemmodel")
router.register("locations", views.LocationViewSet, basename="location")
router.register("assets", views.AssetViewSet, basename="asset")
router.register("imports", import_views.AssetImportViewSet, basename="assetimport")
router.register("custody", views.CustodyViewSet, basename="custody")
router.register("stores", views.StoreViewSet, basename="store")
router.register("stock", views.StockItemViewSet, basename="stockitem")
router.register("slips", views.SlipViewSet, basename="slip")
router.register("requests", views.StockRequestViewSet, basename="stockrequest")
router.register("counts", count_views.CountViewSet, basename="count")
router.register("write-offs", count_views.DisposalViewSet, basename="disposal")
router.register("software", licence_views.SoftwareTitleViewSet, basename="softwaretitle")
router.register("licences", licence_views.LicenceViewSet, basename="licence")
router.register("installations", licence_views.InstallationViewSet, basename="installation")
router.register("agent-devices", agent_views.AgentDeviceViewSet, basename="agentdevice")
router.register("agent-conflicts", agent_views.AgentConflictViewSet, basename="agentconflict")
router.register("vrfs", network_views.VRFViewSet, basename="vrf")
router.register("vlans", network_views.VLANViewSet, basename="vlan")
router.register("vlan-groups", network_views.VLANGroupViewSet, basename="vlangroup")
router.register("network-devices", network_views.NetworkDeviceViewSet, basename="networkdevice")
router.register("device-ports", network_views.DevicePortViewSet, basename="deviceport")
router.register("subnets", network_views.SubnetViewSet, basename="subnet")
router.register("address-history", network_views.AddressHoldingViewSet, basename="addressholding")
router.register("ip-addresses", network_views.IPAssignmentViewSet, basename="ipassignment")
urlpatterns = router.urls
