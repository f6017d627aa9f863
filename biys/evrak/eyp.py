"""Reading and checking an e-Yazışma 2.x package (.eyp, an OPC zip).

``check_package(data)`` opens the package with limits (entries, sizes, part names), reads its
relationships, validates every XML part it knows against the corrected schemas in
``schemas/`` (see its CORRECTIONS.md), checks every digest of PaketOzeti and NihaiOzet against
the part it names, and that the package's identifiers agree (Üstveri BelgeId, the Id of both
digest lists, the core properties' identifier). It never raises on bad input: it returns a
``PackageReport`` whose ``problems`` say which part failed and why; a package with a problem
must be refused. The Üstveri and NihaiÜstveri are read into ``metadata`` to fill the register
form.

The signer's electronic signature (``/Imzalar/ImzaCades.imz``, named by the PaketOzeti's
relationship ``imzacades``) is optional in the schemas and the package structure: a package
without one is read as unsigned (``signature`` empty, and the checks say so). A package that
carries one is refused unless it verifies (``biys.evrak.cades``): a CAdES signature, detached
or enveloping (tümleşik), with SHA-256, whose signed content is the PaketOzeti part (as
e-Yazışma signers sign it) or the üst yazı part (as BİYS's signing agent signs it: the
PaketOzeti's digests of the üst yazı then bind it to the package), by a certificate that
chains to the installation's trust store and is valid now. See docs/evrak-signature.md.

The institution's e-seal (e-mühür, ``/Muhur/MuhurCades.imz``, named by the NihaiOzet's
relationship ``muhurcades``) is optional too: a package without one is read as not sealed
(``seal`` empty, and the checks say so). A package that carries one is refused unless it
verifies with the same checks and trust store as the signer's signature: a CAdES signature
whose signed content is the exact bytes of the NihaiOzet part (which lists the digest of every
other part, the signer's signature included), by a certificate that chains to the trust store.
The sealing certificate's subject (the institution) is reported in ``seal`` and in the checks.
See docs/evrak-eyp.md.
"""

import base64
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "t": "urn:dpt:eyazisma:schema:xsd:Tipler-2",
    "u": "urn:dpt:eyazisma:schema:xsd:Ustveri-2",
    "nu": "urn:dpt:eyazisma:schema:xsd:NihaiUstveri-2",
    "po": "urn:dpt:eyazisma:schema:xsd:PaketOzeti-2",
    "no": "urn:dpt:eyazisma:schema:xsd:NihaiOzet-2",
    "r": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}
REL_BASE = "http://eyazisma.dpt/iliskiler/"
CORE_PROPERTIES_REL = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
# Relationship type (lower case) -> the schema its target must satisfy.
XML_PARTS = {
    "ustveri": "EY-Ustveri-2.xsd",
    "nihaiustveri": "EY-NihaiUstveri-2.xsd",
    "paketozeti": "EY-PaketOzeti-2.xsd",
    "nihaiozet": "EY-NihaiOzet-2.xsd",
    "parafozeti": "EY-ParafOzeti-2.xsd",
    "belgehedef": "EY-BelgeHedef-2.xsd",
}
REQUIRED_RELS = ("ustyazi", "ustveri", "paketozeti")
DIGESTS = {
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
MAX_ENTRIES = 500
MAX_PART_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 300 * 1024 * 1024
MAX_RATIO = 100
RATIO_FREE_BYTES = 1024 * 1024
URGENCY_ORDER = {"NRM": 0, "ACL": 1, "GNL": 2}
_DAYS = re.compile(r"P(?:(\d+)D)?(?:T.*)?", re.ASCII)


@dataclass
class Problem:
    part: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        return f"{self.part}: {self.message}" if self.part else self.message


@dataclass
class Part:
    name: str  # "/Ustveri/Ustveri.xml"
    size: int
    sha256: str
    role: str = ""
    content_type: str = ""


@dataclass
class PackageReport:
    problems: list[Problem] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    version: str = ""
    belge_id: str = ""
    metadata: dict = field(default_factory=dict)
    signature: dict = field(default_factory=dict)  # the verified signer's, if signed
    seal: dict = field(default_factory=dict)  # the verified institution's e-seal, if sealed

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "version": self.version,
            "belge_id": self.belge_id,
            "problems": [
                {"part": p.part, "code": p.code, "message": p.message} for p in self.problems
            ],
            "checks": self.checks,
            "parts": [
                {
                    "name": p.name,
                    "role": p.role,
                    "content_type": p.content_type,
                    "size": p.size,
                    "sha256": p.sha256,
                }
                for p in self.parts
            ],
            "metadata": {
                key: (value.isoformat() if isinstance(value, date) else value)
                for key, value in self.metadata.items()
            },
            "signature": self.signature,
            "seal": self.seal,
        }


