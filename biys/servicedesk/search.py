"""Tickets, catalogue items and knowledge articles in the global search box (loaded by the app's
``ready``). Each follows the service desk's own visibility: a requester finds their own tickets,
every catalogue item they can file against and the public articles."""

import re

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from biys.core.search import register
from biys.servicedesk.models import CatalogItem, KnowledgeArticle, Ticket
from biys.servicedesk.selectors import (
    TICKET_LIST_RELATED,
    restrict_knowledge_articles,
    tickets_visible_to,
)

# "ARZ-2026-000042", "2026-42", "#42", "42": the number as people say it on the phone.
TICKET_NUMBER = re.compile(r"^#?(?:[a-zçğıöşü]+-?)?(?:(\d{4})-)?0*(\d{1,9})$", re.IGNORECASE)


def ticket_number_condition(query: str) -> Q | None:
    match = TICKET_NUMBER.match(query.strip())
    if not match:
        return None
    year, sequence = match.groups()
    suffix = f"-{int(sequence):06d}"
    if year:
        suffix = f"-{year}{suffix}"
    return Q(number__iendswith=suffix)


def searchable_catalog_items(user):
    """Active items for everyone (anyone may file against them); inactive ones only for those
    who maintain the catalogue in that unit."""
    maintained = CatalogItem.objects.restrict(user, "change").values("pk")
    return CatalogItem.objects.filter(Q(is_active=True) | Q(pk__in=maintained))


def searchable_knowledge_articles(user):
    return restrict_knowledge_articles(KnowledgeArticle.objects.all(), user, "view")


register(
    Ticket,
    label=_("Tickets"),
    order_by=("-id",),
    visible=tickets_visible_to,
    exact=ticket_number_condition,
    template_name="servicedesk/search/ticket_hit.html",
    select_related=TICKET_LIST_RELATED,
)
register(
    CatalogItem,
    label=_("Catalogue items"),
    order_by=("order", "name"),
    visible=searchable_catalog_items,
    template_name="servicedesk/search/catalogitem_hit.html",
    url=lambda item: reverse("servicedesk:ticket_create", kwargs={"pk": item.pk}),
    select_related=("unit",),
)
register(
    KnowledgeArticle,
    label=_("Knowledge articles"),
    order_by=("title",),
    visible=searchable_knowledge_articles,
    template_name="servicedesk/search/knowledgearticle_hit.html",
    select_related=("unit",),
)
