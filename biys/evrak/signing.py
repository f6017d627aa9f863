"""The electronic signature of outgoing documents, and the trust store it is checked against.

BİYS holds no signing key. When a document awaits its signature, the signer's signing agent
(a program on the signer's machine, holding the e-imza card) asks for the signature request:
BİYS prepares the exact bytes to sign, keeps them, and hands out their SHA-256 digest. For a
document that goes to a public institution they are its e-Yazışma package's PaketOzeti (the
digests of the üst yazı PDF, the Üstveri and the attachments), as e-Yazışma signers sign it;
otherwise the üst yazı PDF itself (of the version in signature, not marked TASLAK, its sayı
and date still blank: they are given at signature, and go in the package's NihaiÜstveri). The agent returns a detached CAdES signature (CMS
SignedData, DER) over those bytes; BİYS accepts it only if it verifies (``biys.evrak.cades``)
against the prepared digest and the trust store, no certificate of its chain is revoked
(``biys.evrak.revocation``: the trust store's CRLs), and the certificate is the signer's own. The
chain and the CRLs it was checked with are kept with it (``SignatureValidation``). Then
the document is signed through ``outgoing_services.sign`` (the sayı reserved, then used), and
the signature kept with the document. A refused signature raises ``ValidationError`` on the
field ``signature`` and, as for any failed signature, the reserved number is cancelled (iptal).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.evrak import cades, eyp_writer, outgoing_services, revocation
from biys.evrak.choices import SignatureState, Urgency
from biys.evrak.models import OutgoingDocument, OutgoingSignature, TrustedCertificate

PDF = "application/pdf"
XML = "application/xml"
MAX_CERTIFICATE_BYTES = 256 * 1024
MAX_SIGNATURE_UPLOAD = 2 * 1024 * 1024

# ------------------------------------------------------------------ the trust store


@transaction.atomic
def add_trusted_certificate(
    *, user, data: bytes, name: str = "", active: bool = True, notes: str = ""
) -> TrustedCertificate:
    """Load a certificate authority's certificate (PEM or DER) into the trust store. Refused
    (``ValidationError`` on ``certificate``) if it is not a CA certificate or already there.
    Permissions are the caller's (the view's add permission)."""
    certificate = cades.load_certificate(data)
    if not cades.is_ca(certificate):
        raise ValidationError(
            {"certificate": [_("Only a certificate authority's certificate can be trusted.")]}
        )
    fingerprint = cades.fingerprint(certificate)
    if TrustedCertificate.objects.filter(fingerprint=fingerprint).exists():
        raise ValidationError({"certificate": [_("This certificate is already trusted.")]})
    subject = certificate.subject.rfc4514_string()
    item = TrustedCertificate(
        name=(name or "").strip()[:200] or subject[:200],
        certificate=cades.to_pem(certificate),
        subject=subject[:1000],
        issuer=certificate.issuer.rfc4514_string()[:1000],
        serial_number=format(certificate.serial_number, "X")[:100],
        fingerprint=fingerprint,
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        is_root=certificate.issuer == certificate.subject,
        active=active,
        notes=notes or "",
    )
    item.full_clean()
    item.save()
    return item


def trusted_certificates() -> list:
    """The active certificates of the trust store, loaded."""
    return [
        cades.load_certificate(item.certificate.encode("ascii"))
        for item in TrustedCertificate.objects.filter(active=True)
    ]


# ------------------------------------------------------------------ the signature request


def _require_signer(user, document: OutgoingDocument) -> None:
    if "sign" not in outgoing_services.approval_actions(user, document):
        raise PermissionDenied(_("Only the signer signs, after every paraf."))


def _outdated(request: OutgoingSignature, document: OutgoingDocument) -> bool:
    """A prepared package's Miat counts the days to the due date from the request's day: a
    Günlüdür document's request of an earlier day is prepared again."""
    return (
        request.signs_package
        and document.urgency == Urgency.DATED
        and timezone.localdate(request.requested_at) != timezone.localdate()
    )


