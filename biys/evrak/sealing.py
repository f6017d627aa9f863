"""The institution's e-seal (e-mühür) on outgoing e-Yazışma packages.

In an e-Yazışma 2.x package the NihaiÖzet lists two digests of every other part (the signer's
signature included), and the institution seals it: ``/Muhur/MuhurCades.imz``, a CAdES
signature over the exact bytes of ``/NihaiOzet/NihaiOzet.xml``, made with the institution's
e-mühür certificate (Kamu SM issues it to the institution, not to a person), named by the
NihaiÖzet's relationship ``muhurcades``.

BİYS holds no sealing key. The seal is made by the institution's sealing device outside BİYS
(an e-mühür on a server, through its own agent): BİYS writes the package up to its NihaiÖzet
(``eyp_writer.build_package``), hands out the NihaiÖzet's SHA-256 digest (``seal_digest``), and
accepts the returned seal (``seal_package``) only if

1. it verifies as the signer's signature does (``biys.evrak.cades.verify_detached``, detached,
   SHA-256, one signer, signed attributes) against that digest and the installation's trust
   store, and
2. its certificate is the institution's seal certificate the administrator configured
   (``BIYS_EYP_SEAL_CERTIFICATES``: SHA-256 fingerprints, exact subjects or certificate files;
   see ``seal_certificates``);

then ``eyp_writer.add_seal`` puts it into the package, which is checked again as an import
checks it. A refused seal raises ``ValidationError`` on the field ``seal`` with the reason.
Reading a sealed package is ``biys.evrak.eyp`` (``PackageReport.seal``).

The sealing agent works through ``seal_request`` (the package prepared up to its NihaiÖzet and
kept, byte for byte, as an ``OutgoingSeal``; the same on every later call) and
``seal_with_cades`` (the seal accepted, the sealed package kept as the document's: every later
export gives these bytes). It authenticates as a service account holding
``evrak.seal_package`` over the whole municipality (the *e-seal agent* role on the top unit;
the administrator holds it too); the documents' confidentiality does not hide them from it, as
it sees only their digests and identifiers. While sealing is configured, a package is not
written unsealed (``refuse_unsealed``). See docs/evrak-eyp.md.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core.access import get_scope
from biys.evrak import cades, eyp_writer
from biys.evrak.choices import ArchiveState, OutgoingState, SignatureState
from biys.evrak.models import OutgoingDocument, OutgoingSeal

SEAL = "evrak.seal_package"

_HEX = re.compile(r"[0-9a-f]{64}")


def seal_digest(package: bytes) -> str:
    """What the sealing agent signs: the SHA-256 (hex) of the package's NihaiÖzet bytes."""
    return cades.digest_of(eyp_writer.nihai_ozet(package))


def seal_certificates() -> tuple[set[str], set[str]]:
    """The configured seal certificates as (SHA-256 fingerprints, subjects).
    ``BIYS_EYP_SEAL_CERTIFICATES`` is a list, or a text of entries separated by ``;``; each
    entry is a SHA-256 fingerprint (64 hex digits, colons and spaces allowed), the path of the
    certificate's PEM or DER file, or the certificate's exact subject (RFC 4514, e.g.
    ``CN=Örnek Belediyesi,O=...,C=TR``)."""
    fingerprints, subjects = set(), set()
    entries = getattr(settings, "BIYS_EYP_SEAL_CERTIFICATES", None) or ()
    if isinstance(entries, str):
        entries = re.split(r"[;\n]", entries)
    for entry in entries:
        entry = str(entry).strip()
        if not entry:
            continue
        compact = re.sub(r"[\s:]", "", entry).lower()
        if _HEX.fullmatch(compact):
            fingerprints.add(compact)
        elif entry.startswith(("/", "./")) or entry.endswith((".pem", ".crt", ".cer", ".der")):
            path = Path(entry)
            try:
                certificate = cades.load_certificate(path.read_bytes())
            except (OSError, ValidationError) as error:
                raise ImproperlyConfigured(
                    f"BIYS_EYP_SEAL_CERTIFICATES: cannot read a certificate from {path}"
                ) from error
            fingerprints.add(cades.fingerprint(certificate))
        else:
            subjects.add(entry)
    return fingerprints, subjects


def sealing_configured() -> bool:
    fingerprints, subjects = seal_certificates()
    return bool(fingerprints or subjects)


