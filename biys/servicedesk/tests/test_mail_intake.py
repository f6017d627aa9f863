"""E-mail intake end to end against a private Dovecot on loopback: messages are delivered with
IMAP APPEND and read back by ``poll_mailbox`` over IMAP, as in production."""

# ruff: noqa: F811  (pytest fixtures shared from mailserver.py are imported, then requested)
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from biys.attachments.models import Attachment
from biys.comments.models import Comment
from biys.notifications.models import Notification
from biys.servicedesk.choices import Channel, TicketState
from biys.servicedesk.mail_intake import (
    Outcome,
    html_to_text,
    is_automatic,
    parse,
    poll_mailbox,
    poll_mailboxes,
    strip_quoted,
)
from biys.servicedesk.models import Mailbox, Ticket
from biys.servicedesk.tests.mailserver import imap_inbox, imap_server, mail_desk  # noqa: F401

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mailbox(mail_desk, imap_inbox):
    return Mailbox.objects.create(
        name="Bilgi İşlem Yardım Masası",
        host=imap_inbox.host,
        port=imap_inbox.port,
        use_ssl=False,
        username=imap_inbox.user,
        password=imap_inbox.password,
        catalog_item=mail_desk.item,
    )


def mail(sender, subject, body="", *, html=None, headers=None, attachments=()):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "yardim@belediye.test"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="belediye.test")
    for name, value in (headers or {}).items():
        message[name] = value
    if body or html is None:
        message.set_content(body)
    if html is not None:
        if body:
            message.add_alternative(html, subtype="html")
        else:
            message.set_content(html, subtype="html")
    for filename, content, maintype, subtype in attachments:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


def comments_on(ticket):
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(Ticket), object_id=str(ticket.pk)
    ).order_by("id")


def test_a_new_message_opens_a_ticket_with_its_attachments(mail_desk, mailbox, imap_inbox):
    imap_inbox.deliver(
        mail(
            "Gülşen Çağlayan <Gulsen.Caglayan@Belediye.test>",
            "Yazıcı   çalışmıyor",
            "3. kattaki yazıcı kağıt sıkıştırıyor.\nEkran görüntüsü ekte.",
            attachments=[
                ("ekran.png", PNG, "image", "png"),
                ("fatura.pdf.exe", EXE, "application", "octet-stream"),
            ],
        ).as_bytes()
    )

    result = poll_mailbox(mailbox)

    assert result.counts == {Outcome.CREATED: 1} and result.error == ""
    ticket = Ticket.objects.get()
    assert ticket.requester == mail_desk.requester.person  # address matched case-insensitively
    assert ticket.created_by == mail_desk.requester
    assert ticket.title == "Yazıcı çalışmıyor"
    assert ticket.description.startswith("3. kattaki yazıcı kağıt sıkıştırıyor.")
    assert (ticket.channel, ticket.state) == (Channel.EMAIL, TicketState.NEW)
    assert ticket.responsible_unit == mail_desk.network
    assert ticket.email_message_id.startswith("<") and "@belediye.test" in ticket.email_message_id
    (attachment,) = Attachment.objects.filter(object_id=str(ticket.pk))
    assert (attachment.filename, attachment.mime_type) == ("ekran.png", "image/png")
    (note,) = comments_on(ticket)
    assert "fatura.pdf.exe" in note.text and note.author is None and not note.is_internal
    assert [r"\Seen" in flags for flags in imap_inbox.flags().values()] == [True]
    mailbox.refresh_from_db()
    assert mailbox.last_polled_at is not None and mailbox.last_error == ""


def test_a_reply_with_the_number_adds_a_comment_and_a_repoll_changes_nothing(
    mail_desk, mailbox, imap_inbox, make_user
):
    outsider = make_user("technician", mail_desk.units["software"], email="yazilim@belediye.test")
    imap_inbox.deliver(
        mail(mail_desk.requester.email, "E-imza kartı okunmuyor", "Kart okuyucu").as_bytes()
    )
    poll_mailbox(mailbox)
    ticket = Ticket.objects.get()

    reply = mail(
        mail_desk.requester.email,
        f"Re: [{ticket.number}] Talebinize yanıt verildi: E-imza kartı okunmuyor",
        "Sürücüyü yükledim, yine olmadı.\n\nOn Mon, 2 Mar 2026 at 10:00, BİYS wrote:\n> Eski metin",
    )
    imap_inbox.deliver(reply.as_bytes())
    # The requester's unit manager follows the unit's tickets and may comment too; a technician
    # of another branch may not see the ticket, so their mail adds nothing.
    imap_inbox.deliver(
        mail(
            mail_desk.roads_manager.email.upper(), f"[{ticket.number}] yorum", "Onaylıyorum"
        ).as_bytes()
    )
    imap_inbox.deliver(mail(outsider.email, f"[{ticket.number}] bilgi", "Bakarım").as_bytes())
    result = poll_mailbox(mailbox)

    assert result.counts == {Outcome.REPLIED: 2, Outcome.UNKNOWN_SENDER: 1}
    first, second = comments_on(ticket)
    assert (first.author, first.text) == (mail_desk.requester, "Sürücüyü yükledim, yine olmadı.")
    assert not first.is_internal  # a public reply; the quoted original is dropped
    assert (second.author, second.text) == (mail_desk.roads_manager, "Onaylıyorum")
    assert Ticket.objects.count() == 1

    # Someone marks everything unread again: nothing is processed twice.
    connection = imap_inbox.connect()
    connection.select("INBOX")
    connection.uid("STORE", "1:*", "-FLAGS", r"(\Seen)")
    connection.logout()
    before = comments_on(ticket).count()
    again = poll_mailbox(mailbox)
    assert again.counts.get(Outcome.CREATED) is None and again.counts.get(Outcome.REPLIED) is None
    assert again.counts[Outcome.DUPLICATE] >= 2
    assert Ticket.objects.count() == 1 and comments_on(ticket).count() == before


