from django.db import connection
from django.test.utils import CaptureQueriesContext

from biys.accounts.scope import forget_scope
from biys.servicedesk import selectors, services
from biys.servicedesk.models import CatalogItem, KnowledgeArticle, Queue, Ticket


def file(desk, user):
    return services.create_ticket(
        catalog_item=desk.printer, requester=user.person, title="Arıza", created_by=user
    )


def visible(user):
    return set(selectors.tickets_visible_to(user).values_list("pk", flat=True))


def test_requesters_see_their_own_and_managers_their_units(desk, make_user):
    own, colleagues = file(desk, desk.requester), file(desk, desk.colleague)
    assert visible(desk.requester) == {own.pk}
    assert visible(desk.colleague) == {colleagues.pk}
    assert visible(desk.roads_chief) == {own.pk, colleagues.pk}
    assert visible(desk.network_technician) == {own.pk, colleagues.pk}
    assert visible(desk.software_technician) == set()
    # A ticket filed by someone (a phone call) is visible to the one who filed it.
    by_phone = services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.colleague.person,
        title="Telefon",
        created_by=desk.software_technician,
    )
    assert visible(desk.software_technician) == {by_phone.pk}


def test_visibility_is_one_query(desk):
    file(desk, desk.requester)
    forget_scope(desk.roads_chief)
    selectors.tickets_visible_to(desk.roads_chief)  # resolves the scope
    with CaptureQueriesContext(connection) as queries:
        list(selectors.tickets_visible_to(desk.roads_chief))
    assert len(queries) == 1


def test_restrict_matches_the_rule_for_view_and_change(desk):
    ticket = file(desk, desk.requester)
    assert list(Ticket.objects.restrict(desk.requester, "view")) == [ticket]
    assert list(Ticket.objects.restrict(desk.requester, "change")) == []
    assert list(Ticket.objects.restrict(desk.technician, "change")) == [ticket]
    assert list(Ticket.objects.restrict(desk.roads_chief, "change")) == []


def test_queue_tickets_by_unit_and_subtree(desk):
    ticket = file(desk, desk.requester)
    network = desk.tree["network"]
    assert list(selectors.queue_tickets(desk.network_technician)) == [ticket]
    assert list(selectors.queue_tickets(desk.network_technician, unit=network)) == [ticket]
    assert (
        list(selectors.queue_tickets(desk.network_technician, unit=network, include_subtree=False))
        == []
    )
    # Requesters have no queue even though they see their own ticket.
    assert list(selectors.queue_tickets(desk.requester)) == []


def test_queue_for_unit_walks_up_to_a_subtree_queue(desk):
    assert selectors.queue_for_unit(desk.helpdesk) is None
    branch = Queue.objects.create(unit=desk.tree["network"])
    assert selectors.queue_for_unit(desk.helpdesk) == branch
    branch.include_subtree = False
    branch.save()
    assert selectors.queue_for_unit(desk.helpdesk) is None
    own = Queue.objects.create(unit=desk.helpdesk)
    assert selectors.queue_for_unit(desk.helpdesk) == own


def test_catalog_suggestions_in_plain_turkish(desk):
    CatalogItem.objects.create(
        name="E-imza başvurusu",
        kind="esignature",
        unit=desk.helpdesk,
        keywords="e-imza, mobil imza",
    )
    CatalogItem.objects.create(
        name="Eski yazıcı", kind="fault", unit=desk.helpdesk, is_active=False
    )
    assert [i.name for i in selectors.suggest_catalog_items("YAZICI ÇALIŞMIYOR")] == [
        "Yazıcı arızası"
    ]
    assert selectors.suggest_catalog_items("e-imza")[0].name == "E-imza başvurusu"
    assert selectors.suggest_catalog_items("yazıcım bozuldu")[0].name == "Yazıcı arızası"
    assert selectors.suggest_catalog_items("   ") == []


def test_knowledge_suggestions_hide_internal_articles_from_requesters(desk):
    KnowledgeArticle.objects.create(
        unit=desk.helpdesk, title="Toner değişimi", body="x", is_public=True
    )
    KnowledgeArticle.objects.create(
        unit=desk.helpdesk, title="Toner sipariş süreci", body="x", is_public=False
    )
    assert [
        a.title for a in selectors.suggest_knowledge_articles("toner", user=desk.requester)
    ] == ["Toner değişimi"]
    assert len(selectors.suggest_knowledge_articles("toner", user=desk.technician)) == 2
