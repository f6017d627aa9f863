"""Revocation of the certificates a signature chains through (CRLs), and the validation data
kept with an accepted signature (long-term validation).

**Revocation lists.** The administrator loads each certificate authority's CRL (PEM or DER)
into the trust store (``add_revocation_list``): closed municipal networks cannot always reach
the authority. A CRL is taken only if its issuer is a certificate of the trust store whose key
verifies it (and may sign CRLs); each authority keeps its newest CRL (``RevocationList``, one per
trusted certificate). Where the network reaches it, and ``BIYS_EVRAK_CRL_FETCH`` is on, BİYS
also fetches CRLs over HTTP from the certificates' CRL distribution points
(``refresh_revocation_lists``: ``biys documents refresh-crls`` and the Celery beat job; and
``fetch_missing`` before a signature is checked), each with ``BIYS_EVRAK_CRL_TIMEOUT`` seconds;
a failure keeps the last CRL and is recorded on it.

**The check** (``check_chain``): every certificate of the chain below its trusted end must be
covered by a current CRL of its issuer (signed by the issuer's key; ``thisUpdate`` not after and
``nextUpdate`` not before the time of the check; a full CRL, not a delta, for the kind of
certificate it is) and not be on it. A revoked certificate refuses the signature with the date
and the reason of its revocation; without a current CRL the signature is refused too, unless
``BIYS_EVRAK_REQUIRE_REVOCATION`` is off (then the check is recorded as not made). CRLs carried
inside the CMS (its ``crls`` field, or the signer's unsigned attribute
``id-aa-ets-revocationValues`` of CAdES-X Long) count as well, checked the same way.

**Validation data** (``SignatureValidation``): with an accepted signature BİYS keeps the chain
and the CRLs it was checked with, and the time of the check, so that ``reverify`` can check it
again later as of that time, after the certificates or the CRLs have expired.

**OCSP** (RFC 6960, with ``BIYS_EVRAK_OCSP`` on): a certificate no current CRL covers, whose
certificate names an OCSP responder, is asked about before the check (``fetch_missing``); a
response signed by the issuer (or a responder it delegated: a certificate it issued for OCSP
signing), about that certificate, current, counts as a CRL would. It is kept with the
validation data.

**Signature time-stamp** (with ``BIYS_EVRAK_TIMESTAMP`` on): once a signature is accepted, the
time-stamping authority of ``BIYS_TSA_URL`` (``biys.core.tsa``) stamps the signature value
(what CAdES-T's signature-time-stamp covers); the token is kept with the validation data.
``reverify`` checks it too. The exported package carries the signature extended with the
token and this validation data (``biys.evrak.cades_ltv``), which its reader checks and uses.

Not done: CRL distribution point names and indirect CRLs (a CRL naming a distribution point or
reasons is not used), validation as of a signature time-stamp.
"""

import base64
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import (
    AuthorityInformationAccessOID,
    CRLEntryExtensionOID,
    ExtendedKeyUsageOID,
    ExtensionOID,
)
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyasn1.codec.der import encoder

from biys.evrak import cades
from biys.evrak.models import RevocationList, SignatureValidation, TrustedCertificate

logger = logging.getLogger(__name__)

MAX_CRL_BYTES = 64 * 1024 * 1024
PEM_CRL = b"-----BEGIN X509 CRL-----"


class NotNewer(ValidationError):
    """The trust store holds a CRL of the authority as new or newer already."""


def require_revocation() -> bool:
    return bool(getattr(settings, "BIYS_EVRAK_REQUIRE_REVOCATION", True))


def fetching_enabled() -> bool:
    return bool(getattr(settings, "BIYS_EVRAK_CRL_FETCH", False))


def timestamping_enabled() -> bool:
    return bool(getattr(settings, "BIYS_EVRAK_TIMESTAMP", False))


def ocsp_enabled() -> bool:
    return bool(getattr(settings, "BIYS_EVRAK_OCSP", False))


def _timeout() -> int:
    return int(getattr(settings, "BIYS_EVRAK_CRL_TIMEOUT", 10))


# ------------------------------------------------------------------ reading CRLs


def load_crl(data: bytes) -> x509.CertificateRevocationList:
    """One CRL from a PEM or DER file; ``ValidationError`` on the field ``crl`` if it is
    neither."""
    data = bytes(data or b"")
    try:
        if PEM_CRL in data:
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError as error:
        raise ValidationError(
            {"crl": [_("This is not a certificate revocation list (CRL, PEM or DER).")]}
        ) from error


def load_crls_pem(text: str) -> list[x509.CertificateRevocationList]:
    """The CRLs of a PEM text holding several (as the validation data keeps them)."""
    marker = PEM_CRL.decode()
    blocks = [marker + part for part in (text or "").split(marker)[1:]]
    return [x509.load_pem_x509_crl(block.encode("ascii")) for block in blocks]


