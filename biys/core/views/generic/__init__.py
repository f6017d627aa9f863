"""NetBox-style generic views: a model gets list, detail, edit, delete, bulk edit, bulk delete
and history pages with little code, every one of them narrowed to what the signed-in user may see.

A module declares its views and registers them::

    class PersonListView(ObjectListView):
        queryset = Person.objects.select_related("unit", "title")
        table_class = PersonTable
        filterset_class = PersonFilterSet

    register_model_views(Person, list=PersonListView, detail=PersonDetailView,
                         edit=PersonEditView, delete=ObjectDeleteView)

and mounts the URLs in its ``urls.py``: ``path("people/", include(get_model_urls("org", "person")))``.
The URL names are ``<model>_list``, ``<model>`` (detail), ``<model>_add``, ``<model>_edit``,
``<model>_delete``, ``<model>_bulk_edit``, ``<model>_bulk_delete`` and ``<model>_changelog`` in
the app's namespace.

The views live in modules along their seams (``base``, ``objects``, ``bulk``, ``history``,
``changelog``, ``registry``); modules import them from here.
"""

from biys.core.views.generic.base import (  # noqa: F401
    FEW_CHOICES,
    LIST_TARGET,
    TAB_TARGET,
    ScopedViewMixin,
    is_partial_request,
    model_url,
    model_url_name,
    object_or_404_for,
    render_htmx_aware,
    restrict_form_choices,
    safe_return_url,
    tidy_filter_form,
)
from biys.core.views.generic.bulk import (  # noqa: F401
    BulkDeleteView,
    BulkEditView,
    bulk_edit_form_factory,
)
from biys.core.views.generic.changelog import (  # noqa: F401
    ContentTypeFilter,
    ObjectChangeDetailView,
    ObjectChangeFilterSet,
    ObjectChangeLogView,
)
from biys.core.views.generic.history import (  # noqa: F401
    ObjectHistoryView,
    change_history,
    visible_history,
)
from biys.core.views.generic.objects import (  # noqa: F401
    HIDDEN_DETAIL_FIELDS,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ServiceEditView,
    Tab,
)
from biys.core.views.generic.registry import (  # noqa: F401
    VIEW_ROLES,
    ModelViews,
    get_model_urls,
    get_model_views,
    register_model_views,
    registered_model_views,
)
