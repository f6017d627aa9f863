"""Archive time-stamps over the kept e-Yazışma packages: the proof that outlives certificates.

A signed package proves what was signed and, with the validation data it carries (the chain,
the CRLs and OCSP responses, the signature time-stamp: ``cades_ltv``), that the signature was
valid when it was made. That proof lasts only as long as its certificates: once the
time-stamping authority's certificate expires (or a digest algorithm weakens), a package kept
since cannot be told from one made later. An archive time-stamp closes the gap, as RFC 4998's
evidence records and CAdES-A do: a time-stamp over the package as kept proves it existed
unchanged then, with everything inside it; a new one over the package and every earlier
link, taken before the last link's authority certificate expires, carries the proof on, for
as long as the archive keeps the package (decades, by the file plan). The packages are the
outgoing documents' own (``OutgoingDocument.package``, written once) and the ones incoming
documents arrived in (``IncomingPackage``); a destruction (imha) removes them with their links.

Link n of a package's chain time-stamps (the authority signs the SHA-256 of) the bytes
``SHA-256(package) || SHA-256(token 1) || … || SHA-256(token n-1)``: raw 32-byte digests, the
tokens as kept (the whole RFC 3161 TimeStampResp, DER).

A chain verifies (``verify``) when the package is the one the first link stamped, every link's
token verifies over its input (the authority's signature, its chain to ``BIYS_TSA_CA_FILE`` as
of the token's own time), every link came before the previous link's authority certificate
expired, and the last link's has not expired. Revocation of the authority's certificates is not
checked.

``stamp_due`` (daily, ``BIYS_EVRAK_ARCHIVE_TIMESTAMP``) stamps the packages without a link and
renews the chains whose last authority certificate expires within
``BIYS_EVRAK_ARCHIVE_RENEW_DAYS`` (at most once a month each: a time-stamp is paid for, and an
authority that has not renewed its certificate yet would give the same expiry again).
"""

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography import x509
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core import tsa
from biys.evrak.choices import ArchiveState
from biys.evrak.models import ArchiveTimestamp, IncomingPackage, OutgoingDocument

logger = logging.getLogger(__name__)

RETRY_AFTER = timedelta(days=30)


def enabled() -> bool:
    return bool(getattr(settings, "BIYS_EVRAK_ARCHIVE_TIMESTAMP", False))


def renew_days() -> int:
    return int(getattr(settings, "BIYS_EVRAK_ARCHIVE_RENEW_DAYS", 180))


def _owner_filter(owner) -> dict:
    if isinstance(owner, OutgoingDocument):
        return {"outgoing": owner}
    if isinstance(owner, IncomingPackage):
        return {"incoming": owner}
    raise TypeError(f"no package kept by {type(owner).__name__}")


def links_of(owner):
    """The chain of ``owner`` (an ``OutgoingDocument`` or an ``IncomingPackage``), in order."""
    return ArchiveTimestamp.objects.filter(**_owner_filter(owner)).order_by("sequence")


def package_of(owner) -> bytes:
    """The kept package's bytes; ``ValidationError`` when none is kept (destroyed, or an
    outgoing document's package not written yet)."""
    stored = owner.package if isinstance(owner, OutgoingDocument) else owner.file
    if not stored:
        raise ValidationError(_("No e-Yazışma package is kept for this document."))
    with stored.open("rb") as stream:
        return stream.read()


def stamped_input(package: bytes, tokens: Iterable[bytes]) -> bytes:
    """What a link time-stamps: the package's digest, then every earlier token's."""
    return hashlib.sha256(package).digest() + b"".join(
        hashlib.sha256(bytes(token)).digest() for token in tokens
    )


def _authority(token: bytes) -> tuple[str, datetime]:
    """The subject and expiry of the certificate that signed ``token`` (the authority sends
    it: BİYS's requests ask for it)."""
    from rfc3161_client import decode_timestamp_response

    signed = decode_timestamp_response(token).signed_data
    signer = next(iter(signed.signer_infos))
    for der in signed.certificates:
        certificate = x509.load_der_x509_certificate(der)
        if (
            certificate.issuer == signer.issuer
            and certificate.serial_number == signer.serial_number
        ):
            return certificate.subject.rfc4514_string(), certificate.not_valid_after_utc
    raise tsa.TimestampError("the time-stamp does not carry its authority's certificate")


def stamp(owner) -> ArchiveTimestamp:
    """A new link on ``owner``'s chain: the package and the earlier links time-stamped by the
    authority of ``BIYS_TSA_URL``. ``tsa.TimestampError`` when the authority fails,
    ``ValidationError`` when no package is kept or another link was added meanwhile; nothing is
    saved then. The authority is asked outside any transaction."""
    package = package_of(owner)
    tokens = [bytes(token) for token in links_of(owner).values_list("token", flat=True)]
    answer = tsa.request_timestamp(stamped_input(package, tokens))
    authority, expires = _authority(answer.token)
    with transaction.atomic():
        type(owner).objects.select_for_update().only("pk").get(pk=owner.pk)  # one at a time
        if links_of(owner).count() != len(tokens):
            raise ValidationError(_("Another archive time-stamp was added meanwhile."))
        return ArchiveTimestamp.objects.create(
            **_owner_filter(owner),
            sequence=len(tokens) + 1,
            package_sha256=hashlib.sha256(package).hexdigest(),
            token=answer.token,
            time=answer.time,
            authority=authority[:1000],
            authority_expires=expires,
        )


