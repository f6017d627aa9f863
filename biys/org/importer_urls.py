"""URLs of the regulation importer, included from biys/org/urls.py into the ``org`` namespace."""

from django.urls import path

from biys.org import importer_views as views

urlpatterns = [
    path("", views.RegulationImportView.as_view(), name="regulation_import"),
    path("drafts/", views.RegulationDraftListView.as_view(), name="regulation_draft_list"),
    path(
        "drafts/<int:pk>/",
        views.RegulationDraftReviewView.as_view(),
        name="regulation_draft_review",
    ),
    path(
        "drafts/<int:pk>/confirm/",
        views.RegulationDraftConfirmView.as_view(),
        name="regulation_draft_confirm",
    ),
    path(
        "drafts/<int:pk>/discard/",
        views.RegulationDraftDiscardView.as_view(),
        name="regulation_draft_discard",
    ),
]
