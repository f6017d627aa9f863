"""The generic comment and attachment endpoints defer to the ticket's own rules: the workflow
table, the first response, the notifications and private (internal) files."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from biys.attachments import services as attachment_services
from biys.attachments.models import Attachment
from biys.attachments.tests import samples
from biys.comments.models import Comment
from biys.notifications.models import Notification
from biys.servicedesk import services
from biys.servicedesk.choices import TicketState

pytestmark = pytest.mark.django_db

COMMENTS = "/api/v1/comments/"
ATTACHMENTS = "/api/v1/attachments/"


def file_ticket(desk):
    return services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title="Yazıcı kağıt sıkıştırıyor",
        created_by=desk.requester,
    )


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def comment_payload(ticket, text, **extra):
    return {
        "content_type": "servicedesk.ticket",
        "object_id": str(ticket.pk),
        "text": text,
        **extra,
    }


def png(name="ekran.png"):
    return SimpleUploadedFile(name, samples.png(), content_type="image/png")


def test_no_comment_on_a_cancelled_ticket_through_the_generic_endpoint(desk):
    ticket = file_ticket(desk)
    services.cancel_ticket(ticket=ticket, user=desk.requester, reason="Vazgeçtim")

    response = api_for(desk.requester).post(COMMENTS, comment_payload(ticket, "Bir şey daha"))

    assert response.status_code == 400
    assert not Comment.objects.filter(text="Bir şey daha").exists()


def test_the_auditor_cannot_comment_on_a_ticket_through_the_generic_endpoint(desk, make_user):
    ticket = file_ticket(desk)
    auditor = make_user("auditor", desk.tree["dept"])
    response = api_for(auditor).post(COMMENTS, comment_payload(ticket, "Denetim"))
    assert response.status_code == 403
    assert not Comment.objects.filter(text="Denetim").exists()


def test_a_technicians_comment_through_it_is_the_first_response_and_notifies(
    desk, django_capture_on_commit_callbacks
):
    ticket = file_ticket(desk)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(desk.technician).post(COMMENTS, comment_payload(ticket, "Geliyorum"))

    assert response.status_code == 201
    ticket.refresh_from_db()
    assert ticket.first_responded_at is not None
    assert Notification.objects.filter(recipient=desk.requester).exists()


def test_internal_note_through_it_needs_the_it_staff(desk):
    ticket = file_ticket(desk)
    response = api_for(desk.requester).post(
        COMMENTS, comment_payload(ticket, "gizli", is_internal=True)
    )
    assert response.status_code == 400 and "is_internal" in response.json()["errors"]


def test_the_requester_adds_a_file_to_their_open_ticket_after_filing(client, desk, make_user):
    ticket = file_ticket(desk)
    content_type = ContentType.objects.get_for_model(ticket)
    panel = reverse(
        "attachments:for_object",
        kwargs={"content_type_id": content_type.pk, "object_id": ticket.pk},
    )
    client.force_login(desk.requester)
    page = client.get(reverse("servicedesk:ticket", args=[ticket.pk]), {"tab": "files"})
    assert panel in page.content.decode()
    assert 'name="file"' in client.get(panel).content.decode()
    assert client.post(panel, {"file": png()}).status_code == 200
    assert Attachment.objects.filter(object_id=str(ticket.pk)).count() == 1

    auditor = make_user("auditor", desk.tree["dept"])
    response = api_for(auditor).post(
        ATTACHMENTS,
        {"content_type": "servicedesk.ticket", "object_id": str(ticket.pk), "file": png()},
        format="multipart",
    )
    assert response.status_code == 403

    services.cancel_ticket(ticket=ticket, user=desk.requester, reason="Vazgeçtim")
    assert client.post(panel, {"file": png()}).status_code == 403


def test_an_internal_notes_file_is_not_for_the_requester(client, desk):
    ticket = file_ticket(desk)
    client.force_login(desk.technician)
    response = client.post(
        reverse("servicedesk:ticket_action", args=[ticket.pk, "reply"]),
        {"reply-text": "Sunucu kaydı ekte", "reply-internal": "on", "reply-files": png("log.png")},
    )
    assert response.status_code == 302
    note_file = Attachment.objects.get(object_id=str(ticket.pk))
    assert note_file.is_internal
    public = attachment_services.add_attachment(
        obj=ticket, uploaded_file=png(), user=desk.technician
    )
    download = reverse("attachments:download", kwargs={"pk": note_file.pk})
    assert client.get(download).status_code == 200

    client.force_login(desk.requester)
    assert client.get(download).status_code == 404
    assert client.get(reverse("attachments:download", kwargs={"pk": public.pk})).status_code == 200
    listed = api_for(desk.requester).get(ATTACHMENTS).json()["results"]
    assert [row["id"] for row in listed] == [public.pk]
    with pytest.raises(Exception) as error:
        attachment_services.add_attachment(
            obj=ticket, uploaded_file=png(), user=desk.requester, is_internal=True
        )
    assert "is_internal" in error.value.message_dict
    ticket.refresh_from_db()
    assert ticket.state == TicketState.NEW
