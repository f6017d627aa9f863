"""Documents arriving by e-mail or KEP: the active ``EvrakMailbox``es are polled over IMAP
(the shared reading of ``biys.core.imap``, as the service desk's intake) and each new message
is kept whole as a ``ReceivedMail`` waiting for the registry clerk: the .eml, the sender,
subject and date, the text, and its attachments (PDFs and images as the register's scans; an
``.eyp`` attachment is named so the page offers the e-Yazışma import).

Nothing is lost: a message is recognised by its Message-ID (a stand-in from the content when it
has none), so polling again never takes it twice; a message that cannot be stored stays unseen
and flagged in the mailbox for an operator, and the poll's error is shown on the mailbox.
Automatic mail (bounces, auto-replies, list mail) is left in the mailbox, marked read. A KEP
provider's delivery evidence (delil) about a document BİYS sent by KEP (it names that message's
Message-ID) is kept as evidence of that sending, not waiting for registration, and read for
what it says (``services.record_kep_evidence``).
"""

import hashlib
import logging
from email.utils import getaddresses, parsedate_to_datetime

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from biys.core import imap

logger = logging.getLogger(__name__)

CREATED = "created"
DUPLICATE = "duplicate"
AUTOMATIC = "automatic"
PACKAGE_SUFFIX = ".eyp"


def _sent_at(message):
    try:
        moment = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def _sender(message) -> tuple[str, str]:
    pairs = getaddresses([str(message.get("From", ""))])
    name, address = pairs[0] if pairs else ("", "")
    return " ".join(name.split())[:300], address.strip().lower()[:300]


def process_message(mailbox, raw: bytes) -> str:
    """Keep one message (idempotent by Message-ID); returns the outcome."""
    from biys.attachments.services import store_attachment
    from biys.evrak.choices import MailboxKind, MailState
    from biys.evrak.kep import evidence_for
    from biys.evrak.models import ReceivedMail

    message = imap.parse(raw)
    identifier = imap.message_id(message, raw)
    if ReceivedMail.objects.filter(message_id=identifier).exists():
        return DUPLICATE
    # A KEP provider's delivery evidence (delil) about a document BİYS sent is kept as such,
    # linked to that sending, even though it is automatic mail (``biys.evrak.kep``).
    sending = evidence_for(message, mailbox) if mailbox.kind == MailboxKind.KEP else None
    if sending is None and imap.is_automatic(message, mailbox):
        logger.info("Evrak mailbox %s: automatic mail %s left alone", mailbox, identifier)
        return AUTOMATIC
    name, address = _sender(message)
    files = imap.attachments(message)
    package = next((f.name for f in files if f.name.lower().endswith(PACKAGE_SUFFIX)), "")
    mail = ReceivedMail(
        mailbox=mailbox,
        channel=mailbox.kind,
        message_id=identifier,
        sender_name=name,
        sender_address=address,
        subject=" ".join(str(message.get("Subject", "")).split())[:500],
        sent_at=_sent_at(message),
        body=imap.body_text(message)[:100000],
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        package_name=package[:255],
        state=MailState.WAITING if sending is None else MailState.EVIDENCE,
        kep_dispatch=sending,
    )
    stored: list[str] = []
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            mail.file.save(f"{mail.sha256}.eml", ContentFile(raw), save=False)
            stored.append(mail.file.name)
            mail.save()
            refused = []
            for upload in files:
                if upload.name.lower().endswith(PACKAGE_SUFFIX):
                    continue  # kept in the .eml; imported from it on the clerk's request
                try:
                    attachment = store_attachment(
                        obj=mail, uploaded_file=upload, description=_("Received by e-mail")
                    )
                except ValidationError as error:
                    reasons = error.message_dict.get("file") or error.messages
                    refused.append(f"{upload.name}: {' '.join(reasons)}")
                else:
                    stored.append(attachment.file.name)
            if refused:
                mail.problems = "\n".join(refused)
                mail.save(update_fields=["problems"])
            if sending is not None:
                # What the evidence says (accepted, delivered, not delivered...): the sending's
                # state follows, and a failure is told to who sent it.
                from biys.evrak.services import record_kep_evidence

                record_kep_evidence(sending=sending, mail=mail, message=message, raw=raw)
    except IntegrityError:
        _remove(stored)
        return DUPLICATE  # another poll took it at the same moment
    except Exception:
        _remove(stored)
        raise
    logger.info("Evrak mailbox %s: %s from %s kept", mailbox, identifier, address)
    return CREATED


def _remove(names) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def poll_mailbox(mailbox) -> imap.PollResult:
    from biys.evrak.models import EvrakMailbox

    result = imap.poll_unseen(
        mailbox,
        process_message,
        lock=f"evrak:poll-mailbox:{mailbox.pk}",
        failed_flags=imap.FLAGGED_UNSEEN,  # left unread: taken at the next poll
        report_failures=True,
    )
    EvrakMailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=timezone.now(), last_error=result.error[:2000]
    )
    return result


def poll_mailboxes() -> dict[str, imap.PollResult]:
    from biys.evrak.models import EvrakMailbox

    return {
        mailbox.name: poll_mailbox(mailbox)
        for mailbox in EvrakMailbox.objects.filter(is_active=True).select_related("receiving_unit")
    }


@shared_task(name="biys.evrak.mail_intake.poll_mailboxes_task", ignore_result=True)
def poll_mailboxes_task() -> dict[str, dict[str, int]]:
    return {name: result.counts for name, result in poll_mailboxes().items()}
