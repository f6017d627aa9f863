"""Regulations uploaded as PDF and Word (.docx): their text, Word's automatic item letters, and
the original file kept with the draft and the confirmed regulation."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from biys.org.importer import parse_regulation
from biys.org.importer_files import docx_text, extract_text, pdf_text
from biys.org.models import Regulation, RegulationDraft

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _paragraph(text: str, num_id: int | None = None, level: int = 0) -> str:
    numbering = (
        f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
        if num_id
        else ""
    )
    return f'<w:p>{numbering}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def make_docx(paragraphs: list[str]) -> bytes:
    """A minimal .docx: a lettered list 'a)' with numbered sub-items '1)', restarted per num."""
    numbering = f"""<w:numbering {W}>
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>
          <w:lvlText w:val="%1)"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
          <w:lvlText w:val="%2)"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
    </w:numbering>"""
    document = f"<w:document {W}><w:body>{''.join(paragraphs)}</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
        archive.writestr("word/numbering.xml", numbering)
    return buffer.getvalue()


DOCX = make_docx(
    [
        _paragraph("BİLGİ İŞLEM MÜDÜRLÜĞÜ YÖNETMELİĞİ"),
        _paragraph("Donanım Servisinin görevleri"),
        _paragraph("MADDE 1 – (1) Donanım Servisinin görevleri şunlardır:"),
        _paragraph("Bilgisayarların bakımını yapmak,", num_id=1),
        _paragraph("Yazıcıları onarmak:", num_id=1),
        _paragraph("lazer yazıcılar,", num_id=1, level=1),
        _paragraph("mürekkepli yazıcılar,", num_id=1, level=1),
        _paragraph("Ağ kablolarını döşemek.", num_id=1),
        _paragraph("Yazılım Servisinin görevleri"),
        _paragraph("MADDE 2 – (1) Yazılım Servisinin görevleri şunlardır:"),
        _paragraph("Yazılım geliştirmek,", num_id=2),
        _paragraph("Lisansları izlemek.", num_id=2),
    ]
)


def test_docx_keeps_the_item_letters_of_word_numbering():
    text = docx_text(DOCX)
    assert "a) Bilgisayarların bakımını yapmak," in text.splitlines()
    assert "1) lazer yazıcılar," in text.splitlines()
    assert "c) Ağ kablolarını döşemek." in text.splitlines()  # after the sub-items
    assert "a) Yazılım geliştirmek," in text.splitlines()  # a new list starts again at a)

    draft = parse_regulation(text)
    first = draft.articles[0].paragraphs[0].items
    assert [(item.label, [sub.label for sub in item.subitems]) for item in first] == [
        ("a", []),
        ("b", ["1", "2"]),
        ("c", []),
    ]
    assert draft.articles[0].unit == "Donanım Servisi"
    assert [i.label for i in draft.articles[1].paragraphs[0].items] == ["a", "b"]


def make_pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from biys.core.pdf_fonts import FONT_NAME, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont(FONT_NAME, 10)
    y = 800
    for line in lines:
        pdf.drawString(40, y, line)
        y -= 14
    pdf.save()
    return buffer.getvalue()


PDF_LINES = [
    "BİLGİ İŞLEM MÜDÜRLÜĞÜ YÖNETMELİĞİ",
    "Veri Merkezinin görevleri",
    "MADDE 1 – (1) Veri Merkezinin görevleri şunlardır:",
    "a) Sunucuları işletmek,",
    "b) Yedekleri almak ve saklamak.",
]


def test_pdf_text_layer_is_read():
    draft = parse_regulation(pdf_text(make_pdf(PDF_LINES)))
    assert [i.text for i in draft.articles[0].paragraphs[0].items] == [
        "Sunucuları işletmek,",
        "Yedekleri almak ve saklamak.",
    ]
    assert draft.articles[0].unit == "Veri Merkezi"


def test_broken_pdf_and_docx_are_refused_with_a_reason():
    with pytest.raises(ValidationError):
        extract_text("yonetmelik.pdf", b"%PDF-1.4 garbage")
    with pytest.raises(ValidationError):
        extract_text("yonetmelik.docx", b"PK\x03\x04 garbage")
    with pytest.raises(ValidationError):
        extract_text("yonetmelik.docx", b"not a zip at all")


@pytest.mark.django_db
def test_uploaded_pdf_is_kept_with_the_draft_and_the_regulation(
    admin_client, org_tree, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("yonetmelik.pdf", make_pdf(PDF_LINES), "application/pdf")
    response = admin_client.post(
        reverse("org:regulation_import"), {"file": upload, "unit": org_tree["dept"].pk}
    )
    assert response.status_code == 302
    draft = RegulationDraft.objects.get()
    assert draft.source_filename == "yonetmelik.pdf"
    assert draft.source_file.read().startswith(b"%PDF")
    assert "Sunucuları işletmek" in draft.source_text

    admin_client.post(reverse("org:regulation_draft_confirm", args=[draft.pk]))
    regulation = Regulation.objects.get()
    assert regulation.source_filename == "yonetmelik.pdf"
    assert regulation.source_file.name == draft.source_file.name
    assert Path(regulation.source_file.path).exists()
    assert regulation.articles.get().paragraphs.get().duties.count() == 2


@pytest.mark.django_db
def test_uploaded_docx_becomes_a_draft_with_lettered_items(
    admin_client, org_tree, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("yonetmelik.docx", DOCX)
    admin_client.post(
        reverse("org:regulation_import"), {"file": upload, "unit": org_tree["dept"].pk}
    )
    draft = RegulationDraft.objects.get()
    items = draft.data["articles"][0]["paragraphs"][0]["items"]
    assert [item["label"] for item in items] == ["a", "b", "c"]
