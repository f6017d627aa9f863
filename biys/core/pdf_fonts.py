"""The fonts every PDF of BİYS embeds: DejaVu Sans, which has every Turkish letter.

They are shipped in ``biys/core/fonts`` (closed networks, bare servers), so any module's PDF
(the service desk's statistics, the 5651 evidence report) finds them without reaching into
another module's files. ReportLab documents call ``register_fonts``; the outgoing official
letter (WeasyPrint, PDF/A-2b) loads the files named by ``font_path`` through ``@font-face``. ``BIYS_PDF_FONT_DIR`` points at another directory holding
``DejaVuSans.ttf`` and ``DejaVuSans-Bold.ttf``; Debian's ``fonts-dejavu-core`` is the last
resort.
"""

import os
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "fonts"
SYSTEM_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts/dejavu",
)
FONT_NAME = "DejaVuSans"
BOLD_FONT_NAME = "DejaVuSans-Bold"


def font_dirs() -> list[Path]:
    configured = os.environ.get("BIYS_PDF_FONT_DIR", "")
    return [Path(d) for d in (configured, str(SHIPPED), *SYSTEM_DIRS) if d]


def font_path(filename: str) -> Path:
    for directory in font_dirs():
        if (path := directory / filename).is_file():
            return path
    raise RuntimeError(f"{filename} not found: install fonts-dejavu-core or set BIYS_PDF_FONT_DIR.")


def register_fonts() -> None:
    """Register ``FONT_NAME`` and ``BOLD_FONT_NAME`` (a family) with ReportLab, once."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT_NAME, font_path("DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD_FONT_NAME, font_path("DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT_NAME, normal=FONT_NAME, bold=BOLD_FONT_NAME)
