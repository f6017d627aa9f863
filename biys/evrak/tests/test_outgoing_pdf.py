"""The official layout of an outgoing document as a PDF: the header, the sayı and date, the
konu, the ilgi lines, the text, the signature block, the distribution split into gereği and
bilgi, the urgency in red capitals and the confidentiality marking on every page, as
PDF/A-2b with the fonts embedded so every Turkish letter survives.

What the tests check of PDF/A-2b is what the file claims and the parts of the standard that a
reader of the file can see without a validator: the XMP identification (part 2, conformance
B), the sRGB OutputIntent, the document ID, every font embedded, the Turkish text extractable.
No veraPDF run: it is not installed here (docs/evrak-eyp.md)."""

import io
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from biys.evrak import outgoing_services as svc
from biys.evrak.outgoing_pdf import outgoing_pdf
from biys.evrak.tests.factories import make_document, make_sdp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
TURKISH_LETTERS = "İıŞşĞğÜüÖöÇç"


def text_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdfa_claims(reader: PdfReader) -> dict[str, str]:
    """``pdfaid:part`` and ``pdfaid:conformance`` from the XMP metadata of the catalogue, as
    attributes or as elements (both are valid RDF)."""
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    claims = {}
    for element in ElementTree.fromstring(xmp).iter():
        for name in ("part", "conformance"):
            if PDFAID + name in element.attrib:
                claims[name] = element.attrib[PDFAID + name]
            if element.tag == PDFAID + name:
                claims[name] = (element.text or "").strip()
    return claims


def every_font(reader: PdfReader) -> list[DictionaryObject]:
    """Every font dictionary reachable from the catalogue (pages, form XObjects, annotations),
    the descendant fonts of a composite font included."""
    fonts, seen, todo = [], set(), [reader.trailer["/Root"]]
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if item.get("/Type") == "/Font":
                fonts.append(item)
            todo.extend(value for key, value in item.items() if key != "/Parent")
        elif isinstance(item, ArrayObject):
            todo.extend(item)
    return fonts