def crl_pem(crl: x509.CertificateRevocationList) -> str:
    return crl.public_bytes(serialization.Encoding.PEM).decode("ascii")


def crl_number(crl: x509.CertificateRevocationList) -> str:
    try:
        return str(crl.extensions.get_extension_for_oid(ExtensionOID.CRL_NUMBER).value.crl_number)
    except x509.ExtensionNotFound:
        return ""


def _moment(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "—"


def signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    """The CRL names ``issuer`` and its key signed it, and the issuer may sign CRLs (key usage
    ``cRLSign`` when it states its key usage)."""
    if crl.issuer != issuer.subject:
        return False
    try:
        usage = issuer.extensions.get_extension_for_oid(ExtensionOID.KEY_USAGE).value
        if not usage.crl_sign:
            return False
    except x509.ExtensionNotFound:
        pass
    try:
        return crl.is_signature_valid(issuer.public_key())
    except (TypeError, ValueError, UnsupportedAlgorithm, InvalidSignature):
        return False


def _usable_for(crl: x509.CertificateRevocationList, certificate: x509.Certificate) -> bool:
    """A complete CRL for this kind of certificate: not a delta CRL, and no issuing distribution
    point that limits it to other certificates, some reasons, or another issuer's."""
    try:
        crl.extensions.get_extension_for_oid(ExtensionOID.DELTA_CRL_INDICATOR)
        return False
    except x509.ExtensionNotFound:
        pass
    try:
        point = crl.extensions.get_extension_for_oid(ExtensionOID.ISSUING_DISTRIBUTION_POINT).value
    except x509.ExtensionNotFound:
        return True
    if point.only_some_reasons or point.indirect_crl or point.only_contains_attribute_certs:
        return False
    ca = cades.is_ca(certificate)
    return not (
        (point.only_contains_ca_certs and not ca) or (point.only_contains_user_certs and ca)
    )


def is_current(crl: x509.CertificateRevocationList, at: datetime) -> bool:
    next_update = crl.next_update_utc
    return next_update is not None and crl.last_update_utc <= at <= next_update


def covers(crl, certificate: x509.Certificate, at: datetime, *, past: bool = False) -> bool:
    """Whether ``crl`` tells the status of ``certificate`` at ``at``: current then, or (``past``)
    issued since while the certificate was still valid, so that it would list it."""
    if is_current(crl, at):
        return True
    return past and at <= crl.last_update_utc <= certificate.not_valid_after_utc


def distribution_points(certificate: x509.Certificate) -> list[str]:
    """The HTTP addresses of the certificate's CRL distribution points (LDAP ones are left)."""
    try:
        points = certificate.extensions.get_extension_for_oid(
            ExtensionOID.CRL_DISTRIBUTION_POINTS
        ).value
    except x509.ExtensionNotFound:
        return []
    urls = []
    for point in points:
        for name in point.full_name or ():
            if isinstance(name, x509.UniformResourceIdentifier) and name.value.lower().startswith(
                ("http://", "https://")
            ):
                urls.append(name.value)
    return list(dict.fromkeys(urls))


# ------------------------------------------------------------------ the check


@dataclass
class Coverage:
    """How one certificate of a chain was found not revoked: by a CRL, by an OCSP response, or
    not checked (not required)."""

    certificate: x509.Certificate
    crl: x509.CertificateRevocationList | None
    ocsp: "ocsp.OCSPResponse | None" = None

    @property
    def checked(self) -> bool:
        return self.crl is not None or self.ocsp is not None

    def as_dict(self) -> dict:
        crl = self.crl  # an empty CRL is falsy (no entries): compare with None
        found = {
            "subject": self.certificate.subject.rfc4514_string(),
            "serial": format(self.certificate.serial_number, "X"),
            "status": "good" if self.checked else "unchecked",
        }
        if self.ocsp is not None:
            found.update(
                source="ocsp",
                responder=_responder_label(self.ocsp),
                this_update=self.ocsp.this_update_utc.isoformat(),
                next_update=self.ocsp.next_update_utc.isoformat()
                if self.ocsp.next_update_utc
                else "",
                produced_at=self.ocsp.produced_at_utc.isoformat(),
            )
        if crl is not None:
            found.update(
                source="crl",
                crl_issuer=crl.issuer.rfc4514_string(),
                crl_number=crl_number(crl),
                this_update=crl.last_update_utc.isoformat(),
                next_update=crl.next_update_utc.isoformat() if crl.next_update_utc else "",
            )
        return found


@dataclass
class RevocationResult:
    coverage: list[Coverage] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(item.checked for item in self.coverage)

    @property
    def ocsp_responses(self) -> list[bytes]:
        return [
            item.ocsp.public_bytes(serialization.Encoding.DER)
            for item in self.coverage
            if item.ocsp is not None
        ]

    @property
    def crls(self) -> list[x509.CertificateRevocationList]:
        used = {}
        for item in self.coverage:
            if item.crl is not None:
                used[item.crl.fingerprint(hashes.SHA256())] = item.crl
        return list(used.values())


REASONS = {
    x509.ReasonFlags.unspecified: gettext_lazy("unspecified"),
    x509.ReasonFlags.key_compromise: gettext_lazy("key compromise"),
    x509.ReasonFlags.ca_compromise: gettext_lazy("certificate authority compromise"),
    x509.ReasonFlags.affiliation_changed: gettext_lazy("affiliation changed"),
    x509.ReasonFlags.superseded: gettext_lazy("superseded"),
    x509.ReasonFlags.cessation_of_operation: gettext_lazy("cessation of operation"),
    x509.ReasonFlags.certificate_hold: gettext_lazy("certificate on hold"),
    x509.ReasonFlags.privilege_withdrawn: gettext_lazy("privilege withdrawn"),
    x509.ReasonFlags.aa_compromise: gettext_lazy("attribute authority compromise"),
    x509.ReasonFlags.remove_from_crl: gettext_lazy("removed from the CRL"),
}


def _reason_text(reason: "x509.ReasonFlags | None") -> str:
    if reason is None:
        return _("not given")
    return str(REASONS.get(reason, reason.value))


def _revocation_reason(entry) -> str:
    try:
        reason = entry.extensions.get_extension_for_oid(CRLEntryExtensionOID.CRL_REASON).value
    except x509.ExtensionNotFound:
        return _("not given")
    return _reason_text(reason.reason)


# ------------------------------------------------------------------ OCSP (RFC 6960)

OCSP_SKEW = timedelta(minutes=5)
OCSP_WITHOUT_NEXT_UPDATE = timedelta(hours=24)


def ocsp_urls(certificate: x509.Certificate) -> list[str]:
    """The HTTP addresses of the certificate's OCSP responders (authority information access)."""
    try:
        access = certificate.extensions.get_extension_for_oid(
            ExtensionOID.AUTHORITY_INFORMATION_ACCESS
        ).value
    except x509.ExtensionNotFound:
        return []
    return [
        item.access_location.value
        for item in access
        if item.access_method == AuthorityInformationAccessOID.OCSP
        and isinstance(item.access_location, x509.UniformResourceIdentifier)
        and item.access_location.value.lower().startswith(("http://", "https://"))
    ]


def _responder_label(response) -> str:
    if response.responder_name is not None:
        return response.responder_name.rfc4514_string()
    return response.responder_key_hash.hex() if response.responder_key_hash else ""


def _signed_ocsp(response, responder: x509.Certificate) -> bool:
    key = responder.public_key()
    algorithm = response.signature_hash_algorithm
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(
                response.signature, response.tbs_response_bytes, padding.PKCS1v15(), algorithm
            )
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(algorithm))
        else:
            return False
    except (InvalidSignature, TypeError, ValueError, UnsupportedAlgorithm):
        return False
    return True


