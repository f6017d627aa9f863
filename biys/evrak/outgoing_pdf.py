"""The official layout of an outgoing document (Resmi Yazışmalarda Uygulanacak Usul ve Esaslar
Hakkında Yönetmelik), in Turkish whatever the reader's language: the header (T.C., the
municipality, the department), the sayı and the date, the konu, the addressee, the ilgi lines,
the text, the signature block, the attachments and the distribution list split into gereği and
bilgi; the urgency in red capitals at the top right and the confidentiality marking at the top
and bottom of every page. ReportLab with the embedded DejaVu fonts (``biys.core.pdf_fonts``),
so every Turkish letter survives. Not PDF/A: this is a plain PDF 1.4."""

import io
from html import escape

from django.utils import timezone

from biys.core.pdf_fonts import BOLD_FONT_NAME, FONT_NAME, register_fonts
from biys.evrak.choices import Confidentiality, DistributionKind, OutgoingState, Urgency

URGENCY_MARKS = {Urgency.URGENT: "ACELE", Urgency.DATED: "GÜNLÜDÜR"}
CONFIDENTIALITY_MARKS = {
    Confidentiality.RESTRICTED: "HİZMETE ÖZEL",
    Confidentiality.PRIVATE: "ÖZEL",
    Confidentiality.SECRET: "GİZLİ",
    Confidentiality.TOP_SECRET: "ÇOK GİZLİ",
}
RED = "#c00000"


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


def _styles():
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    text = ParagraphStyle("text", fontName=FONT_NAME, fontSize=11, leading=15)
    return {
        "text": text,
        "body": ParagraphStyle(
            "body", parent=text, alignment=TA_JUSTIFY, firstLineIndent=36, spaceAfter=6
        ),
        "bold": ParagraphStyle("bold", parent=text, fontName=BOLD_FONT_NAME),
        "centre": ParagraphStyle("centre", parent=text, fontName=BOLD_FONT_NAME, alignment=1),
        "right": ParagraphStyle("right", parent=text, alignment=TA_RIGHT),
        "signature": ParagraphStyle("signature", parent=text, alignment=TA_CENTER),
        "small": ParagraphStyle("small", parent=text, fontSize=9, leading=12),
        "urgency": ParagraphStyle(
            "urgency",
            parent=text,
            fontName=BOLD_FONT_NAME,
            fontSize=13,
            textColor=RED,
            alignment=TA_RIGHT,
        ),
    }


def _p(text, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


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


def _marking_painter(document):
    """Draws the confidentiality marking (and TASLAK on a draft) at the top and bottom of
    every page."""
    mark = CONFIDENTIALITY_MARKS.get(document.confidentiality, "")
    draft = document.state != OutgoingState.SIGNED

    def paint(canvas, doc):
        from reportlab.lib import colors
        from reportlab.lib.units import mm

        width, height = doc.pagesize
        canvas.saveState()
        if mark:
            canvas.setFont(BOLD_FONT_NAME, 12)
            canvas.setFillColor(colors.HexColor(RED))
            canvas.drawCentredString(width / 2, height - 10 * mm, mark)
            canvas.drawCentredString(width / 2, 8 * mm, mark)
        canvas.setFillColor(colors.HexColor("#6c757d"))
        canvas.setFont(FONT_NAME, 8)
        if draft:
            canvas.drawString(20 * mm, 8 * mm, "TASLAK — imzalanmamıştır")
        canvas.drawRightString(width - 20 * mm, 8 * mm, f"Sayfa {doc.page}")
        canvas.restoreState()

    return paint


def outgoing_pdf(document) -> bytes:
    """The document in the official layout (a draft marked TASLAK and without its sayı)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    register_fonts()
    styles = _styles()
    lines = list(document.distribution.all())
    action = [line for line in lines if line.kind == DistributionKind.ACTION]
    info = [line for line in lines if line.kind == DistributionKind.INFO]
    story = []

    urgency = URGENCY_MARKS.get(document.urgency)
    if urgency:
        if document.due_date:
            urgency = f"{urgency} ({document.due_date:%d.%m.%Y})"
        story.append(_p(urgency, styles["urgency"]))
    story.append(_p("T.C.", styles["centre"]))
    story.append(_p(upper_tr(_municipality_name()), styles["centre"]))
    for line in _department(document.unit):
        story.append(_p(upper_tr(line), styles["centre"]))
    story.append(Spacer(1, 8 * mm))

    day = timezone.localtime(document.signed_at).date() if document.signed_at else None
    header = Table(
        [
            [
                _p(f"Sayı : {document.number or '—'}", styles["text"]),
                _p(f"{day:%d.%m.%Y}" if day else "", styles["right"]),
            ],
            [_p(f"Konu : {document.subject}", styles["text"]), ""],
        ],
        colWidths=[125 * mm, 45 * mm],
        hAlign="LEFT",
    )
    header.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("SPAN", (0, 1), (1, 1)),
            ]
        )
    )
    story += [header, Spacer(1, 10 * mm)]

    single = len(action) == 1 and not info
    addressee = upper_tr(action[0].name) if single else "DAĞITIM YERLERİNE"
    story += [_p(addressee, styles["centre"]), Spacer(1, 6 * mm)]

    references = list(document.references.select_related("incoming", "outgoing"))
    if references:
        rows = [
            [
                _p("İlgi" if n == 0 else "", styles["text"]),
                _p(f"{ref.label}) {ref.line}", styles["text"]),
            ]
            for n, ref in enumerate(references)
        ]
        table = Table(rows, colWidths=[15 * mm, 155 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [table, Spacer(1, 5 * mm)]

    for paragraph in (document.body or "").split("\n\n"):
        if paragraph.strip():
            story.append(_p(paragraph.strip(), styles["body"]))
    story.append(Spacer(1, 12 * mm))

    signer = document.signer
    name = (signer.get_full_name() or signer.username) if signer else ""
    signature = [_p(name, styles["signature"]), _p(document.signer_title, styles["signature"])]
    if document.signed_at:
        signature.append(
            _p(
                f"{timezone.localtime(document.signed_at):%d.%m.%Y} tarihinde BİYS'te imzalandı",
                styles["small"],
            )
        )
    block = Table([["", signature]], colWidths=[100 * mm, 70 * mm], hAlign="LEFT")
    story += [block, Spacer(1, 8 * mm)]

    attachments = _attachments(document)
    if attachments:
        story.append(_p("Ek:", styles["bold"]))
        for n, filename in enumerate(attachments, start=1):
            story.append(_p(f"{n}- {filename}", styles["text"]))
        story.append(Spacer(1, 5 * mm))

    if not single:
        rows = [[_p("Gereği:", styles["bold"]), _p("Bilgi:", styles["bold"])]]
        for n in range(max(len(action), len(info))):
            rows.append(
                [
                    _p(action[n].name if n < len(action) else "", styles["text"]),
                    _p(info[n].name if n < len(info) else "", styles["text"]),
                ]
            )
        story.append(_p("Dağıtım:", styles["bold"]))
        table = Table(rows, colWidths=[85 * mm, 85 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        )
        story.append(table)

    buffer = io.BytesIO()
    paint = _marking_painter(document)
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{document.number or 'Taslak'} — {document.subject}",
        author=_municipality_name() or "BİYS",
        creator="BİYS",
    ).build(story, onFirstPage=paint, onLaterPages=paint)
    return buffer.getvalue()
