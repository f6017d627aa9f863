"""Writing the e-Yazışma 2.x package (.eyp) of a signed outgoing document.

The package is an OPC zip laid out as the e-Yazışma technical guide and the official .NET API
lay it out (see ``../shared/formats/e-yazisma/NOTES.md``): the üst yazı (the official-layout
PDF) under ``/UstYazi``, the attachments under ``/Ekler``, the Üstveri, the PaketOzeti (two
digests, SHA-384 and SHA-512, of the üst yazı, the Üstveri and every attachment), the
NihaiÜstveri (date, sayı, signer), the NihaiÖzet (the same two digests of every part, the
PaketOzeti and the NihaiÜstveri included) and the core properties.

BİYS holds no signing key. A document signed with an electronic signature (CAdES, accepted by
``biys.evrak.signing``) carries it as ``/Imzalar/ImzaCades.imz``, named by the PaketOzeti's
relationship ``imzacades`` (Id ``IdImzaCades``) and listed in the NihaiÖzet, as e-Yazışma 2.x
packages carry the signer's signature; extended, outside what the signer signed, with the
signature time-stamp (CAdES-T) and the chain, CRLs and OCSP responses it was accepted with
(``biys.evrak.cades_ltv``), so that a receiving installation without those CRLs can check it.
The signer signs the PaketOzeti, as e-Yazışma signers do: the parts it lists (the üst yazı PDF
named by the BelgeId, the Üstveri, the attachments) are prepared at the signature request
(``prepare_for_signature``) and kept, and the package carries them byte for byte; the sayı
and date given at signature are in the NihaiÜstveri (where 2.x puts them). A document signed
as an approval only (no CAdES), or whose signer signed the üst yazı PDF (before BİYS signed
PaketOzetis), gets its parts written at export, the üst yazı named by its sayı.

BİYS holds no sealing key either. The institution's e-seal (e-mühür, CAdES over the exact bytes
of the NihaiÖzet) is made by the institution's sealing device outside BİYS; ``add_seal`` puts a
given seal into a package ``build_package`` wrote: ``/Muhur/MuhurCades.imz``, named by the
NihaiÖzet's own relationship part (``/NihaiOzet/_rels/NihaiOzet.xml.rels``, type
``muhurcades``, Id ``IdMuhurCades``, target ``../Muhur/MuhurCades.imz``), every other byte of
the package unchanged (the seal is not listed in the NihaiÖzet: it signs it). Whether the seal
is the institution's is ``biys.evrak.sealing``'s check.

``build_package`` and ``add_seal`` return the bytes after checking them with the very checks an
import runs (``eyp.check_package``): BİYS never hands out a package it would itself refuse.
"""

import base64
import hashlib
import io
import mimetypes
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.evrak import cades_ltv, eyp
from biys.evrak.choices import DistributionKind, OutgoingState, Urgency

TIPLER = "urn:dpt:eyazisma:schema:xsd:Tipler-2"
PACKAGE_VERSION = "2.0"
CONTENT_TYPE = "application/eyazisma"
DIGEST_METHODS = (
    ("sha384", "http://www.w3.org/2001/04/xmldsig-more#sha384"),
    ("sha512", "http://www.w3.org/2001/04/xmlenc#sha512"),
)
INTERNAL = "http://eyazisma.dpt/bilesen#dahili"
CORE_PROPERTIES = "/package/services/metadata/core-properties/{}.psmdcp"
SIGNATURE_PART = "/Imzalar/ImzaCades.imz"
SIGNATURE_TARGET = "../Imzalar/ImzaCades.imz"  # relative to /PaketOzeti/PaketOzeti.xml
NIHAI_OZET_PART = "/NihaiOzet/NihaiOzet.xml"
SEAL_PART = "/Muhur/MuhurCades.imz"
SEAL_TARGET = "../Muhur/MuhurCades.imz"  # relative to /NihaiOzet/NihaiOzet.xml
SEAL_RELS = "NihaiOzet/_rels/NihaiOzet.xml.rels"
BOM = "\ufeff".encode()
# A fixed time for every zip entry: the same document gives the same package bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class PackagePart:
    name: str  # "/Ustveri/Ustveri.xml"
    content: bytes
    relationship: str = ""  # the e-Yazışma relationship type's last word; "" for none
    relationship_id: str = ""