def _names_responder(response, certificate: x509.Certificate) -> bool:
    if response.responder_name is not None:
        return response.responder_name == certificate.subject
    try:  # the SHA-1 of the key's BIT STRING, as the subject key identifier's method 1
        key_hash = x509.SubjectKeyIdentifier.from_public_key(certificate.public_key()).digest
    except (TypeError, ValueError):
        key_hash = b""
    return response.responder_key_hash == key_hash


def _ocsp_responder(response, issuer: x509.Certificate) -> x509.Certificate | None:
    """The issuer itself, or a responder it delegated (a certificate it issued directly, for
    OCSP signing, valid when the response was produced)."""
    if _names_responder(response, issuer):
        return issuer
    for candidate in response.certificates:
        if not _names_responder(response, candidate) or candidate.issuer != issuer.subject:
            continue
        try:
            candidate.verify_directly_issued_by(issuer)
            usage = candidate.extensions.get_extension_for_oid(
                ExtensionOID.EXTENDED_KEY_USAGE
            ).value
        except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
            continue
        produced = response.produced_at_utc
        valid = candidate.not_valid_before_utc <= produced <= candidate.not_valid_after_utc
        if ExtendedKeyUsageOID.OCSP_SIGNING in usage and valid:
            return candidate
    return None


def ocsp_answer(
    data: bytes, certificate: x509.Certificate, issuer: x509.Certificate, *, at: datetime
):
    """The OCSP response ``data`` (DER) if it is a successful answer about ``certificate`` of
    ``issuer``, signed by the issuer or a responder it delegated, and current at ``at`` (its
    ``thisUpdate`` not after it, its ``nextUpdate``, or a day without one, not before it);
    else None."""
    try:
        response = ocsp.load_der_ocsp_response(bytes(data))
        if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            return None
        if response.serial_number != certificate.serial_number:
            return None
        expected = (
            ocsp.OCSPRequestBuilder()
            .add_certificate(certificate, issuer, response.hash_algorithm)
            .build()
        )
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None
    if (
        expected.issuer_key_hash != response.issuer_key_hash
        or expected.issuer_name_hash != response.issuer_name_hash
    ):
        return None
    responder = _ocsp_responder(response, issuer)
    if responder is None or not _signed_ocsp(response, responder):
        return None
    if response.this_update_utc > at + OCSP_SKEW:
        return None
    until = response.next_update_utc or response.this_update_utc + OCSP_WITHOUT_NEXT_UPDATE
    if at > until:
        return None
    if response.certificate_status == ocsp.OCSPCertStatus.UNKNOWN:
        return None
    return response