@transaction.atomic
def signature_request(*, user, document: OutgoingDocument) -> OutgoingSignature:
    """The pending signature request of the document's current version, prepared on the first
    call and the same on every later call (a Günlüdür document's, the same day). A request of
    an older version is superseded. Only the signer, once every paraf is in, and only a signer
    the signing authorities allow (refused with an error on ``signer`` before anything is
    prepared or superseded).

    The bytes to sign: for a document that goes to a public institution (a recipient has a
    DETSİS number), the PaketOzeti of its e-Yazışma package, prepared now with the parts it
    lists (``eyp_writer.prepare_for_signature``; the package's BelgeId given now), as
    e-Yazışma signers sign it; otherwise the üst yazı PDF. Either way the üst yazı PDF is
    rendered once (not marked TASLAK, its sayı and date blank) and kept byte for byte."""
    document = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
    _require_signer(user, document)
    if refusal := outgoing_services.signer_rule_refusal(user, document):
        raise ValidationError({"signer": [refusal]})
    pending = document.signatures.filter(state=SignatureState.PENDING)
    current = pending.filter(version=document.version).first()
    if current is not None and not _outdated(current, document):
        return current
    pending.update(state=SignatureState.SUPERSEDED)
    from biys.evrak.outgoing_pdf import outgoing_pdf

    pdf = outgoing_pdf(document, for_signature=True)
    if not eyp_writer.goes_to_an_institution(document):
        return OutgoingSignature.objects.create(
            document=document,
            version=document.version,
            content=pdf,
            content_type=PDF,
            digest=cades.digest_of(pdf),
        )
    belge_id = document.belge_id or outgoing_services.new_belge_id()
    parts = eyp_writer.prepare_for_signature(
        document, belge_id=belge_id, pdf=pdf, day=timezone.localdate()
    )
    if document.belge_id != belge_id:
        document.belge_id = belge_id
        document.save(update_fields=["belge_id"])
    content = parts.paket_ozeti.content
    return OutgoingSignature.objects.create(
        document=document,
        version=document.version,
        content=content,
        content_type=XML,
        digest=cades.digest_of(content),
        ust_yazi=pdf,
        ustveri=parts.ustveri.content,
    )


def content_file_name(request: OutgoingSignature) -> str:
    """The name a signing tool is given the bytes to sign under."""
    if request.signs_package:
        return f"PaketOzeti-{request.document.belge_id}.xml"
    return f"imzalanacak-{request.document_id}-v{request.version}.pdf"


def sign_with_cades(*, user, document: OutgoingDocument, signature: bytes) -> OutgoingDocument:
    """Accept the detached CAdES ``signature`` of the document's pending request and sign the
    document with it; ``ValidationError`` (field ``signature``) if it is refused, in which case
    nothing is saved but the reserved number's cancellation."""
    request = (
        OutgoingSignature.objects.filter(
            document=document, state=SignatureState.PENDING, version=document.version
        )
        .order_by("-requested_at", "-pk")
        .first()
    )
    if request is None:
        _require_signer(user, document)
        raise ValidationError(
            {"signature": [_("Fetch the signature request first: there is none pending.")]}
        )
    data = bytes(signature or b"")
    answers = []  # OCSP responses
    if revocation.fetching_enabled() or revocation.ocsp_enabled():
        # CRLs missing from the trust store are fetched, and OCSP responders asked, before the
        # number is reserved (no network wait inside the signature's transaction); for the
        # signer only.
        _require_signer(user, document)
        try:
            early = cades.verify_detached(
                data, digest=request.digest, trusted=trusted_certificates(), now=timezone.now()
            )
            answers = revocation.fetch_missing(early.chain, data, at=early.checked_at)
        except ValidationError:
            pass  # refused by the check below, with its reason

    def check(locked: OutgoingDocument, number: str) -> None:
        held = OutgoingSignature.objects.select_for_update().get(pk=request.pk)
        if held.state != SignatureState.PENDING or held.version != locked.version:
            raise ValidationError(
                {"signature": [_("The signature request is no longer current: fetch it again.")]}
            )
        verified = cades.verify_detached(
            data, digest=held.digest, trusted=trusted_certificates(), now=timezone.now()
        )
        checked = revocation.check_signature_chain(
            verified.chain, data, at=verified.checked_at, ocsp_responses=answers
        )
        if not cades.certificate_matches_user(verified.certificate, user):
            raise cades.SignatureRefused(
                _(
                    "The certificate is not the signer's: its TC kimlik number or e-mail"
                    " address is not the signer's."
                )
            )
        held.state = SignatureState.ACCEPTED
        held.signature = data
        held.certificate = cades.to_pem(verified.certificate)
        held.signer_subject = verified.certificate.subject.rfc4514_string()[:1000]
        held.certificate_serial = format(verified.certificate.serial_number, "X")[:100]
        held.signing_time = verified.signing_time
        held.accepted_at = verified.checked_at
        held.save()
        revocation.keep_validation_data(signature=held, verified=verified, result=checked)

    signed = outgoing_services.sign(user=user, document=document, signature=check)
    if revocation.timestamping_enabled():
        # After the signature's transaction: a time-stamping authority that is slow or down
        # delays or fails only the time-stamp, never the signature.
        revocation.timestamp_signature(OutgoingSignature.objects.get(pk=request.pk))
    return signed


def signature_bytes(data: bytes) -> bytes:
    """A signature file as a signing tool writes it: DER as is; base64, with or without PEM
    armour (``-----BEGIN PKCS7-----``, ``CMS``), decoded. Anything else is passed on as it is
    (and refused by the check)."""
    import base64
    import binascii

    data = bytes(data or b"")
    if data[:1] == b"\x30":
        return data
    text = b"".join(line for line in data.splitlines() if not line.startswith(b"-----"))
    try:
        return base64.b64decode(b"".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return data


def accepted_signature(document: OutgoingDocument) -> OutgoingSignature | None:
    return document.signatures.filter(state=SignatureState.ACCEPTED).first()
