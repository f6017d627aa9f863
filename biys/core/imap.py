"""Reading mailboxes over IMAP, shared by the modules that take mail in (the service desk's
tickets, the registry's e-mail and KEP documents): connecting to a mailbox, taking each unseen
message once under a lock, and reading a message's sender, Message-ID, text and attachments.

A mailbox is any object with ``host``, ``port``, ``use_ssl``, ``username``, ``password`` and
``folder``. ``poll_unseen`` hands every unseen message to the module's ``process(mailbox, raw)``,
which returns an outcome name and must be safe to call again with the same message; the message
is then marked ``\\Seen`` (and ``\\Flagged`` if processing failed, for an operator). Nothing is
deleted from the mailbox.
"""

import contextlib
import hashlib
import imaplib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from html.parser import HTMLParser

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

logger = logging.getLogger(__name__)

IMAP_TIMEOUT_SECONDS = 30
POLL_LOCK_SECONDS = 600
FAILED = "failed"
AUTOMATIC_SENDERS = ("mailer-daemon", "postmaster")
BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}


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


SEEN, FLAGGED_SEEN, FLAGGED_UNSEEN = r"(\Seen)", r"(\Seen \Flagged)", r"(\Flagged)"


def poll_unseen(
    mailbox,
    process: Callable[[object, bytes], str],
    *,
    lock: str,
    failed_flags: str = FLAGGED_SEEN,
    report_failures: bool = False,
) -> PollResult:
    """Hand each unseen message of ``mailbox`` to ``process`` under the cache lock ``lock`` (two
    workers polling one mailbox would both see a message as unseen); a connection or protocol
    error ends the poll and is returned as ``error``. A message that fails gets
    ``failed_flags`` (``FLAGGED_UNSEEN`` leaves it to be tried again at the next poll) and,
    with ``report_failures``, its reason in ``error``."""
    result = PollResult()
    if not cache.add(lock, "1", timeout=POLL_LOCK_SECONDS):
        result.error = "busy"
        return result
    try:
        _poll(mailbox, process, result, failed_flags, report_failures)
    finally:
        cache.delete(lock)
    return result


def _poll(mailbox, process, result: PollResult, failed_flags: str, report: bool) -> None:
    try:
        connection = connect(mailbox)
    except (TimeoutError, OSError, imaplib.IMAP4.error) as error:
        result.error = f"{type(error).__name__}: {error}"
        logger.warning("Mailbox %s: %s", mailbox, result.error)
    else:
        try:
            _process_unseen(mailbox, connection, process, result, failed_flags, report)
        except (OSError, imaplib.IMAP4.error) as error:
            result.error = f"{type(error).__name__}: {error}"
            logger.warning("Mailbox %s: %s", mailbox, result.error)
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                connection.logout()


def _process_unseen(
    mailbox, connection: imaplib.IMAP4, process, result: PollResult, failed_flags: str, report
) -> None:
    status, data = connection.uid("SEARCH", None, "UNSEEN")
    if status != "OK":
        raise imaplib.IMAP4.error(f"SEARCH failed: {data!r}")
    for uid in (data[0] or b"").split():
        raw = _fetch(connection, uid)
        if raw is None:
            continue
        flags = SEEN
        try:
            outcome = process(mailbox, raw)
        except (ValidationError, PermissionDenied) as error:
            outcome, flags = FAILED, failed_flags
            logger.warning("Mailbox %s: message %s refused: %s", mailbox, uid, error)
            if report:
                result.error = result.error or f"{uid.decode()}: {error}"
        except Exception as error:
            outcome, flags = FAILED, failed_flags
            logger.exception("Mailbox %s: message %s failed", mailbox, uid)
            if report:
                result.error = result.error or f"{uid.decode()}: {type(error).__name__}: {error}"
        connection.uid("STORE", uid, "+FLAGS", flags)
        result.add(outcome)