def assert_pdfa_2b(data: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    assert data.startswith(b"%PDF-1.7")
    assert pdfa_claims(reader) == {"part": "2", "conformance": "B"}
    (intent,) = [i.get_object() for i in reader.trailer["/Root"]["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    assert "sRGB" in intent["/OutputConditionIdentifier"]
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"  # an RGB ICC profile
    assert len(reader.trailer["/ID"]) == 2
    fonts = every_font(reader)
    assert fonts
    for font in fonts:
        assert font["/Subtype"] != "/Type3", font
        if font["/Subtype"] == "/Type0":
            assert font["/DescendantFonts"], font
            continue  # its descendant is checked on its own
        descriptor = font["/FontDescriptor"].get_object()
        embedded = {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)
        assert embedded, f"{font['/BaseFont']} is not embedded"
        assert "DejaVu" in str(font["/BaseFont"])
    return reader


def signed_document(make_user, org_tree, **values):
    writer = make_user("evrak_writer", org_tree["network"])
    head = make_user("department_head", org_tree["dept"], first_name="Şükrü", last_name="Çağlar")
    defaults = {
        "unit": org_tree["network"],
        "subject": "Kent bilgi sistemi verilerinin paylaşımı",
        "body": "İlgi yazınız incelenmiştir.\n\nBilgilerinizi ve gereğini arz ederim.",
        "sdp_code": make_sdp_code(code="010.03"),
        "signer": head,
        "signer_title": "Bilgi İşlem Dairesi Başkanı",
        "related_incoming": [make_document(org_tree["network"])],
        "attachments": [SimpleUploadedFile("çizelge.pdf", b"%PDF-1.4\n%%EOF\n")],
    }
    document = svc.save_outgoing_draft(user=writer, **(defaults | values))
    svc.submit_for_approval(user=writer, document=document, path=[])
    return svc.sign(user=head, document=document)


def test_the_official_layout(make_user, org_tree, municipality):
    document = signed_document(
        make_user,
        org_tree,
        urgency="ACL",
        confidentiality="GZL",
        distribution=[
            {
                "kind": "GRG",
                "name": "Çevre, Şehircilik ve İklim Değişikliği Bakanlığı",
                "detsis_no": "38417202",
            },
            {"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "24312041"},
            {"kind": "BLG", "name": "Fen İşleri Dairesi Başkanlığı"},
        ],
    )
    data = outgoing_pdf(document)
    reader = assert_pdfa_2b(data)
    (first,) = text_of(data)
    for expected in (
        "T.C.",
        "BİLGİ İŞLEM DAİRESİ BAŞKANLIĞI",
        "SİSTEM VE AĞ ŞUBE MÜDÜRLÜĞÜ",
        f"Sayı : {document.number}",
        "Konu : Kent bilgi sistemi verilerinin paylaşımı",
        "DAĞITIM YERLERİNE",
        "İlgi",
        "a) Çevre, Şehircilik ve İklim Değişikliği Bakanlığı",
        "Bilgilerinizi ve gereğini arz ederim.",
        "Şükrü Çağlar",
        "Bilgi İşlem Dairesi Başkanı",
        "Ek:",
        "1- çizelge.pdf",
        "Gereği:",
        "Bilgi:",
        "Eskişehir Valiliği",
        "Fen İşleri Dairesi Başkanlığı",
        "ACELE",
    ):
        assert expected in first, expected
    assert first.count("GİZLİ") == 2  # top and bottom of the page
    assert "TASLAK" not in first
    # The title and author of the document information agree with the XMP metadata.
    assert reader.metadata.title == f"{document.number} — {document.subject}"
    assert reader.metadata.author == "Örnek Büyükşehir Belediyesi"
    # The urgency is drawn in red.
    assert b".752941 0 0 rg" in reader.pages[0].get_contents().get_data()


def test_a_long_gizli_document_is_marked_on_every_page(make_user, org_tree, municipality):
    long_body = "\n\n".join(
        f"{n}. Paragraf: Belediyemizde yürütülen çalışma." * 6 for n in range(40)
    )
    document = signed_document(
        make_user,
        org_tree,
        confidentiality="CGZ",
        body=long_body + "\n\nBilgilerinizi ve gereğini arz ederim.",
        distribution=[{"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "24312041"}],
    )
    data = outgoing_pdf(document)
    assert_pdfa_2b(data)
    pages = text_of(data)
    assert len(pages) > 1
    assert all(page.count("ÇOK GİZLİ") == 2 for page in pages)
    assert all(f"Sayfa {n}" in page for n, page in enumerate(pages, start=1))
    assert "ESKİŞEHİR VALİLİĞİ" in pages[0] and "DAĞITIM YERLERİNE" not in pages[0]


def test_a_draft_is_marked_and_has_no_sayi(client, make_user, org_tree):
    writer = make_user("evrak_writer", org_tree["network"])
    document = svc.save_outgoing_draft(
        user=writer, unit=org_tree["network"], subject="Taslak yazı", urgency="GNL",
        due_date=__import__("datetime").date(2026, 12, 15),
    )  # fmt: skip
    client.force_login(writer)
    response = client.get(f"/evrak/outgoing/{document.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_pdfa_2b(response.content)
    (page,) = text_of(response.content)
    assert "TASLAK" in page and "Sayı : —" in page and "GÜNLÜDÜR (15.12.2026)" in page
    api = __import__("rest_framework.test", fromlist=["APIClient"]).APIClient()
    api.force_authenticate(writer)
    assert api.get(f"/api/v1/evrak/outgoing/{document.pk}/pdf/").status_code == 200
    outsider = make_user("evrak_writer", org_tree["roads"])
    client.force_login(outsider)
    assert client.get(f"/evrak/outgoing/{document.pk}/pdf/").status_code == 404


def test_every_turkish_letter_survives_as_text(make_user, org_tree, municipality):
    document = signed_document(
        make_user,
        org_tree,
        subject=f"Harfler {TURKISH_LETTERS}",
        body=f"Metin: {TURKISH_LETTERS} ılık İğdır şoför çöğüş.",
        urgency="GNL",
        due_date=__import__("datetime").date(2026, 12, 15),
        distribution=[{"kind": "GRG", "name": "Iğdır İl Özel İdaresi", "detsis_no": "76543210"}],
        attachments=[],
        related_incoming=[],
    )
    data = outgoing_pdf(document)
    assert_pdfa_2b(data)
    (page,) = text_of(data)
    assert f"Konu : Harfler {TURKISH_LETTERS}" in page
    assert f"Metin: {TURKISH_LETTERS} ılık İğdır şoför çöğüş." in page
    assert "IĞDIR İL ÖZEL İDARESİ" in page  # the addressee in Turkish capitals
    assert "GÜNLÜDÜR (15.12.2026)" in page
    assert "Ek:" not in page and "İlgi" not in page


def test_the_renderer_fetches_nothing_but_the_bundled_fonts(
    make_user, org_tree, municipality, monkeypatch
):
    from biys.evrak import outgoing_pdf as module

    URLFetcher = module.load_weasyprint().urls.URLFetcher
    fetched = []
    original = URLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    document = signed_document(
        make_user,
        org_tree,
        body='<img src="https://example.org/x.png"> <b>kalın değil</b>',
        distribution=[{"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "24312041"}],
    )
    page = text_of(outgoing_pdf(document))[0]
    assert '<img src="https://example.org/x.png"> <b>kalın değil</b>' in page  # text, not HTML
    assert sorted(fetched) == sorted(p.as_uri() for p in module._font_files().values())
    fetcher = module._url_fetcher({"file:///allowed.ttf"})
    for url in ("https://example.org/font.ttf", "file:///etc/passwd", "data:,x"):
        with pytest.raises(ValueError, match="offline"):
            fetcher.fetch(url)


def test_rendering_leaves_pillow_strict(make_user, org_tree, municipality):
    """Importing WeasyPrint makes Pillow accept truncated images process-wide; the letter puts
    the setting back, so an OCR scan cut off in the middle still fails in the same worker."""
    from PIL import ImageFile

    document = signed_document(
        make_user,
        org_tree,
        distribution=[{"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "24312041"}],
    )
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    outgoing_pdf(document)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_renderer_logs_no_steps():
    """WeasyPrint logs seven steps of every rendering at INFO; the settings keep its warnings
    and errors (a refused URL, a font that cannot be read) only."""
    import logging

    assert not logging.getLogger("weasyprint.progress").isEnabledFor(logging.INFO)
    assert logging.getLogger("weasyprint").isEnabledFor(logging.WARNING)
