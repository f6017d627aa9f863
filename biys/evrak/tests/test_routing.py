"""Routing (havale): the clerk routes a document to a unit for action or for information with a
due date on the working calendar, the unit's chief routes it on to a person, who closes it;
one unit is responsible at a time and the history keeps who held it; confidential documents go
to a named receiver who acknowledges the handover; the lists and the reminders."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.evrak import selectors, services
from biys.evrak.choices import Confidentiality, RoutingKind, RoutingState
from biys.evrak.models import DocumentResponsibility, Routing
from biys.evrak.tests.factories import make_document
from biys.notifications.models import Notification
from biys.org.models import Article, Duty, Paragraph, Regulation

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)


@pytest.fixture
def document(org_tree):
    return make_document(org_tree["dept"], subject="Ağ anahtarlarının bakım sözleşmesi hakkında")


@pytest.fixture
def chief(make_user, org_tree):
    return make_user("chief", org_tree["helpdesk"])


@pytest.fixture
def worker(make_user, org_tree):
    return make_user("requester", org_tree["helpdesk"])


def route(clerk, document, unit, **fields):
    values = {"user": clerk, "document": document, "unit": unit, "today": MONDAY}
    values.update(fields)
    return services.route_document(**values)


def test_route_for_action_counts_working_days_and_opens_the_history(clerk, document, org_tree):
    routing = route(
        clerk, document, org_tree["helpdesk"], instruction="Gereğini rica ederim.",
        due_in_working_days=5,
    )  # fmt: skip
    assert routing.kind == RoutingKind.ACTION and routing.state == RoutingState.OPEN
    assert routing.due_date == date(2026, 11, 9)  # five working days: the next Monday
    history = selectors.responsibility_history(document)
    assert [(p.unit, p.person, p.ended_at) for p in history] == [(org_tree["helpdesk"], None, None)]
    assert selectors.responsible_routing(document) == routing


def test_closed_with_the_signed_reply_that_cites_it(
    clerk, chief, document, org_tree, make_user, settings, tmp_path
):
    """The person it was routed to answers with an outgoing document: the routing is closed
    with that reply (linked, its sayı recorded), never with one that does not cite it in its
    ilgi; the page offers only the replies that do."""
    from biys.evrak import outgoing_services
    from biys.evrak.tests.factories import make_sdp_code

    settings.MEDIA_ROOT = tmp_path
    writer = make_user("evrak_writer", org_tree["helpdesk"])
    head = make_user("department_head", org_tree["dept"])
    routing = route(clerk, document, org_tree["helpdesk"], due_in_working_days=5)
    services.route_on(user=chief, routing=routing, assignee=writer)
    code = make_sdp_code()

    def signed_reply(**values):
        draft = outgoing_services.save_outgoing_draft(
            user=writer, unit=org_tree["helpdesk"], subject="Bakım sözleşmesi hk.",
            sdp_code=code, signer=head, distribution=[{"kind": "GRG", "name": "Valilik", "detsis_no": "24312041"}],
            body="Bilgilerinize arz ederim.",
            **values,
        )  # fmt: skip
        outgoing_services.submit_for_approval(user=writer, document=draft, path=[])
        return outgoing_services.sign(user=head, document=draft)

    unrelated = signed_reply()
    with pytest.raises(ValidationError) as error:
        services.close_routing(user=writer, routing=routing, outcome="Yanıtlandı.", reply=unrelated)
    assert "reply" in error.value.message_dict
    reply = signed_reply(related_incoming=[document])
    assert list(selectors.replies_for(writer, document)) == [reply]
    assert not selectors.replies_for(make_user("requester", org_tree["roads"]), document).exists()

    client = Client()
    client.force_login(writer)
    page = client.get(reverse("evrak:incomingdocument", args=[document.pk])).content.decode()
    assert f'<option value="{reply.pk}">' in page
    assert f'<option value="{unrelated.pk}">' not in page

    api = APIClient()
    api.force_authenticate(writer)
    response = api.post(
        f"/api/v1/evrak/routings/{routing.pk}/close/",
        {"outcome": "Yanıtlandı.", "reply": reply.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["reply"] == reply.pk
    assert response.json()["reply_number"] == reply.number
    routing.refresh_from_db()
    assert routing.state == RoutingState.CLOSED and routing.reply == reply
    page = client.get(reverse("evrak:incomingdocument", args=[document.pk])).content.decode()
    assert reverse("evrak:outgoingdocument", args=[reply.pk]) in page


def test_a_past_due_date_and_a_due_date_for_information_are_refused(clerk, document, org_tree):
    with pytest.raises(ValidationError) as error:
        route(clerk, document, org_tree["helpdesk"], due_date=date(2026, 10, 1))
    assert "due_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        route(clerk, document, org_tree["software"], kind=RoutingKind.INFO, due_in_working_days=2)
    assert not Routing.objects.exists()


def test_one_unit_is_responsible_at_a_time(clerk, document, org_tree):
    first = route(clerk, document, org_tree["helpdesk"], due_in_working_days=5)
    info = route(clerk, document, org_tree["software"], kind=RoutingKind.INFO)
    second = route(clerk, document, org_tree["network"], due_in_working_days=3)
    first.refresh_from_db()
    info.refresh_from_db()
    assert first.state == RoutingState.SUPERSEDED and first.closed_at
    assert info.state == RoutingState.OPEN and info.due_date is None
    assert second.state == RoutingState.OPEN
    assert Routing.objects.filter(document=document, kind="action", state="open").count() == 1
    history = selectors.responsibility_history(document)
    assert [p.unit for p in history] == [org_tree["helpdesk"], org_tree["network"]]
    assert history[0].ended_at == history[1].started_at and history[1].ended_at is None
    with pytest.raises(ValidationError):  # the same unit twice for information
        route(clerk, document, org_tree["software"], kind=RoutingKind.INFO)


def test_the_chief_routes_on_and_the_person_closes(clerk, chief, worker, document, org_tree):
    routing = route(clerk, document, org_tree["helpdesk"], due_in_working_days=5)
    assert selectors.documents_visible_to(worker).filter(pk=document.pk).exists() is False
    services.route_on(user=chief, routing=routing, assignee=worker, instruction="Acele.")
    routing.refresh_from_db()
    assert routing.assignee == worker and routing.assigned_by == chief
    # the person it was routed on to sees the document, without any evrak role
    assert selectors.documents_visible_to(worker).filter(pk=document.pk).exists()
    assert Notification.objects.filter(recipient=worker).exists()
    with pytest.raises(PermissionDenied):  # the chief no longer closes: the person does
        services.close_routing(user=chief, routing=routing, outcome="Tamam")
    with pytest.raises(ValidationError):
        services.close_routing(user=worker, routing=routing, outcome="  ")
    services.close_routing(
        user=worker, routing=routing, outcome="Sözleşme yenilendi.", reply_number="E-1-2-3"
    )
    routing.refresh_from_db()
    assert routing.state == RoutingState.CLOSED and routing.reply_number == "E-1-2-3"
    history = selectors.responsibility_history(document)
    assert [(p.unit, p.person) for p in history] == [
        (org_tree["helpdesk"], None),
        (org_tree["helpdesk"], worker),
    ]
    assert all(p.ended_at for p in history)
    with pytest.raises(PermissionDenied):  # closed: nothing more to do
        services.close_routing(user=worker, routing=routing, outcome="Again")


def test_who_may_route_and_route_on(make_user, clerk, chief, worker, document, org_tree):
    reader = make_user("evrak_reader", org_tree["dept"])
    outsider_clerk = make_user("evrak_clerk", org_tree["roads"])
    for user in (reader, outsider_clerk, chief, worker):
        with pytest.raises(PermissionDenied):
            route(user, document, org_tree["helpdesk"])
    routing = route(clerk, document, org_tree["helpdesk"])
    other_chief = make_user("chief", org_tree["software"])
    for user in (clerk, reader, other_chief, worker):
        with pytest.raises(PermissionDenied):
            services.route_on(user=user, routing=routing, assignee=worker)
    # the routed unit's reader sees the document; another unit's does not
    assert (
        selectors.documents_visible_to(make_user("evrak_reader", org_tree["helpdesk"]))
        .filter(pk=document.pk)
        .exists()
    )
    assert (
        not selectors.documents_visible_to(make_user("evrak_reader", org_tree["roads"]))
        .filter(pk=document.pk)
        .exists()
    )


def test_a_confidential_document_reaches_the_named_receiver_against_acknowledgement(
    clerk, chief, worker, org_tree
):
    document = make_document(
        org_tree["dept"], confidentiality=Confidentiality.SECRET, named_readers=[clerk]
    )
    with pytest.raises(ValidationError) as error:
        route(clerk, document, org_tree["helpdesk"])
    assert "assignee" in error.value.message_dict
    routing = route(clerk, document, org_tree["helpdesk"], assignee=worker)
    assert worker in document.named_readers.all()
    assert routing.awaits_receipt
    # the unit's chief is not named: no unit-wide role reaches it
    assert not selectors.documents_visible_to(chief).filter(pk=document.pk).exists()
    assert not Routing.objects.restrict(chief).filter(pk=routing.pk).exists()
    with pytest.raises(ValidationError):
        services.close_routing(user=worker, routing=routing, outcome="Okundu")
    with pytest.raises(PermissionDenied):
        services.acknowledge_receipt(user=clerk, routing=routing)
    services.acknowledge_receipt(user=worker, routing=routing)
    routing.refresh_from_db()
    assert routing.received_at and not routing.awaits_receipt
    services.close_routing(user=worker, routing=routing, outcome="Okundu, dosyasına kondu.")


def test_duty_based_suggestion(org_tree):
    regulation = Regulation.objects.create(title="Bilgi İşlem Yönetmeliği")
    article = Article.objects.create(regulation=regulation, number=10, heading="Görevler")
    paragraph = Paragraph.objects.create(article=article, number=1, order=1)
    Duty.objects.create(
        paragraph=paragraph,
        label="a",
        text="Ağ anahtarlarının ve kablolamanın bakımını yapmak.",
        unit=org_tree["network"],
        order=1,
    )
    Duty.objects.create(
        paragraph=paragraph, label="b", text="Yazılım lisanslarını izlemek.",
        unit=org_tree["software"], order=2,
    )  # fmt: skip
    suggestions = selectors.suggest_units("Ağ anahtarlarının bakım sözleşmesi hakkında")
    assert [s["unit"] for s in suggestions] == [org_tree["network"]]
    assert selectors.suggest_units("") == []


def test_lists_and_reminders(clerk, chief, worker, org_tree, settings):
    settings.BIYS_EVRAK_REMIND_WORKING_DAYS = 3
    late = make_document(org_tree["dept"])
    soon = make_document(org_tree["dept"])
    later = make_document(org_tree["dept"])
    for doc, due in ((late, None), (soon, None), (later, None)):
        route(clerk, doc, org_tree["helpdesk"], assignee=worker, due_date=due)
    Routing.objects.filter(document=late).update(due_date=date(2026, 10, 28))
    Routing.objects.filter(document=soon).update(due_date=date(2026, 11, 5))
    Routing.objects.filter(document=later).update(due_date=date(2026, 12, 20))
    groups = selectors.buckets(selectors.waiting_for_person(worker), day=MONDAY)
    assert [r.document for r in groups["overdue"]] == [late]
    assert [r.document for r in groups["this_week"]] == [soon]
    assert [r.document for r in groups["waiting"]] == [later]
    assert {r.document for r in selectors.waiting_in_units(chief)} == {late, soon, later}
    Notification.objects.all().delete()
    assert services.send_reminders(today=MONDAY) == {"reminded": 2}
    assert services.send_reminders(today=MONDAY) == {"reminded": 0}  # once per routing
    titles = set(Notification.objects.filter(recipient=worker).values_list("title", flat=True))
    assert len(titles) == 2


def test_pages(client, clerk, chief, worker, document, org_tree, make_user):
    client.force_login(clerk)
    detail = reverse("evrak:incomingdocument", args=[document.pk])
    page = client.get(detail)
    assert page.status_code == 200 and b'id="route-form"' in page.content
    response = client.post(
        reverse("evrak:route", args=[document.pk]),
        {"unit": org_tree["helpdesk"].pk, "kind": "action", "due_in_working_days": 3},
    )
    assert response.status_code == 302
    routing = Routing.objects.get(document=document)
    client.force_login(chief)
    assert b"route-on" in client.get(detail).content
    response = client.post(
        reverse("evrak:route_on", args=[routing.pk]), {f"r{routing.pk}-assignee": worker.pk}
    )
    assert response.status_code == 302
    routing.refresh_from_db()
    assert routing.assignee == worker
    client.force_login(worker)
    waiting = client.get(reverse("evrak:waiting"))
    assert waiting.status_code == 200 and document.number.encode() in waiting.content
    assert b"close-routing" in client.get(detail).content
    client.post(reverse("evrak:close_routing", args=[routing.pk]), {"outcome": "Yapıldı."})
    routing.refresh_from_db()
    assert routing.state == RoutingState.CLOSED
    outsider = make_user("evrak_clerk", org_tree["roads"])
    client.force_login(outsider)
    response = client.post(
        reverse("evrak:route", args=[document.pk]), {"unit": org_tree["roads"].pk, "kind": "info"}
    )
    assert response.status_code == 404
    assert Routing.objects.count() == 1


def test_api(clerk, chief, worker, org_tree, make_user):
    api = APIClient()
    document = make_document(
        org_tree["dept"], confidentiality=Confidentiality.TOP_SECRET, named_readers=[clerk]
    )
    api.force_authenticate(clerk)
    url = f"/api/v1/evrak/incoming/{document.pk}/route/"
    refused = api.post(url, {"unit": org_tree["helpdesk"].pk}, format="json")
    assert refused.status_code == 400 and "assignee" in refused.json()["errors"]
    created = api.post(
        url,
        {"unit": org_tree["helpdesk"].pk, "assignee": worker.pk, "due_in_working_days": 5},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["awaits_receipt"] and body["due_date"] == str(
        services.routing_due_date(day=selectors.today(), due_date=None, due_in_working_days=5)[0]
    )
    pk = body["id"]
    api.force_authenticate(chief)  # not named: does not even see the routing
    assert api.post(f"/api/v1/evrak/routings/{pk}/acknowledge/").status_code == 404
    api.force_authenticate(worker)
    waiting = api.get("/api/v1/evrak/routings/waiting/").json()
    assert sum(len(rows) for rows in waiting.values()) == 1
    close = f"/api/v1/evrak/routings/{pk}/close/"
    assert api.post(close, {"outcome": "x"}, format="json").status_code == 400
    assert api.post(f"/api/v1/evrak/routings/{pk}/acknowledge/").status_code == 200
    assert api.post(close, {"outcome": "Okundu."}, format="json").status_code == 200
    assert DocumentResponsibility.objects.get(document=document).ended_at is not None


def test_the_change_log_records_every_routing_step(clerk, chief, worker, document, org_tree):
    from django.contrib.contenttypes.models import ContentType

    from biys.core.models import ObjectChange

    first = route(clerk, document, org_tree["helpdesk"])
    route(clerk, document, org_tree["network"])
    kind = ContentType.objects.get_for_model(Routing)
    changes = ObjectChange.objects.filter(content_type=kind, object_id=str(first.pk))
    assert changes.count() == 2  # routed, then taken over by the next routing for action
