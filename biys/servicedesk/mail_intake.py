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

import logging
import re
from datetime import timedelta
from email.message import EmailMessage

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from biys.accounts.scope import can
from biys.core.imap import (  # noqa: F401  (the shared IMAP reading, used here and by tests)
    IMAP_TIMEOUT_SECONDS,
    POLL_LOCK_SECONDS,
    PollResult,
    attachments,
    body_text,
    connect,
    html_to_text,
    is_automatic,
    message_id,
    own_addresses,
    parse,
    poll_unseen,
    sender_address,
)

logger = logging.getLogger(__name__)

TICKET_NUMBER = re.compile(r"\[(ARZ-\d{4}-\d{6})\]", re.IGNORECASE)
DEFAULT_TICKETS_PER_SENDER_PER_HOUR = 5
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


# ---------------------------------------------------------------------------------------------
# Reading a message


def strip_quoted(text: str) -> str:
    """The new part of a reply: everything above the quoted original."""
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(">") or any(marker.match(stripped) for marker in QUOTE_MARKERS):
            break
        kept.append(line)
    return "\n".join(kept).strip() or text.strip()


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
        return (
            Ticket.objects.filter(email_message_id__in=ids, email_message_id__gt="")
            .order_by("pk")
            .first()
        )
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
    if Ticket.objects.filter(email_message_id=identifier, email_message_id__gt="").exists():
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


def poll_mailbox(mailbox) -> PollResult:
    """Process the unseen messages of one mailbox; records the poll time and any error."""
    from biys.servicedesk.models import Mailbox

    result = poll_unseen(mailbox, process_message, lock=f"servicedesk:poll-mailbox:{mailbox.pk}")
    # update(), not save(): a poll every minute is not a change worth a change-log entry.
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=timezone.now(), last_error=result.error[:2000]
    )
    return result


def poll_mailboxes() -> dict[str, PollResult]:
    from biys.servicedesk.models import Mailbox

    return {
        mailbox.name: poll_mailbox(mailbox)
        for mailbox in Mailbox.objects.filter(is_active=True).select_related("catalog_item__unit")
    }


@shared_task(name="biys.servicedesk.mail_intake.poll_mailboxes_task", ignore_result=True)
def poll_mailboxes_task() -> dict[str, dict[str, int]]:
    return {name: result.counts for name, result in poll_mailboxes().items()}