class _Refused(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _parser() -> etree.XMLParser:
    # No DTDs, no entities, no network: a package is untrusted input.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def schema(filename: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / filename), _parser()))


def part_key(name: str) -> str:
    """OPC part names compare case-insensitively, percent-decoded, from the root."""
    return "/" + unquote(name).lstrip("/").lower()


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and ".." not in path.parts
        and not any(ord(char) < 32 for char in name)
    )


def _read_zip(data: bytes) -> dict[str, tuple[str, bytes]]:
    """{part key: (part name, bytes)}, reading with limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _Refused(
            Problem("", _("The file is not an e-Yazışma package (not a zip)."), "not_zip")
        ) from error
    if len(infos) > MAX_ENTRIES:
        raise _Refused(Problem("", _("The package has too many parts."), "too_many_parts"))
    parts: dict[str, tuple[str, bytes]] = {}
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        if not _safe_name(name):
            raise _Refused(Problem(name, _("The part name is not allowed."), "bad_part_name"))
        if info.file_size > MAX_PART_BYTES:
            raise _Refused(Problem("/" + name, _("The part is too large."), "part_too_large"))
        try:
            with archive.open(info) as stream:
                content = stream.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
            raise _Refused(
                Problem(
                    "/" + name,
                    _("The part cannot be read: %(error)s") % {"error": error},
                    "unreadable",
                )
            ) from error
        total += len(content)
        if (
            len(content) > MAX_PART_BYTES
            or total > MAX_TOTAL_BYTES
            or (total > RATIO_FREE_BYTES and total > MAX_RATIO * max(len(data), 1))
        ):
            raise _Refused(Problem("", _("The package unpacks to too much data."), "too_large"))
        key = part_key(name)
        if key in parts:
            raise _Refused(Problem("/" + name, _("The part appears twice."), "duplicate_part"))
        parts[key] = ("/" + name, content)
    return parts


def _xml(parts, key: str, report: PackageReport):
    name, content = parts[key]
    try:
        return etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as error:
        report.problems.append(
            Problem(name, _("Not well-formed XML: %(error)s") % {"error": error}, "not_xml")
        )
        return None


def _resolve(source_key: str, target: str) -> str:
    """A relationship target, relative to the source part's folder, as a part key."""
    if target.startswith("/"):
        return part_key(target)
    folder = PurePosixPath(source_key).parent
    # "_rels/X.rels" describes the part in the folder above
    if folder.name == "_rels":
        folder = folder.parent
    resolved = []
    for piece in (folder / unquote(target)).parts:
        if piece == "..":
            if resolved:
                resolved.pop()
        elif piece not in ("/", "."):
            resolved.append(piece)
    return part_key("/".join(resolved))


def _relationships(parts, rels_key: str, report: PackageReport) -> list[tuple[str, str]]:
    """[(relationship type name in lower case, target part key)]."""
    if rels_key not in parts:
        return []
    root = _xml(parts, rels_key, report)
    if root is None:
        return []
    found = []
    for rel in root.findall("r:Relationship", NS):
        rel_type = rel.get("Type", "")
        if rel.get("TargetMode") == "External":
            continue
        kind = (
            rel_type[len(REL_BASE) :].lower()
            if rel_type.startswith(REL_BASE)
            else ("core-properties" if rel_type == CORE_PROPERTIES_REL else rel_type)
        )
        target = _resolve(rels_key, rel.get("Target", ""))
        if target not in parts:
            report.problems.append(
                Problem(
                    parts[rels_key][0],
                    _("The relationship %(id)s names %(target)s, which is not in the package.")
                    % {"id": rel.get("Id", ""), "target": rel.get("Target", "")},
                    "missing_part",
                )
            )
            continue
        found.append((kind, target))
    return found


def _text(node, path: str) -> str:
    found = node.find(path, NS) if node is not None else None
    return (found.text or "").strip() if found is not None and found.text else ""


