"""What a KEP provider's delivery evidence (delil) says about a message BİYS sent.

A KEP provider reports each step of a message as a message into the sender's KEP mailbox: the
message was accepted (kabul), refused by the provider, delivered to the recipient's mailbox
(teslim), not delivered (with a reason), and with some providers read (okundu). The KEP
Yönetmeliği and the BTK's technical criteria model these evidences on ETSI REM; how a Turkish
provider writes them into a message is not published, so ``read`` tries, most trusted first:

1. **An evidence XML attached** (read with lxml: no DTD, no entities, no network, size-limited):
   - ETSI TS 102 640-2 REM-MD evidence (namespace ``http://uri.etsi.org/02640/...``): the root
     element is the evidence type (``SubmissionAcceptanceRejection``,
     ``RelayREMMDAcceptanceRejection``, ``DeliveryNonDeliveryToRecipient``,
     ``RetrievalNonRetrievalByRecipient``...), ``EventCode`` says which way it went
     (``http:uri.etsi.org/02640/Event#Acceptance``, ``#Rejection``, ``#Delivery``,
     ``#DeliveryExpiration``), ``EventTime`` when, ``EventReasons/EventReason`` why, and
     ``SenderMessageDetails/UAMessageIdentifier`` names the original Message-ID;
   - ETSI EN 319 522-3 ERDS evidence (namespace ``http://uri.etsi.org/19522/...``): the event
     named by the last part of its event identifier (``SubmissionAcceptance``,
     ``ContentConsignment``, ``ContentHandover``...);
   - the Italian PEC receipt ``daticert.xml`` (RFC 6109, the family KEP's headers come from):
     ``postacert/@tipo`` (``accettazione``, ``avvenuta-consegna``, ``errore-consegna``...).
2. **A delivery or read report** (RFC 3464 DSN ``message/delivery-status``, RFC 8098 MDN
   ``message/disposition-notification``), as an ordinary mail system sends.
3. **A provider header** (``EVIDENCE_HEADERS``: PEC's ``X-Ricevuta`` and the ``X-KEP-*`` /
   ``X-REM-*`` names a provider may use; the latter are a guess), read by the keywords below.
4. **The subject's keywords** in Turkish, English and Italian (``KEYWORDS``), the original
   message's own subject (sayı and konu) taken out first so a konu saying "teslim" is not
   read as a delivery. This is the fallback and a guess.

The first of these found decides: a standard evidence (1, 2) that BİYS reads but does not map
stays ``unknown`` rather than be overridden by a guess from 3 or 4. Whatever cannot be read is
``unknown``: the evidence is still kept and shown. The message's S/MIME signature is
``biys.evrak.kep_signature``'s check; a message inside an opaque signature (``.p7m``) is
opened there and read here. An XMLDSig inside the evidence XML is not verified.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from email.utils import parsedate_to_datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from biys.evrak.choices import KepEvidenceKind as Kind
from biys.evrak.choices import KepEvidenceSource as Source

logger = logging.getLogger(__name__)

MAX_XML_BYTES = 2 * 1024 * 1024
MAX_PARTS = 50
REASON_CHARS = 2000
MESSAGE_ID = re.compile(r"<[^<>\s]+>")

REM_NAMESPACE = "http://uri.etsi.org/02640/"
ERDS_NAMESPACE = "http://uri.etsi.org/19522/"

# Provider headers naming the kind of evidence. X-Ricevuta is PEC's (RFC 6109); the X-KEP-* and
# X-REM-* names are a guess at what a KEP provider writes: none is documented publicly.
EVIDENCE_HEADERS = (
    "X-Ricevuta",
    "X-KEP-Delil-Turu",
    "X-KEP-Delil",
    "X-KEP-Evidence-Type",
    "X-KEP-Evidence",
    "X-REM-Evidence-Type",
    "X-REM-Evidence",
    "X-REM-Event",
)

# ETSI TS 102 640-2 evidence types: (kind when the event went well, kind when it did not).
REM_TYPES = {
    "submissionacceptancerejection": (Kind.ACCEPTED, Kind.REJECTED),
    "relayremmdacceptancerejection": (Kind.ACCEPTED, Kind.NOT_DELIVERED),
    "relaytoremmdacceptancerejection": (Kind.ACCEPTED, Kind.NOT_DELIVERED),
    "relayremmdfailure": (Kind.NOT_DELIVERED, Kind.NOT_DELIVERED),
    "relaytoremmdfailure": (Kind.NOT_DELIVERED, Kind.NOT_DELIVERED),
    "deliverynondeliverytorecipient": (Kind.DELIVERED, Kind.NOT_DELIVERED),
    "downloadnondownloadbyrecipient": (Kind.READ, Kind.UNKNOWN),
    "retrievalnonretrievalbyrecipient": (Kind.READ, Kind.UNKNOWN),
    "acceptancerejectionbyrecipient": (Kind.READ, Kind.NOT_DELIVERED),
    "relaytononremsystem": (Kind.UNKNOWN, Kind.NOT_DELIVERED),
    "receivedfromnonremsystem": (Kind.UNKNOWN, Kind.UNKNOWN),
}
NEGATIVE_EVENT = ("reject", "non", "fail", "expir")

# ETSI EN 319 522 events, read by their names (not seen from a KEP provider: a reading).
ERDS_EVENTS = {
    "submissionacceptance": Kind.ACCEPTED,
    "submissionrejection": Kind.REJECTED,
    "relayacceptance": Kind.ACCEPTED,
    "relayrejection": Kind.NOT_DELIVERED,
    "relayfailure": Kind.NOT_DELIVERED,
    "relaytononerdsfailure": Kind.NOT_DELIVERED,
    "contentconsignment": Kind.DELIVERED,
    "contentconsignmentfailure": Kind.NOT_DELIVERED,
    "contenthandover": Kind.READ,
    "consignmentacceptance": Kind.READ,
    "consignmentrejection": Kind.NOT_DELIVERED,
}

# PEC receipt types (RFC 6109 X-Ricevuta and daticert.xml postacert/@tipo).
PEC_TYPES = {
    "accettazione": Kind.ACCEPTED,
    "presa-in-carico": Kind.ACCEPTED,
    "non-accettazione": Kind.REJECTED,
    "avvenuta-consegna": Kind.DELIVERED,
    "errore-consegna": Kind.NOT_DELIVERED,
    "preavviso-errore-consegna": Kind.NOT_DELIVERED,
    "mancata-consegna": Kind.NOT_DELIVERED,
    "rilevazione-virus": Kind.NOT_DELIVERED,
}

# Keywords of the fallback, on text folded to lower-case ASCII (ç→c, ğ→g, ı/İ→i, ö→o, ş→s,
# ü→u). Checked in this order: the failures first, since "teslim edilemedi" holds "teslim".
KEYWORDS = (
    # Not an outcome: a delay, "not read yet".
    (Kind.UNKNOWN, r"\bdelay(ed)?\b|gecikme|okunmadi|okunmamis|not read|non letto"),
    (
        Kind.NOT_DELIVERED,
        r"teslim edileme|teslim edilme|iletileme|ulastirilama|teslim hatasi|teslimat hatasi"
        r"|not delivered|undeliver|non-?delivery|delivery (status notification \(failure|fail)"
        r"|deliveryfailure|delivery ?expir|mancata consegna|errore(-| )consegna|ulasmadi|ulasamadi"
        r"|relay ?failure|consignment ?failure|\bnot_delivered\b",
    ),
    (
        Kind.REJECTED,
        r"reddedil|\bret delili|\bred delili|kabul edileme|kabul edilme|\brejected\b"
        r"|\brejection\b|not accepted|non(-| )accettazione",
    ),
    (
        Kind.READ,
        r"\bokundu|okunma delili|okuma delili|\bacildi\b|goruntulendi|read receipt|\bread\b"
        r"|retriev|download|displayed",
    ),
    (
        Kind.DELIVERED,
        r"\bteslim|\bdelivered\b|\bdelivery\b|avvenuta(-| )consegna|\bconsegna\b"
        r"|consignment|handover",
    ),
    (
        Kind.ACCEPTED,
        r"\bkabul|gonderim delili|\baccepted\b|\bacceptance\b|accettazione|presa(-| )in(-| )carico"
        r"|\bsubmission\b",
    ),
)
_KEYWORDS = tuple((kind, re.compile(pattern)) for kind, pattern in KEYWORDS)
_FOLD = str.maketrans("çÇğĞıIİöÖşŞüÜâÂîÎûÛ", "ccggiiioossuuaaiiuu")


@dataclass
class Reading:
    """What an evidence message says (``read``)."""

    kind: str = Kind.UNKNOWN
    source: str = Source.NONE
    code: str = ""
    reason: str = ""
    event_at: datetime | None = None
    message_ids: list[str] = field(default_factory=list)


def fold(text: str) -> str:
    """Lower-case ASCII for keyword matching: Turkish letters folded, spaces collapsed."""
    return " ".join(str(text or "").translate(_FOLD).lower().split())


def classify(text: str) -> str:
    """The kind ``text`` (a subject, a header's value) names by its keywords, or unknown."""
    folded = fold(text)
    if not folded:
        return Kind.UNKNOWN
    if folded in PEC_TYPES:
        return PEC_TYPES[folded]
    compact = folded.replace(" ", "").replace("_", "")
    if compact in ERDS_EVENTS:
        return ERDS_EVENTS[compact]
    if compact in REM_TYPES:
        return Kind.UNKNOWN  # a TS 102 640 type alone does not say which way it went
    for kind, pattern in _KEYWORDS:
        if pattern.search(folded):
            return kind
    return Kind.UNKNOWN


# ------------------------------------------------------------------------------ the XML


def _parser() -> etree.XMLParser:
    # An evidence is untrusted input: no DTD, no entities, no network, no huge trees.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


_INTERNAL_DTD = re.compile(rb"<!DOCTYPE[^>\[]*\[|<!ENTITY", re.IGNORECASE)


def parse_xml(data: bytes):
    """The root element of ``data``, or None when it is not XML, too large, or declares
    entities. A DOCTYPE naming an external DTD (``daticert.xml`` names ``Docs.dtd``) is
    allowed and never loaded; an internal subset (where entity bombs and external entities
    live) is refused before parsing."""
    if not data or len(data) > MAX_XML_BYTES or _INTERNAL_DTD.search(data):
        return None
    try:
        return etree.fromstring(data, parser=_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _namespace(element) -> str:
    if not isinstance(element.tag, str):
        return ""
    return etree.QName(element).namespace or ""


def _descendants(root, *names: str):
    wanted = {name.lower() for name in names}
    return [
        el for el in root.iter() if isinstance(el.tag, str) and _local(el.tag).lower() in wanted
    ]


def _text(root, *names: str) -> str:
    for element in _descendants(root, *names):
        value = " ".join((element.text or "").split())
        if value:
            return value
    return ""


def _fragment(uri: str) -> str:
    """The event's name in a URI (``http:uri.etsi.org/02640/Event#Delivery`` → Delivery)."""
    return re.split(r"[#/:]", uri.strip())[-1] if uri else ""


def _moment(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def _ids(values) -> list[str]:
    """Message-IDs, with their angle brackets (an evidence may write them bare)."""
    found = []
    for value in values:
        value = " ".join(str(value or "").split())
        bracketed = MESSAGE_ID.findall(value)
        if bracketed:
            found.extend(bracketed)
        elif value and " " not in value:
            found.append(f"<{value}>")
    return found


def _reason_text(code: str) -> str:
    reasons = {
        "unknownrecipient": _("The recipient's KEP address is unknown."),
        "mailboxfull": _("The recipient's mailbox is full."),
        "malwarefound": _("Malware was found in the message."),
        "invalidmessageformat": _("The message's format is not valid."),
        "invalidusersignature": _("The sender's signature is not valid."),
        "usercertexpiredorrevoked": _("The sender's certificate has expired or is revoked."),
        "policyviolation": _("The message breaks the provider's rules."),
        "retentionperiodexpired": _("The recipient did not take it in time."),
        "recipientrejection": _("The recipient refused it."),
        "attachementformatnotaccepted": _("An attachment's format is not accepted."),
        "attachmentformatnotaccepted": _("An attachment's format is not accepted."),
        "technicalmalfunction": _("A technical failure at the provider."),
        "r_remmd_malfunction": _("The recipient's provider could not be reached."),
        "r_remmd_unreachable": _("The recipient's provider could not be reached."),
        "r_remmd_notidenified": _("The recipient's provider is not known."),
        "r_remmd_notidentified": _("The recipient's provider is not known."),
    }
    return reasons.get(_fragment(code).lower(), _fragment(code))


def _event_reasons(root) -> str:
    texts = []
    for reason in _descendants(root, "EventReason"):
        details = _text(reason, "Details")
        code = _text(reason, "Code")
        texts.append(details or _reason_text(code))
    return " ".join(text for text in texts if text)


def _read_rem(root, name: str) -> Reading:
    code = _text(root, "EventCode")
    reasons = _event_reasons(root)
    event = _fragment(code).lower()
    negative = any(word in event for word in NEGATIVE_EVENT) if event else bool(reasons)
    well, badly = REM_TYPES.get(name.lower(), (Kind.UNKNOWN, Kind.UNKNOWN))
    return Reading(
        kind=badly if negative else well,
        source=Source.REM,
        code=f"{name} {code}".strip(),
        reason=reasons,
        event_at=_moment(_text(root, "EventTime")),
        message_ids=_ids(
            el.text for el in _descendants(root, "UAMessageIdentifier", "MessageIdentifierByREMMD")
        ),
    )


def _read_erds(root) -> Reading:
    code = _text(root, "ERDSEventId", "EventId", "EventCode", "EvidenceType")
    return Reading(
        kind=ERDS_EVENTS.get(_fragment(code).lower(), Kind.UNKNOWN),
        source=Source.REM,
        code=code,
        reason=_event_reasons(root),
        event_at=_moment(_text(root, "EventTime")),
        message_ids=_ids(
            el.text for el in _descendants(root, "MessageIdentifier", "UAMessageIdentifier")
        ),
    )


def _pec_time(root) -> datetime | None:
    data = next(iter(_descendants(root, "data")), None)
    if data is None:
        return None
    day, time = _text(data, "giorno"), _text(data, "ora")
    zone = (data.get("zona") or "+0000").strip()
    try:
        return datetime.strptime(f"{day} {time} {zone}", "%d/%m/%Y %H:%M:%S %z")
    except ValueError:
        return None


def _read_pec(root) -> Reading:
    tipo = (root.get("tipo") or "").strip().lower()
    error = (root.get("errore") or "").strip().lower()
    reason = _text(root, "errore-esteso")
    if not reason and error and error != "nessuno":
        reason = error
    return Reading(
        kind=PEC_TYPES.get(tipo, Kind.UNKNOWN),
        source=Source.PEC,
        code=f"postacert {tipo}".strip(),
        reason=reason,
        event_at=_pec_time(root),
        message_ids=_ids(el.text for el in _descendants(root, "msgid")),
    )


def read_xml(data: bytes) -> Reading | None:
    """The reading of one evidence XML, or None when it is not one this module knows."""
    root = parse_xml(data)
    if root is None:
        return None
    name, namespace = _local(root.tag), _namespace(root)
    if namespace.startswith(REM_NAMESPACE) or name.lower() in REM_TYPES:
        return _read_rem(root, name)
    if namespace.startswith(ERDS_NAMESPACE):
        return _read_erds(root)
    if name.lower() == "postacert":
        return _read_pec(root)
    return None


# ------------------------------------------------------------------------------ the message


def _parts(message: Message):
    """The message's leaf parts, not going into an attached message (a PEC envelope carries
    the original message, whose files are not evidence)."""
    stack, seen = [message], 0
    while stack and seen < MAX_PARTS:
        part = stack.pop(0)
        seen += 1
        if part.get_content_type() in REPORTS:
            yield part  # its payload is the report's fields, not parts
            continue
        if part.is_multipart():
            payload = part.get_payload()
            if part.get_content_type() == "message/rfc822":
                continue
            if isinstance(payload, list):
                stack[:0] = payload
            continue
        yield part


REPORTS = ("message/delivery-status", "message/disposition-notification")


def _is_xml(part: Message) -> bool:
    content_type = part.get_content_type()
    name = (part.get_filename() or "").lower()
    return (
        content_type in ("application/xml", "text/xml")
        or content_type.endswith("+xml")
        or name.endswith(".xml")
    )


def _report_fields(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    return []


def _read_dsn(part: Message) -> Reading | None:
    for block in _report_fields(part):
        action = str(block.get("Action", "")).strip().lower()
        if not action:
            continue
        kind = {
            "failed": Kind.NOT_DELIVERED,
            "delivered": Kind.DELIVERED,
            "relayed": Kind.ACCEPTED,
            "expanded": Kind.DELIVERED,
        }.get(action, Kind.UNKNOWN)
        diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
        status = str(block.get("Status", "")).strip()
        when = block.get("Last-Attempt-Date") or block.get("Arrival-Date")
        return Reading(
            kind=kind,
            source=Source.REPORT,
            code=f"DSN {action} {status}".strip(),
            reason=diagnostic if kind != Kind.DELIVERED else "",
            event_at=_date(when),
        )
    return None


def _read_mdn(part: Message) -> Reading | None:
    blocks = _report_fields(part) or [part]
    for block in blocks:
        disposition = " ".join(str(block.get("Disposition", "")).split())
        if disposition:
            kind = Kind.READ if "displayed" in disposition.lower() else Kind.UNKNOWN
            return Reading(kind=kind, source=Source.REPORT, code=f"MDN {disposition}"[:300])
    return None


def _date(value) -> datetime | None:
    try:
        moment = parsedate_to_datetime(str(value or ""))
    except (TypeError, ValueError, IndexError):
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


def _body(message: Message) -> str:
    """The evidence's own text (the provider's words, often the reason), in one line."""
    try:
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
    except (AttributeError, KeyError, LookupError, ValueError):
        text = ""
    return " ".join(str(text or "").split())


def _without(subject: str, original: str) -> str:
    """The evidence's subject without the original message's subject (the provider quotes it:
    its konu's words are not the evidence's)."""
    subject = " ".join(str(subject or "").split())
    for piece in filter(None, [" ".join(str(original or "").split())]):
        subject = subject.replace(piece, " ")
    return subject


def referenced_ids(message: Message) -> list[str]:
    """The Message-IDs an evidence XML attached to ``message`` names, or a read report's
    (MDN) ``Original-Message-ID``."""
    found: list[str] = []
    for part in _parts(message):
        if part.get_content_type() == "message/disposition-notification":
            for block in _report_fields(part):  # a read report names the message it is about
                found.extend(MESSAGE_ID.findall(str(block.get("Original-Message-ID", ""))))
        elif _is_xml(part):
            reading = read_xml(part.get_payload(decode=True) or b"")
            if reading is not None:
                found.extend(reading.message_ids)
    return found


def returned_ids(message: Message) -> list[str]:
    """The Message-ID of the message a bounce returns (its ``text/rfc822-headers`` or
    ``message/rfc822`` part): for automatic mail only (``biys.evrak.kep.evidence_for``)."""
    from email import message_from_string

    found: list[str] = []
    for part in message.walk() if message.is_multipart() else []:
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
        elif content_type == "text/rfc822-headers":
            inner = message_from_string(part.get_payload(decode=True).decode("utf-8", "replace"))
        else:
            continue
        if inner is not None:
            found.extend(MESSAGE_ID.findall(str(inner.get("Message-ID", ""))))
        if len(found) >= 5:
            break
    return found


def read(message: Message, *, original_subject: str = "", original_number: str = "") -> Reading:
    """What the evidence ``message`` says (see the module's text). Never raises: an evidence
    that cannot be read is ``unknown``."""
    try:
        reading = _read(message, original_subject, original_number)
    except Exception:  # a malformed message must never lose the evidence
        logger.exception("KEP evidence %s could not be read", message.get("Message-ID", ""))
        reading = Reading()
    if reading.event_at is None:
        reading.event_at = _date(message.get("Date"))
    if reading.kind in (Kind.NOT_DELIVERED, Kind.REJECTED) and not reading.reason:
        reading.reason = _body(message)[:500]
    reading.reason = reading.reason[:REASON_CHARS]
    reading.code = reading.code[:300]
    return reading


def _read(message: Message, original_subject: str, original_number: str) -> Reading:
    for part in _parts(message):
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            reading = _read_dsn(part)
        elif content_type == "message/disposition-notification":
            reading = _read_mdn(part)
        elif _is_xml(part):
            reading = read_xml(part.get_payload(decode=True) or b"")
        else:
            continue
        if reading is not None:
            return reading  # a standard evidence was read: no guess overrides what it says
    unknown: Reading | None = None
    for header in EVIDENCE_HEADERS:
        value = " ".join(str(message.get(header, "") or "").split())
        if value:
            kind = classify(value)
            if kind != Kind.UNKNOWN:
                return Reading(kind=kind, source=Source.HEADER, code=f"{header}: {value}"[:300])
            unknown = unknown or Reading(source=Source.HEADER, code=f"{header}: {value}"[:300])
    subject = _without(_without(str(message.get("Subject", "")), original_subject), original_number)
    kind = classify(subject)
    if kind != Kind.UNKNOWN:
        return Reading(kind=kind, source=Source.SUBJECT, code=subject[:300])
    return unknown or Reading()
