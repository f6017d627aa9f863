from django.urls import include, path

from biys.core.views.generic import get_model_urls
from biys.inventory import (  # noqa: F401 - menu and view registration
    agent_views,
    count_views,
    licence_views,
    navigation,
    views,
)

app_name = "inventory"
urlpatterns = [
    path("my/", views.MyCustodyView.as_view(), name="my_custody"),
    path("my/<int:pk>/acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("assets/<int:pk>/hand-over/", views.HandOverView.as_view(), name="hand_over"),
    path("assets/<int:pk>/transfer/", views.TransferView.as_view(), name="transfer"),
    path("assets/<int:pk>/take-back/", views.TakeBackView.as_view(), name="take_back"),
    path("assets/<int:pk>/status/", views.StatusView.as_view(), name="status"),
    path("custody/<int:pk>/zimmet-fisi.pdf", views.ZimmetFisiView.as_view(), name="zimmet_fisi"),
    path("people/<int:pk>/", views.PersonCustodyView.as_view(), name="person_custody"),
    path("people/<int:pk>/handover.pdf", views.HandoverListPdfView.as_view(), name="handover_pdf"),
    path("low-stock/", views.LowStockView.as_view(), name="low_stock"),
    path("slips/<int:pk>/approve/", views.SlipApproveView.as_view(), name="slip_approve"),
    path("slips/<int:pk>/discard/", views.SlipDiscardView.as_view(), name="slip_discard"),
    path("slips/<int:pk>/reverse/", views.SlipReverseView.as_view(), name="slip_reverse"),
    path("slips/<int:pk>/lines/", views.SlipLineAddView.as_view(), name="slip_line_add"),
    path(
        "slips/<int:pk>/lines/<int:line>/remove/",
        views.SlipLineRemoveView.as_view(),
        name="slip_line_remove",
    ),
    path("slips/<int:pk>/fis.pdf", views.SlipPdfView.as_view(), name="slip_pdf"),
    path("requests/<int:pk>/lines/", views.RequestLineAddView.as_view(), name="request_line_add"),
    path("requests/<int:pk>/approve/", views.RequestDecideView.as_view(), name="request_approve"),
    path(
        "requests/<int:pk>/reject/",
        views.RequestDecideView.as_view(approve=False),
        name="request_reject",
    ),
    path("requests/<int:pk>/belge.pdf", views.RequestPdfView.as_view(), name="request_pdf"),
    path("requests/<int:pk>/issue/", views.RequestIssueView.as_view(), name="request_issue"),
    path("counts/<int:pk>/scan/", count_views.CountScanView.as_view(), name="count_scan"),
    path(
        "counts/<int:pk>/quantity/", count_views.CountQuantityView.as_view(), name="count_quantity"
    ),
    path(
        "counts/<int:pk>/rows/<int:row>/remove/",
        count_views.CountUnrecordView.as_view(),
        name="count_unrecord",
    ),
    path(
        "counts/<int:pk>/rows/<int:row>/identify/",
        count_views.CountIdentifyView.as_view(),
        name="count_identify",
    ),
    path("counts/<int:pk>/finish/", count_views.CountFinishView.as_view(), name="count_finish"),
    path("counts/<int:pk>/reopen/", count_views.CountReopenView.as_view(), name="count_reopen"),
    path("counts/<int:pk>/close/", count_views.CountCloseView.as_view(), name="count_close"),
    path(
        "counts/<int:pk>/sayim-tutanagi.pdf",
        count_views.CountPdfView.as_view(),
        name="count_tutanak",
    ),
    path(
        "counts/<int:pk>/sayim-doekum-cetveli.pdf",
        count_views.CountPdfView.as_view(form="cetvel"),
        name="count_cetvel",
    ),
    path(
        "write-offs/<int:pk>/approve/",
        count_views.DisposalDecideView.as_view(),
        name="disposal_approve",
    ),
    path(
        "write-offs/<int:pk>/reject/",
        count_views.DisposalDecideView.as_view(approve=False),
        name="disposal_reject",
    ),
    path(
        "write-offs/<int:pk>/tutanak.pdf",
        count_views.DisposalPdfView.as_view(),
        name="disposal_pdf",
    ),
    path("codes/load/", views.CodeLoadView.as_view(), name="code_load"),
    path("codes/", include(get_model_urls("inventory", "tasinircode"))),
    path("item-models/", include(get_model_urls("inventory", "itemmodel"))),
    path("locations/", include(get_model_urls("inventory", "location"))),
    path("assets/labels.pdf", views.AssetLabelsView.as_view(), name="asset_labels"),
    path("assets/", include(get_model_urls("inventory", "asset"))),
    path("custody/", include(get_model_urls("inventory", "custody"))),
    path("stores/", include(get_model_urls("inventory", "store"))),
    path("stock/", include(get_model_urls("inventory", "stockitem"))),
    path("slips/", include(get_model_urls("inventory", "slip"))),
    path("requests/", include(get_model_urls("inventory", "stockrequest"))),
    path("counts/", include(get_model_urls("inventory", "count"))),
    path("write-offs/", include(get_model_urls("inventory", "disposal"))),
    path(
        "software-compliance/",
        licence_views.ComplianceView.as_view(),
        name="software_compliance",
    ),
    path("software/", include(get_model_urls("inventory", "softwaretitle"))),
    path("licences/", include(get_model_urls("inventory", "licence"))),
    path(
        "installations/<int:pk>/remove/",
        licence_views.InstallationRemoveView.as_view(),
        name="installation_remove",
    ),
    path("installations/", include(get_model_urls("inventory", "installation"))),
    path(
        "agent-devices/<int:pk>/link/",
        agent_views.AgentDeviceLinkView.as_view(),
        name="agentdevice_link",
    ),
    path("agent-devices/", include(get_model_urls("inventory", "agentdevice"))),
    path(
        "agent-conflicts/<int:pk>/resolve/",
        agent_views.AgentConflictResolveView.as_view(),
        name="agentconflict_resolve",
    ),
    path("agent-conflicts/", include(get_model_urls("inventory", "agentconflict"))),
]
