"""The official layout of an outgoing document as a PDF: the header, the sayı and date, the
konu, the ilgi lines, the text, the signature block, the distribution split into gereği and
bilgi, the urgency in red capitals and the confidentiality marking on every page, with the
fonts embedded so every Turkish letter survives."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from biys.evrak import outgoing_services as svc
from biys.evrak.outgoing_pdf import outgoing_pdf
from biys.evrak.tests.factories import make_document, make_sdp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def text_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


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
            {"kind": "GRG", "name": "Çevre, Şehircilik ve İklim Değişikliği Bakanlığı"},
            {"kind": "GRG", "name": "Eskişehir Valiliği"},
            {"kind": "BLG", "name": "Fen İşleri Dairesi Başkanlığı"},
        ],
    )
    data = outgoing_pdf(document)
    reader = PdfReader(io.BytesIO(data))
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
    # Every font is embedded (a subset of DejaVu), so the Turkish letters survive.
    fonts = [ref.get_object() for ref in reader.pages[0]["/Resources"]["/Font"].values()]
    used = [font for font in fonts if "DejaVu" in str(font["/BaseFont"])]
    assert used and all("/FontFile2" in font["/FontDescriptor"].get_object() for font in used)
    # Nothing else is drawn with a font that is not embedded (ReportLab lists Helvetica, its
    # initial font, without using it).
    others = {str(font["/BaseFont"]) for font in fonts} - {str(font["/BaseFont"]) for font in used}
    assert others <= {"/Helvetica"}, others
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
        distribution=[{"kind": "GRG", "name": "Eskişehir Valiliği"}],
    )
    pages = text_of(outgoing_pdf(document))
    assert len(pages) > 1
    assert all(page.count("ÇOK GİZLİ") == 2 for page in pages)
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
    (page,) = text_of(response.content)
    assert "TASLAK" in page and "Sayı : —" in page and "GÜNLÜDÜR (15.12.2026)" in page
    api = __import__("rest_framework.test", fromlist=["APIClient"]).APIClient()
    api.force_authenticate(writer)
    assert api.get(f"/api/v1/evrak/outgoing/{document.pk}/pdf/").status_code == 200
    outsider = make_user("evrak_writer", org_tree["roads"])
    client.force_login(outsider)
    assert client.get(f"/evrak/outgoing/{document.pk}/pdf/").status_code == 404
