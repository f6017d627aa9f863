from django.urls import include, path

from biys.core.views.generic import get_model_urls
from biys.evrak import (  # noqa: F401 - menu and view registration
    confidential_views,
    dispatch_views,
    kep_views,
    mailbox_views,
    navigation,
    outgoing_views,
    signing_views,
    views,
)

app_name = "evrak"
urlpatterns = [
    path("<int:pk>/sender-data/", views.RevealView.as_view(), name="reveal"),
    path("parts/<int:pk>/", views.PartView.as_view(), name="part"),
    path("<int:pk>/scans/", views.ScanTextsView.as_view(), name="scans"),
    path("<int:pk>/scans/recognise/", views.RecogniseView.as_view(), name="recognise"),
    path("waiting/", views.WaitingView.as_view(), name="waiting"),
    path("year-end/", views.YearEndView.as_view(), name="year_end"),
    path("handover/<int:pk>/", views.HandoverListView.as_view(), name="handover_list"),
    path("handover/<int:pk>/list.csv", views.HandoverCsvView.as_view(), name="handover_csv"),
    path("handover/<int:pk>/list.pdf", views.HandoverPdfView.as_view(), name="handover_pdf"),
    path("<int:pk>/route/", views.RouteDocumentView.as_view(), name="route"),
    path("routings/<int:pk>/route-on/", views.RouteOnView.as_view(), name="route_on"),
    path("routings/<int:pk>/acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("routings/<int:pk>/close/", views.CloseRoutingView.as_view(), name="close_routing"),
    path("mail/", views.ReceivedMailListView.as_view(), name="receivedmail_list"),
    path("mail/<int:pk>/", views.ReceivedMailDetailView.as_view(), name="receivedmail"),
    path("mail/<int:pk>/message/", views.MailFileView.as_view(), name="receivedmail_file"),
    path("mail/<int:pk>/package/", views.MailPackageView.as_view(), name="receivedmail_package"),
    path("mail/<int:pk>/dismiss/", views.DismissMailView.as_view(), name="receivedmail_dismiss"),
    path("outgoing/<int:pk>/pdf/", outgoing_views.OutgoingPdfView.as_view(), name="outgoing_pdf"),
    path("outgoing/<int:pk>/eyp/", outgoing_views.OutgoingEypView.as_view(), name="outgoing_eyp"),
    path(
        "outgoing/<int:pk>/signature-content/",
        outgoing_views.SignatureContentView.as_view(),
        name="outgoing_signature_content",
    ),
    path(
        "outgoing/<int:pk>/approval/<str:action>/",
        outgoing_views.ApprovalActionView.as_view(),
        name="outgoing_action",
    ),
    path(
        "outgoing/recipients/<int:pk>/personal-data/",
        outgoing_views.RecipientRevealView.as_view(),
        name="outgoing_recipient_reveal",
    ),
    path(
        "outgoing/<int:pk>/dispatch/",
        dispatch_views.RecordDispatchView.as_view(),
        name="outgoing_dispatch",
    ),
    path("outgoing/<int:pk>/kep/", kep_views.SendKepView.as_view(), name="outgoing_kep"),
    path("dispatch-list/", dispatch_views.DispatchListView.as_view(), name="dispatch_list"),
    path(
        "outgoing/<int:pk>/grants/",
        confidential_views.OutgoingGrantView.as_view(),
        name="outgoing_grant",
    ),
    path(
        "outgoing/<int:pk>/view-log/",
        confidential_views.OutgoingViewLogView.as_view(),
        name="outgoing_views",
    ),
    path("<int:pk>/grants/", confidential_views.GrantView.as_view(), name="incoming_grant"),
    path("<int:pk>/view-log/", confidential_views.ViewLogView.as_view(), name="views"),
    path("outgoing/", include(get_model_urls("evrak", "outgoingdocument"))),
    path("trust/", include(get_model_urls("evrak", "trustedcertificate"))),
    path(
        "crls/<int:pk>/fetch/",
        signing_views.RevocationListFetchView.as_view(),
        name="revocationlist_fetch",
    ),
    path("crls/", include(get_model_urls("evrak", "revocationlist"))),
    path(
        "mailboxes/add/",
        mailbox_views.EvrakMailboxEditView.as_view(),
        name="evrakmailbox_add",
    ),
    path(
        "mailboxes/<int:pk>/test/",
        mailbox_views.EvrakMailboxTestView.as_view(),
        name="evrakmailbox_test",
    ),
    path("mailboxes/", include(get_model_urls("evrak", "evrakmailbox"))),
    path("signing-rules/", include(get_model_urls("evrak", "signingrule"))),
    path("sdp/import/", views.SdpImportView.as_view(), name="sdp_import"),
    path("sdp/", include(get_model_urls("evrak", "sdpcode"))),
    path("", include(get_model_urls("evrak", "incomingdocument"))),
]