def ask_ocsp(certificate: x509.Certificate, issuer: x509.Certificate) -> bytes | None:
    """Ask the certificate's OCSP responders (POST, RFC 6960 appendix A) in turn; the first
    answer's DER, or None if none answers."""
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(certificate, issuer, hashes.SHA1())  # what responders take
        .build()
        .public_bytes(serialization.Encoding.DER)
    )
    for url in ocsp_urls(certificate):
        http = urllib.request.Request(
            url,
            data=request,
            headers={"Content-Type": "application/ocsp-request", "User-Agent": "BIYS"},
        )
        try:
            with urllib.request.urlopen(http, timeout=_timeout()) as reply:
                return reply.read(MAX_CRL_BYTES)
        except (OSError, ValueError, urllib.error.URLError) as error:
            logger.warning("OCSP responder %s: %s", url, error)
    return None


def check_chain(
    chain: list[x509.Certificate],
    crls: list[x509.CertificateRevocationList],
    *,
    at: datetime,
    required: bool | None = None,
    ocsp_responses: list[bytes] = (),
    past: bool = False,
) -> RevocationResult:
    """Check that no certificate of ``chain`` (the signer's first, the trusted end last) below
    its trusted end is revoked at ``at``, against ``crls``; ``SignatureRefused`` with the reason
    if one is, or (when ``required``, by default ``BIYS_EVRAK_REQUIRE_REVOCATION``) if no
    current CRL of its issuer covers it. Where no current CRL does, an OCSP response among
    ``ocsp_responses`` (DER) about it, signed for its issuer and current, may. ``past``: ``at``
    is a time before now (a signature time-stamp's): a CRL issued since, while the certificate
    was still valid (so it would list it), says how it stood then too (``covers``)."""
    required = require_revocation() if required is None else required
    result = RevocationResult()
    for position, certificate in enumerate(chain[:-1]):
        issuer = chain[position + 1]
        candidates = [
            crl
            for crl in crls
            if covers(crl, certificate, at, past=past)
            and signed_by(crl, issuer)
            and _usable_for(crl, certificate)
        ]
        answer = None
        if not candidates:
            answer = next(
                (
                    found
                    for data in ocsp_responses
                    if (found := ocsp_answer(data, certificate, issuer, at=at)) is not None
                ),
                None,
            )
        if answer is not None:
            if answer.certificate_status == ocsp.OCSPCertStatus.REVOKED and (
                answer.revocation_time_utc <= at
            ):
                raise cades.SignatureRefused(
                    _(
                        "The certificate %(subject)s was revoked on %(date)s (reason:"
                        " %(reason)s), as the OCSP responder of %(issuer)s said on %(when)s."
                    )
                    % {
                        "subject": certificate.subject.rfc4514_string(),
                        "date": _moment(answer.revocation_time_utc),
                        "reason": _reason_text(answer.revocation_reason),
                        "issuer": issuer.subject.rfc4514_string(),
                        "when": _moment(answer.produced_at_utc),
                    }
                )
            result.coverage.append(Coverage(certificate, None, answer))
            continue
        if not candidates:
            if required:
                raise cades.SignatureRefused(
                    _(
                        "No current revocation list (CRL) of %(issuer)s covers the certificate"
                        " %(subject)s at %(moment)s: load the authority's CRL into the trust"
                        " store."
                    )
                    % {
                        "issuer": issuer.subject.rfc4514_string(),
                        "subject": certificate.subject.rfc4514_string(),
                        "moment": _moment(at),
                    }
                )
            result.coverage.append(Coverage(certificate, None))
            continue
        crl = max(candidates, key=lambda item: item.last_update_utc)
        entry = crl.get_revoked_certificate_by_serial_number(certificate.serial_number)
        if entry is not None and entry.revocation_date_utc <= at:
            raise cades.SignatureRefused(
                _(
                    "The certificate %(subject)s was revoked on %(date)s (reason: %(reason)s),"
                    " as the revocation list of %(issuer)s of %(this_update)s says."
                )
                % {
                    "subject": certificate.subject.rfc4514_string(),
                    "date": _moment(entry.revocation_date_utc),
                    "reason": _revocation_reason(entry),
                    "issuer": issuer.subject.rfc4514_string(),
                    "this_update": _moment(crl.last_update_utc),
                }
            )
        result.coverage.append(Coverage(certificate, crl))
    return result


