"""The History tab reads as a person would: names instead of ids, local time in the reader's
format, and no internal fields."""

from django.test import Client
from django.urls import reverse
from django.utils import translation

from biys.core.history import describe_changes
from biys.core.models import ObjectChange
from biys.servicedesk import services
from biys.servicedesk.models import Ticket


def history_of(ticket):
    records = ObjectChange.objects.filter(
        content_type__model="ticket", object_id=str(ticket.pk)
    ).order_by("id")
    with translation.override("tr"):
        return [
            {row["field"]: (row["before"], row["after"]) for row in entry["changes"]}
            for entry in describe_changes(records, Ticket)
        ]


def file(desk):
    return services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title="Toner bitti",
        created_by=desk.requester,
        form_data={"kat": ""},
    )


def test_names_local_time_and_only_fields_people_care_about(desk):
    desk.technician.person.first_name, desk.technician.person.last_name = "Ayşe", "Yıldız"
    desk.technician.person.save()
    ticket = file(desk)
    services.assign_ticket(ticket=ticket, assignee=desk.technician, user=desk.technician)

    created, *updates = history_of(ticket)
    assert created["Sorumlu birim"] == ("", "Teknik Destek Şefliği")
    assert created["Talep eden"][1] == str(desk.requester.person)
    for hidden in ("ID", "Arama metni", "Form yanıtları", "Garanti kapsamında"):
        assert hidden not in created, hidden
    assert not any(key.startswith("Ilk") for key in created)
    due = created["İlk yanıt son zamanı"][1]
    local = ticket.first_response_due.astimezone(ticket.first_response_due.tzinfo)
    assert "T" not in due and "Z" not in due and "+00:00" not in due
    from django.utils import timezone

    assert timezone.localtime(local).strftime("%H:%M") in due
    assert any(entry.get("Atanan") == ("", "Ayşe Yıldız") for entry in updates)


def test_history_tab_on_the_ticket_page(desk, make_user):
    ticket = file(desk)
    services.assign_ticket(ticket=ticket, assignee=desk.technician, user=desk.technician)
    auditor = make_user("auditor", desk.tree["dept"])
    client = Client()
    client.force_login(auditor)
    url = reverse("servicedesk:ticket", kwargs={"pk": ticket.pk})
    html = client.get(url, {"tab": "history"}, HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "Teknik Destek Şefliği" in html
    assert str(desk.technician) in html
    assert "search_text" not in html and "Arama metni" not in html


def test_form_answers_under_the_labels_the_form_asked(desk, make_user):
    desk.printer.form_fields = [
        {"name": "quantity", "label": "Adet", "type": "number", "required": True},
        {"name": "floor", "label": "Kat", "type": "text"},
    ]
    desk.printer.save()
    ticket = services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title="Toner",
        created_by=desk.requester,
        form_data={"quantity": "2", "floor": ""},
    )
    [created] = history_of(ticket)
    assert created["Form yanıtları"] == ("", "Adet: 2")

    client = Client()
    client.force_login(make_user("auditor", desk.tree["dept"]))
    html = client.get(reverse("servicedesk:ticket", kwargs={"pk": ticket.pk})).content.decode()
    assert ">Adet<" in html and "Quantity" not in html and ">Kat<" not in html