def _check_digests(parts, key: str, root, report: PackageReport) -> None:
    """Each Reference of a PaketOzeti or NihaiOzet: the part it names, each digest of it."""
    name = parts[key][0]
    references = root.findall("po:Reference", NS)
    if not references:
        report.problems.append(Problem(name, _("It names no part."), "no_reference"))
    for reference in references:
        uri = reference.get("URI", "")
        target = part_key(uri)
        if target not in parts:
            report.problems.append(
                Problem(
                    name,
                    _("It names %(uri)s, which is not in the package.") % {"uri": uri},
                    "missing_part",
                )
            )
            continue
        target_name, content = parts[target]
        items = reference.findall("po:DigestItem", NS)
        if not items:
            report.problems.append(
                Problem(name, _("No digest for %(uri)s.") % {"uri": uri}, "no_digest")
            )
        for item in items:
            method = item.find("po:DigestMethod", NS)
            algorithm = method.get("Algorithm", "") if method is not None else ""
            hash_name = DIGESTS.get(algorithm)
            if hash_name is None:
                report.problems.append(
                    Problem(
                        name,
                        _("Unknown digest method %(method)s for %(uri)s.")
                        % {"method": algorithm, "uri": uri},
                        "unknown_digest",
                    )
                )
                continue
            try:
                expected = base64.b64decode(_text(item, "po:DigestValue"), validate=True)
            except ValueError:
                expected = b""
            if hashlib.new(hash_name, content).digest() != expected:
                report.problems.append(
                    Problem(
                        target_name,
                        _(
                            "Its %(hash)s digest does not match the one in %(list)s: the part was changed."
                        )
                        % {"hash": hash_name.upper(), "list": name},
                        "digest_mismatch",
                    )
                )
    report.checks.append(
        _("%(list)s: %(count)d digests checked")
        % {"list": name, "count": sum(len(r.findall("po:DigestItem", NS)) for r in references)}
    )


def _party(node) -> dict:
    """Olusturan: a public institution, a company or a person."""
    if node is None:
        return {}
    institution = node.find("t:KurumKurulus", NS)
    if institution is not None:
        return {
            "sender_kind": "institution",
            "sender_name": _text(institution, "t:Adi"),
            "sender_detsis_no": _text(institution, "t:KKK"),
        }
    company = node.find("t:TuzelSahis", NS)
    if company is not None:
        identifier = company.find("t:Id", NS)
        scheme = (identifier.get("schemeID", "") if identifier is not None else "").upper()
        value = (identifier.text or "").strip() if identifier is not None else ""
        return {
            "sender_kind": "company",
            "sender_name": _text(company, "t:Adi"),
            "sender_mersis_no": value if scheme == "MERSIS" else "",
            "sender_vkn": value if scheme in ("VKN", "VERGINO") else "",
        }
    person = node.find("t:GercekSahis", NS)
    if person is not None:
        name = " ".join(
            part
            for part in (
                _text(person, "t:Kisi/t:IlkAdi"),
                _text(person, "t:Kisi/t:IkinciAdi"),
                _text(person, "t:Kisi/t:Soyadi"),
            )
            if part
        )
        return {
            "sender_kind": "person",
            "sender_name": name,
            "sender_tc_kimlik_no": _text(person, "t:TCKN"),
        }
    return {}


def _metadata(ustveri, nihai) -> dict:
    data = {
        "belge_id": _text(ustveri, "t:BelgeId").upper(),
        "subject": _text(ustveri, "t:Konu"),
        "confidentiality": _text(ustveri, "t:GuvenlikKodu") or "YOK",
        "sdp_code": _text(ustveri, "t:SdpBilgisi/t:AnaSdp/t:Kod"),
        "sdp_title": _text(ustveri, "t:SdpBilgisi/t:AnaSdp/t:Ad"),
        "language": _text(ustveri, "t:Dil"),
    }
    data |= _party(ustveri.find("t:Olusturan", NS))
    urgency, days = "NRM", None
    for distribution in ustveri.findall("t:DagitimListesi/t:Dagitim", NS):
        code = _text(distribution, "t:Ivedilik") or "NRM"
        if URGENCY_ORDER.get(code, 0) >= URGENCY_ORDER[urgency]:
            urgency = code
            match = _DAYS.fullmatch(_text(distribution, "t:Miat"))
            if code == "GNL" and match and match.group(1):
                days = int(match.group(1))
    data["urgency"] = urgency
    data["due_in_days"] = days
    data["references"] = [
        ", ".join(
            value
            for value in (
                _text(ilgi, "t:Ad") or _text(ilgi, "t:Aciklama"),
                _text(ilgi, "t:BelgeNo"),
                _text(ilgi, "t:Tarih")[:10],
            )
            if value
        )
        for ilgi in ustveri.findall("t:Ilgiler/t:Ilgi", NS)
    ]
    data["attachments"] = [
        {
            "name": _text(ek, "t:Ad") or _text(ek, "t:DosyaAdi"),
            "kind": _text(ek, "t:Tur"),
            "file": _text(ek, "t:DosyaAdi"),
        }
        for ek in ustveri.findall("t:Ekler/t:Ek", NS)
    ]
    if nihai is not None:
        data["sender_number"] = _text(nihai, "t:BelgeNo")
        sent = _text(nihai, "t:Tarih")[:10]
        try:
            data["sender_date"] = date.fromisoformat(sent) if sent else None
        except ValueError:
            data["sender_date"] = None
    return data