def embedded_crls(signature: bytes) -> list[x509.CertificateRevocationList]:
    """The CRLs a CMS SignedData carries: in its ``crls`` field, and in its signer's unsigned
    attribute ``id-aa-ets-revocationValues`` (``crlVals``, CAdES-X Long). None if it cannot be
    read."""
    from pyasn1.codec.der import decoder
    from pyasn1.error import PyAsn1Error
    from pyasn1_modules import rfc5126, rfc5652

    found = []
    try:
        info, _rest = decoder.decode(bytes(signature), asn1Spec=rfc5652.ContentInfo())
        signed, _rest = decoder.decode(info["content"], asn1Spec=rfc5652.SignedData())
        if signed["crls"].hasValue():
            for choice in signed["crls"]:
                if choice.getName() == "crl":
                    found.append(encoder.encode(choice["crl"]))
        for signer in signed["signerInfos"]:
            if not signer["unsignedAttrs"].hasValue():
                continue
            for attribute in signer["unsignedAttrs"]:
                if str(attribute["attrType"]) != str(rfc5126.id_aa_ets_revocationValues):
                    continue
                for value in attribute["attrValues"]:
                    values, _rest = decoder.decode(
                        encoder.encode(value), asn1Spec=rfc5126.RevocationValues()
                    )
                    if values["crlVals"].hasValue():
                        found += [encoder.encode(crl) for crl in values["crlVals"]]
        return [x509.load_der_x509_crl(der) for der in found]
    except (PyAsn1Error, ValueError, TypeError, KeyError):
        return []


def stored_crls(chain: list[x509.Certificate]) -> list[x509.CertificateRevocationList]:
    """The trust store's CRLs of the issuers in ``chain``."""
    prints = [cades.fingerprint(cert) for cert in chain[1:]]
    rows = RevocationList.objects.filter(authority__fingerprint__in=prints).only("crl")
    return [x509.load_der_x509_crl(bytes(row.crl)) for row in rows]


def check_signature_chain(
    chain: list[x509.Certificate],
    signature: bytes,
    *,
    at: datetime,
    ocsp_responses: list[bytes] = (),
    past: bool = False,
) -> RevocationResult:
    """``check_chain`` against the trust store's CRLs, those the CMS carries and the OCSP
    responses given (``fetch_missing``)."""
    return check_chain(
        chain,
        stored_crls(chain) + embedded_crls(signature),
        at=at,
        ocsp_responses=ocsp_responses,
        past=past,
    )


# ------------------------------------------------------------------ loading CRLs


def _authority_of(crl: x509.CertificateRevocationList) -> TrustedCertificate | None:
    for item in TrustedCertificate.objects.filter(subject=crl.issuer.rfc4514_string()[:1000]):
        certificate = cades.load_certificate(item.certificate.encode("ascii"))
        if signed_by(crl, certificate):
            return item
    return None


def check_crl(data: bytes) -> tuple[x509.CertificateRevocationList, TrustedCertificate]:
    """The CRL of ``data`` and the authority of the trust store that signed it;
    ``ValidationError`` on ``crl`` if it is not a CRL, too large, without a next update, or
    signed by no certificate of the trust store."""
    if len(data or b"") > MAX_CRL_BYTES:
        raise ValidationError({"crl": [_("The revocation list is too large.")]})
    crl = load_crl(data)
    authority = _authority_of(crl)
    if authority is None:
        raise ValidationError(
            {
                "crl": [
                    _(
                        "No certificate authority of the trust store signed this revocation"
                        " list (%(issuer)s): load the authority's certificate first, and the"
                        " CRL it signed."
                    )
                    % {"issuer": crl.issuer.rfc4514_string()}
                ]
            }
        )
    if crl.next_update_utc is None:
        raise ValidationError({"crl": [_("The revocation list has no next update date.")]})
    _refuse_older(RevocationList.objects.filter(authority=authority).first(), crl)
    return crl, authority


def _refuse_older(item: RevocationList | None, crl: x509.CertificateRevocationList) -> None:
    if item is not None and item.this_update >= crl.last_update_utc:
        raise NotNewer(
            {"crl": [_("A revocation list of this authority as new or newer is loaded already.")]}
        )


