"""The e-Yazışma package of a signed outgoing document: it passes every check an import runs
(the corrected schemas, both digests of every part, the identifiers), carries what the document
says, is written once and given byte for byte the same afterwards, and reads back, as an
incoming document of another registry, with the same subject, sender, sayı, date, markings,
ilgi lines and attachments."""

import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree

from biys.evrak import eyp, services
from biys.evrak import outgoing_services as svc
from biys.evrak.models import SdpCode
from biys.evrak.tests.factories import make_document
from biys.evrak.tests.packages import read_parts, tampered, write_parts

pytestmark = pytest.mark.django_db

T = "{urn:dpt:eyazisma:schema:xsd:Tipler-2}"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


DISTRIBUTION = [
    {"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "87654321"},
    {
        "kind": "BLG",
        "name": "Çevre, Şehircilik ve İklim Değişikliği Bakanlığı",
        "detsis_no": "11223344",
    },
    {"kind": "BLG", "name": "Fen İşleri Dairesi Başkanlığı"},  # a unit: not in the package
]


@pytest.fixture
def people(make_user, org_tree):
    return {
        "writer": make_user("evrak_writer", org_tree["network"]),
        "head": make_user(
            "department_head", org_tree["dept"], first_name="Şükrü", last_name="Çağlar"
        ),
    }


def draft(people, org_tree, **values):
    defaults = {
        "unit": org_tree["network"],
        "subject": "Kent bilgi sistemi verilerinin paylaşımı",
        "body": "İlgi yazınız incelenmiştir.\n\nBilgilerinizi ve gereğini arz ederim.",
        "sdp_code": SdpCode.objects.get_or_create(
            code="010.03", defaults={"title": "Bilgi edinme"}
        )[0],
        "signer": people["head"],
        "signer_title": "Bilgi İşlem Dairesi Başkanı",
        "confidentiality": "HZO",
        "urgency": "GNL",
        "due_date": timezone.localdate() + timedelta(days=10),
        "distribution": DISTRIBUTION,
        "related_incoming": [
            make_document(org_tree["network"], sender_number="E-87654321-010.03-99")
        ],
        "reference_texts": ["Valilik genelgesi 2026/3"],
        "attachments": [
            SimpleUploadedFile("çizelge.pdf", b"%PDF-1.4\n%%EOF\n"),
            SimpleUploadedFile("adres listesi.csv", "ad;adres\nİlçe;Merkez\n".encode()),
        ],
    }
    return svc.save_outgoing_draft(user=people["writer"], **(defaults | values))


def signed(people, org_tree, **values):
    document = draft(people, org_tree, **values)
    svc.submit_for_approval(user=people["writer"], document=document, path=[])
    return svc.sign(user=people["head"], document=document)


def test_the_package_passes_every_import_check_and_says_what_the_document_says(
    people, org_tree, municipality
):
    document = signed(people, org_tree)
    data = svc.eyp_package(document=document)
    report = eyp.check_package(data)
    assert report.ok, [str(problem) for problem in report.problems]
    document.refresh_from_db()
    assert report.belge_id == document.belge_id
    assert report.version == "2.0"
    # every schema-checked part and both digest lists were checked, not skipped
    checked = " ".join(report.checks)
    for schema in (
        "EY-Ustveri-2.xsd",
        "EY-NihaiUstveri-2.xsd",
        "EY-PaketOzeti-2.xsd",
        "EY-NihaiOzet-2.xsd",
    ):
        assert schema in checked
    roles = {part.name: part.role for part in report.parts}
    number_pdf = f"/UstYazi/{document.number}.pdf"
    assert roles[number_pdf] == "ustyazi"
    assert roles["/Ekler/çizelge.pdf"] == roles["/Ekler/adres listesi.csv"] == "ek"
    assert roles["/NihaiOzet/NihaiOzet.xml"] == "nihaiozet"

    meta = report.metadata
    assert meta["subject"] == document.subject
    assert meta["confidentiality"] == "HZO"
    assert meta["urgency"] == "GNL" and meta["due_in_days"] == 10
    assert (meta["sdp_code"], meta["sdp_title"]) == ("010.03", "Bilgi edinme")
    assert meta["sender_kind"] == "institution"
    assert (meta["sender_name"], meta["sender_detsis_no"]) == (municipality.name, "12345678")
    assert meta["sender_number"] == document.number
    assert meta["sender_date"] == timezone.localtime(document.signed_at).date()
    assert [a["file"] for a in meta["attachments"]] == ["çizelge.pdf", "adres listesi.csv"]
    assert len(meta["references"]) == 2
    assert "E-87654321-010.03-99" in meta["references"][0]

    parts = read_parts(data)
    ustveri = etree.fromstring(parts["Ustveri/Ustveri.xml"])
    recipients = [
        (d.findtext(f"{T}KurumKurulus/{T}KKK"), d.findtext(f"{T}DagitimTuru"))
        for d in ustveri.iter(f"{T}Dagitim")
    ]
    assert recipients == [("87654321", "GRG"), ("11223344", "BLG")]
    nihai = etree.fromstring(parts["NihaiUstveri/NihaiUstveri.xml"])
    assert nihai.findtext(f"{T}BelgeNo") == document.number
    assert nihai.findtext(f".//{T}Imzalayan/{T}Kisi/{T}Soyadi") == "Çağlar"
    assert nihai.findtext(f".//{T}Makam") == "Bilgi İşlem Dairesi Başkanı"
    # the attachments are carried byte for byte
    assert parts["Ekler/adres listesi.csv"] == "ad;adres\nİlçe;Merkez\n".encode()


def test_a_changed_byte_in_any_part_of_our_package_is_caught(people, org_tree, municipality):
    data = svc.eyp_package(document=signed(people, org_tree))
    for name in ("Ustveri/Ustveri.xml", "NihaiUstveri/NihaiUstveri.xml"):
        report = eyp.check_package(tampered(data, name, offset=150))
        assert not report.ok, name
    document_pdf = next(name for name in read_parts(data) if name.startswith("UstYazi/"))
    report = eyp.check_package(tampered(data, document_pdf, offset=400))
    assert "digest_mismatch" in {problem.code for problem in report.problems}
    # a part taken out is caught as well
    parts = read_parts(data)
    del parts["Ekler/çizelge.pdf"]
    assert not eyp.check_package(write_parts(parts)).ok


def test_written_once_then_the_same_bytes(people, org_tree, municipality):
    document = signed(people, org_tree)
    first = svc.eyp_package(document=document)
    document.refresh_from_db()
    stored_as = document.package.name
    assert stored_as.endswith(f"{document.belge_id}.eyp")
    assert svc.eyp_package(document=document) == first
    document.refresh_from_db()
    assert document.package.name == stored_as


def test_it_reads_back_as_an_incoming_document_of_another_registry(
    people, org_tree, municipality, make_user
):
    document = signed(people, org_tree)
    data = svc.eyp_package(document=document)
    document.refresh_from_db()
    clerk = make_user("evrak_clerk", org_tree["dept"])
    incoming = services.import_eyp_package(
        user=clerk,
        receiving_unit=org_tree["dept"],
        uploaded_file=SimpleUploadedFile(f"{document.belge_id}.eyp", data),
    )
    assert incoming.belge_id == document.belge_id
    assert incoming.subject == document.subject
    assert incoming.sender_kind == "institution"
    assert (incoming.sender_name, incoming.sender_detsis_no) == (municipality.name, "12345678")
    assert incoming.sender_number == document.number
    assert incoming.sender_date == timezone.localtime(document.signed_at).date()
    assert (incoming.confidentiality, incoming.urgency) == ("HZO", "GNL")
    assert incoming.sdp_code.code == "010.03"
    assert incoming.due_date is not None
    assert incoming.package.sha256 == hashlib.sha256(data).hexdigest()
    assert {part.name for part in incoming.package.parts.all()} >= {
        "/Ekler/çizelge.pdf",
        "/Ekler/adres listesi.csv",
    }
    # the same package twice is the same document: refused the second time
    with pytest.raises(ValidationError):
        services.import_eyp_package(
            user=clerk,
            receiving_unit=org_tree["dept"],
            uploaded_file=SimpleUploadedFile("again.eyp", data),
        )


def test_no_package_for_a_draft_or_without_an_institution_to_send_it_to(
    people, org_tree, municipality
):
    with translation.override("en"), pytest.raises(ValidationError, match="Only a signed"):
        svc.eyp_package(document=draft(people, org_tree))
    paper_only = signed(
        people, org_tree, distribution=[{"kind": "GRG", "name": "Fen İşleri Dairesi Başkanlığı"}]
    )
    with translation.override("en"), pytest.raises(ValidationError, match="DETSİS"):
        svc.eyp_package(document=paper_only)
    paper_only.refresh_from_db()
    assert not paper_only.package and not paper_only.belge_id


def test_the_page_and_the_api_give_the_package_to_those_who_read_the_document(
    client, people, org_tree, municipality, make_user
):
    document = signed(people, org_tree)
    client.force_login(people["writer"])
    page = client.get(reverse("evrak:outgoingdocument", args=[document.pk]))
    assert reverse("evrak:outgoing_eyp", args=[document.pk]) in page.content.decode()
    response = client.get(reverse("evrak:outgoing_eyp", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/eyazisma"
    document.refresh_from_db()
    assert f"{document.belge_id}.eyp" in response["Content-Disposition"]
    assert eyp.check_package(response.content).ok
    api = client.get(f"/api/v1/evrak/outgoing/{document.pk}/eyp/")
    assert api.status_code == 200 and api.content == response.content

    outsider = make_user("evrak_writer", org_tree["software"])
    client.force_login(outsider)
    assert client.get(reverse("evrak:outgoing_eyp", args=[document.pk])).status_code == 404
    assert client.get(f"/api/v1/evrak/outgoing/{document.pk}/eyp/").status_code == 404


def test_the_api_refuses_a_draft_with_problem_details(client, people, org_tree, municipality):
    document = draft(people, org_tree)
    client.force_login(people["writer"])
    response = client.get(f"/api/v1/evrak/outgoing/{document.pk}/eyp/")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    page = client.get(reverse("evrak:outgoing_eyp", args=[document.pk]), follow=True)
    assert (
        "Only a signed document" in page.content.decode() or "imzalanmış" in page.content.decode()
    )


def test_the_command_line_writes_the_package(people, org_tree, municipality, tmp_path, capsys):
    document = signed(people, org_tree)
    out = tmp_path / "giden.eyp"
    call_command("documents", "export-eyp", document.number, "--out", str(out), "--json")
    printed = json.loads(capsys.readouterr().out)
    data = out.read_bytes()
    assert printed["sha256"] == hashlib.sha256(data).hexdigest()
    assert eyp.check_package(data).ok
    call_command("evrak", "check-eyp", str(out))  # the same checks from the command line
    with pytest.raises(CommandError, match="no signed outgoing document"):
        call_command("evrak", "export-eyp", "E-0-0-0", "--out", str(tmp_path / "x.eyp"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize(
    ("role", "unit", "allowed"),
    [
        ("evrak_writer", "network", True),  # the drafting unit's writer
        ("evrak_clerk", "network", True),  # the drafting unit's registry
        ("evrak_writer", "software", False),  # another unit's writer
        ("evrak_clerk", "roads", False),  # another department's registry
        ("requester", "network", False),  # a requester in the drafting unit
        ("auditor", "dept", None),  # reads as its role grants; never writes
    ],
)
def test_who_gets_the_package(
    client, people, org_tree, municipality, make_user, role, unit, allowed
):
    """The package goes with the right to read the document, in the UI and the API alike; it
    is a read (GET), and writing it (the first export) changes nothing the reader could not."""
    from biys.evrak import selectors

    document = signed(people, org_tree)
    user = make_user(role, org_tree[unit])
    if allowed is None:  # as the role's reading rights say
        allowed = selectors.outgoing_visible_to(user).filter(pk=document.pk).exists()
    client.force_login(user)
    page = client.get(reverse("evrak:outgoing_eyp", args=[document.pk]))
    api = client.get(f"/api/v1/evrak/outgoing/{document.pk}/eyp/")
    expected = 200 if allowed else 404
    assert (page.status_code, api.status_code) == (expected, expected)
    # no other method changes it
    assert client.post(f"/api/v1/evrak/outgoing/{document.pk}/eyp/").status_code in (403, 404, 405)