def test_automatic_mail_is_ignored(mail_desk, mailbox, imap_inbox, settings):
    settings.DEFAULT_FROM_EMAIL = "BİYS <biys@belediye.test>"
    sender = mail_desk.requester.email
    for message in (
        mail(sender, "Ofis dışındayım", "İzindeyim", headers={"Auto-Submitted": "auto-replied"}),
        mail(sender, "Otomatik yanıt", "İzindeyim", headers={"X-Autoreply": "yes"}),
        mail(sender, "Bülten", "Haberler", headers={"Precedence": "bulk"}),
        mail(sender, "Liste", "Duyuru", headers={"List-Id": "<duyuru.belediye.test>"}),
        mail("MAILER-DAEMON@belediye.test", "Undelivered Mail", "Geri döndü"),
        mail("BİYS <biys@belediye.test>", "[ARZ-2026-000001] Talebiniz alındı", "Kendi iletimiz"),
    ):
        imap_inbox.deliver(message.as_bytes())

    result = poll_mailbox(mailbox)

    assert result.counts == {Outcome.AUTOMATIC: 6}
    assert not Ticket.objects.exists()
    assert all(r"\Seen" in flags for flags in imap_inbox.flags().values())


def test_a_mail_loop_is_capped_per_sender_and_hour(mail_desk, mailbox, imap_inbox, settings):
    settings.SERVICEDESK_MAIL_TICKETS_PER_SENDER_PER_HOUR = 2
    for number in range(4):
        imap_inbox.deliver(mail(mail_desk.requester.email, f"Döngü {number}", "tekrar").as_bytes())

    result = poll_mailbox(mailbox)

    assert result.counts == {Outcome.CREATED: 2, Outcome.CAPPED: 2}
    assert Ticket.objects.filter(requester=mail_desk.requester.person).count() == 2


def test_unknown_senders_open_nothing_and_the_queue_is_told_once(mail_desk, mailbox, imap_inbox):
    for subject in ("Kampanya", "Kampanya 2"):
        imap_inbox.deliver(mail("satis@disfirma.test", subject, "Fırsat").as_bytes())

    result = poll_mailbox(mailbox)

    assert result.counts == {Outcome.UNKNOWN_SENDER: 2}
    assert not Ticket.objects.exists()
    notices = Notification.objects.filter(title__contains="satis@disfirma.test")
    assert sorted(notices.values_list("recipient__username", flat=True)) == sorted(
        [mail_desk.technician.username, mail_desk.colleague.username]
    )


def test_html_only_mail_and_a_requester_without_login(mail_desk, mailbox, imap_inbox, make_user):
    from biys.org.models import Person

    person = Person.objects.create(
        first_name="Hüseyin",
        last_name="Öztürk",
        employment_type="isci",
        unit=mail_desk.roads,
        email="huseyin.ozturk@belediye.test",
    )
    imap_inbox.deliver(
        mail(
            person.email,
            "Bilgisayar açılmıyor",
            html="<html><head><style>p{}</style></head><body><p>Merhaba,</p>"
            "<p>Bilgisayarım <b>açılmıyor</b>.</p></body></html>",
        ).as_bytes()
    )
    poll_mailbox(mailbox)
    ticket = Ticket.objects.get()
    assert ticket.requester == person and ticket.created_by is None
    assert ticket.description == "Merhaba,\n\nBilgisayarım açılmıyor."

    imap_inbox.deliver(mail(person.email, f"YNT: [{ticket.number}]", "Teşekkürler").as_bytes())
    poll_mailbox(mailbox)
    (comment,) = comments_on(ticket)
    assert comment.author is None
    assert person.email in comment.text and comment.text.endswith("Teşekkürler")


def test_connection_errors_are_recorded_and_the_command_polls_every_mailbox(
    mail_desk, mailbox, imap_inbox
):
    broken = Mailbox.objects.create(
        name="Yanlış parola",
        host=imap_inbox.host,
        port=imap_inbox.port,
        use_ssl=False,
        username=imap_inbox.user,
        password="yanlis",
        catalog_item=mail_desk.item,
    )
    imap_inbox.deliver(mail(mail_desk.requester.email, "Komutla gelen", "metin").as_bytes())

    call_command("servicedesk", "poll-mail")

    broken.refresh_from_db()
    assert broken.last_error and broken.last_polled_at is not None
    assert Ticket.objects.filter(title="Komutla gelen").exists()
    assert set(poll_mailboxes()) == {mailbox.name, broken.name}


def test_message_helpers():
    assert html_to_text("<p>Bir</p><p>İki&nbsp;üç</p><script>x()</script>") == "Bir\n\nİki üç"
    assert strip_quoted("Tamam.\n\n12.03.2026 tarihinde BİYS şunu yazdı:\n> eski") == "Tamam."
    message = parse(b"From: a@b.test\r\nAuto-Submitted: no\r\nSubject: x\r\n\r\nmetin\r\n")

    class Box:
        username = "yardim"

    assert not is_automatic(message, Box())