@transaction.atomic
def add_revocation_list(*, user, data: bytes, url: str = "") -> RevocationList:
    """Load a CRL (PEM or DER) for the certificate authority of the trust store that issued
    it. Refused (``ValidationError`` on ``crl``) if no certificate of the trust store signed it,
    or if a CRL of that authority as new or newer is there. It replaces the authority's
    previous CRL. ``url``: where it was fetched from (kept to fetch the next one there).
    Permissions are the caller's."""
    crl, authority = check_crl(data)
    item = RevocationList.objects.select_for_update().filter(authority=authority).first()
    _refuse_older(item, crl)
    item = item or RevocationList(authority=authority)
    der = crl.public_bytes(serialization.Encoding.DER)
    item.crl = der
    item.issuer = crl.issuer.rfc4514_string()[:1000]
    item.crl_number = crl_number(crl)[:100]
    item.this_update = crl.last_update_utc
    item.next_update = crl.next_update_utc
    item.revoked_count = len(crl)
    item.fingerprint = crl.fingerprint(hashes.SHA256()).hex()
    item.url = (url or item.url or "")[:1000]
    item.loaded_at = timezone.now()
    item.last_error = ""
    item.full_clean()
    item.save()
    return item


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "BIYS"})
    with urllib.request.urlopen(request, timeout=_timeout()) as reply:
        data = reply.read(MAX_CRL_BYTES + 1)
    if len(data) > MAX_CRL_BYTES:
        raise ValueError("too large")
    return data


def fetch_from(urls: list[str], *, authority: TrustedCertificate | None = None) -> dict:
    """Fetch a CRL from the first of ``urls`` that answers with one and load it. A failure
    keeps the last CRL (its error recorded on it). The answer: ``{"url", "loaded", "error"}``."""
    errors = []
    for url in urls:
        try:
            data = _fetch(url)
            item = add_revocation_list(user=None, data=data, url=url)
            return {"url": url, "loaded": item.pk, "error": ""}
        except NotNewer:
            return {"url": url, "loaded": None, "error": ""}  # nothing newer published
        except ValidationError as error:
            errors.append(f"{url}: {' '.join(error.messages)}")
        except (OSError, ValueError, urllib.error.URLError) as error:
            errors.append(f"{url}: {error}")
    error = "; ".join(errors) or _("No address to fetch a revocation list from.")
    if authority is not None:
        RevocationList.objects.filter(authority=authority).update(
            last_error=error[:2000], last_attempt=timezone.now()
        )
    logger.warning("CRL fetch failed: %s", error)
    return {"url": "", "loaded": None, "error": error}


def _addresses(authority: TrustedCertificate) -> list[str]:
    """Where the CRL of ``authority`` may be fetched: the address its last CRL came from, and
    the distribution points named by the certificates of the trust store it issued."""
    urls = []
    current = getattr(authority, "revocation_list", None)
    if current is not None and current.url:
        urls.append(current.url)
    mine = cades.load_certificate(authority.certificate.encode("ascii"))
    for item in TrustedCertificate.objects.filter(issuer=authority.subject).exclude(
        pk=authority.pk
    ):
        certificate = cades.load_certificate(item.certificate.encode("ascii"))
        if certificate.issuer == mine.subject:
            urls += distribution_points(certificate)
    return list(dict.fromkeys(urls))


# ------------------------------------------------------------------ the trust store's CRL pages


def may_manage_crls(user, action: str = "add") -> bool:
    """The trust store's CRLs belong to no unit: loading (``add``), fetching or replacing
    (``change``) and removing (``delete``) one needs the permission over the whole municipality,
    as the trust store itself does (the administrator)."""
    from biys.core.access import get_scope, holds_everywhere

    if user is None or not user.is_authenticated:
        return False
    return holds_everywhere(get_scope(user), f"evrak.{action}_revocationlist")


def require_crl_perm(user, action: str) -> None:
    """``PermissionDenied`` unless ``may_manage_crls`` (the API checks it before the body)."""
    if not may_manage_crls(user, action):
        raise PermissionDenied


def _crl_action(authority: TrustedCertificate) -> str:
    """A first CRL of ``authority`` is added, a later one replaces (changes) it."""
    return "change" if RevocationList.objects.filter(authority=authority).exists() else "add"


