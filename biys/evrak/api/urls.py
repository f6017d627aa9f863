from django.urls import path
from rest_framework.routers import DefaultRouter

from biys.evrak.api import crl_views, mailbox_views, views

router = DefaultRouter()
router.register("sdp-codes", views.SdpCodeViewSet, basename="sdpcode")
router.register(
    "trusted-certificates", views.TrustedCertificateViewSet, basename="trustedcertificate"
)
router.register("revocation-lists", crl_views.RevocationListViewSet, basename="revocationlist")
router.register("mailboxes", mailbox_views.EvrakMailboxViewSet, basename="evrakmailbox")
router.register("signing-rules", views.SigningRuleViewSet, basename="signingrule")
router.register("incoming", views.IncomingDocumentViewSet, basename="incomingdocument")
router.register("outgoing", views.OutgoingDocumentViewSet, basename="outgoingdocument")
router.register("routings", views.RoutingViewSet, basename="evrakrouting")
router.register("scans", views.ScanTextViewSet, basename="evrakscantext")
router.register("mail", views.ReceivedMailViewSet, basename="evrakreceivedmail")
urlpatterns = [
    path("year-end/", views.YearEndView.as_view(), name="evrak-year-end"),
    path("handover-lists/<int:pk>/", views.HandoverListView.as_view(), name="evrak-handover-list"),
    path(
        "handover-lists/<int:pk>/handed-over/",
        views.HandoverCompleteView.as_view(),
        name="evrak-handover-complete",
    ),
    path("dispatch-list/", views.DispatchListView.as_view(), name="evrak-dispatch-list"),
    path("seal-requests/", views.SealRequestListView.as_view(), name="evrak-seal-requests"),
    path(
        "seal-requests/<int:document>/",
        views.SealRequestView.as_view(),
        name="evrak-seal-request",
    ),
    path("seal-requests/<int:document>/seal/", views.SealView.as_view(), name="evrak-seal"),
    *router.urls,
]
