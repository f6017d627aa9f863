"""A file's signature must agree with its structure: zip bombs, programs behind a PDF header or
inside an office document are refused, at the field, with their own message."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from biys.attachments import services, sniffing
from biys.attachments.models import Attachment
from biys.attachments.tests import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(org_tree):
    from biys.org.tests.factories import PersonFactory

    return PersonFactory(unit=org_tree["network"])


@pytest.fixture
def chief(make_user, org_tree):
    return make_user("chief", org_tree["network"])


def refusal(person, chief, name, content) -> str:
    with pytest.raises(ValidationError) as error:
        services.add_attachment(
            obj=person, uploaded_file=SimpleUploadedFile(name, content), user=chief
        )
    assert not Attachment.objects.exists()
    return error.value.error_dict["file"][0].code


def test_a_zip_bomb_is_refused_without_unpacking_it_all(person, chief, monkeypatch):
    bomb = samples.zip_bomb(1000)
    assert len(bomb) < 30_000
    read = []
    real_open = zipfile.ZipFile.open

    def counting_open(self, *args, **kwargs):
        member = real_open(self, *args, **kwargs)
        real_read = member.read
        member.read = lambda size=-1: read.append(size) or real_read(size)
        return member

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    assert refusal(person, chief, "rapor.docx", bomb) == "archive_too_large"
    assert -1 not in read  # never an unbounded read


def lie_about_sizes(archive: bytes, size: int) -> bytes:
    """Rewrite every central directory record to declare ``size`` uncompressed bytes."""
    data = bytearray(archive)
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        data[start + 24 : start + 28] = size.to_bytes(4, "little")
        start += 4
    return bytes(data)


def test_a_bomb_that_lies_about_its_size_is_not_accepted():
    liar = lie_about_sizes(samples.zip_bomb(1000), 10)
    with zipfile.ZipFile(io.BytesIO(liar)) as archive:
        assert all(entry.file_size == 10 for entry in archive.infolist())
    try:
        mime = sniffing.office_type(io.BytesIO(liar))
    except sniffing.Refused:
        mime = None
    assert mime is None  # zipfile stops at the declared size and the CRC no longer matches


def test_an_ordinary_compressible_document_passes(person, chief):
    document = samples.zip_bomb(20)  # 20x: what real Word XML does
    attachment = services.add_attachment(
        obj=person, uploaded_file=SimpleUploadedFile("rapor.docx", document), user=chief
    )
    assert attachment.mime_type == sniffing.DOCX


def test_a_pdf_header_in_front_of_a_program_is_refused(person, chief):
    assert refusal(person, chief, "fatura.pdf", b"%PDF-1.4\n" + samples.windows_program()) in (
        "malformed_pdf",
        "contains_program",
    )
    disguised = b"%PDF-1.4\n" + samples.windows_program() + b"\n%%EOF\n"
    assert refusal(person, chief, "fatura.pdf", disguised) == "contains_program"


def test_a_pdf_without_its_trailer_is_refused(person, chief):
    truncated = samples.pdf().replace(b"%%EOF", b"")
    assert refusal(person, chief, "fatura.pdf", truncated) == "malformed_pdf"


def test_a_program_inside_an_office_document_is_refused(person, chief):
    assert refusal(person, chief, "rapor.docx", samples.docx_with_program()) == "contains_program"


def test_text_that_quotes_a_dos_stub_is_still_text(person, chief):
    note = b"Hata: This program cannot be run in DOS mode.\n"
    attachment = services.add_attachment(
        obj=person, uploaded_file=SimpleUploadedFile("not.txt", note), user=chief
    )
    assert attachment.mime_type == sniffing.TEXT


def test_refusals_are_translated(person, chief):
    with translation.override("tr"), pytest.raises(ValidationError) as error:
        services.add_attachment(
            obj=person,
            uploaded_file=SimpleUploadedFile("rapor.docx", samples.zip_bomb(1000)),
            user=chief,
        )
    assert "kabul edilmiyor" in error.value.message_dict["file"][0]