def due(*, now: datetime | None = None) -> Iterator:
    """The kept packages to time-stamp now: without a link, or whose last link's authority
    certificate expires within the renewal window (and was not stamped this month)."""
    now = now or timezone.now()
    kept = (
        ("outgoing", OutgoingDocument.objects.exclude(package="").exclude(
            archive_state=ArchiveState.DESTROYED
        )),
        ("incoming", IncomingPackage.objects.exclude(file="").exclude(
            document__archive_state=ArchiveState.DESTROYED
        )),
    )  # fmt: skip
    for field_name, packages in kept:
        last = ArchiveTimestamp.objects.filter(**{field_name: OuterRef("pk")})
        last = last.order_by("-sequence")
        yield from (
            packages.annotate(
                last_expires=Subquery(last.values("authority_expires")[:1]),
                last_created=Subquery(last.values("created_at")[:1]),
            )
            .filter(
                Q(last_expires__isnull=True)
                | Q(
                    last_expires__lt=now + timedelta(days=renew_days()),
                    last_created__lt=now - RETRY_AFTER,
                )
            )
            .order_by("pk")
            .iterator()
        )


def stamp_due(*, now: datetime | None = None) -> dict:
    """Stamp every package ``due`` (when ``BIYS_EVRAK_ARCHIVE_TIMESTAMP`` is on): how many
    were stamped and which failed (logged; tried again the next day)."""
    summary = {"stamped": 0, "failed": {}}
    if not enabled():
        return summary
    for owner in list(due(now=now)):
        try:
            stamp(owner)
        except (tsa.TimestampError, ValidationError, OSError) as error:
            name = f"{type(owner).__name__} {owner.pk}"
            reason = "; ".join(getattr(error, "messages", [])) or str(error)
            logger.warning("archive time-stamp of %s failed: %s", name, reason)
            summary["failed"][name] = reason
        else:
            summary["stamped"] += 1
    return summary


@dataclass
class LinkCheck:
    sequence: int
    time: datetime
    authority: str
    authority_expires: datetime
    problem: str = ""


@dataclass
class ChainReport:
    ok: bool
    links: list[LinkCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    package_sha256: str = ""

    @property
    def proven_since(self) -> datetime | None:
        """The time the package is proven to have existed unchanged since."""
        return self.links[0].time if self.ok and self.links else None

    def as_dict(self) -> dict:
        """The report as the API and the command line give it."""
        return {
            "ok": self.ok,
            "proven_since": self.proven_since,
            "package_sha256": self.package_sha256,
            "links": [vars(link) for link in self.links],
            "problems": self.problems,
        }


def verify(owner, *, now: datetime | None = None, ca_file: str | None = None) -> ChainReport:
    """Check ``owner``'s chain against its kept package (see the module's text)."""
    now = now or timezone.now()
    try:
        package = package_of(owner)
    except ValidationError as error:
        return ChainReport(False, problems=error.messages)
    report = ChainReport(False, package_sha256=hashlib.sha256(package).hexdigest())
    rows = list(links_of(owner))
    if not rows:
        report.problems.append(_("The package has no archive time-stamp yet."))
        return report
    if rows[0].package_sha256 != report.package_sha256:
        report.problems.append(_("The package is not the one that was time-stamped."))
    tokens: list[bytes] = []
    previous = None  # the previous link's check
    for row in rows:
        token = bytes(row.token)
        # The time and the authority's certificate are read from the token itself, not from
        # the row beside it.
        check = LinkCheck(row.sequence, row.time, row.authority, row.authority_expires)
        try:
            answer = tsa.verify_token(token, stamped_input(package, tokens), ca_file=ca_file)
            check.time = answer.tst_info.gen_time
            check.authority, check.authority_expires = _authority(token)
        except tsa.TimestampError as error:
            check.problem = _("The time-stamp does not verify: %(reason)s") % {"reason": error}
        if not check.problem and previous is not None and check.time > previous.authority_expires:
            check.problem = _(
                "Renewed too late: the previous authority certificate expired on %(date)s."
            ) % {"date": f"{previous.authority_expires:%Y-%m-%d}"}
        if check.problem:
            report.problems.append(f"#{row.sequence}: {check.problem}")
        report.links.append(check)
        tokens.append(token)
        previous = check
    if previous.authority_expires < now:
        report.problems.append(
            _(
                "Not renewed: the last authority certificate expired on %(date)s; nothing"
                " proves the package unchanged since."
            )
            % {"date": f"{previous.authority_expires:%Y-%m-%d}"}
        )
    report.ok = not report.problems
    return report
