"""The global search box finds tickets (by words and by number), catalogue items and knowledge
articles, each within what the user may see."""

from django.test import Client
from django.urls import reverse

from biys.core.search import search
from biys.servicedesk import services
from biys.servicedesk.models import CatalogItem, KnowledgeArticle


def file(desk, user, title="Toner bitti, çıktı alamıyorum"):
    return services.create_ticket(
        catalog_item=desk.printer, requester=user.person, title=title, created_by=user
    )


def found(user, query, model) -> set:
    for target, hits in search(user, query, limit=50):
        if target.model is model:
            return {hit.pk for hit in hits}
    return set()


def test_tickets_by_words_and_number_within_scope(desk):
    from biys.servicedesk.models import Ticket

    own, colleagues = file(desk, desk.requester), file(desk, desk.colleague)
    assert found(desk.requester, "TONER", Ticket) == {own.pk}
    assert found(desk.colleague, "toner bitti", Ticket) == {colleagues.pk}
    assert found(desk.roads_chief, "toner", Ticket) == {own.pk, colleagues.pk}
    assert found(desk.software_technician, "toner", Ticket) == set()
    assert found(desk.requester, own.number, Ticket) == {own.pk}
    assert found(desk.requester, colleagues.number, Ticket) == set()
    sequence = own.number.rsplit("-", 1)[1]
    assert found(desk.requester, str(int(sequence)), Ticket) == {own.pk}
    assert found(desk.requester, f"#{int(sequence)}", Ticket) == {own.pk}
    assert found(desk.requester, own.number.lower(), Ticket) == {own.pk}


def test_a_number_hit_comes_before_word_hits(desk):
    from biys.servicedesk.models import Ticket

    first = file(desk, desk.requester, title="Yazıcı")
    second = file(desk, desk.requester, title=f"Yine {first.number.rsplit('-', 1)[1]} gibi")
    query = str(int(first.number[-6:]))
    [hits] = [hits for target, hits in search(desk.requester, query) if target.model is Ticket]
    assert [hit.pk for hit in hits][:1] == [first.pk]
    assert second.pk in {hit.pk for hit in hits}


def test_catalogue_items_active_for_everyone_inactive_for_maintainers(desk, make_user):
    retired = CatalogItem.objects.create(
        name="Eski toner talebi", kind="request", unit=desk.helpdesk, is_active=False
    )
    assert found(desk.requester, "toner", CatalogItem) == {desk.printer.pk}
    assert found(desk.technician, "toner", CatalogItem) == {desk.printer.pk}
    head = make_user("department_head", desk.tree["dept"])
    assert found(head, "toner", CatalogItem) == {desk.printer.pk, retired.pk}


def test_public_articles_for_everyone_internal_ones_for_it_staff(desk):
    public = KnowledgeArticle.objects.create(
        unit=desk.helpdesk, title="Toner nasıl değiştirilir", body="Kapağı açın.", is_public=True
    )
    internal = KnowledgeArticle.objects.create(
        unit=desk.helpdesk, title="Toner deposu", body="Depo anahtarı.", is_public=False
    )
    assert found(desk.requester, "toner", KnowledgeArticle) == {public.pk}
    assert found(desk.technician, "toner", KnowledgeArticle) == {public.pk, internal.pk}


def test_search_page_lists_every_kind(desk, django_assert_max_num_queries):
    ticket = file(desk, desk.requester)
    KnowledgeArticle.objects.create(
        unit=desk.helpdesk, title="Toner nasıl değiştirilir", body="Kapağı açın.", is_public=True
    )
    client = Client()
    client.force_login(desk.requester)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("core:search"), {"q": "toner"}, HTTP_ACCEPT_LANGUAGE="tr")
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("servicedesk:ticket", kwargs={"pk": ticket.pk}) in html
    assert reverse("servicedesk:ticket_create", kwargs={"pk": desk.printer.pk}) in html
    assert "Toner</mark> nasıl değiştirilir" in html
