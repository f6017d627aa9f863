from django.urls import path
from rest_framework.routers import DefaultRouter

from biys.servicedesk.api import views
from biys.servicedesk.api.stats import StatisticsView

router = DefaultRouter()
router.register("catalog-items", views.CatalogItemViewSet, basename="catalogitem")
router.register("sla-targets", views.SLATargetViewSet, basename="slatarget")
router.register("queues", views.QueueViewSet, basename="queue")
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("knowledge", views.KnowledgeArticleViewSet, basename="knowledgearticle")
router.register("recurring-tickets", views.RecurringTicketViewSet, basename="recurringticket")
urlpatterns = [
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    *router.urls,
]
