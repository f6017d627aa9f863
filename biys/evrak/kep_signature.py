"""Whether a KEP provider's evidence message (delil) carries a valid signature, and whose.

A KEP provider signs what it sends: the evidence messages are S/MIME signed (RFC 8551), either
as ``multipart/signed`` (the readable message and a detached ``application/pkcs7-signature``
part) or as ``application/pkcs7-mime; smime-type=signed-data`` (a ``.p7m``: the message inside
the signature). ``check`` tells which, and verifies it as BİYS verifies a signer's CAdES
signature (``biys.evrak.cades.verify_detached``): SHA-256 with signed attributes, a signer
certificate for signatures chaining to an active certificate of the trust store (the
provider's authority must be loaded there: Kamu SM, or the authority that issued the
provider's certificate), valid now; then revocation against the trust store's CRLs and those
the signature carries (``biys.evrak.revocation``), reported rather than required: a revoked
certificate refuses the signature, an authority with no current CRL leaves it verified with
the gap said.

The signed content of a ``multipart/signed`` message is its first part exactly as received
(RFC 1847: from after the first boundary line to the line break before the next one), in the
canonical CRLF form, so it is cut from the raw message, never re-serialised. A message that is
neither is ``unsigned``. The evidence is kept whatever this says: a refused signature is
reported with the reason, never dropped.
"""

import email
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy

from django.utils.translation import gettext as _
from pyasn1.codec.der import decoder
from pyasn1.error import PyAsn1Error
from pyasn1_modules import rfc5652

from biys.evrak import cades, revocation
from biys.evrak.choices import KepSignatureState as State

SIGNATURE_TYPES = {"application/pkcs7-signature", "application/x-pkcs7-signature"}
OPAQUE_TYPES = {"application/pkcs7-mime", "application/x-pkcs7-mime"}


@dataclass(frozen=True)
class EvidenceSignature:
    state: str
    signer: str = ""
    problem: str = ""
    content: bytes | None = None  # the message inside an opaque (.p7m) signature


def _crlf(data: bytes) -> bytes:
    return re.sub(rb"\r?\n", b"\r\n", data)


def signed_part(raw: bytes, boundary: str) -> bytes | None:
    """The first part of a ``multipart/signed`` message as received (RFC 1847, 2.1), or
    ``None`` when the boundaries are not where they must be."""
    raw = _crlf(raw)
    delimiter = b"\r\n--" + boundary.encode("ascii", "replace")
    start = raw.find(delimiter)
    if start < 0:
        return None
    start = raw.find(b"\r\n", start + len(delimiter))
    if start < 0:
        return None
    start += 2
    end = raw.find(delimiter, start)
    return None if end < 0 else raw[start:end]


def _signer_name(certificate) -> str:
    from cryptography.x509.oid import NameOID

    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def _attached(signature: bytes) -> bytes | None:
    try:
        info, _rest = decoder.decode(signature, asn1Spec=rfc5652.ContentInfo())
        signed, _rest = decoder.decode(info["content"], asn1Spec=rfc5652.SignedData())
    except (PyAsn1Error, ValueError, TypeError):
        return None
    content = signed["encapContentInfo"]["eContent"]
    return bytes(content) if content.hasValue() else None


def check(raw: bytes, *, trusted=None, now: datetime | None = None) -> EvidenceSignature:
    """Whether the message ``raw`` (as received) is S/MIME signed, and by whom."""
    from biys.evrak.signing import trusted_certificates

    message = email.message_from_bytes(raw, policy=policy.compat32)
    kind = message.get_content_type()
    if kind == "multipart/signed":
        parts = message.get_payload()
        boundary = message.get_boundary()
        if not isinstance(parts, list) or len(parts) != 2 or not boundary:
            return EvidenceSignature(State.REFUSED, problem=_("The signed message is malformed."))
        if parts[1].get_content_type() not in SIGNATURE_TYPES:
            return EvidenceSignature(
                State.REFUSED, problem=_("The signed message's signature is not S/MIME (CMS).")
            )
        content = signed_part(raw, boundary)
        signature = parts[1].get_payload(decode=True) or b""
        if content is None:
            return EvidenceSignature(State.REFUSED, problem=_("The signed message is malformed."))
        # a signature may carry the content too: then it must be the same content
        digests, attached_allowed, inner = hashlib.sha256(content).hexdigest(), True, None
    elif kind in OPAQUE_TYPES and message.get_param("smime-type", "signed-data") == "signed-data":
        signature = message.get_payload(decode=True) or b""
        inner = _attached(signature)
        if inner is None:
            return EvidenceSignature(
                State.REFUSED, problem=_("The signature does not carry the message it signs.")
            )
        digests, attached_allowed = hashlib.sha256(inner).hexdigest(), True
    else:
        return EvidenceSignature(State.UNSIGNED)
    now = now or datetime.now(UTC)
    try:
        verified = cades.verify_detached(
            signature,
            digest=digests,
            trusted=trusted_certificates() if trusted is None else trusted,
            now=now,
            attached_allowed=attached_allowed,
        )
        crls = revocation.stored_crls(verified.chain) + revocation.embedded_crls(signature)
        found = revocation.check_chain(verified.chain, crls, at=now, required=False)
    except cades.SignatureRefused as error:
        return EvidenceSignature(State.REFUSED, problem=" ".join(error.messages), content=inner)
    signer = _signer_name(verified.certificate)
    problem = ""
    if not found.complete:
        problem = _(
            "Revocation not checked: no current CRL or OCSP answer of the issuing authority."
        )
    return EvidenceSignature(State.VERIFIED, signer=signer, problem=problem, content=inner)