def _check_signature(parts, by_kind, roots, report, trusted, at) -> None:
    """The signer's CAdES signature, if the package carries one (see the module's text)."""
    from biys.evrak import cades

    targets = list(dict.fromkeys(by_kind.get("imzacades", [])))
    if not targets:
        report.checks.append(_("No electronic signature (ImzaCades): the package is unsigned."))
        return
    if len(targets) > 1:
        report.problems.append(
            Problem("", _("The package names more than one signature."), "signature")
        )
        return
    name, content = parts[targets[0]]
    signed = {}  # SHA-256 of a part the signature may sign -> that part's name
    for kind in ("paketozeti", "ustyazi"):
        for target in by_kind.get(kind, []):
            signed[hashlib.sha256(parts[target][1]).hexdigest()] = parts[target][0]
    if "paketozeti" not in roots:
        return  # its problem is reported already; nothing to bind the signature to
    if "nihaiozet" in roots:
        references = roots["nihaiozet"][1].findall("po:Reference", NS)
        listed = {part_key(ref.get("URI", "")) for ref in references}
        if targets[0] not in listed:
            report.problems.append(
                Problem(name, _("The NihaiOzet has no digest of this part."), "not_covered")
            )
    if trusted is None:
        from biys.evrak.signing import trusted_certificates

        trusted = trusted_certificates()
    try:
        verified, stamps = _verified(content, tuple(signed), trusted, at)
    except cades.SignatureRefused as refused:
        report.problems.append(
            Problem(
                name,
                _("The electronic signature does not verify: %(reason)s")
                % {"reason": " ".join(refused.messages)},
                "signature",
            )
        )
        return
    report.signature = {
        "signer": verified.certificate.subject.rfc4514_string(),
        "certificate_serial": format(verified.certificate.serial_number, "X"),
        "issuer": verified.chain[-1].subject.rfc4514_string(),
        "signing_time": verified.signing_time.isoformat() if verified.signing_time else "",
        "signed_part": signed[verified.digest],
        "timestamps": [stamp.as_dict() for stamp in stamps],
        "validated_at": verified.checked_at.isoformat(),
    }
    if any(stamp.verified and stamp.time == verified.checked_at for stamp in stamps):
        report.checks.append(
            _(
                "%(part)s: verified as of its signature time-stamp (%(time)s), not as of now:"
                " it does not verify now (a certificate expired or revoked since, or no"
                " current revocation list), but the time-stamp proves it was made then."
            )
            % {"part": name, "time": f"{verified.checked_at:%Y-%m-%d %H:%M:%S} UTC"}
        )
    report.checks.append(
        _("%(part)s: the electronic signature of %(signer)s over %(signed)s verifies (%(root)s)")
        % {
            "part": name,
            "signer": report.signature["signer"],
            "signed": report.signature["signed_part"],
            "root": report.signature["issuer"],
        }
    )
    for stamp in stamps:
        if stamp.verified:
            text = _("%(part)s: time-stamped %(time)s by %(authority)s (the time-stamp verifies)")
        elif stamp.problem:
            text = _(
                "%(part)s: time-stamped %(time)s; the time-stamp's imprint matches, but it does"
                " not verify against this installation's time-stamping authority: %(problem)s"
            )
        else:
            text = _(
                "%(part)s: time-stamped %(time)s (the time-stamp's imprint matches; its"
                " authority is not checked: no BIYS_TSA_CA_FILE)"
            )
        report.checks.append(
            text
            % {
                "part": name,
                "time": f"{stamp.time:%Y-%m-%d %H:%M:%S} UTC",
                "authority": stamp.authority or _("the time-stamping authority"),
                "problem": stamp.problem,
            }
        )


