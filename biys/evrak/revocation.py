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

Not done: OCSP, time-stamps (CAdES-T), CRL distribution point names and indirect CRLs (a CRL
naming a distribution point or reasons is not used).
"""

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import CRLEntryExtensionOID, ExtensionOID
from django.conf import settings
from django.core.exceptions import ValidationError
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
    """How one certificate of a chain was found not revoked."""

    certificate: x509.Certificate
    crl: x509.CertificateRevocationList | None  # None: not checked (not required)

    def as_dict(self) -> dict:
        crl = self.crl  # an empty CRL is falsy (no entries): compare with None
        found = {
            "subject": self.certificate.subject.rfc4514_string(),
            "serial": format(self.certificate.serial_number, "X"),
            "status": "unchecked" if crl is None else "good",
        }
        if crl is not None:
            found.update(
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
        return all(item.crl is not None for item in self.coverage)

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


def _revocation_reason(entry) -> str:
    try:
        reason = entry.extensions.get_extension_for_oid(CRLEntryExtensionOID.CRL_REASON).value
    except x509.ExtensionNotFound:
        return _("not given")
    return str(REASONS.get(reason.reason, reason.reason.value))


def check_chain(
    chain: list[x509.Certificate],
    crls: list[x509.CertificateRevocationList],
    *,
    at: datetime,
    required: bool | None = None,
) -> RevocationResult:
    """Check that no certificate of ``chain`` (the signer's first, the trusted end last) below
    its trusted end is revoked at ``at``, against ``crls``; ``SignatureRefused`` with the reason
    if one is, or (when ``required``, by default ``BIYS_EVRAK_REQUIRE_REVOCATION``) if no
    current CRL of its issuer covers it."""
    required = require_revocation() if required is None else required
    result = RevocationResult()
    for position, certificate in enumerate(chain[:-1]):
        issuer = chain[position + 1]
        candidates = [
            crl
            for crl in crls
            if is_current(crl, at) and signed_by(crl, issuer) and _usable_for(crl, certificate)
        ]
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
    chain: list[x509.Certificate], signature: bytes, *, at: datetime
) -> RevocationResult:
    """``check_chain`` against the trust store's CRLs and those the CMS carries."""
    return check_chain(chain, stored_crls(chain) + embedded_crls(signature), at=at)


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


def fetch_missing(chain: list[x509.Certificate], signature: bytes, *, at: datetime) -> None:
    """Before a signature is checked (outside its transaction): for every certificate of the
    chain without a current CRL of its issuer, fetch one from its distribution points, if
    ``BIYS_EVRAK_CRL_FETCH`` is on and the issuer is in the trust store."""
    if not fetching_enabled():
        return
    crls = stored_crls(chain) + embedded_crls(signature)
    for position, certificate in enumerate(chain[:-1]):
        issuer = chain[position + 1]
        if any(is_current(crl, at) and signed_by(crl, issuer) for crl in crls):
            continue
        authority = TrustedCertificate.objects.filter(fingerprint=cades.fingerprint(issuer)).first()
        urls = distribution_points(certificate)
        if authority is not None and urls:
            fetch_from(urls, authority=authority)


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
        revocation_checked=result.complete,
        coverage=[item.as_dict() for item in result.coverage],
    )


@dataclass
class Reverification:
    ok: bool
    checked_at: datetime | None
    reason: str = ""
    anchor_trusted_now: bool = False


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
        )
    except cades.SignatureRefused as refused:
        return Reverification(False, validation.checked_at, " ".join(refused.messages), trusted_now)
    return Reverification(True, validation.checked_at, "", trusted_now)
