"""Dispatch of a signed outgoing document by KEP (Kayıtlı Elektronik Posta).

A KEP account is a mailbox at a KEP provider (PTT KEP, TNB KEP, ...): read over IMAP (the
registry's intake, ``biys.evrak.mail_intake``) and written over SMTP submission with the
account's credentials. The institution's sending account is an ``EvrakMailbox`` of kind KEP
with its SMTP server set (``sending_mailbox``). What is sent (``build_message``):

- **Subject**: the sayı and the konu (``E-...-12 - Konu``); a Gizli or Çok Gizli document's
  konu is never written into a message (``E-...-12 - Gizli``), as on the paper dispatch list.
- **Body**: a short text in Turkish (it is a form, whatever the sender's language): the sayı,
  the date, the konu (or "Gizli"), and what is attached.
- **Files**: for a public institution (a line with a DETSİS number) the document's e-Yazışma
  package as ``<BelgeId>.eyp``, and nothing else: the receiving EBYS imports the package, whose
  üst yazı is the PDF, so the package is the document (an e-Yazışma package travels as the
  attachment of a KEP message). For a company or a person, who reads mail without an EBYS, the
  üst yazı PDF as ``<sayı>.pdf`` (the same bytes as the package's üst yazı), with the package
  too when the document has one (it has none when no recipient is a public institution).
- **Message-ID**: made here and kept with the sending, so the provider's delivery evidence
  (delil), which names the message it is about, is matched back (``evidence_for``).

Sending (``send``) goes through Django's SMTP backend aimed at the account's server, never the
site's ordinary mail settings: SSL/TLS (465), STARTTLS (587) or, for a test server, none.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from email.utils import make_msgid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.evrak.choices import NAMED_ONLY, MailboxKind, RecipientKind, SmtpSecurity

EYP_TYPE = "application/eyazisma"
PDF_TYPE = "application/pdf"
# Headers a delivery evidence (delil) names the original message by: the provider's own (the
# ETSI REM / PEC family KEP follows), and the ordinary reply headers, which count only on
# automatic mail: a person's reply to a KEP message is a new document, not evidence.
PROVIDER_HEADERS = ("X-Riferimento-Message-ID", "X-Original-Message-ID", "X-KEP-Message-ID")
REPLY_HEADERS = ("In-Reply-To", "References")
MESSAGE_ID = re.compile(r"<[^<>\s]+>")


# A sending still queued after this long was never taken by a worker (a broker down): it no
# longer holds the line, and sending again gives it up (``services.send_by_kep``).
STUCK_MINUTES = 30


def is_waiting(sending) -> bool:
    """Queued and not yet given up for stuck."""
    from datetime import timedelta

    from biys.evrak.choices import KepState

    return sending.state == KepState.QUEUED and sending.requested_at >= (
        timezone.now() - timedelta(minutes=STUCK_MINUTES)
    )


def address_suffix() -> str:
    return getattr(settings, "BIYS_EVRAK_KEP_ADDRESS_SUFFIX", ".kep.tr") or ""


def max_bytes() -> int:
    return int(getattr(settings, "BIYS_EVRAK_KEP_MAX_MB", 25)) * 1024 * 1024


def clean_address(value: str) -> str:
    """A recipient's KEP address, lower-cased; ``ValidationError`` on ``address``."""
    value = (value or "").strip().lower()
    if not value:
        raise ValidationError({"address": _("Give the recipient's KEP address.")})
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError({"address": _("Enter a valid e-mail address.")}) from None
    suffix = address_suffix().lower()
    if suffix and not value.endswith(suffix):
        raise ValidationError(
            {
                "address": _("A KEP address ends in %(suffix)s, e.g. kurum@hs01.kep.tr.")
                % {"suffix": suffix}
            }
        )
    return value


def sending_mailbox(document):
    """The active KEP account that sends for ``document``'s unit: the one whose receiving unit
    is nearest above (or is) the drafting unit, else any (the municipality's one account)."""
    from biys.evrak.models import EvrakMailbox

    accounts = list(
        EvrakMailbox.objects.filter(is_active=True, kind=MailboxKind.KEP)
        .exclude(smtp_host="")
        .select_related("receiving_unit")
        .order_by("name", "pk")
    )
    if not accounts:
        return None
    path = getattr(document.unit, "path", "") or ""
    above = [
        a for a in accounts if a.receiving_unit.path and path.startswith(a.receiving_unit.path)
    ]
    if above:
        return max(above, key=lambda account: len(account.receiving_unit.path))
    return accounts[0]


