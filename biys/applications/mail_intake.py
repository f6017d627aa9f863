"""Applications arriving by e-mail: the active ``ApplicationMailbox``es are polled over IMAP
(the shared reading of ``biys.core.imap``, as the service desk's and the registry's intakes) and
each new message becomes an application of the mailbox's type on the e-mail channel, received
that day: the sender as the applicant (name and address), the subject, the text as the
description, the attachments as its documents. The type's own fields are left for the clerk.

A message is recognised by its Message-ID (a stand-in from the content when it has none), so
polling again never takes it twice; one that cannot be recorded stays unseen and flagged in the
mailbox for an operator, and the poll's error is shown on the mailbox. Automatic mail (bounces,
auto-replies, list mail) is left in the mailbox, marked read.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from biys.core import imap

logger = logging.getLogger(__name__)

CREATED = "created"
DUPLICATE = "duplicate"
AUTOMATIC = "automatic"


def _sender(message) -> tuple[str, str]:
    from email.utils import getaddresses

    pairs = getaddresses([str(message.get("From", ""))])
    name, address = pairs[0] if pairs else ("", "")
    return " ".join(name.split())[:200], address.strip().lower()[:254]


def process_message(mailbox, raw: bytes) -> str:
    """Record one message as an application (idempotent by Message-ID); returns the outcome."""
    from biys.applications import services
    from biys.applications.choices import Channel
    from biys.applications.models import Application
    from biys.attachments.services import store_attachment

    message = imap.parse(raw)
    identifier = imap.message_id(message, raw)[:300]
    if Application.objects.filter(message_id=identifier).exists():
        return DUPLICATE
    if imap.is_automatic(message, mailbox):
        logger.info("Applications mailbox %s: automatic mail %s left alone", mailbox, identifier)
        return AUTOMATIC
    name, address = _sender(message)
    stored: list[str] = []
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            application = services.receive_application(
                user=None,
                type=mailbox.application_type,
                received_on=timezone.localdate(),
                channel=Channel.EMAIL,
                responsible_unit=None if mailbox.application_type.unit_id else mailbox.unit,
                subject=" ".join(str(message.get("Subject", "")).split())[:300]
                or _("(no subject)"),
                description=imap.body_text(message)[:100000],
                applicant_name=name or address,
                email=address,
                message_id=identifier,
                require_form_fields=False,
            )
            refused = []
            for upload in imap.attachments(message):
                try:
                    attachment = store_attachment(
                        obj=application, uploaded_file=upload, description=_("Received by e-mail")
                    )
                except ValidationError as error:
                    reasons = error.message_dict.get("file") or error.messages
                    refused.append(f"{upload.name}: {' '.join(reasons)}")
                else:
                    stored.append(attachment.file.name)
            if refused:
                application.description += "\n\n" + _("Attachments not kept:") + "\n"
                application.description += "\n".join(refused)
                application.save(update_fields=["description", "last_updated"])
    except IntegrityError:
        _remove(stored)
        return DUPLICATE  # another poll took it at the same moment
    except Exception:
        _remove(stored)
        raise
    logger.info("Applications mailbox %s: %s from %s recorded", mailbox, identifier, address)
    return CREATED


def _remove(names) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def poll_mailbox(mailbox) -> imap.PollResult:
    from biys.applications.models import ApplicationMailbox

    result = imap.poll_unseen(
        mailbox,
        process_message,
        lock=f"applications:poll-mailbox:{mailbox.pk}",
        failed_flags=imap.FLAGGED_UNSEEN,  # left unread: taken at the next poll
        report_failures=True,
    )
    ApplicationMailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=timezone.now(), last_error=result.error[:2000]
    )
    return result


def poll_mailboxes() -> dict[str, imap.PollResult]:
    from biys.applications.models import ApplicationMailbox

    return {
        mailbox.name: poll_mailbox(mailbox)
        for mailbox in ApplicationMailbox.objects.filter(is_active=True).select_related(
            "application_type", "unit"
        )
    }


@shared_task(name="biys.applications.mail_intake.poll_mailboxes_task", ignore_result=True)
def poll_mailboxes_task() -> dict[str, dict[str, int]]:
    return {name: result.counts for name, result in poll_mailboxes().items()}