def _verified(content: bytes, digest, trusted, at):
    """A CAdES part (the signer's signature, the institution's seal) verified against
    ``digest``, the trust store and the revocation lists (``cades.SignatureRefused``), as of
    ``at`` (now by default). When it does not verify then, but carries a signature time-stamp
    that verifies against this installation's time-stamping authority (``BIYS_TSA_CA_FILE``),
    it is verified as of the earliest such time-stamp instead (the time-stamp proves the
    signature existed then: a certificate expired or revoked since, or a carried CRL no longer
    current, does not undo it); ``verified.checked_at`` is then that time."""
    from biys.evrak import cades, cades_ltv, revocation
    from biys.evrak.signing import signature_bytes

    der = signature_bytes(content)
    stamps = cades_ltv.check_timestamps(der)
    ocsp_responses = cades_ltv.carried_ocsp(der)
    try:
        verified = cades.verify_detached(
            der, digest=digest, trusted=trusted, now=at, attached_allowed=True
        )
        revocation.check_signature_chain(
            verified.chain, der, at=verified.checked_at, ocsp_responses=ocsp_responses
        )
    except cades.SignatureRefused as refused:
        best = min((stamp.time for stamp in stamps if stamp.verified), default=None)
        if best is None or best >= (at or timezone.now()):
            raise
        try:
            verified = cades.verify_detached(
                der, digest=digest, trusted=trusted, now=best, attached_allowed=True
            )
            revocation.check_signature_chain(
                verified.chain, der, at=best, ocsp_responses=ocsp_responses, past=True
            )
        except cades.SignatureRefused as then:
            stamped = _("As of its signature time-stamp (%(time)s): %(reason)s") % {
                "time": f"{best:%Y-%m-%d %H:%M:%S} UTC",
                "reason": " ".join(then.messages),
            }
            raise cades.SignatureRefused(" ".join([*refused.messages, stamped])) from None
    return verified, stamps


def _check_seal(parts, by_kind, roots, report, trusted, at) -> None:
    """The institution's e-seal (MuhurCades) over the NihaiOzet, if the package carries one."""
    from biys.evrak import cades

    targets = list(dict.fromkeys(by_kind.get("muhurcades", [])))
    if not targets:
        report.checks.append(_("No institutional e-seal (MuhurCades): the package is not sealed."))
        return
    if len(targets) > 1:
        report.problems.append(
            Problem("", _("The package names more than one institutional e-seal."), "seal")
        )
        return
    name, content = parts[targets[0]]
    if "nihaiozet" not in by_kind:
        report.problems.append(
            Problem(name, _("The package has no NihaiOzet for the e-seal to seal."), "seal")
        )
        return
    if "nihaiozet" not in roots:
        return  # its problem is reported already; nothing to bind the seal to
    sealed_name, sealed_content = parts[roots["nihaiozet"][0]]
    if trusted is None:
        from biys.evrak.signing import trusted_certificates

        trusted = trusted_certificates()
    try:
        verified, _stamps = _verified(
            content, hashlib.sha256(sealed_content).hexdigest(), trusted, at
        )
    except cades.SignatureRefused as refused:
        report.problems.append(
            Problem(
                name,
                _("The institutional e-seal does not verify: %(reason)s")
                % {"reason": " ".join(refused.messages)},
                "seal",
            )
        )
        return
    report.seal = {
        "subject": verified.certificate.subject.rfc4514_string(),
        "certificate_serial": format(verified.certificate.serial_number, "X"),
        "fingerprint": cades.fingerprint(verified.certificate),
        "issuer": verified.chain[-1].subject.rfc4514_string(),
        "signing_time": verified.signing_time.isoformat() if verified.signing_time else "",
        "sealed_part": sealed_name,
    }
    report.checks.append(
        _("%(part)s: the institutional e-seal of %(subject)s over %(sealed)s verifies (%(root)s)")
        % {
            "part": name,
            "subject": report.seal["subject"],
            "sealed": sealed_name,
            "root": report.seal["issuer"],
        }
    )


