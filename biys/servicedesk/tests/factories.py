"""factory_boy factories for the service desk, and the ``(unit) -> instance`` callables of the
cross-module tests. A ticket made "in a unit" is held by that unit (its responsible unit)."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from biys.core.testing import register_factory
from biys.org.tests.factories import PersonFactory, UnitFactory
from biys.servicedesk.choices import Priority, Recurrence, TicketKind
from biys.servicedesk.models import (
    CatalogItem,
    FieldVisit,
    KnowledgeArticle,
    Queue,
    RecurringTicket,
    SLATarget,
    Ticket,
    TimeEntry,
)


class CatalogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogItem

    name = factory.Sequence(lambda n: f"Hizmet {n}")
    kind = TicketKind.FAULT
    unit = factory.SubFactory(UnitFactory, is_it_department=True)
    keywords = ""


class SLATargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SLATarget

    catalog_item = factory.SubFactory(CatalogItemFactory)
    priority = Priority.LOW
    first_response_minutes = 60
    resolution_minutes = 480


class KnowledgeArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowledgeArticle

    unit = factory.SubFactory(UnitFactory, is_it_department=True)
    title = factory.Sequence(lambda n: f"Makale {n}")
    body = "Adım adım çözüm."
    is_public = True


def make_ticket_in(unit, *, requester=None, item=None, **fields) -> Ticket:
    """A ticket through the service (number, SLA, responsibility row), held by ``unit``."""
    from biys.servicedesk.services import create_ticket

    item = item or CatalogItemFactory(unit=unit)
    requester = requester or PersonFactory(unit=unit)
    return create_ticket(
        catalog_item=item,
        requester=requester,
        title=fields.pop("title", "Yazıcı çalışmıyor"),
        **fields,
    )


@register_factory(CatalogItem)
def make_catalog_item(unit):
    return CatalogItemFactory(unit=unit)


@register_factory(SLATarget)
def make_sla_target(unit):
    return SLATargetFactory(catalog_item=CatalogItemFactory(unit=unit))


@register_factory(Queue)
def make_queue(unit):
    return Queue.objects.get_or_create(unit=unit)[0]


@register_factory(Ticket)
def make_ticket(unit):
    return make_ticket_in(unit)


@register_factory(KnowledgeArticle)
def make_knowledge_article(unit):
    return KnowledgeArticleFactory(unit=unit, is_public=False)


@register_factory(RecurringTicket)
def make_recurring_ticket(unit):
    return RecurringTicket.objects.create(
        catalog_item=CatalogItemFactory(unit=unit),
        title="Aylık UPS kontrolü",
        responsible_unit=unit,
        requester=PersonFactory(unit=unit),
        recurrence=Recurrence.MONTHLY,
        next_run=date.today() + timedelta(days=30),
    )


@register_factory(TimeEntry)
def make_time_entry(unit):
    from biys.accounts.models import User

    ticket = make_ticket_in(unit)
    user = User.objects.create_user(username=f"tech-{ticket.pk}", password="x")
    return TimeEntry.objects.create(ticket=ticket, user=user, minutes=30)


@register_factory(FieldVisit)
def make_field_visit(unit):
    from biys.accounts.models import User

    ticket = make_ticket_in(unit)
    user = User.objects.create_user(username=f"visit-{ticket.pk}", password="x")
    start = timezone.now() + timedelta(days=1)
    return FieldVisit.objects.create(
        ticket=ticket,
        technician=user,
        scheduled_start=start,
        scheduled_end=start + timedelta(hours=1),
    )
