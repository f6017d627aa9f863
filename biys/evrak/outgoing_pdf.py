"""The official layout of an outgoing document (Resmi Yazışmalarda Uygulanacak Usul ve Esaslar
Hakkında Yönetmelik), in Turkish whatever the reader's language: the header (T.C., the
municipality, the department), the sayı and the date, the konu, the addressee, the ilgi lines,
the text, the signature block, the attachments and the distribution list split into gereği and
bilgi; the urgency in red capitals at the top right and the confidentiality marking at the top
and bottom of every page.

PDF/A-2b: WeasyPrint renders the HTML template ``evrak/pdf/outgoing.html`` with
``pdf_variant="pdf/a-2b"``, which writes the XMP metadata that claims the conformance
(``pdfaid:part`` 2, ``pdfaid:conformance`` B), the sRGB OutputIntent and the document ID.
The DejaVu fonts (``biys.core.pdf_fonts``) are embedded as subsets through ``@font-face``
rules pointing at the bundled files, so every Turkish letter survives and can be extracted as
text. The renderer fetches nothing but those font files: a remote or any other URL is refused.
The tests check the claims and the fonts (``biys/evrak/tests/test_outgoing_pdf.py``); no
veraPDF run is part of them (see docs/evrak-eyp.md)."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from biys.core.pdf_fonts import font_path
from biys.evrak.choices import Confidentiality, DistributionKind, OutgoingState, Urgency

URGENCY_MARKS = {Urgency.URGENT: "ACELE", Urgency.DATED: "GÜNLÜDÜR"}
CONFIDENTIALITY_MARKS = {
    Confidentiality.RESTRICTED: "HİZMETE ÖZEL",
    Confidentiality.PRIVATE: "ÖZEL",
    Confidentiality.SECRET: "GİZLİ",
    Confidentiality.TOP_SECRET: "ÇOK GİZLİ",
}
PDF_VARIANT = "pdf/a-2b"
FONT_FAMILY = "BIYS DejaVu Sans"
FONT_FILES = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}


def upper_tr(text: str) -> str:
    """Turkish capitals: i → İ, ı → I."""
    return (text or "").replace("i", "İ").replace("ı", "I").upper()


def _municipality_name() -> str:
    from biys.org.models import Municipality

    municipality = Municipality.objects.only("name").order_by("pk").first()
    return municipality.name if municipality else ""


def _department(unit) -> list[str]:
    """The drafting unit under its department (daire başkanlığı), as the header's lines."""
    lines = [unit.name]
    parent = unit.parent
    while parent is not None and len(lines) < 2:
        lines.insert(0, parent.name)
        parent = parent.parent
    return lines


def _attachments(document) -> list[str]:
    from django.contrib.contenttypes.models import ContentType

    from biys.attachments.models import Attachment

    return list(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(type(document)),
            object_id=str(document.pk),
            is_internal=False,
        )
        .order_by("pk")
        .values_list("filename", flat=True)
    )


def _font_files() -> dict[str, Path]:
    return {weight: font_path(name).resolve() for weight, name in FONT_FILES.items()}


def _font_css(files: dict[str, Path]) -> str:
    return "".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'src: url("{path.as_uri()}"); }}\n'
        for weight, path in files.items()
    )


def load_weasyprint():
    """WeasyPrint's modules, imported without its side effect on the process: importing it sets
    Pillow's ``ImageFile.LOAD_TRUNCATED_IMAGES``, which would make every later image check of
    the process (an OCR scan cut off in the middle, an upload) accept a broken file. The letter
    draws no image, so the setting is put back as it was."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import weasyprint as module
        import weasyprint.text.fonts
        import weasyprint.urls
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before
    return module


def _url_fetcher(allowed: set[str]):
    """A fetcher that serves the font files and refuses every other URL (no network, no other
    local file), whatever the template or the data says."""
    URLFetcher = load_weasyprint().urls.URLFetcher

    class LocalFontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"BİYS renders official documents offline: {url} refused")
            return super().fetch(url, headers)

    return LocalFontsOnly(allowed_protocols={"file"})


def _context(document, for_signature: bool = False) -> dict:
    lines = list(document.distribution.all())
    action = [line.name for line in lines if line.kind == DistributionKind.ACTION]
    info = [line.name for line in lines if line.kind == DistributionKind.INFO]
    single = len(action) == 1 and not info

    urgency = URGENCY_MARKS.get(document.urgency, "")
    if urgency and document.due_date:
        urgency = f"{urgency} ({document.due_date:%d.%m.%Y})"
    signed = timezone.localtime(document.signed_at) if document.signed_at else None
    signer = document.signer
    municipality = _municipality_name()
    references = document.references.select_related("incoming", "outgoing")
    distribution = []
    if not single:
        for n in range(max(len(action), len(info))):
            distribution.append(
                (action[n] if n < len(action) else "", info[n] if n < len(info) else "")
            )
    return {
        "title": f"{document.number or 'Taslak'} — {document.subject}",
        "author": municipality or "BİYS",
        "mark": CONFIDENTIALITY_MARKS.get(document.confidentiality, ""),
        "draft": document.state != OutgoingState.SIGNED and not for_signature,
        "urgency": urgency,
        "municipality": upper_tr(municipality),
        "department": [upper_tr(line) for line in _department(document.unit)],
        "number": document.number or "—",
        "day": f"{signed:%d.%m.%Y}" if signed else "",
        "subject": document.subject,
        "addressee": upper_tr(action[0]) if single else "DAĞITIM YERLERİNE",
        "references": [(ref.label, ref.line) for ref in references],
        "paragraphs": [p.strip() for p in (document.body or "").split("\n\n") if p.strip()],
        "signer_name": (signer.get_full_name() or signer.username) if signer else "",
        "signer_title": document.signer_title,
        "signed_on": f"{signed:%d.%m.%Y}" if signed else "",
        "attachments": _attachments(document),
        "distribution": distribution,
    }


def outgoing_pdf(document, *, for_signature: bool = False) -> bytes:
    """The document in the official layout as PDF/A-2b (a draft marked TASLAK and without its
    sayı). ``for_signature``: the text the signer signs electronically, not marked TASLAK; its
    sayı and date are given at signature and travel in the package's NihaiÜstveri."""
    renderer = load_weasyprint()
    html = render_to_string("evrak/pdf/outgoing.html", _context(document, for_signature))
    files = _font_files()
    fetcher = _url_fetcher({path.as_uri() for path in files.values()})
    fonts = renderer.text.fonts.FontConfiguration()
    stylesheet = renderer.CSS(string=_font_css(files), font_config=fonts, url_fetcher=fetcher)
    return renderer.HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], font_config=fonts, pdf_variant=PDF_VARIANT
    )