@transaction.atomic
def upload_revocation_list(
    *, user, authority: TrustedCertificate, data: bytes, url: str = ""
) -> RevocationList:
    """Load a CRL file (PEM or DER) for ``authority``, chosen by the operator: refused
    (``ValidationError`` on ``crl``) unless ``authority``'s key signed it, then checked and
    kept as ``add_revocation_list`` does (not older than the one loaded; it replaces it).
    Nothing is saved when refused."""
    require_crl_perm(user, _crl_action(authority))
    data = bytes(data or b"")
    if len(data) > MAX_CRL_BYTES:
        raise ValidationError({"crl": [_("The revocation list is too large.")]})
    crl = load_crl(data)
    if not signed_by(crl, cades.load_certificate(authority.certificate.encode("ascii"))):
        raise ValidationError(
            {
                "crl": [
                    _(
                        "This revocation list was not signed by the key of %(authority)s (it"
                        " names %(issuer)s as its issuer)."
                    )
                    % {"authority": authority.name, "issuer": crl.issuer.rfc4514_string()}
                ]
            }
        )
    return add_revocation_list(user=user, data=data, url=_checked_url(url))


def _checked_url(url: str) -> str:
    url = (url or "").strip()
    if url and not url.lower().startswith(("http://", "https://")):
        raise ValidationError({"url": [_("Give an http:// or https:// address.")]})
    return url


@transaction.atomic
def set_revocation_list_url(*, user, revocation_list: RevocationList, url: str) -> RevocationList:
    """Change the address the next CRL of the authority is fetched from (http or https)."""
    require_crl_perm(user, "change")
    item = RevocationList.objects.select_for_update().get(pk=revocation_list.pk)
    item.url = _checked_url(url)[:1000]
    item.full_clean()
    item.save(update_fields=["url", "last_updated"])
    return item


def fetch_revocation_list(*, user, authority: TrustedCertificate) -> dict:
    """Fetch the CRL of ``authority`` now (an operator asked: whether ``BIYS_EVRAK_CRL_FETCH``
    is on or not), from the addresses ``_addresses`` names; the answer of ``fetch_from``
    (``{"url", "loaded", "error"}``), a failure recorded on the CRL kept. Runs outside a
    transaction (the network); the loading is one."""
    require_crl_perm(user, _crl_action(authority))
    urls = _addresses(authority)
    if not urls:
        return {
            "url": "",
            "loaded": None,
            "error": _("No address to fetch a revocation list from."),
        }
    return fetch_from(urls, authority=authority)


@transaction.atomic
def delete_revocation_list(*, user, revocation_list: RevocationList) -> None:
    """Remove an authority's CRL (signatures under it are refused until another is loaded,
    while ``BIYS_EVRAK_REQUIRE_REVOCATION`` is on)."""
    require_crl_perm(user, "delete")
    RevocationList.objects.get(pk=revocation_list.pk).delete()


def refresh_revocation_lists(*, force: bool = False) -> dict:
    """Fetch the CRL of every active authority of the trust store that has an address to fetch
    it from (``_addresses``); only when ``BIYS_EVRAK_CRL_FETCH`` is on, or ``force``. The answer
    counts the CRLs loaded, the ones unchanged and the failures (by authority)."""
    summary = {"loaded": 0, "unchanged": 0, "failed": {}, "no_address": 0}
    if not (force or fetching_enabled()):
        summary["disabled"] = True
        return summary
    authorities = TrustedCertificate.objects.filter(active=True).select_related("revocation_list")
    for authority in authorities:
        urls = _addresses(authority)
        if not urls:
            summary["no_address"] += 1
            continue
        outcome = fetch_from(urls, authority=authority)
        if outcome["error"]:
            summary["failed"][authority.name] = outcome["error"]
        elif outcome["loaded"]:
            summary["loaded"] += 1
        else:
            summary["unchanged"] += 1
    return summary


def fetch_missing(chain: list[x509.Certificate], signature: bytes, *, at: datetime) -> list:
    """Before a signature is checked (outside its transaction): for every certificate of the
    chain without a current CRL of its issuer, fetch one from its distribution points or the
    addresses known for the issuer (``_addresses``; if ``BIYS_EVRAK_CRL_FETCH`` is on and the
    issuer is in the trust store); still without one,
    ask its OCSP responder (if ``BIYS_EVRAK_OCSP`` is on). The answer: the OCSP responses
    (DER) received, for the check."""
    if not (fetching_enabled() or ocsp_enabled()):
        return []
    crls = stored_crls(chain) + embedded_crls(signature)
    answers = []
    for position, certificate in enumerate(chain[:-1]):
        issuer = chain[position + 1]
        if any(is_current(crl, at) and signed_by(crl, issuer) for crl in crls):
            continue
        authority = TrustedCertificate.objects.filter(fingerprint=cades.fingerprint(issuer)).first()
        # the certificate's own distribution points, then where the installation fetched the
        # authority's CRL from before (an authority whose certificates name none: its address
        # was set by hand, or its CRL loaded from one)
        urls = distribution_points(certificate)
        if authority is not None:
            urls = list(dict.fromkeys(urls + _addresses(authority)))
        if (
            fetching_enabled()
            and authority is not None
            and urls
            and fetch_from(urls, authority=authority)["loaded"]
            and any(is_current(crl, at) and signed_by(crl, issuer) for crl in stored_crls(chain))
        ):
            continue
        if ocsp_enabled() and (answer := ask_ocsp(certificate, issuer)) is not None:
            answers.append(answer)
    return answers


