from rest_framework.routers import DefaultRouter

from biys.servicedesk.api import views

router = DefaultRouter()
router.register("catalog-items", views.CatalogItemViewSet, basename="catalogitem")
router.register("sla-targets", views.SLATargetViewSet, basename="slatarget")
router.register("queues", views.QueueViewSet, basename="queue")
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("knowledge", views.KnowledgeArticleViewSet, basename="knowledgearticle")
router.register("recurring-tickets", views.RecurringTicketViewSet, basename="recurringticket")
urlpatterns = router.urls
