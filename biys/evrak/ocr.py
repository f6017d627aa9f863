"""Text recognition of scanned documents with the programs Debian ships: ``tesseract`` (with
``tesseract-ocr-tur``, the Turkish language data) for images, and poppler's ``pdftotext``
(a PDF that already carries text) and ``pdftoppm`` (the pages of a scanned PDF as images) for
PDFs. Each program runs as a subprocess with a time limit and one thread, so a large scan
never holds a worker for ever nor takes every core of a small server.

``recognise`` raises ``RecognitionFailed`` with a reason a clerk can read; it never changes
or removes the file it reads (the caller hands it a copy).
"""

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from biys.core.text import fold

PDF = "application/pdf"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
RECOGNISED_TYPES = (PDF, *IMAGE_TYPES)
# A PDF whose text layer holds fewer letters than this per page is treated as a scan.
MIN_TEXT_PER_PAGE = 20
ERROR_LINES = 5


class RecognitionFailed(Exception):
    """Why the text could not be recognised (shown on the document page)."""


@dataclass
class Recognition:
    text: str
    pages: int
    method: str  # "tesseract" or "pdftotext"
    truncated: bool = False


def languages() -> str:
    return getattr(settings, "BIYS_EVRAK_OCR_LANGUAGES", "tur")


def timeout() -> int:
    return int(getattr(settings, "BIYS_EVRAK_OCR_TIMEOUT", 120))


def max_pages() -> int:
    return int(getattr(settings, "BIYS_EVRAK_OCR_MAX_PAGES", 50))


def tesseract_command() -> str:
    return getattr(settings, "BIYS_EVRAK_OCR_TESSERACT", "tesseract") or "tesseract"


def _run(command: list[str]) -> str:
    """Run one program; its standard output, or ``RecognitionFailed`` naming what went wrong."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "LC_ALL": "C.UTF-8"}
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            timeout=timeout(),
            env=env,
            check=False,
        )
    except FileNotFoundError as error:
        raise RecognitionFailed(
            _("The program %(program)s is not installed on the server.") % {"program": command[0]}
        ) from error
    except subprocess.TimeoutExpired as error:
        raise RecognitionFailed(
            _("%(program)s did not finish within %(seconds)d seconds.")
            % {"program": Path(command[0]).name, "seconds": timeout()}
        ) from error
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RecognitionFailed(
            _("%(program)s failed (exit status %(status)d): %(message)s")
            % {
                "program": Path(command[0]).name,
                "status": completed.returncode,
                "message": " ".join(message[-ERROR_LINES:]) or "—",
            }
        )
    return completed.stdout.decode("utf-8", "replace")


def _tesseract(image: Path) -> str:
    return _run([tesseract_command(), str(image), "stdout", "-l", languages()])


def _letters(text: str) -> int:
    return sum(1 for char in text if char.isalpha())


def _pdf_pages(path: Path) -> int:
    output = _run(["pdfinfo", str(path)])
    for line in output.splitlines():
        if line.startswith("Pages:"):
            try:
                return int(line.split(":", 1)[1])
            except ValueError:
                break
    raise RecognitionFailed(_("The PDF's number of pages could not be read."))


def _as_png(path: Path, target: Path) -> Path:
    """The image decoded by Pillow and written again as a plain PNG: tesseract reads a file it
    cannot decode as a list of other files' names, so it is only ever given a real image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.seek(0)  # the first frame of a GIF or WebP
            image.convert("L").save(target, format="PNG")
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise RecognitionFailed(
            _("The image could not be read: %(error)s") % {"error": error}
        ) from error
    return target


def recognise_image(path: Path) -> Recognition:
    with tempfile.TemporaryDirectory(prefix="biys-ocr-") as work:
        image = _as_png(path, Path(work) / "page.png")
        return Recognition(text=_tesseract(image).strip(), pages=1, method="tesseract")


def recognise_pdf(path: Path) -> Recognition:
    """The PDF's own text when it has some on every page; otherwise each page rendered at
    300 dpi and read by tesseract (at most ``BIYS_EVRAK_OCR_MAX_PAGES`` pages)."""
    pages = _pdf_pages(path)
    last = min(pages, max_pages())
    truncated = pages > last
    text = _run(["pdftotext", "-layout", "-l", str(last), str(path), "-"])
    if _letters(text) >= MIN_TEXT_PER_PAGE * last:
        return Recognition(text=text.strip(), pages=pages, method="pdftotext", truncated=truncated)
    with tempfile.TemporaryDirectory(prefix="biys-ocr-") as work:
        _run(["pdftoppm", "-r", "300", "-gray", "-png", "-l", str(last), str(path), f"{work}/p"])
        images = sorted(Path(work).glob("p-*.png"))
        if not images:
            raise RecognitionFailed(_("The PDF has no page that could be rendered."))
        texts = [_tesseract(image).strip() for image in images]
    return Recognition(
        text="\n\n".join(texts).strip(), pages=pages, method="tesseract", truncated=truncated
    )


def recognise(path: Path, mime_type: str) -> Recognition:
    if mime_type == PDF:
        return recognise_pdf(path)
    if mime_type in IMAGE_TYPES:
        return recognise_image(path)
    raise RecognitionFailed(_("Text is recognised in PDF files and images only."))


def recognise_file(field_file, mime_type: str) -> Recognition:
    """Recognise a stored file (any storage): read through a private copy, so the stored
    upload is only ever opened for reading."""
    suffix = ".pdf" if mime_type == PDF else "." + mime_type.rsplit("/", 1)[-1]
    with tempfile.TemporaryDirectory(prefix="biys-ocr-") as work:
        copy = Path(work) / f"scan{suffix}"
        try:
            with field_file.open("rb") as source, copy.open("wb") as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
        except OSError as error:
            raise RecognitionFailed(
                _("The stored file could not be read: %(error)s") % {"error": error}
            ) from error
        finally:
            field_file.close()
        return recognise(copy, mime_type)


def searchable(text: str) -> str:
    """The recognised text as the search folds it."""
    return fold(text)
