"""What the applications module's PDFs share (the base-station site record sheet, the numbering
certificate, the GIS data quote): an A4 document in the installation's Turkish fonts, its
heading, text and small styles, the "Prepared" line and the page header with the
municipality's name. Each builder writes only its own story between ``start`` and
``finish``."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core.pdf_fonts import BOLD_FONT_NAME, FONT_NAME, register_fonts
from biys.core.report_files import page_decorator


@dataclass
class Sheet:
    """A PDF being written: ``document`` (its ``width`` for the tables), the ``heading``,
    ``text`` and ``small`` paragraph styles, the ``municipality`` (or None) and the story."""

    heading_text: str
    buffer: io.BytesIO
    document: object
    heading: object
    text: object
    small: object
    municipality: object
    story: list = field(default_factory=list)

    @property
    def width(self) -> float:
        return self.document.width

    def paragraph(self, value: str, style=None):
        """A paragraph of plain text (escaped: never markup from the data)."""
        from reportlab.platypus import Paragraph

        return Paragraph(escape(str(value)), style or self.text)

    def finish(self, fallback_header: str) -> bytes:
        """The "Prepared" line, then every page's header (the municipality's name, else
        ``fallback_header``) and footer; the PDF's bytes."""
        from reportlab.platypus import Paragraph

        self.story.append(
            Paragraph(f"{escape(_('Prepared'))}: {timezone.localtime():%d.%m.%Y %H:%M}", self.small)
        )
        header = self.municipality.name if self.municipality else fallback_header
        self.document.build(self.story, canvasmaker=page_decorator(header, self.heading_text))
        return self.buffer.getvalue()


def start(
    heading_text: str,
    *,
    title: str | None = None,
    margins: tuple[float, float, float, float] = (1.8, 1.8, 2.0, 1.8),
    heading_size: tuple[float, float] = (14, 18),
    text_size: tuple[float, float] = (9.5, 13),
) -> Sheet:
    """A new A4 sheet titled ``title`` (default: the heading); ``margins`` (left, right, top,
    bottom) in cm, the heading's and the text's font size and leading."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    from biys.org.models import Municipality

    register_fonts()
    buffer = io.BytesIO()
    left, right, top, bottom = margins
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title or heading_text, author="BİYS",
        leftMargin=left * cm, rightMargin=right * cm, topMargin=top * cm,
        bottomMargin=bottom * cm,
    )  # fmt: skip
    return Sheet(
        heading_text=heading_text,
        buffer=buffer,
        document=document,
        heading=ParagraphStyle(
            "heading", fontName=BOLD_FONT_NAME, fontSize=heading_size[0], leading=heading_size[1]
        ),
        text=ParagraphStyle(
            "text", fontName=FONT_NAME, fontSize=text_size[0], leading=text_size[1]
        ),
        small=ParagraphStyle("small", fontName=FONT_NAME, fontSize=8, leading=10),
        municipality=Municipality.objects.only("name").first(),
    )
