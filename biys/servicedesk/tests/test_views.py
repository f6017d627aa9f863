"""The service desk pages: the requester's short path, phone intake, ticket page and actions,
the queue (constant query count), catalogue, knowledge base and queue settings."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from biys.attachments.models import Attachment
from biys.comments.models import Comment
from biys.org.models import Article, Duty, Paragraph, Regulation
from biys.servicedesk import services
from biys.servicedesk.choices import Channel, TicketState
from biys.servicedesk.models import CatalogItem, KnowledgeArticle, Queue, SLATarget, Ticket
from biys.servicedesk.tests.factories import make_ticket_in

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def duty(desk):
    regulation = Regulation.objects.create(title="Bilgi İşlem Yönetmeliği")
    article = Article.objects.create(regulation=regulation, number=10, heading="Görevler")
    paragraph = Paragraph.objects.create(article=article, number=1, order=1)
    duty = Duty.objects.create(
        paragraph=paragraph,
        label="i",
        text="Birimlerden gelen arıza ve talepleri kaydetmek ve gidermek.",
        unit=desk.helpdesk,
        order=1,
    )
    desk.printer.duty = duty
    desk.printer.save()
    return duty


@pytest.fixture
def person(desk):
    person = desk.requester.person
    person.work_phone = "0222 111 22 33"
    person.location = "Fen İşleri binası, 2. kat"
    person.save()
    return person


def file_ticket(desk, user=None, **fields):
    user = user or desk.requester
    return services.create_ticket(
        catalog_item=fields.pop("item", desk.printer),
        requester=user.person,
        title=fields.pop("title", "Yazıcı kağıt sıkıştırıyor"),
        created_by=user,
        **fields,
    )


# --------------------------------------------------------------------------- new ticket


def test_catalogue_search_suggests_item_with_unit_and_duty(client, desk, duty):
    KnowledgeArticle.objects.create(
        unit=desk.helpdesk,
        title="Yazıcıda kağıt sıkışması nasıl giderilir",
        body="Kapağı açın, kağıdı çekin.",
        keywords="yazıcı kağıt",
        is_public=True,
    )
    KnowledgeArticle.objects.create(
        unit=desk.helpdesk, title="Yazıcı sunucusu yönetimi", body="İç not.", is_public=False
    )
    client.force_login(desk.requester)
    assert client.get(reverse("servicedesk:ticket_new")).status_code == 200

    response = client.get(reverse("servicedesk:catalog_suggest"), {"q": "yazıcı çalışmıyor"})
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("servicedesk:ticket_create", args=[desk.printer.pk]) in html
    assert desk.helpdesk.name in html
    assert "MADDE 10 (1) i" in html
    assert "kağıt sıkışması" in html  # the public article: maybe it solves it
    assert "sunucusu" not in html  # the internal one is not for requesters


def test_create_form_prefills_contact_and_files_the_ticket(client, desk, person):
    client.force_login(desk.requester)
    url = reverse("servicedesk:ticket_create", args=[desk.printer.pk])
    form = client.get(url).context["form"]
    assert form["contact_phone"].value() == "0222 111 22 33"
    assert form["location"].value() == "Fen İşleri binası, 2. kat"

    response = client.post(
        url,
        {
            "title": "Yazıcı çalışmıyor",
            "description": "Kırmızı ışık yanıyor.",
            "contact_phone": "0222 111 22 33",
            "location": "Fen İşleri binası, 2. kat",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("servicedesk:ticket", args=[ticket.pk])
    assert ticket.requester == person
    assert ticket.created_by == desk.requester
    assert ticket.channel == Channel.WEB
    assert ticket.contact_phone == "0222 111 22 33"
    assert ticket.location == "Fen İşleri binası, 2. kat"
    assert ticket.responsible_unit == desk.helpdesk


def test_create_form_shows_errors_at_the_fields(client, desk, person):
    desk.printer.form_fields = [
        {"name": "model", "label": "Yazıcı modeli", "type": "text", "required": True},
        {"name": "color", "label": "Renkli mi", "type": "choice", "choices": ["Evet", "Hayır"]},
        {"name": "since", "label": "Ne zamandan beri", "type": "date"},
    ]
    desk.printer.save()
    client.force_login(desk.requester)
    url = reverse("servicedesk:ticket_create", args=[desk.printer.pk])
    html = client.get(url).content.decode()
    assert 'name="f_model"' in html and 'name="f_color"' in html and 'type="date"' in html

    response = client.post(url, {"title": "", "description": "x", "f_color": "Mor"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["title"] == ["Bu alan zorunlu."]  # translated
    assert "f_model" in form.errors
    assert "f_color" in form.errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Ticket.objects.exists()

    response = client.post(url, {"title": "Yazıcı", "f_model": "HP 402", "f_since": "2026-01-05"})
    assert response.status_code == 302
    assert Ticket.objects.get().form_data == {"model": "HP 402", "since": "2026-01-05"}


def test_impact_and_urgency_set_the_priority(client, desk, person):
    client.force_login(desk.requester)
    url = reverse("servicedesk:ticket_create", args=[desk.printer.pk])
    client.post(url, {"title": "Tüm kat yazdıramıyor", "impact": "1", "urgency": "1"})
    assert Ticket.objects.get().priority == 1


def test_attachments_are_saved_with_the_ticket_by_it_staff(client, desk, make_user):
    """Screenshots go through the attachments service in the same transaction."""
    technician = desk.technician
    client.force_login(technician)
    url = reverse("servicedesk:ticket_create", args=[desk.printer.pk])
    screenshot = SimpleUploadedFile("ekran.png", PNG, content_type="image/png")
    response = client.post(url, {"title": "Ekran görüntülü", "attachments": [screenshot]})
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = Ticket.objects.get()
    attachment = Attachment.objects.get()
    assert attachment.object_id == str(ticket.pk)
    assert attachment.content_type == ContentType.objects.get_for_model(Ticket)

    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00binary", content_type="image/png")
    response = client.post(url, {"title": "Kötü dosya", "attachments": [bad]})
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors
    assert Ticket.objects.count() == 1  # nothing half saved


# --------------------------------------------------------------------------- phone intake


def test_phone_intake_files_for_the_caller(client, desk, person):
    client.force_login(desk.technician)
    search = client.get(reverse("servicedesk:person_search"), {"caller": person.last_name})
    assert f'value="{person.pk}"' in search.content.decode()

    response = client.post(
        reverse("servicedesk:phone_intake"),
        {
            "requester": person.pk,
            "catalog_item": desk.printer.pk,
            "title": "Yazıcı arızası (telefon)",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.requester == person
    assert ticket.created_by == desk.technician
    assert ticket.channel == Channel.PHONE
    assert ticket.contact_phone == "0222 111 22 33"  # from the caller's staff record


def test_phone_intake_requires_a_caller_and_is_for_it_staff(client, desk):
    client.force_login(desk.requester)
    assert client.get(reverse("servicedesk:phone_intake")).status_code == 403
    client.force_login(desk.technician)
    response = client.post(
        reverse("servicedesk:phone_intake"), {"catalog_item": desk.printer.pk, "title": "x"}
    )
    assert response.status_code == 400
    assert "requester" in response.context["form"].errors


# --------------------------------------------------------------------------- ticket page


def test_ticket_page_is_for_those_who_may_see_it(client, desk):
    ticket = file_ticket(desk)
    url = reverse("servicedesk:ticket", args=[ticket.pk])
    for user, status in [
        (desk.requester, 200),
        (desk.technician, 200),
        (desk.network_technician, 200),  # the branch above the help desk
        (desk.roads_chief, 200),  # the requesting unit's manager
        (desk.colleague, 404),
        (desk.software_technician, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_ticket_page_shows_the_registered_device(client, desk):
    """A ticket's device reference resolves to the register: its warranty end and custodian,
    and a link for whoever may open the asset (the requester sees the facts, not the link)."""
    from datetime import date

    from biys.inventory import services as inventory
    from biys.inventory.tests.factories import make_asset

    roads = desk.requester.person.unit
    asset = make_asset(roads, serial_number="PF3XK9", warranty_end=date(2099, 5, 31))
    inventory.hand_over(asset=asset, person=desk.requester.person)
    ticket = file_ticket(desk, asset_reference="PF3XK9")
    url = reverse("servicedesk:ticket", args=[ticket.pk])
    client.force_login(desk.requester)
    html = client.get(url).content.decode()
    device = html.split('id="ticket-asset"')[1].split("</dd>")[0]
    assert asset.inventory_number in device and "2099" in device
    assert desk.requester.person.full_name in device
    assert asset.get_absolute_url() not in html
    client.force_login(desk.roads_chief)  # reads the roads register
    assert asset.get_absolute_url() in client.get(url).content.decode()


def test_asset_page_lists_the_tickets_about_the_device(client, desk, make_user):
    """The asset's fault history: tickets naming its inventory or serial number, as far as the
    viewer may see them (biys.core.assets)."""
    from biys.inventory.tests.factories import make_asset

    roads = desk.requester.person.unit
    asset = make_asset(roads, serial_number="FH-77")
    by_serial = file_ticket(desk, asset_reference="FH-77", title="Ekran kararıyor")
    by_number = file_ticket(desk, asset_reference=asset.inventory_number, title="Fan sesi")
    file_ticket(desk, asset_reference="BASKA-1", title="Başka cihaz")
    url = asset.get_absolute_url() + "?tab=faults"
    client.force_login(desk.roads_chief)  # reads the roads register and its unit's tickets
    html = client.get(url).content.decode()
    assert by_serial.number in html and by_number.number in html and "Başka cihaz" not in html
    client.force_login(make_user("inventory_officer", roads))  # the asset, not the tickets
    response = client.get(url)
    assert response.status_code == 200 and by_serial.number not in response.content.decode()


def test_requester_page_hides_internal_notes_and_staff_actions(client, desk):
    ticket = file_ticket(desk)
    services.add_reply(ticket=ticket, user=desk.technician, text="Toner siparişi verildi.")
    services.add_reply(ticket=ticket, user=desk.technician, text="GİZLİ NOT", internal=True)
    client.force_login(desk.requester)
    html = client.get(reverse("servicedesk:ticket", args=[ticket.pk])).content.decode()
    assert "Toner siparişi verildi." in html
    assert "GİZLİ NOT" not in html
    assert 'data-action="take"' not in html
    assert 'id="sla-clock"' in html

    client.force_login(desk.technician)
    html = client.get(reverse("servicedesk:ticket", args=[ticket.pk])).content.decode()
    assert "GİZLİ NOT" in html
    assert 'data-action="take"' in html


def test_full_life_through_the_action_urls(client, desk):
    ticket = file_ticket(desk)

    def act(user, name, data=None):
        client.force_login(user)
        return client.post(reverse("servicedesk:ticket_action", args=[ticket.pk, name]), data or {})

    assert act(desk.requester, "take").status_code == 403  # not IT staff
    assert act(desk.technician, "take").status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == desk.technician
    assert act(desk.technician, "reply", {"reply-text": "Geliyorum."}).status_code == 302
    assert act(desk.requester, "comment", {"comment-text": "Teşekkürler"}).status_code == 302
    assert Comment.objects.filter(is_internal=False).count() == 2

    response = act(desk.technician, "resolve", {"resolve-resolution": ""})
    assert response.status_code == 400
    assert "resolution" in response.context["form"].errors
    response = act(desk.technician, "resolve", {"resolve-resolution": "Toner değişti."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED

    client.force_login(desk.requester)
    html = client.get(reverse("servicedesk:ticket", args=[ticket.pk])).content.decode()
    assert 'id="rate-card"' in html
    response = act(desk.requester, "rate", {"rate-rating": "9"})
    assert response.status_code == 400
    assert (
        act(desk.requester, "rate", {"rate-rating": "5", "rate-comment": "Hızlı"}).status_code
        == 302
    )
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (5, "Hızlı")


def test_transfer_needs_a_reason_and_shows_in_responsibility_history(client, desk):
    ticket = file_ticket(desk)
    client.force_login(desk.technician)
    url = reverse("servicedesk:ticket_action", args=[ticket.pk, "transfer"])
    response = client.post(url, {"transfer-unit": desk.tree["software"].pk, "transfer-reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    ticket.refresh_from_db()
    assert ticket.responsible_unit == desk.helpdesk  # nothing half saved

    client.force_login(desk.network_technician)
    response = client.post(
        reverse("servicedesk:ticket_action", args=[ticket.pk, "transfer"]),
        {"transfer-unit": desk.tree["software"].pk, "transfer-reason": "Yazılım hatası"},
    )
    assert response.status_code == 302
    client.force_login(desk.software_technician)
    response = client.get(
        reverse("servicedesk:ticket", args=[ticket.pk]), {"tab": "responsibility"}
    )
    html = response.content.decode()
    assert desk.helpdesk.name in html and "Yazılım hatası" in html


def test_unknown_action_and_invisible_ticket_are_404(client, desk):
    ticket = file_ticket(desk)
    client.force_login(desk.technician)
    assert (
        client.post(reverse("servicedesk:ticket_action", args=[ticket.pk, "explode"])).status_code
        == 404
    )
    client.force_login(desk.colleague)
    assert (
        client.post(
            reverse("servicedesk:ticket_action", args=[ticket.pk, "comment"]), {"comment-text": "x"}
        ).status_code
        == 404
    )


def test_merge_into_a_ticket_by_number(client, desk):
    first, duplicate = file_ticket(desk), file_ticket(desk, title="Aynı yazıcı")
    client.force_login(desk.technician)
    url = reverse("servicedesk:ticket_action", args=[duplicate.pk, "merge"])
    response = client.post(url, {"merge-into": "ARZ-1900-000001"})
    assert response.status_code == 400
    assert "into" in response.context["form"].errors
    assert client.post(url, {"merge-into": first.number.lower()}).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == first


# --------------------------------------------------------------------------- lists


def test_my_tickets_and_unit_tickets(client, desk):
    mine = file_ticket(desk)
    theirs = file_ticket(desk, user=desk.colleague, title="Başkasının talebi")
    client.force_login(desk.requester)
    html = client.get(reverse("servicedesk:my_tickets")).content.decode()
    assert mine.number in html and theirs.number not in html
    assert client.get(reverse("servicedesk:unit_tickets")).status_code == 403

    client.force_login(desk.roads_chief)
    html = client.get(reverse("servicedesk:unit_tickets")).content.decode()
    assert mine.number in html and theirs.number in html


def test_approvals_list_and_decision(client, desk):
    desk.printer.requires_approval = True
    desk.printer.save()
    ticket = file_ticket(desk)
    client.force_login(desk.requester)
    assert client.get(reverse("servicedesk:approvals")).status_code == 403

    client.force_login(desk.roads_chief)
    html = client.get(reverse("servicedesk:approvals")).content.decode()
    assert ticket.number in html
    page = client.get(reverse("servicedesk:ticket", args=[ticket.pk])).content.decode()
    assert 'id="approval-card"' in page
    response = client.post(
        reverse("servicedesk:ticket_action", args=[ticket.pk, "reject"]), {"decision-comment": ""}
    )
    assert response.status_code == 400
    assert "comment" in response.context["form"].errors
    response = client.post(reverse("servicedesk:ticket_action", args=[ticket.pk, "approve"]))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TicketState.NEW


def test_queue_shows_the_units_tickets_with_sla_and_filters(client, desk):
    ours = file_ticket(desk)
    other_item = CatalogItem.objects.create(
        name="Yazılım hatası", kind="fault", unit=desk.tree["software"]
    )
    theirs = file_ticket(desk, item=other_item, title="Program açılmıyor")
    client.force_login(desk.technician)
    response = client.get(reverse("servicedesk:ticket_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert ours.number in html and theirs.number not in html
    assert 'data-sla="ok"' in html
    assert 'data-take="' in html

    services.take_ticket(ticket=ours, user=desk.technician)
    assert (
        ours.number
        in client.get(reverse("servicedesk:ticket_list"), {"assignee": "me"}).content.decode()
    )
    assert (
        ours.number
        not in client.get(
            reverse("servicedesk:ticket_list"), {"assignee": "unassigned"}
        ).content.decode()
    )
    export = client.get(reverse("servicedesk:ticket_list"), {"export": "csv"})
    assert ours.number in b"".join(export.streaming_content).decode("utf-8-sig")

    client.force_login(desk.requester)
    assert client.get(reverse("servicedesk:ticket_list")).status_code == 403


def test_queue_query_count_does_not_grow_with_rows(client, desk, make_user):
    other_requester = make_user("requester", desk.roads)
    file_ticket(desk)
    client.force_login(desk.technician)
    url = reverse("servicedesk:ticket_list")
    client.get(url)  # warm the content type cache

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for index in range(12):
        ticket = file_ticket(desk, user=other_requester, title=f"Arıza {index}")
        if index % 3 == 0:
            services.take_ticket(ticket=ticket, user=desk.technician)
    assert count() == few


# --------------------------------------------------------------------------- catalogue, KB, queues


def test_catalogue_item_pages(client, desk, duty, admin_user):
    client.force_login(desk.requester)
    assert client.get(reverse("servicedesk:catalogitem_list")).status_code == 200
    html = client.get(reverse("servicedesk:catalogitem", args=[desk.printer.pk])).content.decode()
    assert "MADDE 10 (1) i" in html and desk.helpdesk.name in html
    assert (
        client.get(reverse("servicedesk:catalogitem_edit", args=[desk.printer.pk])).status_code
        == 404
    )

    client.force_login(admin_user)
    url = reverse("servicedesk:catalogitem_edit", args=[desk.printer.pk])
    assert client.get(url).status_code == 200
    target = SLATarget.objects.get()
    data = {
        "name": "Yazıcı arızası",
        "kind": "fault",
        "unit": desk.helpdesk.pk,
        "duty": duty.pk,
        "keywords": "yazıcı",
        "form_fields": "[]",
        "default_impact": 3,
        "default_urgency": 2,
        "order": 0,
        "is_active": "on",
        "sla-TOTAL_FORMS": 2,
        "sla-INITIAL_FORMS": 1,
        "sla-0-id": target.pk,
        "sla-0-priority": 4,
        "sla-0-first_response_minutes": 30,
        "sla-0-resolution_minutes": 120,
        "sla-0-warn_before_percent": 80,
        "sla-1-priority": 1,
        "sla-1-first_response_minutes": 15,
        "sla-1-resolution_minutes": 60,
        "sla-1-warn_before_percent": 75,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(desk.printer.sla_targets.values_list("priority", "resolution_minutes")) == [
        (1, 60),
        (4, 120),
    ]
    data["form_fields"] = '[{"label": "no name"}]'
    response = client.post(url, data)
    assert response.status_code == 200
    assert "form_fields" in response.context["form"].errors


def test_knowledge_base_public_and_internal(client, desk):
    public = KnowledgeArticle.objects.create(
        unit=desk.helpdesk, title="E-imza kurulumu", body="Sürücüyü kurun.", is_public=True
    )
    internal = KnowledgeArticle.objects.create(
        unit=desk.helpdesk, title="Sunucu yeniden başlatma", body="İç.", is_public=False
    )
    client.force_login(desk.requester)
    html = client.get(reverse("servicedesk:knowledgearticle_list")).content.decode()
    assert public.title in html and internal.title not in html
    assert (
        client.get(reverse("servicedesk:knowledgearticle", args=[internal.pk])).status_code == 404
    )
    assert client.get(reverse("servicedesk:knowledgearticle", args=[public.pk])).status_code == 200
    assert client.get(reverse("servicedesk:knowledgearticle_add")).status_code == 403

    client.force_login(desk.technician)
    html = client.get(reverse("servicedesk:knowledgearticle_list")).content.decode()
    assert internal.title in html
    response = client.post(
        reverse("servicedesk:knowledgearticle_add"),
        {"title": "VPN bağlantısı", "unit": desk.helpdesk.pk, "body": "Adımlar", "is_public": "on"},
    )
    assert response.status_code == 302
    assert KnowledgeArticle.objects.filter(title="VPN bağlantısı", is_public=True).exists()


def test_queue_settings_page(client, desk, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("servicedesk:queue_add"),
        {
            "unit": desk.helpdesk.pk,
            "include_subtree": "on",
            "assignment_rule": "round_robin",
            "members": [desk.technician.pk],
            "auto_close_working_days": 3,
            "reopen_working_days": 7,
        },
    )
    assert response.status_code == 302
    queue = Queue.objects.get()
    assert (queue.assignment_rule, queue.reopen_working_days) == ("round_robin", 7)
    assert list(queue.members.all()) == [desk.technician]
    assert client.get(reverse("servicedesk:queue", args=[queue.pk])).status_code == 200
    client.force_login(desk.requester)
    assert client.get(reverse("servicedesk:queue_edit", args=[queue.pk])).status_code == 404


def test_menu_shows_items_by_permission(client, desk):
    client.force_login(desk.requester)
    html = client.get(reverse("servicedesk:my_tickets")).content.decode()
    assert reverse("servicedesk:ticket_new") in html
    assert reverse("servicedesk:phone_intake") not in html
    client.force_login(desk.technician)
    html = client.get(reverse("servicedesk:ticket_list")).content.decode()
    assert reverse("servicedesk:phone_intake") in html


def test_factory_made_ticket_page_renders_for_its_unit(client, desk):
    ticket = make_ticket_in(desk.helpdesk)
    client.force_login(desk.technician)
    for tab in ("conversation", "details", "responsibility", "work", "related", "history"):
        response = client.get(reverse("servicedesk:ticket", args=[ticket.pk]), {"tab": tab})
        assert response.status_code == 200, tab


def test_ticket_page_shows_its_catalogue_item_and_duty_as_they_are_now(client, desk, duty):
    """The item, its unit and its duty come from the process's copy of the catalogue: kept
    while none of their tables changes, and read again at once when one does, whatever wrote
    the change (here a queryset update the ORM's signals never see)."""
    ticket = file_ticket(desk)
    url = reverse("servicedesk:ticket", args=[ticket.pk]) + "?tab=details"
    client.force_login(desk.technician)
    html = client.get(url).content.decode()
    assert desk.printer.name in html and "MADDE 10 (1) i" in html
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    warm = len(queries)

    CatalogItem.objects.filter(pk=desk.printer.pk).update(name="Yazıcı ve tarayıcı arızası")
    Duty.objects.filter(pk=duty.pk).update(text="Arıza kayıtlarını tutmak.")
    html = client.get(url).content.decode()
    assert "Yazıcı ve tarayıcı arızası" in html and "Arıza kayıtlarını tutmak." in html
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) == warm
    assert not any("servicedesk_catalogitem" in query["sql"] for query in queries)
