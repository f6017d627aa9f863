"""Sample e-Yazışma packages for the tests: the real samples (data/SOURCE.txt), a conformant
copy of the 2.x sample, and tampered copies."""

import base64
import hashlib
import io
import re
import zipfile
from pathlib import Path

DATA = Path(__file__).parent / "data"
SAMPLE_V2 = DATA / "paketv2x.eyp"
SAMPLE_V1 = DATA / "paketv1x.eyp"
USTVERI = "Ustveri/Ustveri.xml"
HASHES = {"sha384": "xmldsig-more#sha384", "sha512": "xmlenc#sha512"}


def read_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_parts(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _digest_block(uri: str, content: bytes) -> str:
    return "".join(
        f'<DigestItem><DigestMethod Algorithm="http://www.w3.org/2001/04/{suffix}" />'
        f"<DigestValue>{base64.b64encode(hashlib.new(name, content).digest()).decode()}"
        "</DigestValue></DigestItem>"
        for name, suffix in HASHES.items()
    )


def redigest(parts: dict[str, bytes], list_name: str) -> None:
    """Recompute every digest of PaketOzeti or NihaiOzet from the parts as they are now."""
    text = parts[list_name].decode("utf-8-sig")

    def replace(match):
        uri = match.group(2)
        return match.group(1) + _digest_block(uri, parts[uri.lstrip("/")]) + match.group(3)

    text = re.sub(
        r'(<Reference URI="([^"]+)"[^>]*>)\s*(?:<DigestItem>.*?</DigestItem>\s*)+(</Reference>)',
        replace,
        text,
        flags=re.S,
    )
    parts[list_name] = "\ufeff".encode() + text.encode("utf-8")


def sealed(parts: dict[str, bytes]) -> bytes:
    """The package with both digest lists recomputed, as its producer would have written it."""
    redigest(parts, "PaketOzeti/PaketOzeti.xml")
    redigest(parts, "NihaiOzet/NihaiOzet.xml")
    return write_parts(parts)


SAMPLE_ID = "B586D8E7-ADE1-4B08-B2B8-57250B22F8DC"


SIGNATURE = "Imzalar/ImzaCades.imz"
SIGNATURE_RELS = "PaketOzeti/_rels/PaketOzeti.xml.rels"
NIHAI_OZET = "NihaiOzet/NihaiOzet.xml"


def without_signature(parts: dict[str, bytes]) -> None:
    """The sample's placeholder signature (four bytes, 01 02 03 04) removed with its
    relationship and its NihaiOzet reference: an unsigned package."""
    parts.pop(SIGNATURE, None)
    parts.pop(SIGNATURE_RELS, None)
    text = parts[NIHAI_OZET].decode("utf-8-sig")
    text = re.sub(
        r'\s*<Reference URI="/Imzalar/ImzaCades.imz".*?</Reference>', "", text, flags=re.S
    )
    parts[NIHAI_OZET] = "\ufeff".encode() + text.encode("utf-8")


def with_signature(parts: dict[str, bytes], sign) -> None:
    """``sign(content) -> CMS`` over the PaketOzeti as it is now, added as the signer's
    ImzaCades (its relationship and NihaiOzet reference restored if missing). Call after the
    PaketOzeti's digests are final, then recompute the NihaiOzet."""
    parts[SIGNATURE] = sign(parts["PaketOzeti/PaketOzeti.xml"])
    parts[SIGNATURE_RELS] = (
        b'<?xml version="1.0" encoding="utf-8"?><Relationships'
        b' xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Type="http://eyazisma.dpt/iliskiler/imzacades"'
        b' Target="../Imzalar/ImzaCades.imz" Id="IdImzaCades" /></Relationships>'
    )
    text = parts[NIHAI_OZET].decode("utf-8-sig")
    if "/Imzalar/ImzaCades.imz" not in text:
        text = text.replace(
            "</NihaiOzet>",
            '<Reference URI="/Imzalar/ImzaCades.imz" Type="http://eyazisma.dpt/bilesen#dahili"'
            ' xmlns="urn:dpt:eyazisma:schema:xsd:PaketOzeti-2"><DigestItem></DigestItem></Reference>'
            "</NihaiOzet>",
        )
    parts[NIHAI_OZET] = "\ufeff".encode() + text.encode("utf-8")


SEAL = "Muhur/MuhurCades.imz"
SEAL_RELS = "NihaiOzet/_rels/NihaiOzet.xml.rels"


def without_seal(parts: dict[str, bytes]) -> None:
    """The sample's placeholder institutional seal (four bytes) removed with its relationship:
    a package that is not sealed (the NihaiOzet does not list the seal: it is signed by it)."""
    parts.pop(SEAL, None)
    parts.pop(SEAL_RELS, None)


def with_seal(parts: dict[str, bytes], seal) -> None:
    """``seal(content) -> CMS`` over the NihaiOzet as it is now, added as the institution's
    MuhurCades with the NihaiOzet's relationship. Call after the NihaiOzet is final."""
    parts[SEAL] = seal(parts[NIHAI_OZET])
    parts[SEAL_RELS] = (
        b'<?xml version="1.0" encoding="utf-8"?><Relationships'
        b' xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Type="http://eyazisma.dpt/iliskiler/muhurcades"'
        b' Target="../Muhur/MuhurCades.imz" Id="IdMuhurCades" /></Relationships>'
    )


def conformant_sample(*, edit=None, belge_id: str = "", sign=None, seal=None) -> bytes:
    """The 2.x sample with its Üstveri corrected (the mandatory MimeTuru added, the invalid
    Miat "0" removed), ``edit(text) -> text`` applied to the Üstveri, digests recomputed.
    Its placeholder signature is removed (an unsigned package), or, with ``sign(content) ->
    CMS``, replaced by a signature over the PaketOzeti. Its placeholder seal is removed (not
    sealed), or, with ``seal(content) -> CMS``, replaced by a seal over the NihaiOzet."""
    parts = read_parts(SAMPLE_V2.read_bytes())
    without_signature(parts)
    without_seal(parts)
    text = parts[USTVERI].decode("utf-8-sig")
    text = text.replace(
        "<tipler:GuvenlikKodu>YOK</tipler:GuvenlikKodu>",
        "<tipler:GuvenlikKodu>YOK</tipler:GuvenlikKodu>\n"
        "  <tipler:MimeTuru>application/pdf</tipler:MimeTuru>",
    )
    text = re.sub(r"\s*<tipler:Miat>0</tipler:Miat>", "", text)
    if edit is not None:
        text = edit(text)
    parts[USTVERI] = "\ufeff".encode() + text.encode("utf-8")
    if belge_id:  # another document: its id in every part that carries it
        for name in list(parts):
            if name.endswith((".xml", ".psmdcp")) and SAMPLE_ID.encode() in parts[name]:
                parts[name] = parts[name].replace(SAMPLE_ID.encode(), belge_id.encode())
    redigest(parts, "PaketOzeti/PaketOzeti.xml")
    if sign is not None:
        with_signature(parts, sign)
    redigest(parts, NIHAI_OZET)
    if seal is not None:
        with_seal(parts, seal)
    return write_parts(parts)


def tampered(data: bytes, part: str, *, offset: int = 200) -> bytes:
    """``data`` with one byte of ``part`` changed and the digests left as they were."""
    parts = read_parts(data)
    content = bytearray(parts[part])
    content[offset] = (content[offset] + 1) % 256 or 1
    parts[part] = bytes(content)
    return write_parts(parts)
