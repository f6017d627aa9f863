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


def test_unit_tickets_are_the_visible_tickets_of_those_units(desk, make_user):
    """The queue filtered by state reads ``unit_tickets``: for units where the user holds
    ``view_ticket`` it must give exactly ``tickets_visible_to(user)`` narrowed to them, tickets
    awaiting approval included where the user filed, requested or manages their unit."""
    from biys.accounts.scope import get_scope

    approval = CatalogItem.objects.create(
        name="Yeni bilgisayar", kind="request", unit=desk.helpdesk, requires_approval=True
    )
    filed = [file(desk, desk.requester), file(desk, desk.colleague)]
    for user in (desk.requester, desk.technician, desk.roads_chief):
        filed.append(
            services.create_ticket(
                catalog_item=approval,
                requester=desk.requester.person,
                title="Onay",
                created_by=user,
            )
        )
    assert Ticket.objects.filter(state="pending_approval").count() == 3
    helpdesk_chief = make_user("chief", desk.helpdesk)
    mixed = make_user("technician", desk.tree["software"])  # IT staff elsewhere, and a requester
    services.create_ticket(
        catalog_item=approval, requester=mixed.person, title="Kendi", created_by=mixed
    )
    users = (
        desk.technician,
        desk.network_technician,
        desk.software_technician,
        helpdesk_chief,
        mixed,
        make_user(superuser=True),
    )
    compared = 0
    for user in users:
        units = get_scope(user).units_for(selectors.VIEW_TICKET)
        if units is selectors.ALL or not units:
            continue
        for chosen in (units, [desk.helpdesk.pk], [desk.tree["software"].pk]):
            chosen = [pk for pk in chosen if pk in set(units)]
            expected = set(
                selectors.tickets_visible_to(user)
                .filter(responsible_unit__in=chosen)
                .values_list("pk", flat=True)
            )
            got = set(selectors.unit_tickets(user, chosen).values_list("pk", flat=True))
            assert got == expected, (user.username, chosen)
            compared += bool(expected)
    assert compared >= 3
