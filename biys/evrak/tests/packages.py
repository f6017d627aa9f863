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


def conformant_sample(*, edit=None, belge_id: str = "") -> bytes:
    """The 2.x sample with its Üstveri corrected (the mandatory MimeTuru added, the invalid
    Miat "0" removed), ``edit(text) -> text`` applied to the Üstveri, digests recomputed."""
    parts = read_parts(SAMPLE_V2.read_bytes())
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
    return sealed(parts)


def tampered(data: bytes, part: str, *, offset: int = 200) -> bytes:
    """``data`` with one byte of ``part`` changed and the digests left as they were."""
    parts = read_parts(data)
    content = bytearray(parts[part])
    content[offset] = (content[offset] + 1) % 256 or 1
    parts[part] = bytes(content)
    return write_parts(parts)