@dataclass
class KepMessage:
    subject: str
    body: str
    from_address: str
    to: str
    message_id: str
    files: list[tuple[str, bytes, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Bytes of the text and the files, as kept."""
        return len(self.subject) + len(self.body) + sum(len(data) for _n, data, _t in self.files)

    @property
    def encoded_size(self) -> int:
        """About what travels: files in base64 (four bytes for three)."""
        return (
            len(self.subject)
            + len(self.body)
            + sum((len(data) + 2) // 3 * 4 for _n, data, _t in self.files)
        )

    @property
    def file_names(self) -> str:
        return ", ".join(name for name, _data, _type in self.files)[:500]


def _date(document) -> str:
    return timezone.localtime(document.signed_at).strftime("%d.%m.%Y") if document.signed_at else ""


def _subject_text(document) -> str:
    return "Gizli" if document.confidentiality in NAMED_ONLY else " ".join(document.subject.split())


def subject_of(document) -> str:
    """The subject of the message that sends ``document`` (``<sayı> - <konu>``)."""
    return f"{document.number} - {_subject_text(document)}"[:900]


def ust_yazi(document, package: bytes | None) -> bytes:
    """The üst yazı PDF: the package's own when there is one, else the same rendering the
    package would carry (the signed PDF of an e-signature, or the official layout)."""
    if package:
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            for name in archive.namelist():
                if name.startswith("UstYazi/") and name.lower().endswith(".pdf"):
                    return archive.read(name)
    from biys.evrak.outgoing_pdf import outgoing_pdf
    from biys.evrak.signing import accepted_signature

    electronic = accepted_signature(document)
    return electronic.ust_yazi_pdf if electronic else outgoing_pdf(document)


def _package(document, *, required: bool) -> bytes | None:
    """The document's .eyp (written once, ``outgoing_services.eyp_package``), or None when it
    can have none (no recipient is a public institution) and is not ``required``."""
    from biys.evrak import outgoing_services
    from biys.evrak.eyp_writer import exportable

    try:
        if not document.package and exportable(document):
            raise ValidationError(exportable(document))
        return outgoing_services.eyp_package(document=document)
    except ValidationError as error:
        if required:
            raise ValidationError({"line": error.messages}) from None
        return None


def build_message(*, document, line, address: str, mailbox) -> KepMessage:
    """The KEP message of ``document`` for ``line`` (see the module's text); refused
    (``ValidationError``) when it cannot be made or is larger than the providers take."""
    from biys.org.models import Municipality

    institution = line.recipient_kind == RecipientKind.INSTITUTION
    package = _package(document, required=institution)
    files: list[tuple[str, bytes, str]] = []
    if package is not None:
        document.refresh_from_db(fields=["belge_id"])
        files.append((f"{document.belge_id}.eyp", package, EYP_TYPE))
    if not institution:
        safe = re.sub(r"[^0-9A-Za-z.\-]+", "_", document.number) or "ustyazi"
        files.insert(0, (f"{safe}.pdf", ust_yazi(document, package), PDF_TYPE))
    municipality = Municipality.objects.only("name").order_by("pk").first()
    konu = _subject_text(document)
    listed = "\n".join(f"  - {name}" for name, _data, _type in files)
    body = (
        f"Sayın {line.name},\n\n"
        f"{municipality.name if municipality else 'Belediye'} tarafından gönderilen resmi yazı "
        "ektedir.\n\n"
        f"Sayı: {document.number}\nTarih: {_date(document)}\nKonu: {konu}\n\n"
        f"Ekler:\n{listed}\n\n"
        + (
            "Uzantısı .eyp olan dosya yazının e-Yazışma paketidir: elektronik belge yönetim "
            "sistemleri onu içeri alır, yazının kendisi paketteki PDF'tir.\n"
            if package is not None
            else ""
        )
        + "Bu ileti BİYS tarafından kayıtlı elektronik posta (KEP) ile gönderilmiştir.\n"
    )
    domain = mailbox.from_address.rsplit("@", 1)[-1] or "biys.invalid"
    message = KepMessage(
        subject=subject_of(document),
        body=body,
        from_address=mailbox.from_address,
        to=address,
        message_id=make_msgid(idstring="biys-evrak", domain=domain),
        files=files,
    )
    if message.encoded_size > max_bytes():
        raise ValidationError(
            {
                "line": _(
                    "The message would be larger than %(mb)s MB, more than a KEP provider "
                    "takes: send it on paper."
                )
                % {"mb": max_bytes() // (1024 * 1024)}
            }
        )
    return message


def connection(mailbox):
    """Django's SMTP backend aimed at the KEP account's submission server."""
    security = mailbox.smtp_security
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=mailbox.smtp_host,
        port=mailbox.smtp_port,
        username=mailbox.smtp_username or mailbox.username,
        password=mailbox.smtp_password or mailbox.password,
        use_ssl=security == SmtpSecurity.SSL,
        use_tls=security == SmtpSecurity.STARTTLS,
        timeout=int(getattr(settings, "BIYS_EVRAK_KEP_TIMEOUT", 60)),
        fail_silently=False,
    )


def send(message: KepMessage, mailbox) -> None:
    """Hand the message to the provider over SMTP; raises what the server or network raised."""
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=message.from_address,
        to=[message.to],
        headers={"Message-ID": message.message_id, "X-BIYS-Evrak": "kep"},
        connection=connection(mailbox),
    )
    for name, data, content_type in message.files:
        email.attach(name, data, content_type)
    email.send(fail_silently=False)


def referenced_ids(message, headers) -> list[str]:
    """The Message-IDs a received message refers to in ``headers``."""
    found: list[str] = []
    for header in headers:
        for value in message.get_all(header, []) or []:
            found.extend(MESSAGE_ID.findall(str(value)))
    return found


def evidence_for(message, mailbox):
    """The KEP sending a received message is the delivery evidence of, or None: named in a
    provider's header, in an evidence XML it carries (ETSI REM ``UAMessageIdentifier``, PEC
    ``msgid``: ``biys.evrak.kep_evidence``), or, for automatic mail (a receipt, a bounce), in
    its reply headers or the returned message's headers (a DSN's)."""
    from biys.core import imap
    from biys.evrak import kep_evidence
    from biys.evrak.models import KepDispatch

    ids = referenced_ids(message, PROVIDER_HEADERS)
    if not ids:
        ids = kep_evidence.referenced_ids(message)
    if not ids and imap.is_automatic(message, mailbox):
        ids = referenced_ids(message, REPLY_HEADERS) or kep_evidence.returned_ids(message)
    if not ids:
        return None
    return KepDispatch.objects.filter(message_id__in=ids).order_by("-pk").first()
