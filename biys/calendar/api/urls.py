from django.urls import path
from rest_framework.routers import DefaultRouter

from biys.calendar.api.views import AddWorkingDaysView, CalendarDaysView, DeclaredDayViewSet

router = DefaultRouter()
router.register("declared-days", DeclaredDayViewSet)

urlpatterns = [
    path("days/", CalendarDaysView.as_view(), name="calendar-days"),
    path("add-working-days/", AddWorkingDaysView.as_view(), name="calendar-add-working-days"),
    *router.urls,
]