def is_seal_certificate(certificate) -> bool:
    """Whether ``certificate`` is one the administrator configured as the institution's seal."""
    fingerprints, subjects = seal_certificates()
    return (
        cades.fingerprint(certificate) in fingerprints
        or certificate.subject.rfc4514_string() in subjects
    )


def verify_seal(package: bytes, seal: bytes, *, trusted=None, now=None) -> cades.VerifiedSignature:
    """The seal checked against the package's NihaiÖzet digest, the trust store and the
    configured seal certificates; ``ValidationError`` on ``seal`` with the reason."""
    from biys.evrak.signing import signature_bytes, trusted_certificates

    if not sealing_configured():
        raise ValidationError(
            {
                "seal": [
                    _(
                        "No institutional seal certificate is configured"
                        " (BIYS_EYP_SEAL_CERTIFICATES): this installation does not seal."
                    )
                ]
            }
        )
    try:
        verified = cades.verify_detached(
            signature_bytes(seal),
            digest=seal_digest(package),
            trusted=trusted_certificates() if trusted is None else trusted,
            now=now or timezone.now(),
        )
        from biys.evrak import revocation

        revocation.check_signature_chain(
            verified.chain, signature_bytes(seal), at=verified.checked_at
        )
    except cades.SignatureRefused as refused:
        raise ValidationError({"seal": refused.messages}) from refused
    if not is_seal_certificate(verified.certificate):
        raise ValidationError(
            {
                "seal": [
                    _(
                        "The certificate %(subject)s is not the institution's seal certificate"
                        " configured for this installation."
                    )
                    % {"subject": verified.certificate.subject.rfc4514_string()}
                ]
            }
        )
    return verified


def _seal(package: bytes, seal: bytes, *, trusted=None, now=None, signature_at=None):
    from biys.evrak.signing import signature_bytes

    seal = signature_bytes(seal)
    verified = verify_seal(package, seal, trusted=trusted, now=now)
    sealed = eyp_writer.add_seal(
        package,
        seal,
        trusted=trusted,
        at=signature_at or verified.checked_at,
        seal_at=verified.checked_at,
    )
    return sealed, seal, verified


def seal_package(
    package: bytes, seal: bytes, *, trusted=None, now=None, signature_at=None
) -> bytes:
    """``package`` (as ``eyp_writer.build_package`` wrote it) with the verified ``seal``
    added and the whole checked again (``signature_at``: when the signer's signature was
    accepted, as ``build_package`` checks it)."""
    return _seal(package, seal, trusted=trusted, now=now, signature_at=signature_at)[0]


# ------------------------------------------------------------------ the sealing agent


def require_sealer(user) -> None:
    """The sealing agent's permission, over the whole municipality (the system, no user, is
    not checked)."""
    if user is not None and not get_scope(user).has_perm(SEAL, None):
        raise PermissionDenied(_("You may not seal packages with the institution's e-seal."))


def _require_configured() -> None:
    if not sealing_configured():
        raise ValidationError(
            {
                "seal": [
                    _(
                        "No institutional seal certificate is configured"
                        " (BIYS_EYP_SEAL_CERTIFICATES): this installation does not seal."
                    )
                ]
            }
        )


def refuse_unsealed(document: OutgoingDocument) -> None:
    """Called before a package is written unsealed: while sealing is configured, the package
    waits for the institution's seal (``ValidationError``)."""
    if sealing_configured():
        raise ValidationError(
            eyp_writer.exportable(document)
            or [
                _(
                    "The package awaits the institution's e-seal: the sealing agent seals it,"
                    " then it can be downloaded."
                )
            ]
        )


def awaiting_seal(user):
    """The signed documents whose package is not written yet (nothing sealed), oldest first:
    what the sealing agent has to seal. Only their ids, numbers and signature dates are
    shown."""
    require_sealer(user)
    return (
        OutgoingDocument.objects.filter(state=OutgoingState.SIGNED, package="")
        .exclude(number="")
        .exclude(archive_state=ArchiveState.DESTROYED)
        .filter(distribution__detsis_no__gt="")
        .distinct()
        .order_by("signed_at", "pk")
    )


def _document(user, document_id) -> OutgoingDocument:
    require_sealer(user)
    document = OutgoingDocument.objects.select_for_update().filter(pk=document_id).first()
    if document is None:
        from django.http import Http404

        raise Http404
    if document.package:
        raise ValidationError(
            {"seal": [_("The document's package is written already: a package is written once.")]}
        )
    if document.archive_state == ArchiveState.DESTROYED:
        raise ValidationError(_("This document was destroyed (imha): its content is gone."))
    return document


