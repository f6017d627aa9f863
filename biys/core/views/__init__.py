from biys.core.views.generic import (
    BulkEditView,
    ObjectChangeLogView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    Tab,
    bulk_edit_form_factory,
    get_model_urls,
    register_model_views,
    registered_model_views,
)

__all__ = [
    "BulkEditView",
    "ObjectChangeLogView",
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectHistoryView",
    "ObjectListView",
    "Tab",
    "bulk_edit_form_factory",
    "get_model_urls",
    "register_model_views",
    "registered_model_views",
]
