"""Text recognition of scans with the real tesseract (Debian's tesseract-ocr-tur) and poppler:
an image and a scanned PDF drawn by Pillow, a PDF with its own text, and the failures (the
program missing, a corrupt image, a time-out, anything unexpected), after which the scan is
still there to be read again."""

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont
from rest_framework.test import APIClient

from biys.attachments.models import Attachment
from biys.evrak import ocr, services
from biys.evrak.choices import Confidentiality, RecognitionStatus
from biys.evrak.models import IncomingDocument, ScanText
from biys.evrak.tests.factories import make_document

pytestmark = pytest.mark.django_db

FONT = Path(__file__).resolve().parents[2] / "core" / "fonts" / "DejaVuSans.ttf"
LINES = ("BİLGİ İŞLEM DAİRESİ BAŞKANLIĞI", "yazıcı arızası hakkında")


def page_image(lines=LINES) -> Image.Image:
    font = ImageFont.truetype(str(FONT), 48)
    image = Image.new("L", (1700, 140 + 120 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((60, 60 + 120 * index), line, font=font, fill=0)
    return image


def encoded(image: Image.Image, kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "PDF":
        image.save(buffer, format="PDF", resolution=150)  # a scan: pages as pictures, no text
    else:
        image.save(buffer, format=kind)
    return buffer.getvalue()


def text_pdf() -> bytes:
    """A PDF that carries its own text (as an office program writes it)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSansOcrTest", str(FONT)))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("DejaVuSansOcrTest", 14)
    pdf.drawString(72, 760, "Kent Bilgi Sistemi veri paylaşımı protokolü taslağı")
    pdf.drawString(72, 740, "Çağrı merkezi santralı bakım sözleşmesi ekidir.")
    pdf.save()
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def register(client, unit, scan: bytes, name: str, subject="Arıza bildirimi", **extra):
    response = client.post(
        reverse("evrak:incomingdocument_add"),
        {
            "receiving_unit": unit.pk,
            "sender_kind": "institution",
            "sender_name": "Valilik",
            "sender_detsis_no": "24312041",
            "subject": subject,
            "scan": SimpleUploadedFile(name, scan),
            **extra,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return IncomingDocument.objects.get(subject=subject)


def test_a_scanned_image_is_read_and_its_words_find_the_document(
    client, clerk, org_tree, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    other = make_document(org_tree["network"], subject="Asfalt çalışması")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document = register(client, org_tree["network"], encoded(page_image(), "PNG"), "t.png")
    assert len(callbacks) == 1  # the recognition is queued once the registration commits
    scan = ScanText.objects.get(document=document)
    assert scan.status == RecognitionStatus.DONE, scan.error
    assert scan.method == "tesseract" and scan.pages == 1 and scan.attempts == 1
    assert "BİLGİ İŞLEM DAİRESİ BAŞKANLIĞI" in scan.text and "yazıcı arızası" in scan.text
    # The register's search folds Turkish letters: "YAZICI" and "yazici" find "yazıcı".
    listing = reverse("evrak:incomingdocument_list")
    for query in ("yazıcı", "YAZICI", "arizasi", "Daire Başkanlığı"):
        page = client.get(listing, {"q": query}).content.decode()
        assert document.number in page and other.number not in page, query
    assert document.number not in client.get(listing, {"q": "kaldırım"}).content.decode()
    found = client.get(reverse("core:search"), {"q": "yazıcı arızası"}).content.decode()
    assert document.number in found and other.number not in found
    api = APIClient()
    api.force_authenticate(clerk)
    rows = api.get("/api/v1/evrak/incoming/", {"q": "YAZICI"}).json()["results"]
    assert [row["number"] for row in rows] == [document.number]
    assert rows[0]["scans"][0]["status"] == "done"
    # The page shows the text and polls no more.
    detail = client.get(document.get_absolute_url()).content.decode()
    assert 'id="scan-texts"' in detail and "yazıcı arızası" in detail
    assert 'hx-trigger="every 3s"' not in detail
    # The scan itself is untouched.
    assert scan.attachment.file.storage.exists(scan.attachment.file.name)


def test_a_scanned_pdf_is_rendered_and_read(clerk, org_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.register_incoming_document(
            user=clerk,
            receiving_unit=org_tree["network"],
            subject="Tarama",
            sender_kind="institution",
            sender_name="Valilik",
            sender_detsis_no="24312041",
            scans=[SimpleUploadedFile("tarama.pdf", encoded(page_image(), "PDF"))],
        )
    scan = ScanText.objects.get(document=document)
    assert scan.status == RecognitionStatus.DONE, scan.error
    assert scan.method == "tesseract" and scan.pages == 1
    assert "yazıcı arızası" in scan.text
    assert IncomingDocument.objects.filter(search_text__contains="yazici arizasi").exists()


def test_a_pdf_with_its_own_text_is_not_rendered(
    clerk, org_tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.register_incoming_document(
            user=clerk,
            receiving_unit=org_tree["network"],
            subject="Protokol",
            sender_kind="institution",
            sender_name="Valilik",
            sender_detsis_no="24312041",
            scans=[SimpleUploadedFile("protokol.pdf", text_pdf())],
        )
    scan = ScanText.objects.get(document=document)
    assert scan.status == RecognitionStatus.DONE, scan.error
    assert scan.method == "pdftotext"
    assert "Çağrı merkezi santralı" in scan.text
    document.refresh_from_db()
    assert "cagri merkezi santrali" in document.search_text


def test_only_pdfs_and_images_are_read(clerk, org_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document = services.register_incoming_document(
            user=clerk,
            receiving_unit=org_tree["network"],
            subject="Not",
            sender_kind="institution",
            sender_name="Valilik",
            sender_detsis_no="24312041",
            scans=[SimpleUploadedFile("not.txt", "Yazıcı arızası".encode())],
        )
    assert not callbacks and not ScanText.objects.filter(document=document).exists()


def test_a_broker_that_refuses_the_task_leaves_the_scan_waiting(
    clerk, org_tree, django_capture_on_commit_callbacks, monkeypatch
):
    from biys.evrak.tasks import recognise_scan

    def refuse(*args, **kwargs):
        raise RuntimeError("Acquire on closed pool")

    monkeypatch.setattr(recognise_scan, "delay", refuse)
    data = encoded(page_image(), "PNG")
    scan = _registered(clerk, org_tree, data, "tarama.png", django_capture_on_commit_callbacks)
    scan.refresh_from_db()
    assert scan.status == RecognitionStatus.PENDING
    _assert_kept(scan, data)


def _registered(clerk, org_tree, data: bytes, name: str, capture):
    with capture(execute=True):
        document = services.register_incoming_document(
            user=clerk,
            receiving_unit=org_tree["network"],
            subject="Arıza",
            sender_kind="institution",
            sender_name="Valilik",
            sender_detsis_no="24312041",
            scans=[SimpleUploadedFile(name, data)],
        )
    return ScanText.objects.select_related("attachment").get(document=document)


def _assert_kept(scan: ScanText, data: bytes) -> None:
    attachment = Attachment.objects.get(pk=scan.attachment_id)
    with attachment.file.open("rb") as stored:
        assert stored.read() == data


def test_tesseract_missing_fails_with_the_reason_and_keeps_the_scan(
    client, clerk, org_tree, settings, django_capture_on_commit_callbacks
):
    settings.BIYS_EVRAK_OCR_TESSERACT = "/nonexistent/tesseract"
    data = encoded(page_image(), "PNG")
    scan = _registered(clerk, org_tree, data, "t.png", django_capture_on_commit_callbacks)
    assert scan.status == RecognitionStatus.FAILED
    assert "/nonexistent/tesseract" in scan.error and scan.finished_at
    _assert_kept(scan, data)
    client.force_login(clerk)
    page = client.get(scan.document.get_absolute_url()).content.decode()
    assert 'data-status="failed"' in page and "/nonexistent/tesseract" in page
    assert reverse("evrak:recognise", args=[scan.document_id]) in page  # the retry button
    # Installed again: the clerk's retry reads it.
    settings.BIYS_EVRAK_OCR_TESSERACT = "tesseract"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evrak:recognise", args=[scan.document_id]),
            {"attachment": scan.attachment_id},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    assert 'data-busy="true"' in response.content.decode()  # read once the request commits
    scan.refresh_from_db()
    assert scan.status == RecognitionStatus.DONE and scan.attempts == 2 and not scan.error
    assert "yazıcı" in scan.text


def test_a_corrupt_image_fails_and_is_kept(clerk, org_tree, django_capture_on_commit_callbacks):
    data = encoded(page_image(), "PNG")[:400]  # a PNG cut off after its header
    scan = _registered(clerk, org_tree, data, "kirik.png", django_capture_on_commit_callbacks)
    assert scan.status == RecognitionStatus.FAILED
    assert "image could not be read" in scan.error or "okunamadı" in scan.error
    _assert_kept(scan, data)


def test_tesseract_never_reads_other_files_named_in_a_fake_image(
    clerk, org_tree, tmp_path, django_capture_on_commit_callbacks
):
    """Given a file it cannot decode, tesseract reads it as a list of image file names: a
    'PNG' naming another file on the server must not have that file read."""
    secret = tmp_path / "secret.png"
    page_image(("GİZLİ SUNUCU DOSYASI",)).save(secret)
    data = b"\x89PNG\r\n\x1a\n\n" + str(secret).encode() + b"\n"
    scan = _registered(clerk, org_tree, data, "liste.png", django_capture_on_commit_callbacks)
    assert scan.status == RecognitionStatus.FAILED
    assert "SUNUCU" not in scan.text


def test_a_time_out_fails_with_the_reason(
    clerk, org_tree, settings, tmp_path, django_capture_on_commit_callbacks
):
    slow = tmp_path / "slow-tesseract"
    slow.write_text("#!/bin/sh\nsleep 10\n")
    os.chmod(slow, 0o755)
    settings.BIYS_EVRAK_OCR_TESSERACT = str(slow)
    settings.BIYS_EVRAK_OCR_TIMEOUT = 1
    data = encoded(page_image(), "PNG")
    scan = _registered(clerk, org_tree, data, "t.png", django_capture_on_commit_callbacks)
    assert scan.status == RecognitionStatus.FAILED
    assert "1" in scan.error and "slow-tesseract" in scan.error
    _assert_kept(scan, data)


def test_an_unexpected_error_fails_too(
    clerk, org_tree, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(field_file, mime_type):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(ocr, "recognise_file", broken)
    data = encoded(page_image(), "PNG")
    scan = _registered(clerk, org_tree, data, "t.png", django_capture_on_commit_callbacks)
    assert scan.status == RecognitionStatus.FAILED and "disk gone" in scan.error
    _assert_kept(scan, data)


def test_the_page_polls_while_waiting_and_retry_needs_the_change_permission(
    client, clerk, make_user, org_tree
):
    scan = _pending_scan(clerk, org_tree)
    document = scan.document
    client.force_login(clerk)
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 3s"' in page and 'data-status="pending"' in page
    panel = client.get(reverse("evrak:scans", args=[document.pk]))
    assert panel.status_code == 200 and 'data-busy="true"' in panel.content.decode()
    # Still waiting (not stuck): no second run.
    response = client.post(
        reverse("evrak:recognise", args=[document.pk]),
        {"attachment": scan.attachment_id},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    # A unit reader sees the panel but may not send it again; outsiders see nothing.
    net_reader = make_user("evrak_reader", org_tree["network"])
    client.force_login(net_reader)
    assert client.get(reverse("evrak:scans", args=[document.pk])).status_code == 200
    ScanText.objects.filter(pk=scan.pk).update(status=RecognitionStatus.FAILED, error="x")
    refused = client.post(
        reverse("evrak:recognise", args=[document.pk]), {"attachment": scan.attachment_id}
    )
    assert refused.status_code == 403
    client.force_login(make_user("evrak_reader", org_tree["roads"]))  # another unit's reader
    assert client.get(reverse("evrak:scans", args=[document.pk])).status_code == 404
    assert (
        client.post(
            reverse("evrak:recognise", args=[document.pk]), {"attachment": scan.attachment_id}
        ).status_code
        == 404
    )
    scan.refresh_from_db()
    assert scan.status == RecognitionStatus.FAILED and scan.attempts == 0


def _pending_scan(clerk, org_tree, **document_fields) -> ScanText:
    document = services.register_incoming_document(
        user=clerk,
        receiving_unit=org_tree["network"],
        subject="Bekleyen tarama",
        sender_kind="institution",
        sender_name="Valilik",
        sender_detsis_no="24312041",
        scans=[SimpleUploadedFile("t.png", encoded(page_image(), "PNG"))],
        **document_fields,
    )
    return ScanText.objects.get(document=document)  # on_commit never ran: still waiting


def test_a_stuck_scan_may_be_sent_again(client, clerk, org_tree, settings):
    from datetime import timedelta

    from django.utils import timezone

    scan = _pending_scan(clerk, org_tree)
    ScanText.objects.filter(pk=scan.pk).update(
        status=RecognitionStatus.RUNNING, started_at=timezone.now() - timedelta(hours=2)
    )
    client.force_login(clerk)
    page = client.get(scan.document.get_absolute_url()).content.decode()
    assert reverse("evrak:recognise", args=[scan.document_id]) in page
    response = client.post(
        reverse("evrak:recognise", args=[scan.document_id]), {"attachment": scan.attachment_id}
    )
    assert response.status_code == 302
    scan.refresh_from_db()
    assert scan.status == RecognitionStatus.PENDING


def test_a_file_attached_later_is_offered_and_read(
    client, clerk, org_tree, django_capture_on_commit_callbacks
):
    from biys.attachments.services import add_attachment

    document = make_document(org_tree["network"])
    attachment = add_attachment(
        obj=document,
        uploaded_file=SimpleUploadedFile("ek.png", encoded(page_image(), "PNG")),
        user=clerk,
    )
    client.force_login(clerk)
    page = client.get(document.get_absolute_url()).content.decode()
    assert f'data-unread="{attachment.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evrak:recognise", args=[document.pk]), {"attachment": attachment.pk}
        )
    assert response.status_code == 302
    assert ScanText.objects.get(attachment=attachment).status == RecognitionStatus.DONE
    # Another document's file is refused.
    elsewhere = make_document(org_tree["network"])
    response = client.post(
        reverse("evrak:recognise", args=[elsewhere.pk]), {"attachment": attachment.pk}
    )
    assert response.status_code == 302 and not ScanText.objects.filter(document=elsewhere).exists()


def test_api_lists_the_scans_and_sends_a_failed_one_again(
    clerk, org_tree, make_user, django_capture_on_commit_callbacks
):
    scan = _pending_scan(clerk, org_tree)
    ScanText.objects.filter(pk=scan.pk).update(status=RecognitionStatus.FAILED, error="yok")
    api = APIClient()
    api.force_authenticate(clerk)
    rows = api.get("/api/v1/evrak/scans/", {"status": "failed"}).json()["results"]
    assert [row["id"] for row in rows] == [scan.pk] and rows[0]["error"] == "yok"
    net_reader = make_user("evrak_reader", org_tree["network"])
    other = APIClient()
    other.force_authenticate(net_reader)
    assert other.get(f"/api/v1/evrak/scans/{scan.pk}/").status_code == 200
    assert other.post(f"/api/v1/evrak/scans/{scan.pk}/recognise/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/evrak/scans/{scan.pk}/recognise/")
    assert response.status_code == 202, response.content
    scan.refresh_from_db()
    assert scan.status == RecognitionStatus.DONE and "yazıcı" in scan.text


def test_a_secret_documents_scan_text_is_for_its_named_readers(
    clerk, org_tree, make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scan = _pending_scan(clerk, org_tree, confidentiality=Confidentiality.SECRET)
    scan.refresh_from_db()
    assert scan.status == RecognitionStatus.DONE
    head = make_user("department_head", org_tree["dept"])
    api = APIClient()
    api.force_authenticate(head)
    assert api.get(f"/api/v1/evrak/scans/{scan.pk}/").status_code == 404
    assert api.get("/api/v1/evrak/incoming/", {"q": "yazıcı"}).json()["results"] == []
    api.force_authenticate(clerk)  # named as the registering clerk
    assert api.get(f"/api/v1/evrak/scans/{scan.pk}/").status_code == 200


def test_a_deleted_scan_takes_its_words_out_of_the_search(
    clerk, org_tree, django_capture_on_commit_callbacks
):
    from biys.attachments.services import delete_attachment

    scan = _registered(
        clerk, org_tree, encoded(page_image(), "PNG"), "tarama.png",
        django_capture_on_commit_callbacks,
    )  # fmt: skip
    assert scan.status == RecognitionStatus.DONE, scan.error
    found = IncomingDocument.objects.filter(search_text__contains="yazici arizasi")
    assert found.filter(pk=scan.document_id).exists()
    with django_capture_on_commit_callbacks(execute=True):
        delete_attachment(attachment=scan.attachment, user=clerk)
    assert not ScanText.objects.filter(pk=scan.pk).exists()
    assert not found.filter(pk=scan.document_id).exists()
    assert "ariza" in IncomingDocument.objects.get(pk=scan.document_id).search_text  # the subject