@transaction.atomic
def seal_request(*, user, document_id) -> OutgoingSeal:
    """The pending sealing request of a signed document: its package written up to the
    NihaiÖzet and kept with the NihaiÖzet's digest, on the first call; the same on every later
    call. Refused (``ValidationError``) when sealing is not configured, the document cannot
    have a package (not signed, no public-institution recipient) or its package is written
    already; ``PermissionDenied`` without the sealing permission."""
    from biys.evrak.eyp_writer import build_package
    from biys.evrak.outgoing_services import new_belge_id

    document = _document(user, document_id)
    _require_configured()
    pending = document.seals.filter(state=SignatureState.PENDING).first()
    if pending is not None:
        return pending
    belge_id = document.belge_id or new_belge_id()
    package = build_package(document, belge_id=belge_id)
    if document.belge_id != belge_id:
        document.belge_id = belge_id
        document.save(update_fields=["belge_id"])
    return OutgoingSeal.objects.create(
        document=document,
        package=package,
        digest=seal_digest(package),
        requested_by=user if user is not None and user.is_authenticated else None,
    )


def seal_with_cades(*, user, document_id, seal: bytes) -> OutgoingDocument:
    """Accept the institution's e-seal over the pending request's NihaiÖzet: verified
    (``verify_seal``), put into the package, the package checked and kept as the document's.
    ``ValidationError`` on ``seal`` with the reason, nothing saved, if it is refused."""
    from django.core.files.base import ContentFile

    from biys.evrak.signing import accepted_signature

    with transaction.atomic():
        document = _document(user, document_id)
        _require_configured()
        request = (
            OutgoingSeal.objects.select_for_update()
            .filter(document=document, state=SignatureState.PENDING)
            .first()
        )
        if request is None:
            raise ValidationError(
                {"seal": [_("Fetch the sealing request first: there is none pending.")]}
            )
        signature = accepted_signature(document)
        data, der, verified = _seal(
            bytes(request.package),
            seal,
            signature_at=signature.accepted_at if signature else None,
        )
        certificate = verified.certificate
        request.state = SignatureState.ACCEPTED
        request.seal = der
        request.certificate = cades.to_pem(certificate)
        request.subject = certificate.subject.rfc4514_string()[:1000]
        request.certificate_serial = format(certificate.serial_number, "X")[:100]
        request.fingerprint = cades.fingerprint(certificate)
        request.signing_time = verified.signing_time
        request.accepted_at = verified.checked_at
        request.save()
        document.package.save(f"{document.belge_id}.eyp", ContentFile(data), save=False)
        try:
            document.save(update_fields=["package"])
        except Exception:
            document.package.delete(save=False)
            raise
    return document


# ------------------------------------------------------------------ the seal state of a document

SEAL_AWAITING = "awaiting"
SEAL_SEALED = "sealed"


def seal_state(document: OutgoingDocument) -> dict | None:
    """Where the document's package stands with the institution's e-seal, for its page and
    the API: ``{"state": "sealed", "subject", "sealed_at", "fingerprint"}`` once a seal was
    accepted (the seal certificate's subject, when it was accepted); ``{"state":
    "awaiting"}`` while sealing is configured and the signed document's package waits for it
    (what ``awaiting_seal`` lists to the sealing agent); None otherwise (not signed, nothing to
    seal, sealing not configured, or a package written unsealed)."""
    sealed = (
        document.seals.filter(state=SignatureState.ACCEPTED)
        .order_by("-accepted_at", "-pk")
        .only("subject", "accepted_at", "fingerprint")
        .first()
    )
    if sealed is not None:
        return {
            "state": SEAL_SEALED,
            "subject": sealed.subject,
            "sealed_at": sealed.accepted_at,
            "fingerprint": sealed.fingerprint,
        }
    if (
        document.state != OutgoingState.SIGNED
        or not document.number
        or document.package
        or document.archive_state == ArchiveState.DESTROYED
        or not sealing_configured()
        or not any(line.detsis_no for line in document.distribution.all())
    ):
        return None
    return {"state": SEAL_AWAITING, "subject": "", "sealed_at": None, "fingerprint": ""}