def _text(value) -> str:
    return escape(str(value or ""))


def _element(name: str, value, **attributes) -> str:
    attrs = "".join(f" {key}={quoteattr(str(val))}" for key, val in attributes.items())
    return f"<tipler:{name}{attrs}>{_text(value)}</tipler:{name}>"


def _datetime(value: datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _guid(*parts) -> str:
    """A stable GUID for a part of the package (an attachment, an ilgi line)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "biys:eyp:" + ":".join(map(str, parts)))).upper()


def _file_name(name: str, fallback: str) -> str:
    cleaned = _UNSAFE_NAME.sub("_", (name or "").strip()).strip(". ")
    return cleaned[:150] or fallback


def _person(user) -> str:
    first = (user.first_name or "").strip() or user.get_username()
    last = (user.last_name or "").strip() or "-"
    return f"<tipler:Kisi>{_element('IlkAdi', first)}{_element('Soyadi', last)}</tipler:Kisi>"


def _institution(detsis_no: str, name: str) -> str:
    return (
        f"<tipler:KurumKurulus>{_element('KKK', detsis_no)}{_element('Adi', name)}"
        "</tipler:KurumKurulus>"
    )


def _xml(root: str, namespace: str, body: str, **attributes) -> bytes:
    attrs = "".join(f" {key}={quoteattr(str(val))}" for key, val in attributes.items())
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<{root} xmlns="{namespace}" xmlns:tipler="{TIPLER}"{attrs}>{body}</{root}>'
    )
    return BOM + text.encode("utf-8")


def _digests(content: bytes) -> str:
    return "".join(
        "<DigestItem>"
        f'<DigestMethod Algorithm="{algorithm}" />'
        f"<DigestValue>{base64.b64encode(hashlib.new(name, content).digest()).decode()}"
        "</DigestValue></DigestItem>"
        for name, algorithm in DIGEST_METHODS
    )


def _digest_list(root: str, namespace: str, belge_id: str, parts: list[PackagePart]) -> bytes:
    references = "".join(
        f'<Reference xmlns="urn:dpt:eyazisma:schema:xsd:PaketOzeti-2" URI={quoteattr(part.name)}'
        f' Type="{INTERNAL}">{_digests(part.content)}</Reference>'
        for part in parts
    )
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<{root} xmlns="{namespace}" Id="{belge_id}">{references}</{root}>'
    )
    return BOM + text.encode("utf-8")


def _verification_url(document) -> str:
    base = (getattr(settings, "BIYS_BASE_URL", "") or "").rstrip("/")
    if base:
        return f"{base}/evrak/outgoing/{document.pk}/"
    return (
        getattr(settings, "BIYS_EYP_VERIFICATION_URL", "")
        or "https://www.turkiye.gov.tr/belge-dogrulama"
    )


def goes_to_an_institution(document) -> bool:
    """Whether the document has an e-Yazışma package: a recipient has a DETSİS number."""
    return any(line.detsis_no for line in document.distribution.all())


def exportable(document) -> list[str]:
    """Why the document's package cannot be written (empty: it can)."""
    reasons = []
    if document.state != OutgoingState.SIGNED or not document.number:
        reasons.append(_("Only a signed document has an e-Yazışma package."))
    if not goes_to_an_institution(document):
        reasons.append(
            _(
                "No recipient has a DETSİS number: an e-Yazışma package goes to public"
                " institutions; send this one by KEP or on paper."
            )
        )
    return reasons


def _ustveri(document, municipality, files, ust_yazi_name, belge_id, *, day) -> bytes:
    """``day``: the document's date as the Miat counts from it (the signature request's)."""
    # gereği before bilgi, as the document prints them
    lines = sorted(
        (line for line in document.distribution.all() if line.detsis_no),
        key=lambda line: (line.kind != DistributionKind.ACTION, line.order, line.pk),
    )
    miat = ""
    if document.urgency == Urgency.DATED and document.due_date and day:
        days = (document.due_date - day).days
        if days > 0:
            miat = _element("Miat", f"P{days}D")
    distribution = "".join(
        "<tipler:Dagitim>"
        + _institution(line.detsis_no, line.name)
        + _element("Ivedilik", document.urgency)
        + _element("DagitimTuru", line.kind)
        + miat
        + "</tipler:Dagitim>"
        for line in lines
    )
    attachments = "".join(
        "<tipler:Ek>"
        f'<tipler:Id Value="{ek_id}" EYazismaIdMi="false" />'
        + _element("Tur", "DED")
        + _element("DosyaAdi", name.rsplit("/", 1)[-1])
        + _element("MimeTuru", mime)
        + _element("Ad", title)
        + _element("SiraNo", order)
        + _element("ImzaliMi", "true")
        + "</tipler:Ek>"
        for order, (ek_id, name, mime, title) in enumerate(files, start=1)
    )
    references = ""
    for reference in document.references.all():
        number, day = "", None
        if reference.incoming_id:
            incoming = reference.incoming
            number = incoming.sender_number or incoming.number
            day = incoming.sender_date
        elif reference.outgoing_id:
            number, day = reference.outgoing.number, reference.outgoing.signed_at
        tarih = ""
        if day is not None:
            moment = (
                day if isinstance(day, datetime) else datetime.combine(day, datetime.min.time())
            )
            tarih = _element("Tarih", moment.strftime("%Y-%m-%dT%H:%M:%S"))
        references += (
            "<tipler:Ilgi>"
            f'<tipler:Id Value="{_guid(belge_id, "ilgi", reference.pk)}" EYazismaIdMi="false" />'
            + (_element("BelgeNo", number) if number else "")
            + tarih
            + _element("Etiket", reference.label)
            + _element("Ad", reference.line)
            + "</tipler:Ilgi>"
        )
    sdp = document.sdp_code
    body = (
        _element("BelgeId", belge_id)
        + _element("Konu", document.subject)
        + _element("GuvenlikKodu", document.confidentiality)
        + _element("MimeTuru", "application/pdf")
        + f"<tipler:DagitimListesi>{distribution}</tipler:DagitimListesi>"
        + (f"<tipler:Ekler>{attachments}</tipler:Ekler>" if attachments else "")
        + (f"<tipler:Ilgiler>{references}</tipler:Ilgiler>" if references else "")
        + _element("Dil", "tur")
        + "<tipler:Olusturan>"
        + _institution(municipality.detsis_no, municipality.name)
        + "</tipler:Olusturan>"
        + _element("DosyaAdi", ust_yazi_name)
        + (
            "<tipler:SdpBilgisi><tipler:AnaSdp>"
            + _element("Kod", sdp.code)
            + _element("Ad", sdp.title)
            + "</tipler:AnaSdp></tipler:SdpBilgisi>"
            if sdp
            else ""
        )
        + "<tipler:DogrulamaBilgisi>"
        + _element("DogrulamaAdresi", _verification_url(document))
        + "</tipler:DogrulamaBilgisi>"
    )
    return _xml("UstVeri", "urn:dpt:eyazisma:schema:xsd:Ustveri-2", body)


def _nihai_ustveri(document) -> bytes:
    signed = _datetime(document.signed_at)
    signer = document.signer
    signature = "<tipler:Imza><tipler:Imzalayan>" + _person(signer) + "</tipler:Imzalayan>"
    if document.signer_title:
        signature += _element("Makam", document.signer_title)
    signature += _element("Tarih", signed) + "</tipler:Imza>"
    body = (
        _element("Tarih", signed)
        + _element("BelgeNo", document.number)
        + f"<tipler:BelgeImzalar>{signature}</tipler:BelgeImzalar>"
    )
    return _xml("NihaiUstVeri", "urn:dpt:eyazisma:schema:xsd:NihaiUstveri-2", body)


def _core_properties(document, municipality, belge_id) -> bytes:
    text = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xmlns="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">'
        f"<dc:identifier>{belge_id}</dc:identifier>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">'
        f"{timezone.localtime(document.signed_at).isoformat(timespec='seconds')}</dcterms:created>"
        f"<dc:creator>{_text(municipality.name)}/{_text(municipality.detsis_no)}</dc:creator>"
        f"<dc:subject>{_text(document.subject)}</dc:subject>"
        "<category>RESMIYAZISMA</category>"
        f"<contentType>{CONTENT_TYPE}</contentType>"
        f"<version>{PACKAGE_VERSION}</version>"
        "<revision>BİYS</revision>"
        "</coreProperties>"
    )
    return text.encode("utf-8")