def check_package(data: bytes, *, trusted=None, at=None, seal_at=None) -> PackageReport:
    """``trusted``: the certificates a signature or seal must chain to (the installation's
    trust store when not given); ``at``: when the signer's certificates must be valid (now
    when not given); ``seal_at``: when the seal's must be (``at`` when not given)."""
    report = PackageReport()
    try:
        parts = _read_zip(data)
    except _Refused as refused:
        report.problems.append(refused.problem)
        return report
    roles: dict[str, str] = {}
    for name, content in parts.values():
        report.parts.append(Part(name, len(content), hashlib.sha256(content).hexdigest()))
    if "/[content_types].xml" not in parts:
        report.problems.append(
            Problem("/[Content_Types].xml", _("The part is missing."), "missing_part")
        )
    relationships = _relationships(parts, "/_rels/.rels", report)
    if "/_rels/.rels" not in parts:
        report.problems.append(Problem("/_rels/.rels", _("The part is missing."), "missing_part"))
    by_kind: dict[str, list[str]] = {}
    for kind, target in relationships:
        by_kind.setdefault(kind, []).append(target)
        roles[target] = kind
        rels_key = part_key(
            str(PurePosixPath(target).parent / "_rels" / (PurePosixPath(target).name + ".rels"))
        )
        for sub_kind, sub_target in _relationships(parts, rels_key, report):
            roles[sub_target] = sub_kind
            by_kind.setdefault(sub_kind, []).append(sub_target)
    # The version: a 1.x package has other namespaces and schemas this installation lacks.
    core_key = (by_kind.get("core-properties") or [None])[0]
    core = _xml(parts, core_key, report) if core_key else None
    report.version = _text(core, "cp:version")
    if report.version and not report.version.startswith("2."):
        report.problems.append(
            Problem(
                "",
                _("e-Yazışma %(version)s packages are not accepted: only version 2.x.")
                % {"version": report.version},
                "unsupported_version",
            )
        )
        return report
    for kind in REQUIRED_RELS:
        if kind not in by_kind:
            report.problems.append(
                Problem(
                    "/_rels/.rels", _("No %(kind)s part is named.") % {"kind": kind}, "missing_part"
                )
            )
    roots = {}
    for kind, filename in XML_PARTS.items():
        for target in by_kind.get(kind, []):
            root = _xml(parts, target, report)
            if root is None:
                continue
            validator = schema(filename)
            if validator.validate(root):
                report.checks.append(
                    _("%(part)s: valid against %(schema)s")
                    % {"part": parts[target][0], "schema": filename}
                )
                roots[kind] = (target, root)
            else:
                errors = "; ".join(
                    f"{_('line')} {error.line}: {error.message}"
                    for error in validator.error_log[:3]
                )
                report.problems.append(
                    Problem(
                        parts[target][0],
                        _("Does not match the schema %(schema)s: %(errors)s")
                        % {"schema": filename, "errors": errors},
                        "schema",
                    )
                )
    for kind in ("paketozeti", "nihaiozet"):
        if kind in roots:
            target, root = roots[kind]
            _check_digests(parts, target, root, report)
    # Everything the signer signed must be covered by the PaketOzeti.
    if "paketozeti" in roots:
        covered = {
            part_key(ref.get("URI", ""))
            for ref in roots["paketozeti"][1].findall("po:Reference", NS)
        }
        for kind in ("ustyazi", "ustveri", "ek"):
            for target in by_kind.get(kind, []):
                if target not in covered:
                    report.problems.append(
                        Problem(
                            parts[target][0],
                            _("The PaketOzeti has no digest of this part."),
                            "not_covered",
                        )
                    )
    if trusted is None and ("imzacades" in by_kind or "muhurcades" in by_kind):
        from biys.evrak.signing import trusted_certificates

        trusted = trusted_certificates()
    _check_signature(parts, by_kind, roots, report, trusted, at)
    _check_seal(parts, by_kind, roots, report, trusted, seal_at or at)
    if "ustveri" in roots:
        ustveri = roots["ustveri"][1]
        nihai = roots.get("nihaiustveri", (None, None))[1]
        report.metadata = _metadata(ustveri, nihai)
        report.belge_id = report.metadata["belge_id"]
        for kind in ("paketozeti", "nihaiozet"):
            if kind in roots and (roots[kind][1].get("Id") or "").upper() != report.belge_id:
                report.problems.append(
                    Problem(
                        parts[roots[kind][0]][0],
                        _("Its Id is not the document's BelgeId."),
                        "id_mismatch",
                    )
                )
        if core is not None and _text(core, "dc:identifier").upper() not in ("", report.belge_id):
            report.problems.append(
                Problem(
                    parts[core_key][0],
                    _("Its identifier is not the document's BelgeId."),
                    "id_mismatch",
                )
            )
    for part in report.parts:
        part.role = roles.get(part_key(part.name), "")
    return report
