"""Checking a detached CAdES signature (CMS SignedData, DER) that an external signing agent
returns for an outgoing document. BİYS holds no signing key: it only verifies.

The CMS is read with ``pyasn1-modules`` (RFC 5652), the keys and certificates with
``cryptography``. A signature is accepted when all of these hold, and refused with the first
that fails (``SignatureRefused``, a ``ValidationError`` on the field ``signature``):

1. it parses as one CMS SignedData with exactly one signer, detached (no content inside);
2. the signer's digest algorithm is SHA-256 and its signed attributes carry a message digest
   equal to the digest BİYS prepared (the SHA-256 of the exact bytes to sign), and the content
   type id-data;
3. the signature over the DER of the signed attributes verifies with the public key of the
   signer certificate (RSA PKCS#1 v1.5 or ECDSA);
4. the signer certificate chains, through the certificates in the CMS or in the trust store,
   to an active certificate of the trust store (a root, or an intermediate the administrator
   chose to trust); every certificate of the chain is valid
   at the time of the check and, if the CMS claims one, at its signing time; every issuer is a
   CA (basic constraints) allowed to sign certificates (key usage, when present); the signer's
   key usage, when present, allows digital signatures or non-repudiation.

Revocation is checked after these, by the callers, with ``biys.evrak.revocation``: every
certificate of the chain below its trusted end covered by a current CRL of its issuer (from
the trust store, or carried in the CMS), or else a current OCSP answer, and not revoked; the
chain, the CRLs and OCSP responses used are kept with an accepted signature (long-term
validation data) to check it again later as of then.

Not checked here (documented gaps): name and policy constraints, the CAdES ESS
signing-certificate-v2 attribute, time-stamps (a signature time-stamp an incoming package's
signature carries is ``biys.evrak.cades_ltv``'s check). The signing time the CMS claims is the
signer's word: the time of the check is what BİYS relies on.

Whether the certificate is the signer's own is ``certificate_matches_user``.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtensionOID, NameOID
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyasn1.codec.der import decoder, encoder
from pyasn1.error import PyAsn1Error
from pyasn1.type import useful
from pyasn1_modules import rfc5652

DIGEST_ALGORITHM = "sha-256"
OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_DATA = "1.2.840.113549.1.7.1"
OID_SHA256 = "2.16.840.1.101.3.4.2.1"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
OID_SIGNING_TIME = "1.2.840.113549.1.9.5"
RSA_OIDS = {"1.2.840.113549.1.1.1", "1.2.840.113549.1.1.11"}  # rsaEncryption, sha256WithRSA
ECDSA_OIDS = {"1.2.840.10045.4.3.2", "1.2.840.10045.2.1"}  # ecdsa-with-SHA256, id-ecPublicKey
MAX_SIGNATURE_BYTES = 1024 * 1024
MAX_CHAIN = 8


class SignatureRefused(ValidationError):
    """The signature is refused; the message says why (on the field ``signature``)."""

    def __init__(self, message: str):
        super().__init__({"signature": [message]})


@dataclass
class VerifiedSignature:
    certificate: x509.Certificate
    chain: list[x509.Certificate]  # the signer's first, the trusted root last
    signing_time: datetime | None  # as the CMS claims it, if it does
    checked_at: datetime
    digest: str = ""  # the SHA-256 (hex) of the content it signs


def digest_of(content: bytes) -> str:
    """The digest BİYS hands to the signer: SHA-256, lower-case hex."""
    return hashlib.sha256(content).hexdigest()


# ------------------------------------------------------------------ certificates


def load_certificate(data: bytes) -> x509.Certificate:
    """One certificate from a PEM or DER upload; ``ValidationError`` on the field
    ``certificate`` if it is neither."""
    data = bytes(data or b"")
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as error:
        raise ValidationError(
            {"certificate": [_("This is not an X.509 certificate (PEM or DER).")]}
        ) from error


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(
            certificate.extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value.ca
        )
    except x509.ExtensionNotFound:
        return False


def _key_usage(certificate: x509.Certificate):
    try:
        return certificate.extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
    except x509.ExtensionNotFound:
        return None


def _valid_at(certificate: x509.Certificate, moment: datetime) -> bool:
    return certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc


def _issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    if certificate.issuer != issuer.subject:
        return False
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def build_chain(
    certificate: x509.Certificate,
    *,
    intermediates: list[x509.Certificate],
    trusted: list[x509.Certificate],
    moments: list[datetime],
) -> list[x509.Certificate]:
    """The path from ``certificate`` to a trusted root, checked at every moment of ``moments``
    (``SignatureRefused`` if there is none). A trusted intermediate ends the path too: the
    administrator trusted it."""
    trusted_prints = {fingerprint(cert) for cert in trusted}
    candidates = trusted + intermediates
    chain = [certificate]
    current = certificate
    while True:
        for moment in moments:
            if not _valid_at(current, moment):
                raise SignatureRefused(
                    _(
                        "The certificate %(subject)s is not valid at %(moment)s (valid"
                        " %(start)s – %(end)s)."
                    )
                    % {
                        "subject": current.subject.rfc4514_string(),
                        "moment": f"{moment:%Y-%m-%d %H:%M} UTC",
                        "start": f"{current.not_valid_before_utc:%Y-%m-%d}",
                        "end": f"{current.not_valid_after_utc:%Y-%m-%d}",
                    }
                )
        if fingerprint(current) in trusted_prints:
            return chain
        if len(chain) > MAX_CHAIN:
            break
        issuer = next((cand for cand in candidates if _issued_by(current, cand)), None)
        if issuer is None or issuer in chain:
            break
        usage = _key_usage(issuer)
        if not is_ca(issuer) or (usage is not None and not usage.key_cert_sign):
            raise SignatureRefused(
                _("The certificate %(subject)s is not a certificate authority's.")
                % {"subject": issuer.subject.rfc4514_string()}
            )
        chain.append(issuer)
        current = issuer
    raise SignatureRefused(
        _(
            "The signer's certificate does not lead to a root of the trust store: load its"
            " certificate authority first."
        )
    )


# ------------------------------------------------------------------ the CMS


def _attribute(attributes, oid: str):
    values = [attr["attrValues"] for attr in attributes if str(attr["attrType"]) == oid]
    if len(values) != 1 or len(values[0]) != 1:
        return None
    return encoder.encode(values[0][0])


def _signing_time(attributes) -> datetime | None:
    raw = _attribute(attributes, OID_SIGNING_TIME)
    if raw is None:
        return None
    for spec in (useful.UTCTime(), useful.GeneralizedTime()):
        try:
            value, _rest = decoder.decode(raw, asn1Spec=spec)
            return value.asDateTime.astimezone(UTC)
        except (PyAsn1Error, ValueError):
            continue
    return None


def _signer_certificate(signer_info, certificates: list[x509.Certificate]):
    sid = signer_info["sid"]
    if sid.getName() == "issuerAndSerialNumber":
        serial = int(sid["issuerAndSerialNumber"]["serialNumber"])
        issuer = encoder.encode(sid["issuerAndSerialNumber"]["issuer"])
        for cert in certificates:
            if cert.serial_number == serial and cert.issuer.public_bytes() == issuer:
                return cert
    else:
        key_id = bytes(sid["subjectKeyIdentifier"])
        for cert in certificates:
            try:
                ski = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_KEY_IDENTIFIER)
            except x509.ExtensionNotFound:
                continue
            if ski.value.digest == key_id:
                return cert
    return None


def _verify_with(certificate: x509.Certificate, signature: bytes, data: bytes, algorithm: str):
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey) and algorithm in RSA_OIDS:
        key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm in ECDSA_OIDS:
        key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    else:
        raise SignatureRefused(
            _("The signature algorithm is not supported (RSA or ECDSA with SHA-256).")
        )


def verify_detached(
    signature: bytes,
    *,
    digest: str | tuple[str, ...],
    trusted: list[x509.Certificate],
    now: datetime | None = None,
    attached_allowed: bool = False,
    intermediates: list[x509.Certificate] = (),
) -> VerifiedSignature:
    """Check a detached CAdES signature (DER) against ``digest`` (SHA-256, hex; or a tuple of
    digests, any of which may be the signed one) and the trusted certificates;
    ``SignatureRefused`` with the reason if any check fails. With ``attached_allowed`` an
    enveloping (tümleşik) signature is read too: the content it carries must be the content
    whose digest it signs, and that digest one of ``digest``. ``intermediates``: certificates
    the chain may pass through besides those the CMS carries (kept validation data)."""
    digests = tuple(d.lower() for d in ((digest,) if isinstance(digest, str) else digest) if d)
    now = now or datetime.now(UTC)
    if not signature or len(signature) > MAX_SIGNATURE_BYTES:
        raise SignatureRefused(_("The signature is empty or too large."))
    try:
        info, rest = decoder.decode(bytes(signature), asn1Spec=rfc5652.ContentInfo())
        if rest or str(info["contentType"]) != OID_SIGNED_DATA:
            raise PyAsn1Error("not SignedData")
        signed, rest = decoder.decode(info["content"], asn1Spec=rfc5652.SignedData())
        if rest:
            raise PyAsn1Error("trailing bytes")
        certificates = [
            x509.load_der_x509_certificate(encoder.encode(choice["certificate"]))
            for choice in signed["certificates"]
            if choice.getName() == "certificate"
        ]
    except (PyAsn1Error, ValueError, TypeError) as error:
        raise SignatureRefused(
            _("This is not a CAdES signature (CMS SignedData, DER encoded).")
        ) from error
    attached = None
    if signed["encapContentInfo"]["eContent"].hasValue():
        if not attached_allowed:
            raise SignatureRefused(_("Send a detached signature: the content stays in BİYS."))
        attached = bytes(signed["encapContentInfo"]["eContent"])
    if str(signed["encapContentInfo"]["eContentType"]) != OID_DATA:
        raise SignatureRefused(_("The signed content type must be id-data."))
    if len(signed["signerInfos"]) != 1:
        raise SignatureRefused(_("The signature must have exactly one signer."))
    signer_info = signed["signerInfos"][0]
    if str(signer_info["digestAlgorithm"]["algorithm"]) != OID_SHA256:
        raise SignatureRefused(_("The digest algorithm must be SHA-256."))
    attributes = signer_info["signedAttrs"]
    if not attributes.hasValue() or len(attributes) == 0:
        raise SignatureRefused(_("The signature has no signed attributes (CAdES needs them)."))
    content_type = _attribute(attributes, OID_CONTENT_TYPE)
    message_digest = _attribute(attributes, OID_MESSAGE_DIGEST)
    if content_type is None or message_digest is None:
        raise SignatureRefused(_("The signed attributes lack the content type or the digest."))
    try:
        value, _rest = decoder.decode(message_digest)
        signed_digest = bytes(value).hex()
        content_oid, _rest = decoder.decode(content_type)
    except (PyAsn1Error, TypeError, ValueError) as error:
        raise SignatureRefused(_("The signed attributes cannot be read.")) from error
    if str(content_oid) != OID_DATA:
        raise SignatureRefused(_("The signed content type must be id-data."))
    if attached is not None and hashlib.sha256(attached).hexdigest() != signed_digest:
        raise SignatureRefused(
            _("The content inside the signature is not the content its digest names.")
        )
    if signed_digest not in digests:
        raise SignatureRefused(
            _(
                "The signature is over other content: its digest is not that of the content"
                " it must sign."
            )
        )
    certificate = _signer_certificate(signer_info, certificates)
    if certificate is None:
        raise SignatureRefused(_("The signature does not carry the signer's certificate."))
    # The signature covers the DER of the signed attributes as a SET OF (RFC 5652, 5.4).
    as_set = rfc5652.SignedAttributes()
    for attribute in attributes:
        as_set.append(attribute)
    try:
        _verify_with(
            certificate,
            bytes(signer_info["signature"]),
            encoder.encode(as_set),
            str(signer_info["signatureAlgorithm"]["algorithm"]),
        )
    except InvalidSignature as error:
        raise SignatureRefused(
            _("The signature does not verify with the signer's certificate.")
        ) from error
    usage = _key_usage(certificate)
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise SignatureRefused(_("The signer's certificate is not for signatures."))
    signing_time = _signing_time(attributes)
    moments = [now] + ([signing_time] if signing_time is not None else [])
    chain = build_chain(
        certificate,
        intermediates=certificates + list(intermediates),
        trusted=trusted,
        moments=moments,
    )
    return VerifiedSignature(
        certificate=certificate,
        chain=chain,
        signing_time=signing_time,
        checked_at=now,
        digest=signed_digest,
    )


# ------------------------------------------------------------------ whose certificate


_PERSON_PREFIX = re.compile(r"^(PNOTR-|TCKN:?|TC)", re.IGNORECASE)


def certificate_identity(certificate: x509.Certificate) -> dict:
    """The TC kimlik number (subject serialNumber, bare or ETSI ``PNOTR-``) and e-mail
    addresses (subjectAltName rfc822Name, subject emailAddress) a certificate names."""
    serials = [
        _PERSON_PREFIX.sub("", str(attr.value)).strip()
        for attr in certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    ]
    emails = [
        str(attr.value).strip().lower()
        for attr in certificate.subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)
    ]
    try:
        names = certificate.extensions.get_extension_for_oid(
            ExtensionOID.SUBJECT_ALTERNATIVE_NAME
        ).value
        emails += [value.strip().lower() for value in names.get_values_for_type(x509.RFC822Name)]
    except x509.ExtensionNotFound:
        pass
    return {"tc_kimlik_no": [s for s in serials if s], "emails": [e for e in emails if e]}


def certificate_matches_user(certificate: x509.Certificate, user) -> bool:
    """The rule: when both the signer's personnel record holds a TC kimlik number and the
    certificate names one (as Kamu SM's qualified certificates do), they must be equal; when
    either is missing, an e-mail address of the certificate must equal the user's e-mail."""
    identity = certificate_identity(certificate)
    person = getattr(user, "person", None)
    tc_kimlik_no = (getattr(person, "tc_kimlik_no", "") or "").strip()
    if tc_kimlik_no and identity["tc_kimlik_no"]:
        return tc_kimlik_no in identity["tc_kimlik_no"]
    email = (user.email or "").strip().lower()
    return bool(email) and email in identity["emails"]


def to_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
