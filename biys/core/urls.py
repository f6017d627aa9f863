from django.urls import path

from biys.core import health, navigation_entries  # noqa: F401 - registers the side menu
from biys.core.views import audit, generic, personal_data
from biys.core.views.home import home
from biys.core.views.search import search

app_name = "core"
urlpatterns = [
    path("", home, name="home"),
    path("health/", health.health, name="health"),
    path("search/", search, name="search"),
    path("changelog/", generic.ObjectChangeLogView.as_view(), name="changelog"),
    path("audit/verify/", audit.verify, name="audit_verify"),
    path(
        "personal-data-views/",
        personal_data.PersonalDataViewListView.as_view(),
        name="personaldataview_list",
    ),
    path("changelog/<int:pk>/", generic.ObjectChangeDetailView.as_view(), name="objectchange"),
]
