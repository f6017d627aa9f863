"""E-mail intake: IMAP mailboxes polled for new tickets and replies.

For each unseen message of an active ``Mailbox``:

- automatic mail (auto-replies, bounces, mailing lists, bulk, our own messages) is ignored, so
  we never answer a machine and never loop;
- a subject carrying ``[ARZ-YYYY-NNNNNN]`` of an existing ticket (or an ``In-Reply-To`` naming
  the message that opened one) adds a public comment from the sender;
- any other message from a known person (a ``Person`` or user with that address, compared
  case-insensitively) opens a ticket with the mailbox's catalogue item; at most
  ``SERVICEDESK_MAIL_TICKETS_PER_SENDER_PER_HOUR`` per sender and hour, the rest are ignored;
- a message from an unknown sender opens nothing: it is logged and the queue of the mailbox's
  unit gets an in-app notice (at most one per sender and hour), so a person can act on it.

Processing is idempotent: a message that opened a ticket is recognised by its Message-ID
(``Ticket.email_message_id``), a reply by the same author and text on the same ticket. Each
message is marked ``\\Seen`` once processed (and ``\\Flagged`` if it failed, for an operator).
"""

import contextlib
import hashlib
import imaplib
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from html.parser import HTMLParser

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from biys.accounts.scope import can

logger = logging.getLogger(__name__)

TICKET_NUMBER = re.compile(r"\[(ARZ-\d{4}-\d{6})\]", re.IGNORECASE)
DEFAULT_TICKETS_PER_SENDER_PER_HOUR = 5
IMAP_TIMEOUT_SECONDS = 30
POLL_LOCK_SECONDS = 600
AUTOMATIC_SENDERS = ("mailer-daemon", "postmaster")
BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
# Lines that start the quoted original in a reply (Outlook, Gmail, Thunderbird; tr and en).
QUOTE_MARKERS = (
    re.compile(r"^-{2,}\s*(Original Message|Özgün İleti|Orijinal Mesaj)", re.IGNORECASE),
    re.compile(r"^(From|Kimden|Gönderen):\s", re.IGNORECASE),
    re.compile(r"^On .+ wrote:$"),
    re.compile(r"^.+ (tarihinde|tarihinde şunu) .*yazdı:$"),
)


class Outcome:
    CREATED = "created"
    REPLIED = "replied"
    DUPLICATE = "duplicate"
    AUTOMATIC = "automatic"
    CAPPED = "capped"
    UNKNOWN_SENDER = "unknown_sender"
    FAILED = "failed"


@dataclass
class PollResult:
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1


# ---------------------------------------------------------------------------------------------
# Reading a message


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "table", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skipping = max(self.skipping - 1, 0)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def parse(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)


def sender_address(message: EmailMessage) -> str:
    return parseaddr(str(message.get("From", "")))[1].strip().lower()


def message_id(message: EmailMessage, raw: bytes) -> str:
    """The Message-ID, or a stable stand-in from the content when the sender left it out."""
    value = str(message.get("Message-ID", "")).strip()
    if not value:
        value = f"<{hashlib.sha256(raw).hexdigest()}@biys.invalid>"
    return value[:300]


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):  # an unknown or lying charset
        content = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return content.replace("\r\n", "\n").strip()


def strip_quoted(text: str) -> str:
    """The new part of a reply: everything above the quoted original."""
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(">") or any(marker.match(stripped) for marker in QUOTE_MARKERS):
            break
        kept.append(line)
    return "\n".join(kept).strip() or text.strip()


def attachments(message: EmailMessage) -> list[ContentFile]:
    files = []
    for index, part in enumerate(message.iter_attachments(), start=1):
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        name = part.get_filename() or f"ek-{index}"
        files.append(ContentFile(payload, name=name))
    return files


def own_addresses(mailbox) -> set[str]:
    addresses = {
        parseaddr(getattr(settings, name, "") or "")[1].lower()
        for name in ("DEFAULT_FROM_EMAIL", "SERVER_EMAIL")
    }
    if "@" in mailbox.username:
        addresses.add(mailbox.username.lower())
    return {address for address in addresses if address}


