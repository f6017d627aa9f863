from django.urls import include, path
from django.views.generic import RedirectView

from biys.calendar import views
from biys.core.views.generic import get_model_urls

app_name = "calendar"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="calendar:year_current"), name="index"),
    path("year/", views.YearView.as_view(), name="year_current"),
    path("year/<int:year>/", views.YearView.as_view(), name="year"),
    path("declared-days/", include(get_model_urls("calendar", "declaredday"))),
]
