"""Decide a file's type from its content, never from its name.

``filetype`` reads the magic numbers at the start of the file. Office documents are zip archives,
so a zip is accepted only when its entries show it is a Word/Excel/PowerPoint or OpenDocument
file; any other zip (or an executable renamed to .docx) is refused. Files without a signature
are accepted as plain text only when the whole file decodes as UTF-8 without control bytes.
"""

import codecs
import re
import zipfile

import filetype

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
TEXT = "text/plain"
CSV = "text/csv"

ALLOWED_TYPES = IMAGE_TYPES | {PDF, DOCX, XLSX, PPTX, ODT, ODS, TEXT, CSV}
EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    PDF: "pdf",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
    ODT: "odt",
    ODS: "ods",
    TEXT: "txt",
    CSV: "csv",
}
ZIP_SIGNATURE_TYPES = {"application/zip", DOCX, XLSX, PPTX, ODT, ODS}
# The part directory that makes an OOXML package a particular kind of document.
OOXML_PART_DIRS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
OPENDOCUMENT_TYPES = {ODT, ODS}
# Control bytes never found in text a person writes (TAB, LF, FF and CR are allowed).
BINARY_BYTE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def sniff_signature(head: bytes) -> str | None:
    """The MIME type the leading bytes claim, or None when they carry no known signature."""
    kind = filetype.guess(head)
    return kind.mime if kind else None


def office_type(file) -> str | None:
    """The office document type of a zip archive, or None if it is some other zip."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in OPENDOCUMENT_TYPES else None
            if "[Content_Types].xml" not in names:
                return None
            for prefix, mime in OOXML_PART_DIRS.items():
                if any(name.startswith(prefix) for name in names):
                    return mime
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    finally:
        file.seek(0)
    return None


class TextCheck:
    """Fed chunk by chunk: does the stream decode as UTF-8 with no binary control bytes?"""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.ok = True

    def feed(self, chunk: bytes) -> None:
        if not self.ok:
            return
        if BINARY_BYTE.search(chunk):
            self.ok = False
            return
        try:
            self._decoder.decode(chunk)
        except UnicodeDecodeError:
            self.ok = False

    def finish(self) -> bool:
        if self.ok:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.ok = False
        return self.ok


def text_type(filename: str) -> str:
    """Text is text: the name only chooses between the two text types we allow."""
    return CSV if filename.lower().endswith(".csv") else TEXT
