"""Service desk pages. The generic views of the models are registered here; the requester's
short path, the phone intake and the ticket actions have URLs of their own (see urls.py)."""

from biys.core.views.generic import ObjectDeleteView, register_model_views
from biys.servicedesk.models import CatalogItem, KnowledgeArticle, Queue, Ticket
from biys.servicedesk.views.catalog import (
    CatalogItemDetailView,
    CatalogItemEditView,
    CatalogItemListView,
    KnowledgeArticleDetailView,
    KnowledgeArticleEditView,
    KnowledgeArticleListView,
    QueueDetailView,
    QueueEditView,
    QueueListView,
)
from biys.servicedesk.views.intake import PersonSearchView, PhoneIntakeView
from biys.servicedesk.views.requester import (
    ApprovalsView,
    CatalogSuggestView,
    MyTicketsView,
    NewTicketView,
    TicketCreateView,
    UnitTicketsView,
)
from biys.servicedesk.views.tickets import TicketActionView, TicketDetailView, TicketQueueView

register_model_views(Ticket, list=TicketQueueView, detail=TicketDetailView, add=False)
register_model_views(
    CatalogItem,
    list=CatalogItemListView,
    detail=CatalogItemDetailView,
    edit=CatalogItemEditView,
    delete=ObjectDeleteView,
)
register_model_views(
    KnowledgeArticle,
    list=KnowledgeArticleListView,
    detail=KnowledgeArticleDetailView,
    edit=KnowledgeArticleEditView,
    delete=ObjectDeleteView,
)
register_model_views(
    Queue, list=QueueListView, detail=QueueDetailView, edit=QueueEditView, delete=ObjectDeleteView
)

__all__ = [
    "ApprovalsView",
    "CatalogSuggestView",
    "MyTicketsView",
    "NewTicketView",
    "PersonSearchView",
    "PhoneIntakeView",
    "TicketActionView",
    "TicketCreateView",
    "UnitTicketsView",
]
