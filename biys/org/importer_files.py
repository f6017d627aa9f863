"""The text of an uploaded regulation: plain text, a PDF's text layer, or a Word (.docx) file.

Word's automatic numbering keeps the item letters out of the text runs ('a)', 'b)' live in
``numbering.xml``), so the .docx reader renders each numbered paragraph's label itself, as Word
shows it; otherwise every item would arrive without its letter.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Turkish municipal files are UTF-8, or Windows-1254 when saved by older Office / Notepad.
# ISO-8859-9 differs from Windows-1254 only in control characters and decodes any byte.
TEXT_ENCODINGS = ("utf-8-sig", "cp1254", "iso-8859-9")
MAX_CONTROL_CHARACTER_SHARE = 0.01
ACCEPTED_EXTENSIONS = (".txt", ".pdf", ".docx")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def extract_text(name: str, raw: bytes) -> str:
    """The text of an uploaded file, or a ValidationError saying why there is none."""
    if raw.startswith(b"%PDF"):
        return pdf_text(raw)
    if raw.startswith(b"PK\x03\x04"):
        return docx_text(raw)
    if name.lower().endswith((".pdf", ".docx", ".doc")):
        raise ValidationError(
            _("This file is damaged or not a real %(kind)s file.")
            % {"kind": name.rsplit(".", 1)[-1].upper()},
            code="bad_file",
        )
    return plain_text(raw)


# --------------------------------------------------------------------------- plain text


def plain_text(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(raw.decode("utf-16"))
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in raw:
        for encoding in TEXT_ENCODINGS:
            try:
                return _checked(raw.decode(encoding))
            except UnicodeDecodeError:
                continue
    raise ValidationError(
        _(
            "This file is neither plain text, nor PDF, nor Word (.docx). Save the regulation "
            "in one of these formats and upload it again."
        ),
        code="not_text",
    )


def _checked(text: str) -> str:
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in "\n\r\t\f"
    )
    if controls > len(text) * MAX_CONTROL_CHARACTER_SHARE:
        raise UnicodeDecodeError("text", b"", 0, 0, "control characters")
    return text


# --------------------------------------------------------------------------- PDF


def pdf_text(raw: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(_("This PDF is password protected."), code="encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(
            _("This PDF could not be read: %(error)s") % {"error": error}, code="bad_file"
        ) from error
    text = "\n".join(pages)
    if not text.strip():
        raise ValidationError(
            _(
                "This PDF has no text layer (it is a scanned image). Upload the text, or a PDF "
                "saved from the word processor."
            ),
            code="no_text",
        )
    return text


# --------------------------------------------------------------------------- DOCX


def docx_text(raw: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            document = ElementTree.fromstring(archive.read("word/document.xml"))
            numbering = _read_optional(archive, "word/numbering.xml")
            styles = _read_optional(archive, "word/styles.xml")
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as error:
        raise ValidationError(
            _("This Word file could not be read. Save it again as .docx and upload it."),
            code="bad_file",
        ) from error
    numberer = _Numberer(numbering, styles)
    lines = []
    for paragraph in document.iter(f"{_W}p"):
        text = _paragraph_text(paragraph)
        label = numberer.label(paragraph)
        if label and text.strip():
            text = f"{label} {text.lstrip()}"
        lines.append(text)
    return "\n".join(lines)


def _read_optional(archive: zipfile.ZipFile, name: str):
    try:
        return ElementTree.fromstring(archive.read(name))
    except KeyError:
        return None


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _val(node, path: str) -> str | None:
    found = node.find(path) if node is not None else None
    return found.get(f"{_W}val") if found is not None else None


class _Numberer:
    """Counts Word's numbered paragraphs and renders their labels: 'a)', '1.', '(2)', 'IV-'."""

    def __init__(self, numbering, styles):
        self.levels: dict[tuple[str, int], dict] = {}  # (abstractNumId, ilvl) -> format
        self.abstract: dict[str, str] = {}  # numId -> abstractNumId
        self.starts: dict[tuple[str, int], int] = {}  # (numId, ilvl) -> startOverride
        self.style_numbering: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            for style in styles.iter(f"{_W}style"):
                num_id = _val(style, f"{_W}pPr/{_W}numPr/{_W}numId")
                if num_id:
                    level = int(_val(style, f"{_W}pPr/{_W}numPr/{_W}ilvl") or 0)
                    self.style_numbering[style.get(f"{_W}styleId")] = (num_id, level)

    def _read_numbering(self, numbering) -> None:
        for abstract in numbering.iter(f"{_W}abstractNum"):
            abstract_id = abstract.get(f"{_W}abstractNumId")
            for level in abstract.iter(f"{_W}lvl"):
                self.levels[abstract_id, int(level.get(f"{_W}ilvl"))] = {
                    "format": _val(level, f"{_W}numFmt") or "decimal",
                    "text": _val(level, f"{_W}lvlText") or "",
                    "start": int(_val(level, f"{_W}start") or 1),
                }
        for num in numbering.iter(f"{_W}num"):
            num_id = num.get(f"{_W}numId")
            self.abstract[num_id] = _val(num, f"{_W}abstractNumId")
            for override in num.iter(f"{_W}lvlOverride"):
                start = _val(override, f"{_W}startOverride")
                if start:
                    self.starts[num_id, int(override.get(f"{_W}ilvl"))] = int(start)

    def label(self, paragraph) -> str:
        properties = paragraph.find(f"{_W}pPr")
        num_id = _val(properties, f"{_W}numPr/{_W}numId")
        level = _val(properties, f"{_W}numPr/{_W}ilvl")
        if num_id is None:
            style = _val(properties, f"{_W}pStyle")
            num_id, default_level = self.style_numbering.get(style, (None, 0))
            level = level if level is not None else default_level
        if not num_id or num_id == "0" or num_id not in self.abstract:
            return ""
        level = int(level or 0)
        abstract_id = self.abstract[num_id]
        counters = self.counters.setdefault(num_id, [0] * 9)
        if level >= len(counters):
            return ""
        counters[level] += 1
        for deeper in range(level + 1, len(counters)):
            counters[deeper] = 0
        rendered = self.levels.get((abstract_id, level), {"text": "", "format": "bullet"})
        if rendered["format"] == "bullet":
            return "-"
        text = rendered["text"]
        for index in range(level + 1):
            definition = self.levels.get((abstract_id, index), {"format": "decimal", "start": 1})
            start = self.starts.get((num_id, index), definition.get("start", 1))
            number = start + max(counters[index], 1) - 1
            text = text.replace(f"%{index + 1}", _format(number, definition["format"]))
        return text.strip()


def _format(number: int, kind: str) -> str:
    if kind in ("lowerLetter", "upperLetter"):
        letters = "abcdefghijklmnopqrstuvwxyz"
        label = letters[(number - 1) % 26] * ((number - 1) // 26 + 1)
        return label.upper() if kind == "upperLetter" else label
    if kind in ("lowerRoman", "upperRoman"):
        label = _roman(number)
        return label.lower() if kind == "lowerRoman" else label
    return str(number)


def _roman(number: int) -> str:
    result = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            result += letters
            number -= value
    return result
