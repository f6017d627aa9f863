"""Documents by e-mail and KEP, end to end against the service desk's private Dovecot: messages
delivered with IMAP APPEND are kept once (by Message-ID) as received mail waiting for the clerk,
who registers one as an incoming document (its attachments become the document's files) or
imports the e-Yazışma package a KEP message carries."""

# ruff: noqa: F811  (pytest fixtures shared from mailserver.py are imported, then requested)
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.test import Client
from django.urls import reverse

from biys.attachments.models import Attachment
from biys.evrak import mail_intake
from biys.evrak.choices import MailState
from biys.evrak.models import EvrakMailbox, IncomingDocument, ReceivedMail
from biys.evrak.tests.packages import conformant_sample
from biys.servicedesk.tests.mailserver import imap_inbox, imap_server  # noqa: F401

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kep(org_tree, imap_inbox):
    return EvrakMailbox.objects.create(
        name="Belediye KEP adresi",
        kind="kep",
        host=imap_inbox.host,
        port=imap_inbox.port,
        use_ssl=False,
        username=imap_inbox.user,
        password=imap_inbox.password,
        receiving_unit=org_tree["dept"],
    )


def mail(subject, body="Ekte gönderilmiştir.", *, sender="Valilik <valilik@hs01.kep.tr>",
         attachments=(), message_id=None):  # fmt: skip
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "belediye@hs01.kep.tr"
    message["Subject"] = subject
    message["Date"] = "Mon, 02 Nov 2026 09:15:00 +0300"
    message["Message-ID"] = message_id or make_msgid(domain="hs01.kep.tr")
    message.set_content(body)
    for filename, content, maintype, subtype in attachments:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


def test_a_kep_message_is_kept_once_with_its_attachments(kep, imap_inbox):
    message = mail(
        "Afet bilgi sistemine veri girişi",
        attachments=[
            ("yazi.png", PNG, "image", "png"),
            ("program.exe", EXE, "application", "octet-stream"),
        ],
    )
    imap_inbox.deliver(message.as_bytes())
    result = mail_intake.poll_mailbox(kep)
    assert result.counts == {"created": 1} and not result.error
    received = ReceivedMail.objects.get()
    assert received.channel == "kep" and received.state == MailState.WAITING
    assert received.subject == "Afet bilgi sistemine veri girişi"
    assert received.sender_name == "Valilik" and received.sender_address == "valilik@hs01.kep.tr"
    assert received.sent_at.isoformat().startswith("2026-11-02T06:15")
    assert "Ekte gönderilmiştir." in received.body
    with received.file.open("rb") as stored:
        assert stored.read().replace(b"\r\n", b"\n") == message.as_bytes()
    files = Attachment.objects.filter(object_id=str(received.pk))
    assert [f.filename for f in files] == ["yazi.png"]
    assert "program.exe" in received.problems
    assert all("Seen" in flags for flags in imap_inbox.flags().values())
    # Idempotent: the same message again (unread again, or redelivered) is not taken twice.
    imap_inbox.deliver(message.as_bytes())
    assert mail_intake.poll_mailbox(kep).counts == {"duplicate": 1}
    assert ReceivedMail.objects.count() == 1
    kep.refresh_from_db()
    assert kep.last_polled_at and not kep.last_error


def test_the_api_lists_the_waiting_messages_for_clerks_only(
    kep, imap_inbox, clerk, org_tree, make_user
):
    from rest_framework.test import APIClient

    imap_inbox.deliver(mail("Veri merkezi denetimi").as_bytes())
    mail_intake.poll_mailbox(kep)
    api = APIClient()
    api.force_authenticate(clerk)
    rows = api.get("/api/v1/evrak/mail/", {"state": "waiting"}).json()["results"]
    assert [row["subject"] for row in rows] == ["Veri merkezi denetimi"]
    assert rows[0]["channel"] == "kep" and rows[0]["sender_address"] == "valilik@hs01.kep.tr"
    api.force_authenticate(make_user("evrak_reader", org_tree["dept"]))
    assert api.get("/api/v1/evrak/mail/").json()["results"] == []


def test_a_message_that_fails_stays_unread_and_is_taken_later(kep, imap_inbox, monkeypatch):
    imap_inbox.deliver(mail("Bakım sözleşmesi").as_bytes())

    def broken(mailbox, raw):
        raise OSError("disk full")

    monkeypatch.setattr(mail_intake, "process_message", broken)
    result = mail_intake.poll_mailbox(kep)
    assert result.counts == {"failed": 1} and "disk full" in result.error
    assert not ReceivedMail.objects.exists()
    flags = list(imap_inbox.flags().values())
    assert "Flagged" in flags[0] and "Seen" not in flags[0]
    kep.refresh_from_db()
    assert "disk full" in kep.last_error
    monkeypatch.undo()
    assert mail_intake.poll_mailbox(kep).counts == {"created": 1}
    assert ReceivedMail.objects.get().subject == "Bakım sözleşmesi"


