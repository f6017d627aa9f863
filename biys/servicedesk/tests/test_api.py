import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from biys.accounts.scope import forget_scope
from biys.org.tests.factories import PersonFactory
from biys.servicedesk import services
from biys.servicedesk.choices import TicketState
from biys.servicedesk.models import CatalogItem, KnowledgeArticle, Ticket

API = "/api/v1/servicedesk"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    if field is not None:
        assert field in body["errors"], body
    return body


def file(desk, user=None, **extra):
    return services.create_ticket(
        catalog_item=extra.pop("catalog_item", desk.printer),
        requester=(user or desk.requester).person,
        title=extra.pop("title", "Yazıcı çalışmıyor"),
        created_by=user or desk.requester,
        **extra,
    )


def test_requester_files_a_ticket_for_themselves(desk):
    response = client_for(desk.requester).post(
        f"{API}/tickets/",
        {"catalog_item": desk.printer.pk, "title": "Yazıcı kağıt sıkıştırıyor"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("ARZ-")
    assert body["requester"]["id"] == desk.requester.person.pk
    assert body["responsible_unit"]["id"] == desk.helpdesk.pk
    assert body["state"] == "new"
    assert body["channel"] == "api"


def test_bad_input_is_a_problem_naming_the_field(desk):
    client = client_for(desk.requester)
    assert_problem(
        client.post(f"{API}/tickets/", {"catalog_item": desk.printer.pk}, format="json"),
        400,
        "title",
    )
    assert_problem(
        client.post(f"{API}/tickets/", {"catalog_item": 999999, "title": "x"}, format="json"),
        400,
        "catalog_item",
    )
    ticket = file(desk)
    services.resolve_ticket(ticket=ticket, user=desk.technician, resolution="Tamam")
    assert_problem(
        client.post(f"{API}/tickets/{ticket.pk}/rate/", {"rating": 6}, format="json"),
        400,
        "rating",
    )
    # The state machine's refusals are problems too.
    assert_problem(
        client_for(desk.technician).post(
            f"{API}/tickets/{ticket.pk}/resolve/", {"resolution": "x"}, format="json"
        ),
        400,
        "state",
    )


def test_technician_files_on_behalf_of_a_caller(desk):
    caller = PersonFactory(unit=desk.roads)
    response = client_for(desk.technician).post(
        f"{API}/tickets/",
        {
            "catalog_item": desk.printer.pk,
            "requester": caller.pk,
            "title": "Telefonla bildirildi",
            "channel": "phone",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["requester"]["id"] == caller.pk
    refused = client_for(desk.colleague).post(
        f"{API}/tickets/",
        {"catalog_item": desk.printer.pk, "requester": caller.pk, "title": "x"},
        format="json",
    )
    assert_problem(refused, 403)


def test_visibility_matrix(desk, make_user):
    ticket = file(desk)
    other_it_technician = make_user("technician", desk.tree["software"])
    expected = {
        desk.requester: 200,
        desk.colleague: 404,  # same unit, plain requester
        desk.roads_chief: 200,  # the requesting unit's manager
        desk.network_technician: 200,  # the help desk's parent branch, with sub-units
        desk.technician: 200,
        other_it_technician: 404,  # another IT unit
        make_user("auditor", desk.tree["dept"]): 200,
    }
    for user, status in expected.items():
        response = client_for(user).get(f"{API}/tickets/{ticket.pk}/")
        assert response.status_code == status, (user, response.content)
        listed = client_for(user).get(f"{API}/tickets/").json()["results"]
        assert (ticket.pk in [row["id"] for row in listed]) == (status == 200)
        # The generic restrict gives the same set as the service desk's own rule.
        from biys.servicedesk.selectors import tickets_visible_to

        assert set(Ticket.objects.restrict(user, "view").values_list("pk", flat=True)) == set(
            tickets_visible_to(user).values_list("pk", flat=True)
        )


def test_pending_approval_is_hidden_from_it_until_approved(desk):
    desk.printer.requires_approval = True
    desk.printer.save()
    ticket = file(desk)
    url = f"{API}/tickets/{ticket.pk}/"
    assert client_for(desk.technician).get(url).status_code == 404
    assert_problem(client_for(desk.technician).post(f"{url}approve/", {}, format="json"), 404)
    assert_problem(client_for(desk.requester).post(f"{url}approve/", {}, format="json"), 403)
    response = client_for(desk.roads_chief).post(f"{url}approve/", {"comment": "Uygun"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "new"
    assert client_for(desk.technician).get(url).status_code == 200


def test_technician_works_a_ticket_through_the_actions(desk):
    ticket = file(desk)
    url = f"{API}/tickets/{ticket.pk}"
    tech = client_for(desk.technician)
    assert tech.post(f"{url}/take/").json()["assignee"]["id"] == desk.technician.pk
    assert tech.post(f"{url}/start/").json()["state"] == "in_progress"
    reply = tech.post(f"{url}/reply/", {"text": "Geliyorum"}, format="json")
    assert reply.status_code == 201 and reply.json()["is_internal"] is False
    assert tech.post(f"{url}/log-time/", {"minutes": 15}).status_code == 201
    held = tech.post(f"{url}/hold/", {"reason": "spare_part"}, format="json").json()
    assert held["state"] == "on_hold" and held["sla_paused_at"]
    assert tech.post(f"{url}/resume/").json()["state"] == "in_progress"
    visit = tech.post(
        f"{url}/field-visits/",
        {
            "technician": desk.technician.pk,
            "scheduled_start": "2030-01-07T10:00:00+03:00",
            "scheduled_end": "2030-01-07T11:00:00+03:00",
        },
        format="json",
    )
    assert visit.status_code == 201, visit.content
    assert len(tech.get(f"{url}/field-visits/").json()) == 1
    sla = tech.get(f"{url}/sla/").json()
    assert sla["resolution"]["state"] in {"ok", "warning", "breached"}
    resolved = tech.post(f"{url}/resolve/", {"resolution": "Toner değişti"}, format="json")
    assert resolved.json()["state"] == "resolved"
    rated = client_for(desk.requester).post(f"{url}/rate/", {"rating": 5, "comment": "Teşekkürler"})
    assert rated.json()["rating"] == 5
    reopened = client_for(desk.requester).post(f"{url}/reopen/", {"reason": "Yine bozuldu"})
    assert reopened.json()["state"] == "assigned"


def test_transfer_and_responsibility_history(desk):
    ticket = file(desk)
    url = f"{API}/tickets/{ticket.pk}"
    response = client_for(desk.technician).post(
        f"{url}/transfer/", {"unit": desk.tree["software"].pk, "reason": "Yazılım"}
    )
    assert response.status_code == 200, response.content
    history = client_for(desk.software_technician).get(f"{url}/responsibility/").json()
    assert [row["unit"]["id"] for row in history] == [desk.helpdesk.pk, desk.tree["software"].pk]
    assert history[0]["ended_at"] is not None and history[1]["ended_at"] is None
    assert history[1]["reason"] == "Yazılım"
    # The old unit's technician no longer sees it.
    assert client_for(desk.technician).get(f"{url}/").status_code == 404


def test_merge_cancel_and_parent_actions(desk):
    first, second, third = file(desk), file(desk), file(desk)
    tech = client_for(desk.technician)
    merged = tech.post(f"{API}/tickets/{second.pk}/merge/", {"into": first.pk}).json()
    assert merged["state"] == "cancelled" and merged["merged_into"] == first.pk
    child = tech.post(f"{API}/tickets/{third.pk}/set-parent/", {"parent": first.pk}).json()
    assert child["parent"] == first.pk
    cancelled = client_for(desk.requester).post(
        f"{API}/tickets/{third.pk}/cancel/", {"reason": "Gerek kalmadı"}
    )
    assert cancelled.json()["state"] == "cancelled"


def test_supplier_round_trip(desk):
    ticket = file(desk)
    url = f"{API}/tickets/{ticket.pk}"
    tech = client_for(desk.technician)
    sent = tech.post(f"{url}/send-to-supplier/", {"case_number": "HP-42"}).json()
    assert sent["supplier_case_number"] == "HP-42" and sent["state"] == "on_hold"
    back = tech.post(f"{url}/return-from-supplier/").json()
    assert back["returned_from_supplier_at"] and back["state"] == "in_progress"


def test_filters_and_turkish_search(desk, clock):
    file(desk, title="İnternet bağlantısı yok")
    file(desk, title="Yazıcı ışığı yanıp sönüyor", impact=1, urgency=1)
    tech = client_for(desk.technician)

    def numbers(query):
        response = tech.get(f"{API}/tickets/?{query}")
        assert response.status_code == 200, response.content
        return [row["title"] for row in response.json()["results"]]

    assert numbers("q=internet") == ["İnternet bağlantısı yok"]
    assert numbers("q=IŞIĞI") == ["Yazıcı ışığı yanıp sönüyor"]
    assert numbers("priority=1") == ["Yazıcı ışığı yanıp sönüyor"]
    assert len(numbers(f"responsible_unit={desk.tree['network'].pk}")) == 2
    assert numbers(f"responsible_unit={desk.tree['software'].pk}") == []
    assert len(numbers(f"requesting_unit={desk.roads.pk}&state=new")) == 2
    assert numbers("overdue=true") == []
    clock.set(2026, 11, 18, 9, 0)
    # Only the low-priority ticket has a target (4h); the critical one has no due date.
    assert numbers("overdue=true") == ["İnternet bağlantısı yok"]
    assert numbers("ordering=priority")[0] == "Yazıcı ışığı yanıp sönüyor"


def test_ticket_list_has_a_constant_number_of_queries(desk):
    tech = client_for(desk.technician)

    def count():
        forget_scope(desk.technician)  # each request resolves the scope (kept by the process)
        with CaptureQueriesContext(connection) as queries:
            response = tech.get(f"{API}/tickets/?per_page=50")
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    for _ in range(3):
        file(desk)
    count()  # the process builds the scope of the roles made by the fixture
    few, listed = count()
    assert listed == 3
    for _ in range(27):
        file(desk)
    many, listed = count()
    assert listed == 30
    assert few == many


def test_ticket_detail_reads_the_scope_and_the_ticket_only(desk):
    ticket = file(desk)
    tech = client_for(desk.technician)
    forget_scope(desk.technician)
    with CaptureQueriesContext(connection) as queries:
        response = tech.get(f"{API}/tickets/{ticket.pk}/?state=closed")  # no list filter here
    assert response.status_code == 200
    assert response.json()["assignee"] is None
    # the cache generations, the scope (2: built once by the process), the ticket
    assert len(queries) == 4, [query["sql"] for query in queries]
    forget_scope(desk.technician)
    with CaptureQueriesContext(connection) as queries:
        assert tech.get(f"{API}/tickets/{ticket.pk}/").status_code == 200
    assert len(queries) == 2, [query["sql"] for query in queries]  # the generations, the ticket


def test_catalogue_is_read_by_all_and_written_by_administrators(desk, admin_user):
    assert client_for(desk.requester).get(f"{API}/catalog-items/").json()["count"] == 1
    payload = {"name": "EBYS yetki", "kind": "access", "unit": desk.helpdesk.pk}
    assert_problem(client_for(desk.requester).post(f"{API}/catalog-items/", payload), 403)
    chief = client_for(desk.roads_chief)
    assert_problem(chief.post(f"{API}/catalog-items/", payload), 403)
    response = client_for(admin_user).post(f"{API}/catalog-items/", payload, format="json")
    assert response.status_code == 201, response.content


def test_catalogue_suggestions_understand_requesters(desk):
    CatalogItem.objects.create(
        name="EBYS yetki talebi", kind="access", unit=desk.helpdesk, keywords="ebys, yetki, rol"
    )
    client = client_for(desk.requester)
    names = [
        row["name"]
        for row in client.get(f"{API}/catalog-items/suggest/?q=YAZICI çalışmıyor").json()
    ]
    assert names[0] == "Yazıcı arızası"
    first = client.get(f"{API}/catalog-items/suggest/?q=ebys yetkisi").json()[0]
    assert first["name"] == "EBYS yetki talebi"
    assert first["unit"]["id"] == desk.helpdesk.pk


def test_knowledge_articles_public_and_internal(desk):
    KnowledgeArticle.objects.create(
        unit=desk.helpdesk, title="Yazıcı toneri nasıl değişir", body="...", is_public=True
    )
    KnowledgeArticle.objects.create(
        unit=desk.helpdesk, title="Yazıcı sunucusu yeniden başlatma", body="...", is_public=False
    )
    requester = client_for(desk.requester)
    titles = [a["title"] for a in requester.get(f"{API}/knowledge/").json()["results"]]
    assert titles == ["Yazıcı toneri nasıl değişir"]
    suggested = requester.get(f"{API}/knowledge/suggest/?q=yazici").json()
    assert [a["title"] for a in suggested] == ["Yazıcı toneri nasıl değişir"]
    tech_titles = client_for(desk.technician).get(f"{API}/knowledge/").json()["results"]
    assert len(tech_titles) == 2
    assert client_for(desk.software_technician).get(f"{API}/knowledge/").json()["count"] == 1
    created = client_for(desk.technician).post(
        f"{API}/knowledge/",
        {"unit": desk.helpdesk.pk, "title": "VPN", "body": "Adımlar", "is_public": False},
        format="json",
    )
    assert created.status_code == 201, created.content


def test_recurring_ticket_crud(desk, make_user):
    chief = make_user("chief", desk.tree["network"])
    payload = {
        "catalog_item": desk.printer.pk,
        "title": "Aylık UPS kontrolü",
        "responsible_unit": desk.helpdesk.pk,
        "requester": chief.person.pk,
        "recurrence": "monthly",
        "next_run": "2030-01-01",
    }
    response = client_for(chief).post(f"{API}/recurring-tickets/", payload, format="json")
    assert response.status_code == 201, response.content
    assert client_for(desk.requester).get(f"{API}/recurring-tickets/").json()["count"] == 0


def test_ticket_state_is_readable_not_writable(desk):
    ticket = file(desk)
    response = client_for(desk.technician).patch(
        f"{API}/tickets/{ticket.pk}/", {"impact": 1, "urgency": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["priority"] == 1
    ticket.refresh_from_db()
    assert ticket.state == TicketState.NEW
    assert_problem(
        client_for(desk.requester).patch(f"{API}/tickets/{ticket.pk}/", {"title": "x"}), 403
    )


@pytest.mark.parametrize("method", ["put", "delete"])
def test_tickets_are_never_replaced_or_deleted(desk, method):
    ticket = file(desk)
    response = getattr(client_for(desk.technician), method)(f"{API}/tickets/{ticket.pk}/")
    assert response.status_code == 405
