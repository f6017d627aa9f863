"""Decide a file's type from its content, never from its name.

``filetype`` reads the magic numbers at the start of the file. Office documents are zip archives,
so a zip is accepted only when its entries show it is a Word/Excel/PowerPoint or OpenDocument
file; any other zip (or an executable renamed to .docx) is refused. Files without a signature
are accepted as plain text only when the whole file decodes as UTF-8 without control bytes.

The signature must also agree with the structure: an office archive is unpacked (streamed, with
limits on entries, total size and inflation ratio, so a zip bomb costs a bounded amount of work)
and must contain no program; a PDF must end with its ``%%EOF`` trailer; and no accepted file may
carry a Windows or Linux executable anywhere in it (a PDF header in front of an .exe).
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
# Zip bombs: an office document is refused when it holds more entries, unpacks to more bytes,
# or (past the first MiB) inflates by more than this ratio. Real documents stay far below.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FREE_BYTES = 1024 * 1024
ZIP_READ_CHUNK = 64 * 1024
# Byte patterns only an executable carries (a DOS stub's message, an ELF header's first bytes);
# long enough never to occur by chance in compressed data.
EXECUTABLE_PATTERN = re.compile(
    rb"This program cannot be run in DOS mode|This program must be run under Win32"
    rb"|\x7fELF[\x01\x02][\x01\x02]\x01"
)
EXECUTABLE_OVERLAP = 64
PDF_TRAILER = b"%%EOF"
PDF_TAIL_BYTES = 1024
# Control bytes never found in text a person writes (TAB, LF, FF and CR are allowed).
BINARY_BYTE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def sniff_signature(head: bytes) -> str | None:
    """The MIME type the leading bytes claim, or None when they carry no known signature."""
    kind = filetype.guess(head)
    return kind.mime if kind else None


class Refused(Exception):
    """The content contradicts its type, or unpacking it would cost too much."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class ExecutableCheck:
    """Fed chunk by chunk: has an executable's signature appeared anywhere in the stream?"""

    def __init__(self):
        self._tail = b""
        self.found = False

    def feed(self, chunk: bytes) -> None:
        if self.found:
            return
        window = self._tail + chunk
        if EXECUTABLE_PATTERN.search(window):
            self.found = True
        self._tail = window[-EXECUTABLE_OVERLAP:]


def check_pdf_structure(tail: bytes) -> None:
    """A PDF ends with ``%%EOF`` (some writers add a few bytes after it)."""
    if PDF_TRAILER not in tail[-PDF_TAIL_BYTES:]:
        raise Refused("malformed_pdf")


def _unpack_bounded(archive: zipfile.ZipFile, archive_size: int) -> None:
    """Inflate every entry, counting bytes, stopping as soon as a limit is passed; refuse an
    archive that carries a program. The declared sizes are checked first but not trusted."""
    entries = archive.infolist()
    if len(entries) > ZIP_MAX_ENTRIES:
        raise Refused("archive_too_large")
    limit = min(ZIP_MAX_UNCOMPRESSED, max(ZIP_RATIO_FREE_BYTES, archive_size * ZIP_MAX_RATIO))
    if sum(entry.file_size for entry in entries) > limit:
        raise Refused("archive_too_large")
    unpacked = 0
    for entry in entries:
        if entry.is_dir():
            continue
        programs = ExecutableCheck()
        with archive.open(entry) as member:
            first = True
            while chunk := member.read(ZIP_READ_CHUNK):
                unpacked += len(chunk)
                if unpacked > limit:
                    raise Refused("archive_too_large")
                if first and chunk.startswith((b"MZ", b"\x7fELF")):
                    raise Refused("contains_program")
                first = False
                programs.feed(chunk)
        if programs.found:
            raise Refused("contains_program")


def office_type(file) -> str | None:
    """The office document type of a zip archive, or None if it is some other zip.
    Raises Refused for an archive that inflates too far or carries a program."""
    file.seek(0, 2)
    archive_size = file.tell()
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                mime = declared if declared in OPENDOCUMENT_TYPES else None
            elif "[Content_Types].xml" not in names:
                return None
            else:
                mime = next(
                    (
                        mime
                        for prefix, mime in OOXML_PART_DIRS.items()
                        if any(name.startswith(prefix) for name in names)
                    ),
                    None,
                )
            if mime is not None:
                _unpack_bounded(archive, archive_size)
            return mime
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
        return None
    finally:
        file.seek(0)


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