# ------------------------------------------------------------------ validation data (LTV)


def keep_validation_data(
    *, signature, verified: "cades.VerifiedSignature", result: RevocationResult
) -> SignatureValidation:
    """Store with the accepted ``signature`` (an ``OutgoingSignature``) the chain and the CRLs
    it was checked with, and the time of the check."""
    return SignatureValidation.objects.create(
        signature=signature,
        checked_at=verified.checked_at,
        chain="".join(cades.to_pem(cert) for cert in verified.chain),
        crls="".join(crl_pem(crl) for crl in result.crls),
        ocsp_responses="\n".join(
            base64.b64encode(data).decode("ascii") for data in result.ocsp_responses
        ),
        revocation_checked=result.complete,
        coverage=[item.as_dict() for item in result.coverage],
    )


def signature_value(signature: bytes) -> bytes:
    """The signer's signature value (SignerInfo ``signature``) of a CMS SignedData: what a
    signature time-stamp covers (RFC 5126, 5.11.4)."""
    from pyasn1.codec.der import decoder
    from pyasn1_modules import rfc5652

    info, _rest = decoder.decode(bytes(signature), asn1Spec=rfc5652.ContentInfo())
    signed, _rest = decoder.decode(info["content"], asn1Spec=rfc5652.SignedData())
    return bytes(signed["signerInfos"][0]["signature"])


def timestamp_signature(signature) -> bool:
    """Have the accepted ``signature`` (an ``OutgoingSignature`` with its validation data)
    time-stamped, if ``BIYS_EVRAK_TIMESTAMP`` is on: the token (verified against
    ``BIYS_TSA_CA_FILE``) and its time kept; a failure recorded, the signature staying
    accepted. True if a time-stamp was kept."""
    from biys.core import tsa

    if not timestamping_enabled():
        return False
    rows = SignatureValidation.objects.filter(signature=signature)
    try:
        stamp = tsa.request_timestamp(signature_value(bytes(signature.signature)))
    except tsa.TimestampError as error:
        logger.warning("signature time-stamp failed: %s", error)
        rows.update(timestamp_error=str(error)[:2000])
        return False
    return bool(
        rows.update(timestamp_token=stamp.token, timestamp_time=stamp.time, timestamp_error="")
    )


@dataclass
class Reverification:
    ok: bool
    checked_at: datetime | None
    reason: str = ""
    anchor_trusted_now: bool = False
    timestamp_time: datetime | None = None


def reverify(signature) -> Reverification:
    """Check an accepted signature (an ``OutgoingSignature``) again, as of the time it was
    accepted, with the validation data kept then: its chain (the trusted end as the only
    anchor) and its CRLs. Whether the trusted end is still an active certificate of the trust
    store is told apart (``anchor_trusted_now``)."""
    validation = getattr(signature, "validation", None)
    if validation is None or not signature.signature:
        return Reverification(False, None, _("No validation data was kept with this signature."))
    chain = [
        cades.load_certificate(("-----BEGIN CERTIFICATE-----" + part).encode("ascii"))
        for part in validation.chain.split("-----BEGIN CERTIFICATE-----")[1:]
    ]
    anchor = chain[-1]
    trusted_now = TrustedCertificate.objects.filter(
        fingerprint=cades.fingerprint(anchor), active=True
    ).exists()
    try:
        verified = cades.verify_detached(
            bytes(signature.signature),
            digest=signature.digest,
            trusted=[anchor],
            intermediates=chain[1:-1],
            now=validation.checked_at,
            attached_allowed=False,
        )
        check_chain(
            verified.chain,
            load_crls_pem(validation.crls),
            at=validation.checked_at,
            required=validation.revocation_checked,
            ocsp_responses=[
                base64.b64decode(line) for line in validation.ocsp_responses.split() if line
            ],
        )
    except cades.SignatureRefused as refused:
        return Reverification(False, validation.checked_at, " ".join(refused.messages), trusted_now)
    stamped = None
    if validation.timestamp_token:
        from biys.core import tsa

        try:
            response = tsa.verify_token(
                bytes(validation.timestamp_token), signature_value(bytes(signature.signature))
            )
        except tsa.TimestampError as error:
            return Reverification(
                False,
                validation.checked_at,
                _("The signature time-stamp does not verify: %(error)s") % {"error": error},
                trusted_now,
            )
        stamped = response.tst_info.gen_time
    return Reverification(True, validation.checked_at, "", trusted_now, stamped)
