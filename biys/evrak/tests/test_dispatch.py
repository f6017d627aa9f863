"""Dispatch of signed outgoing documents: how each recipient was sent it (paper, KEP,
e-Yazışma, by hand) and when, through the service; the day's paper dispatch list for the post
as a page, a PDF and a CSV for a Turkish Excel, a confidential document's subject masked."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from biys.evrak import services
from biys.evrak.choices import Confidentiality, DispatchChannel, OutgoingState
from biys.evrak.models import DistributionLine
from biys.evrak.tests.factories import make_outgoing

ADDRESS = "Hoşnudiye Mah. İsmet İnönü Cad. No:1 Tepebaşı/ESKİŞEHİR"


def signed(unit, writer, number, **fields):
    document = make_outgoing(
        unit,
        state=OutgoingState.SIGNED,
        number=number,
        signed_at=timezone.now() - timedelta(hours=2),
        created_by=writer,
        **fields,
    )
    DistributionLine.objects.filter(document=document).update(address=ADDRESS)
    return document


@pytest.fixture
def writer(make_user, org_tree):
    return make_user("evrak_writer", org_tree["network"])


def line_of(document):
    return document.distribution.get()


def test_recording_the_dispatch(writer, org_tree, make_user):
    document = signed(org_tree["network"], writer, "E-38417202-010.01-101")
    line = line_of(document)
    services.record_dispatch(user=writer, line=line, channel=DispatchChannel.PAPER)
    line.refresh_from_db()
    assert line.dispatch_channel == "paper" and line.dispatched_by == writer
    assert line.dispatched_at is not None
    with pytest.raises(ValidationError):  # once per line
        services.record_dispatch(user=writer, line=line, channel=DispatchChannel.KEP)
    reader = make_user("evrak_reader", org_tree["network"])
    other = signed(org_tree["network"], writer, "E-38417202-010.01-102")
    with pytest.raises(PermissionDenied):
        services.record_dispatch(user=reader, line=line_of(other), channel="hand")


def test_the_rules_of_a_dispatch(writer, org_tree):
    draft = make_outgoing(org_tree["network"], created_by=writer)
    with pytest.raises(ValidationError):  # a draft is not sent
        services.record_dispatch(user=writer, line=line_of(draft), channel="paper")
    document = signed(org_tree["network"], writer, "E-38417202-010.01-103")
    line = line_of(document)
    line.address = ""
    line.save()
    with pytest.raises(ValidationError) as error:
        services.record_dispatch(user=writer, line=line, channel="paper")
    assert "channel" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.record_dispatch(user=writer, line=line, channel="pigeon")
    with pytest.raises(ValidationError) as error:
        services.record_dispatch(
            user=writer,
            line=line,
            channel="hand",
            dispatched_at=timezone.now() + timedelta(days=1),
        )
    assert "dispatched_at" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.record_dispatch(
            user=writer, line=line, channel="hand", dispatched_at=timezone.now() - timedelta(days=3)
        )
    line.detsis_no = ""
    line.save()
    with pytest.raises(ValidationError):
        services.record_dispatch(user=writer, line=line, channel="eyazisma")
    services.record_dispatch(user=writer, line=line, channel="hand")


def test_the_day_s_paper_dispatch_list(writer, org_tree, make_user):
    plain = signed(org_tree["network"], writer, "E-38417202-010.01-201")
    secret = signed(
        org_tree["network"],
        writer,
        "E-38417202-010.01-202",
        confidentiality=Confidentiality.SECRET,
        subject="Disiplin soruşturması",
    )
    by_kep = signed(org_tree["network"], writer, "E-38417202-010.01-203")
    elsewhere = signed(org_tree["roads"], make_user("evrak_writer", org_tree["roads"]), "E-9-1")
    for document, channel in ((plain, "paper"), (secret, "paper"), (by_kep, "kep")):
        services.record_dispatch(user=None, line=line_of(document), channel=channel)
    services.record_dispatch(user=None, line=line_of(elsewhere), channel="paper")
    today = timezone.localdate()

    reader = make_user("evrak_reader", org_tree["network"])
    rows = services.dispatch_list(user=reader, day=today)
    assert [row["number"] for row in rows] == [plain.number, secret.number]
    assert rows[1]["subject"] == "Gizli" and rows[0]["address"] == ADDRESS
    assert services.dispatch_list(user=reader, day=today - timedelta(days=1)) == []

    client = Client()
    client.force_login(reader)
    url = reverse("evrak:dispatch_list")
    text = client.get(url, {"day": today.isoformat()}).content.decode()
    assert plain.number in text and secret.number in text and elsewhere.number not in text
    assert "Disiplin" not in text and by_kep.number not in text

    csv = client.get(url, {"day": today.isoformat(), "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    raw = csv.content
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Sıra;Sayı;Tarih;Gönderilen;Adres;Konu;Birim"
    assert len(lines) == 3 and "Gizli" in lines[2] and "Disiplin" not in raw.decode()
    assert lines[1].split(";")[4] == ADDRESS

    pdf = client.get(url, {"day": today.isoformat(), "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    reader_pdf = PdfReader(io.BytesIO(pdf.content))
    extracted = " ".join(page.extract_text() for page in reader_pdf.pages)
    assert "POSTA GÖNDERİ LİSTESİ" in extracted and plain.number in extracted
    assert "Disiplin" not in extracted
    fonts = [ref.get_object() for ref in reader_pdf.pages[0]["/Resources"]["/Font"].values()]
    used = [font for font in fonts if "DejaVu" in str(font["/BaseFont"])]
    assert used and all("/FontFile2" in font["/FontDescriptor"].get_object() for font in used)
    assert {str(font["/BaseFont"]) for font in fonts if font not in used} <= {"/Helvetica"}

    api = APIClient()
    api.force_authenticate(reader)
    body = api.get("/api/v1/evrak/dispatch-list/", {"day": today.isoformat()}).json()
    assert [row["number"] for row in body] == [plain.number, secret.number]
    assert body[1]["subject"] == "Gizli" and body[1]["confidential"] is True

    outsider = make_user("evrak_reader", org_tree["software"])
    assert services.dispatch_list(user=outsider, day=today) == []


def test_dispatch_through_the_page_and_the_api(writer, org_tree, make_user):
    document = signed(org_tree["network"], writer, "E-38417202-010.01-301")
    line = line_of(document)
    client = Client()
    client.force_login(writer)
    text = client.get(document.get_absolute_url()).content.decode()
    assert (
        'id="dispatch"' in text and reverse("evrak:outgoing_dispatch", args=[document.pk]) in text
    )
    response = client.post(
        reverse("evrak:outgoing_dispatch", args=[document.pk]),
        {"line": line.pk, "channel": "kep"},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.dispatch_channel == "kep"

    other = signed(org_tree["network"], writer, "E-38417202-010.01-302")
    api = APIClient()
    api.force_authenticate(writer)
    answer = api.post(
        f"/api/v1/evrak/outgoing/{other.pk}/dispatch/",
        {"line": line_of(other).pk, "channel": "paper"},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["dispatch_channel"] == "paper"
    again = api.post(
        f"/api/v1/evrak/outgoing/{other.pk}/dispatch/",
        {"line": line_of(other).pk, "channel": "paper"},
    )
    assert again.status_code == 400
    reader = make_user("evrak_reader", org_tree["network"])
    third = signed(org_tree["network"], writer, "E-38417202-010.01-303")
    api.force_authenticate(reader)
    refused = api.post(
        f"/api/v1/evrak/outgoing/{third.pk}/dispatch/",
        {"line": line_of(third).pk, "channel": "paper"},
    )
    assert refused.status_code == 403
    client.force_login(reader)
    assert (
        client.post(
            reverse("evrak:outgoing_dispatch", args=[third.pk]),
            {"line": line_of(third).pk, "channel": "paper"},
        ).status_code
        == 403
    )