def is_automatic(message: EmailMessage, mailbox) -> bool:
    """Auto-replies, bounces, bulk and list mail, and our own messages coming back."""
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if message.get("X-Autoreply") is not None or message.get("X-Autorespond") is not None:
        return True
    if str(message.get("Precedence", "")).strip().lower() in BULK_PRECEDENCE:
        return True
    if message.get("List-Id") is not None or message.get("List-Unsubscribe") is not None:
        return True
    if str(message.get("Return-Path", "")).strip() == "<>":
        return True
    sender = sender_address(message)
    if not sender or sender.split("@", 1)[0] in AUTOMATIC_SENDERS:
        return True
    return sender in own_addresses(mailbox)


# ---------------------------------------------------------------------------------------------
# Deciding what a message does


def find_person(address: str):
    """The person with this e-mail address (on the person record or their login)."""
    from biys.org.choices import PersonStatus
    from biys.org.models import Person

    if not address:
        return None
    matches = Person.objects.filter(
        Q(email__iexact=address) | Q(user__email__iexact=address)
    ).exclude(status=PersonStatus.LEFT)
    return matches.order_by("pk").first()


def user_of(person):
    """The person's active login, if any (the reverse one-to-one raises an AttributeError)."""
    user = getattr(person, "user", None) if person is not None else None
    return user if user is not None and user.is_active else None


def find_ticket(message: EmailMessage):
    """The ticket a reply belongs to: by the number in the subject, else by In-Reply-To."""
    from biys.servicedesk.models import Ticket

    match = TICKET_NUMBER.search(str(message.get("Subject", "")))
    if match:
        ticket = Ticket.objects.filter(number=match.group(1).upper()).first()
        if ticket is not None:
            return ticket
    references = " ".join(str(message.get(name, "")) for name in ("In-Reply-To", "References"))
    ids = re.findall(r"<[^<>\s]+>", references)
    if ids:
        return Ticket.objects.filter(email_message_id__in=ids).order_by("pk").first()
    return None


def tickets_per_hour_cap() -> int:
    return getattr(
        settings,
        "SERVICEDESK_MAIL_TICKETS_PER_SENDER_PER_HOUR",
        DEFAULT_TICKETS_PER_SENDER_PER_HOUR,
    )


def over_cap(person) -> bool:
    from biys.servicedesk.choices import Channel
    from biys.servicedesk.models import Ticket

    since = timezone.now() - timedelta(hours=1)
    recent = Ticket.objects.filter(requester=person, channel=Channel.EMAIL, created__gte=since)
    return recent.count() >= tickets_per_hour_cap()


def process_message(mailbox, raw: bytes) -> str:
    """Apply one message; returns the Outcome. Safe to call again with the same message."""
    message = parse(raw)
    if is_automatic(message, mailbox):
        logger.info("Mailbox %s: ignored automatic mail from %s", mailbox, sender_address(message))
        return Outcome.AUTOMATIC
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        ticket = find_ticket(message)
        if ticket is not None:
            return _add_reply(ticket, message)
        return _open_ticket(mailbox, message, raw)


def _open_ticket(mailbox, message: EmailMessage, raw: bytes) -> str:
    from biys.servicedesk import services
    from biys.servicedesk.choices import Channel
    from biys.servicedesk.models import Ticket

    identifier = message_id(message, raw)
    if Ticket.objects.filter(email_message_id=identifier).exists():
        return Outcome.DUPLICATE
    address = sender_address(message)
    person = find_person(address)
    if person is None:
        _report_unknown_sender(mailbox, message, address)
        return Outcome.UNKNOWN_SENDER
    if over_cap(person):
        logger.warning(
            "Mailbox %s: %s opened %d tickets within the hour; message %s ignored",
            mailbox,
            address,
            tickets_per_hour_cap(),
            identifier,
        )
        return Outcome.CAPPED
    title = " ".join(str(message.get("Subject", "")).split())[:200] or _("(no subject)")
    ticket = services.create_ticket(
        catalog_item=mailbox.catalog_item,
        requester=person,
        title=title,
        description=body_text(message),
        created_by=user_of(person),
        channel=Channel.EMAIL,
    )
    ticket.email_message_id = identifier
    ticket.save(update_fields=["email_message_id", "last_updated"])
    _keep_attachments(ticket, message, user_of(person))
    logger.info("Mailbox %s: %s opened %s", mailbox, address, ticket.number)
    return Outcome.CREATED