def test_a_wrong_password_is_shown_on_the_mailbox(kep, imap_inbox):
    EvrakMailbox.objects.filter(pk=kep.pk).update(password="yanlis")
    kep.refresh_from_db()
    result = mail_intake.poll_mailbox(kep)
    assert result.error and not ReceivedMail.objects.exists()
    kep.refresh_from_db()
    assert kep.last_error


def test_the_clerk_registers_a_message_as_a_document(
    kep, imap_inbox, clerk, org_tree, make_user, django_capture_on_commit_callbacks
):
    imap_inbox.deliver(
        mail(
            "Fiber altyapı geçiş hakkı", attachments=[("yazi.png", PNG, "image", "png")]
        ).as_bytes()
    )
    mail_intake.poll_mailboxes()
    received = ReceivedMail.objects.get()
    client = Client()
    client.force_login(clerk)
    inbox = client.get(reverse("evrak:receivedmail_list")).content.decode()
    assert "Fiber altyapı geçiş hakkı" in inbox
    page = client.get(received.get_absolute_url()).content.decode()
    assert 'id="register-mail"' in page and "yazi.png" in page
    form = client.get(reverse("evrak:incomingdocument_add"), {"mail": received.pk})
    assert 'value="Fiber altyapı geçiş hakkı"' in form.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("evrak:incomingdocument_add"),
            {
                "mail": received.pk,
                "receiving_unit": org_tree["dept"].pk,
                "sender_kind": "institution",
                "sender_name": "Valilik",
                "sender_detsis_no": "24312041",
                "subject": "Fiber altyapı geçiş hakkı",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = IncomingDocument.objects.get()
    received.refresh_from_db()
    assert document.channel == "kep" and received.state == MailState.REGISTERED
    assert received.document == document
    files = Attachment.objects.filter(
        content_type__model="incomingdocument", object_id=str(document.pk)
    )
    assert [f.filename for f in files] == ["yazi.png"]
    # Dealt with: a second registration is refused.
    again = client.post(
        reverse("evrak:incomingdocument_add"),
        {"mail": received.pk, "receiving_unit": org_tree["dept"].pk,
         "sender_kind": "institution", "sender_name": "Valilik", "sender_detsis_no": "24312041",
         "subject": "Tekrar"},
    )  # fmt: skip
    assert again.status_code == 200 and IncomingDocument.objects.count() == 1
    # A unit reader sees neither the inbox nor the message.
    reader = make_user("evrak_reader", org_tree["dept"])
    client.force_login(reader)
    assert client.get(reverse("evrak:receivedmail_list")).status_code == 403
    assert client.get(received.get_absolute_url()).status_code == 404


def test_a_kep_package_is_offered_and_imported(kep, imap_inbox, clerk, org_tree):
    package = conformant_sample(belge_id="C51E8F0A-2B6D-4E1A-9A51-0D2E7C4B9F13")
    imap_inbox.deliver(
        mail(
            "e-Yazışma paketi", attachments=[("belge.eyp", package, "application", "zip")]
        ).as_bytes()
    )
    mail_intake.poll_mailbox(kep)
    received = ReceivedMail.objects.get()
    assert received.package_name == "belge.eyp"
    client = Client()
    client.force_login(clerk)
    page = client.get(received.get_absolute_url()).content.decode()
    assert 'id="import-package"' in page
    response = client.post(
        reverse("evrak:receivedmail_package", args=[received.pk]),
        {"receiving_unit": org_tree["dept"].pk},
        follow=True,
    )
    assert response.redirect_chain, response.content.decode()[:500]
    document = IncomingDocument.objects.filter().first()
    assert document, [str(m) for m in response.context["messages"]]
    response = response.redirect_chain[-1]
    assert response[0] == document.get_absolute_url()
    assert document.channel == "eyp" and document.package.filename == "belge.eyp"
    received.refresh_from_db()
    assert received.state == MailState.REGISTERED and received.document == document


def test_not_a_document(kep, imap_inbox, clerk):
    imap_inbox.deliver(mail("Kampanya duyurusu").as_bytes())
    mail_intake.poll_mailbox(kep)
    received = ReceivedMail.objects.get()
    client = Client()
    client.force_login(clerk)
    response = client.post(reverse("evrak:receivedmail_dismiss", args=[received.pk]))
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.state == MailState.DISMISSED and not IncomingDocument.objects.exists()
