from django.urls import include, path

from biys.core.views.generic import get_model_urls
from biys.inventory import navigation, views  # noqa: F401 - menu and view registration

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
    path("codes/load/", views.CodeLoadView.as_view(), name="code_load"),
    path("codes/", include(get_model_urls("inventory", "tasinircode"))),
    path("item-models/", include(get_model_urls("inventory", "itemmodel"))),
    path("locations/", include(get_model_urls("inventory", "location"))),
    path("assets/", include(get_model_urls("inventory", "asset"))),
    path("custody/", include(get_model_urls("inventory", "custody"))),
]