def _add_reply(ticket, message: EmailMessage) -> str:
    from biys.comments.models import Comment
    from biys.servicedesk import services, workflow

    address = sender_address(message)
    person = find_person(address)
    user = user_of(person)
    text = strip_quoted(body_text(message))
    if not text and not message.get_body():
        text = _("(empty message)")
    author = user if user is not None and workflow.allows(user, ticket, "reply") else None
    from_requester = person is not None and person.pk == ticket.requester_id
    if author is None and not from_requester:
        logger.warning(
            "Ticket %s: reply from %s refused (not the requester, no access)",
            ticket.number,
            address,
        )
        return Outcome.UNKNOWN_SENDER
    if author is None:  # the requester has no login: a comment in their name from the system
        text = (
            _("E-mail from %(name)s <%(address)s>:")
            % {
                "name": person.full_name,
                "address": address,
            }
            + f"\n\n{text}"
        )
    existing = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(ticket),
        object_id=str(ticket.pk),
        author=author,
        text=text[:10000],
    )
    if existing.exists():
        return Outcome.DUPLICATE
    _keep_attachments(ticket, message, author)
    if author is not None:
        services.add_reply(ticket=ticket, user=author, text=text[:10000])
    else:
        Comment.objects.create(
            content_type=ContentType.objects.get_for_model(ticket),
            object_id=str(ticket.pk),
            author=None,
            text=text[:10000],
        )
    logger.info("Ticket %s: reply by e-mail from %s", ticket.number, address)
    return Outcome.REPLIED


def _keep_attachments(ticket, message: EmailMessage, user) -> None:
    """Keep every attachment whose content is of an accepted type; name the refused ones in a
    public comment so the sender and the technician both see what did not arrive."""
    from biys.attachments.services import add_attachment

    refused = []
    for upload in attachments(message):
        try:
            if user is not None and can(user, "change", ticket):
                add_attachment(obj=ticket, uploaded_file=upload, user=user)
            else:
                _add_attachment_as_system(ticket, upload)
        except ValidationError as error:
            reasons = error.message_dict.get("file") or error.messages
            refused.append(f"{upload.name}: {' '.join(reasons)}")
    if refused:
        _system_comment(
            ticket,
            _("These attachments of the e-mail were not kept:") + "\n" + "\n".join(refused),
        )


def _add_attachment_as_system(ticket, upload):
    """The intake is trusted: a requester mailing a screenshot gets the same size and type
    checks as an upload, without needing the right to change the ticket."""
    from biys.attachments.services import store_attachment

    return store_attachment(obj=ticket, uploaded_file=upload, description=_("Received by e-mail"))


def _system_comment(ticket, text: str):
    from biys.comments.models import Comment

    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(ticket),
        object_id=str(ticket.pk),
        author=None,
        text=text[:10000],
    )


def _report_unknown_sender(mailbox, message: EmailMessage, address: str) -> None:
    """No ticket for strangers (spam, outsiders): the queue hears of it once per sender and hour
    in the app and may file the ticket by hand for the right person."""
    from biys.notifications.models import Notification
    from biys.notifications.services import notify
    from biys.servicedesk.notify import queue_users

    subject = " ".join(str(message.get("Subject", "")).split())[:120]
    title = _("E-mail from an unknown sender: %(address)s") % {"address": address}
    logger.warning("Mailbox %s: no person has the address %s; no ticket opened", mailbox, address)
    recipients = queue_users(mailbox.catalog_item.unit)
    since = timezone.now() - timedelta(hours=1)
    if Notification.objects.filter(title=title[:200], created__gte=since).exists():
        return
    notify(
        recipients=recipients,
        title=title,
        body=_(
            "The mailbox %(mailbox)s received “%(subject)s” from %(address)s, who is not in the "
            "staff records. No ticket was opened; file one by hand if it is a real request."
        )
        % {"mailbox": mailbox.name, "subject": subject, "address": address},
        email=False,
    )


