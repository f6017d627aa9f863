"""Applications by e-mail, end to end against the service desk's private Dovecot: each message
delivered to an application mailbox becomes one application of its type on the e-mail channel,
with its attachments; the same Message-ID is never taken twice."""

# ruff: noqa: F811  (pytest fixtures shared from mailserver.py are imported, then requested)
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.utils import timezone

from biys.applications import mail_intake
from biys.applications.models import Application, ApplicationMailbox
from biys.attachments.models import Attachment
from biys.servicedesk.tests.mailserver import imap_inbox, imap_server  # noqa: F401

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mailbox(bilgi_edinme, imap_inbox):
    return ApplicationMailbox.objects.create(
        name="bilgiedinme@belediye.bel.tr",
        application_type=bilgi_edinme,
        host=imap_inbox.host,
        port=imap_inbox.port,
        use_ssl=False,
        username=imap_inbox.user,
        password=imap_inbox.password,
    )


def mail(subject, body="2025 yılı yazılım sözleşmelerinin listesini istiyorum.", *,
         sender="Ayşe Yılmaz <ayse@example.org>", attachments=(), message_id=None):  # fmt: skip
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "bilgiedinme@belediye.bel.tr"
    message["Subject"] = subject
    message["Date"] = "Mon, 02 Nov 2026 09:15:00 +0300"
    message["Message-ID"] = message_id or make_msgid(domain="example.org")
    message.set_content(body)
    for filename, content, maintype, subtype in attachments:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


def test_a_message_becomes_one_application_with_its_attachments(
    mailbox, imap_inbox, bilgi_edinme, org_tree
):
    message = mail(
        "Yazılım sözleşmeleri",
        attachments=[
            ("kimlik.png", PNG, "image", "png"),
            ("program.exe", EXE, "application", "octet-stream"),
        ],
    )
    imap_inbox.deliver(message.as_bytes())
    result = mail_intake.poll_mailbox(mailbox)
    assert result.counts == {"created": 1} and not result.error
    application = Application.objects.get()
    assert application.channel == "email" and application.type == bilgi_edinme
    assert application.subject == "Yazılım sözleşmeleri"
    assert application.applicant_name == "Ayşe Yılmaz"
    assert application.email == "ayse@example.org"
    assert application.received_on == timezone.localdate()
    assert application.responsible_unit == org_tree["network"]  # the type's unit
    assert application.number.startswith("BSV-") and application.due_date
    assert "sözleşmelerinin listesini" in application.description
    assert "program.exe" in application.description  # not kept, and said so
    files = Attachment.objects.filter(object_id=str(application.pk))
    assert [f.filename for f in files] == ["kimlik.png"]
    assert all("Seen" in flags for flags in imap_inbox.flags().values())
    # Deduplicated by Message-ID: the same message delivered again is not taken twice.
    imap_inbox.deliver(message.as_bytes())
    assert mail_intake.poll_mailbox(mailbox).counts == {"duplicate": 1}
    assert Application.objects.count() == 1
    mailbox.refresh_from_db()
    assert mailbox.last_polled_at and not mailbox.last_error


def test_the_mailbox_unit_answers_when_the_type_names_none(mailbox, imap_inbox, org_tree):
    mailbox.application_type.unit = None
    mailbox.application_type.save()
    mailbox.unit = org_tree["software"]
    mailbox.save()
    imap_inbox.deliver(mail("Bütçe", sender="vatandas@example.org").as_bytes())
    assert mail_intake.poll_mailboxes()[mailbox.name].counts == {"created": 1}
    application = Application.objects.get()
    assert application.responsible_unit == org_tree["software"]
    assert application.applicant_name == "vatandas@example.org"


def test_automatic_mail_is_left_alone_and_a_failure_is_taken_later(
    mailbox, imap_inbox, monkeypatch
):
    bounce = mail("Undelivered Mail", sender="MAILER-DAEMON@example.org")
    imap_inbox.deliver(bounce.as_bytes())
    assert mail_intake.poll_mailbox(mailbox).counts == {"automatic": 1}
    imap_inbox.deliver(mail("İmar planı").as_bytes())

    def broken(mailbox, raw):
        raise OSError("disk full")

    monkeypatch.setattr(mail_intake, "process_message", broken)
    result = mail_intake.poll_mailbox(mailbox)
    assert result.counts == {"failed": 1} and "disk full" in result.error
    assert not Application.objects.exists()
    monkeypatch.undo()
    assert mail_intake.poll_mailbox(mailbox).counts == {"created": 1}
    assert Application.objects.get().subject == "İmar planı"


def test_the_api_shows_the_message_id(mailbox, imap_inbox, clerk):
    from rest_framework.test import APIClient

    imap_inbox.deliver(mail("Kararlar", message_id="<abc-1@example.org>").as_bytes())
    mail_intake.poll_mailbox(mailbox)
    client = APIClient()
    client.force_authenticate(clerk)
    (row,) = client.get("/api/v1/applications/applications/").json()["results"]
    assert row["channel"] == "email" and row["message_id"] == "<abc-1@example.org>"