def _relationships(relations: list[tuple[str, str, str]]) -> bytes:
    """``relations``: (Id, type URI, target)."""
    body = "".join(
        f"<Relationship Type={quoteattr(kind)} Target={quoteattr(target)} Id={quoteattr(rid)} />"
        for rid, kind, target in relations
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><Relationships'
        ' xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{body}</Relationships>"
    ).encode()


def _content_types(names: list[str]) -> bytes:
    defaults = {
        "rels": "application/vnd.openxmlformats-package.relationships+xml",
        "psmdcp": "application/vnd.openxmlformats-package.core-properties+xml",
        "xml": "application/xml",
        "pdf": "application/pdf",
    }
    for name in names:
        extension = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
        if extension and extension not in defaults:
            defaults[extension] = mimetypes.guess_type(name)[0] or "application/octet-stream"
    body = "".join(
        f"<Default Extension={quoteattr(ext)} ContentType={quoteattr(kind)} />"
        for ext, kind in defaults.items()
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><Types'
        ' xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f"{body}</Types>"
    ).encode()


def _attachment_parts(document, belge_id) -> tuple[list[PackagePart], list[tuple]]:
    from django.contrib.contenttypes.models import ContentType

    from biys.attachments.models import Attachment

    attachments = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(type(document)),
        object_id=str(document.pk),
        is_internal=False,
    ).order_by("pk")
    parts, described, used = [], [], set()
    for order, attachment in enumerate(attachments, start=1):
        name = _file_name(attachment.filename, f"ek{order}")
        if name.lower() in used:
            name = f"{order}-{name}"
        used.add(name.lower())
        ek_id = _guid(belge_id, "ek", attachment.pk)
        with attachment.file.open("rb") as stream:
            content = stream.read()
        parts.append(PackagePart(f"/Ekler/{name}", content, "ek", f"IdEk_{ek_id}"))
        described.append(
            (ek_id, name, attachment.mime_type or "application/octet-stream", attachment.filename)
        )
    return parts, described


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def _read(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def nihai_ozet(data: bytes) -> bytes:
    """The NihaiÖzet part of a package BİYS wrote: the exact bytes its seal signs."""
    for name, content in _read(data):
        if "/" + name == NIHAI_OZET_PART:
            return content
    raise ValidationError(_("The package has no NihaiOzet to seal."))


def add_seal(data: bytes, seal: bytes, *, trusted=None, at=None, seal_at=None) -> bytes:
    """The package ``data`` (as ``build_package`` wrote it, not sealed) with the institution's
    e-seal ``seal`` (a CAdES over its NihaiÖzet, DER) added, checked as an import checks it
    (against ``trusted``, the trust store when not given) at ``at`` (the signer's signature)
    and ``seal_at`` (the seal): ``ValidationError`` if the result would be refused or carries
    no verified seal. Every other part is kept byte for byte; ``[Content_Types].xml`` gains
    ``imz`` if it lacked it. Whether the seal is the institution's own certificate is the
    caller's check (``biys.evrak.sealing``)."""
    files = _read(data)
    names = ["/" + name for name, _content in files]
    if SEAL_PART in names or "/" + SEAL_RELS in names:
        raise ValidationError(_("The package is sealed already."))
    if NIHAI_OZET_PART not in names:
        raise ValidationError(_("The package has no NihaiOzet to seal."))
    part_names = [
        name for name in names if not name.endswith(".rels") and name != "/[Content_Types].xml"
    ]
    relation = ("IdMuhurCades", eyp.REL_BASE + "muhurcades", SEAL_TARGET)
    files = [
        (
            name,
            _content_types([*part_names, SEAL_PART]) if name == "[Content_Types].xml" else content,
        )
        for name, content in files
    ]
    files += [(SEAL_PART.lstrip("/"), bytes(seal)), (SEAL_RELS, _relationships([relation]))]
    sealed = _zip(files)
    report = eyp.check_package(sealed, trusted=trusted, at=at, seal_at=seal_at)
    if not report.ok or not report.seal:
        raise ValidationError(
            [
                _("The package failed its own check: %(problem)s") % {"problem": problem}
                for problem in report.problems
            ]
            or [_("The package failed its own check: the seal was not read.")]
        )
    return sealed


def _municipality(reasons: list):
    from biys.org.models import Municipality

    municipality = Municipality.objects.order_by("pk").first()
    if municipality is None or not municipality.detsis_no:
        reasons.append(_("Set the municipality's DETSİS number first: the package carries it."))
    if reasons:
        raise ValidationError(reasons)
    return municipality


def ust_yazi_file_name(belge_id: str) -> str:
    """The üst yazı's file name in a package prepared for the signer: its BelgeId (the sayı,
    which other systems name it by, is given only at signature)."""
    return f"{belge_id.upper()}.pdf"


@dataclass
class SignedParts:
    """The parts of a package the signer signs, as the PaketOzeti lists them (the attachments
    are read from the document)."""

    ust_yazi: PackagePart
    ustveri: PackagePart
    attachments: list[PackagePart]
    paket_ozeti: PackagePart

    @property
    def listed(self) -> list[PackagePart]:
        return [self.ust_yazi, self.ustveri, *self.attachments]


def _signed_parts(document, municipality, *, belge_id, ust_yazi_name, pdf, day) -> SignedParts:
    ust_yazi = PackagePart(f"/UstYazi/{ust_yazi_name}", pdf, "ustyazi", "IdUstYazi")
    attachments, described = _attachment_parts(document, belge_id)
    ustveri = PackagePart(
        "/Ustveri/Ustveri.xml",
        _ustveri(document, municipality, described, ust_yazi_name, belge_id, day=day),
        "ustveri",
        "IdUstveri",
    )
    paket_ozeti = _paket_ozeti(belge_id, [ust_yazi, ustveri, *attachments])
    return SignedParts(ust_yazi, ustveri, attachments, paket_ozeti)


def _paket_ozeti(belge_id: str, parts: list[PackagePart]) -> PackagePart:
    return PackagePart(
        "/PaketOzeti/PaketOzeti.xml",
        _digest_list("PaketOzeti", "urn:dpt:eyazisma:schema:xsd:PaketOzeti-2", belge_id, parts),
        "paketozeti",
        "IdPaketOzeti",
    )


def prepare_for_signature(document, *, belge_id: str, pdf: bytes, day) -> SignedParts:
    """The parts of the package of ``document`` that its signer signs, prepared before the
    signature (``biys.evrak.signing.signature_request``): the üst yazı ``pdf`` named by the
    BelgeId, the Üstveri with the Miat counted from ``day``, the attachments as they stand and
    the PaketOzeti listing them, whose bytes the signer signs. ``build_package`` then writes
    the package around them, byte for byte. ``ValidationError`` when the document has no
    package (no recipient is a public institution) or the municipality no DETSİS number."""
    reasons = []
    if not goes_to_an_institution(document):
        reasons.append(_("No recipient has a DETSİS number: the document has no package."))
    municipality = _municipality(reasons)
    belge_id = belge_id.upper()
    return _signed_parts(
        document,
        municipality,
        belge_id=belge_id,
        ust_yazi_name=ust_yazi_file_name(belge_id),
        pdf=pdf,
        day=day,
    )


def _kept_parts(document, electronic, belge_id) -> SignedParts:
    """The signed parts of a package prepared at the signature request, as they were kept."""
    ust_yazi = PackagePart(
        f"/UstYazi/{ust_yazi_file_name(belge_id)}",
        bytes(electronic.ust_yazi),
        "ustyazi",
        "IdUstYazi",
    )
    ustveri = PackagePart("/Ustveri/Ustveri.xml", bytes(electronic.ustveri), "ustveri", "IdUstveri")
    attachments, _described = _attachment_parts(document, belge_id)
    paket_ozeti = PackagePart(
        "/PaketOzeti/PaketOzeti.xml", bytes(electronic.content), "paketozeti", "IdPaketOzeti"
    )
    return SignedParts(ust_yazi, ustveri, attachments, paket_ozeti)


def build_package(document, *, belge_id: str) -> bytes:
    """The package's bytes, checked as an import checks them (``ValidationError`` if BİYS's
    own package would be refused, which a test keeps from happening). A document whose signer
    signed its PaketOzeti gets the parts prepared then, byte for byte; one signed as an
    approval only (or whose signer signed the PDF, before BİYS signed PaketOzetis) gets them
    written now, the üst yazı named by its sayı."""
    from biys.evrak.outgoing_pdf import outgoing_pdf
    from biys.evrak.signing import accepted_signature

    municipality = _municipality(exportable(document))
    belge_id = belge_id.upper()
    electronic = accepted_signature(document)
    if electronic is not None and electronic.signs_package:
        signed = _kept_parts(document, electronic, belge_id)
    else:
        signed = _signed_parts(
            document,
            municipality,
            belge_id=belge_id,
            ust_yazi_name=_file_name(document.number, "ustyazi") + ".pdf",
            pdf=electronic.ust_yazi_pdf if electronic else outgoing_pdf(document),
            day=timezone.localtime(document.signed_at).date(),
        )
    signed_parts, paket_ozeti = signed.listed, signed.paket_ozeti
    nihai_ustveri = PackagePart(
        "/NihaiUstveri/NihaiUstveri.xml", _nihai_ustveri(document), "nihaiustveri", "IdNihaiUstveri"
    )
    # The signer's signature hangs off the PaketOzeti (its own relationship part).
    # It carries the signature extended with its time-stamp and validation data (CAdES-T,
    # B-LT: ``cades_ltv.for_package``); the signature as the signer returned it stays kept.
    signature_parts = (
        [PackagePart(SIGNATURE_PART, cades_ltv.for_package(electronic), "imzacades", "IdImzaCades")]
        if electronic
        else []
    )
    core_name = CORE_PROPERTIES.format(uuid.UUID(belge_id).hex)
    core = PackagePart(core_name, _core_properties(document, municipality, belge_id))
    nihai_ozet = PackagePart(
        "/NihaiOzet/NihaiOzet.xml",
        _digest_list(
            "NihaiOzet",
            "urn:dpt:eyazisma:schema:xsd:NihaiOzet-2",
            belge_id,
            [*signed_parts, paket_ozeti, *signature_parts, nihai_ustveri, core],
        ),
        "nihaiozet",
        "IdNihaiOzet",
    )
    parts = [*signed_parts, paket_ozeti, nihai_ustveri, nihai_ozet]
    relations = [
        (part.relationship_id, eyp.REL_BASE + part.relationship, part.name) for part in parts
    ]
    relations.append(("IdCoreProperties", eyp.CORE_PROPERTIES_REL, core_name))
    parts.append(core)
    extra_files = []
    if electronic:
        relation = ("IdImzaCades", eyp.REL_BASE + "imzacades", SIGNATURE_TARGET)
        extra_files.append(("PaketOzeti/_rels/PaketOzeti.xml.rels", _relationships([relation])))
    parts += signature_parts
    files = [
        ("[Content_Types].xml", _content_types([part.name for part in parts])),
        ("_rels/.rels", _relationships(relations)),
        *((part.name.lstrip("/"), part.content) for part in parts),
        *extra_files,
    ]
    data = _zip(files)
    # The signature was checked against the trust store when it was accepted: it is checked
    # again as of then (a certificate may have expired since), with the CRLs and OCSP
    # responses the package now carries.
    report = eyp.check_package(data, at=electronic.accepted_at if electronic else None)
    if not report.ok:
        raise ValidationError(
            [
                _("The package failed its own check: %(problem)s") % {"problem": problem}
                for problem in report.problems
            ]
        )
    return data