# ---------------------------------------------------------------------------------------------
# IMAP


def connect(mailbox) -> imaplib.IMAP4:
    imap_class = imaplib.IMAP4_SSL if mailbox.use_ssl else imaplib.IMAP4
    connection = imap_class(mailbox.host, mailbox.port, timeout=IMAP_TIMEOUT_SECONDS)
    connection.login(mailbox.username, mailbox.password)
    status, _data = connection.select(_quote(mailbox.folder))
    if status != "OK":
        connection.logout()
        raise imaplib.IMAP4.error(f"cannot open folder {mailbox.folder}")
    return connection


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fetch(connection: imaplib.IMAP4, uid: bytes) -> bytes | None:
    status, data = connection.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None


def poll_mailbox(mailbox) -> PollResult:
    """Process the unseen messages of one mailbox; records the poll time and any error."""
    from biys.servicedesk.models import Mailbox

    result = PollResult()
    lock = f"servicedesk:poll-mailbox:{mailbox.pk}"
    # Two workers polling one mailbox would both see a message as unseen.
    if not cache.add(lock, "1", timeout=POLL_LOCK_SECONDS):
        result.error = "busy"
        return result
    try:
        _poll(mailbox, result)
    finally:
        cache.delete(lock)
    # update(), not save(): a poll every minute is not a change worth a change-log entry.
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=timezone.now(), last_error=result.error[:2000]
    )
    return result


def _poll(mailbox, result: PollResult) -> None:
    try:
        connection = connect(mailbox)
    except (TimeoutError, OSError, imaplib.IMAP4.error) as error:
        result.error = f"{type(error).__name__}: {error}"
        logger.warning("Mailbox %s: %s", mailbox, result.error)
    else:
        try:
            _process_unseen(mailbox, connection, result)
        except (OSError, imaplib.IMAP4.error) as error:
            result.error = f"{type(error).__name__}: {error}"
            logger.warning("Mailbox %s: %s", mailbox, result.error)
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                connection.logout()


def _process_unseen(mailbox, connection: imaplib.IMAP4, result: PollResult) -> None:
    status, data = connection.uid("SEARCH", None, "UNSEEN")
    if status != "OK":
        raise imaplib.IMAP4.error(f"SEARCH failed: {data!r}")
    for uid in (data[0] or b"").split():
        raw = _fetch(connection, uid)
        if raw is None:
            continue
        flags = r"(\Seen)"
        try:
            outcome = process_message(mailbox, raw)
        except (ValidationError, PermissionDenied) as error:
            outcome, flags = Outcome.FAILED, r"(\Seen \Flagged)"
            logger.warning("Mailbox %s: message %s refused: %s", mailbox, uid, error)
        except Exception:
            outcome, flags = Outcome.FAILED, r"(\Seen \Flagged)"
            logger.exception("Mailbox %s: message %s failed", mailbox, uid)
        connection.uid("STORE", uid, "+FLAGS", flags)
        result.add(outcome)


def poll_mailboxes() -> dict[str, PollResult]:
    from biys.servicedesk.models import Mailbox

    return {
        mailbox.name: poll_mailbox(mailbox)
        for mailbox in Mailbox.objects.filter(is_active=True).select_related("catalog_item__unit")
    }


@shared_task(name="biys.servicedesk.mail_intake.poll_mailboxes_task", ignore_result=True)
def poll_mailboxes_task() -> dict[str, dict[str, int]]:
    return {name: result.counts for name, result in poll_mailboxes().items()}
