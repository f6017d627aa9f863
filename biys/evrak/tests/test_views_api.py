import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from rest_framework.test import APIClient

from biys.core.personal_data import views_of
from biys.evrak.models import IncomingDocument
from biys.evrak.tests.factories import make_document
from biys.evrak.tests.packages import conformant_sample, tampered

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_register_a_paper_document_with_its_scan(client, clerk, org_tree):
    client.force_login(clerk)
    response = client.post(
        reverse("evrak:incomingdocument_add"),
        {
            "receiving_unit": org_tree["network"].pk,
            "sender_kind": "person",
            "sender_name": "Ayşe Yılmaz",
            "sender_tc_kimlik_no": "10000000146",
            "subject": "Kaldırım onarımı talebi",
            "urgency": "GNL",
            "due_in_working_days": "10",
            "reference_texts": "Belediyenin 01.10.2026 tarihli yazısı",
            "scan": SimpleUploadedFile("tarama.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = IncomingDocument.objects.get()
    page = client.get(document.get_absolute_url()).content.decode()
    assert "*********46" in page and "10000000146" not in page
    assert "Kaldırım onarımı talebi" in page
    revealed = client.post(reverse("evrak:reveal", args=[document.pk]))
    assert "10000000146" in revealed.content.decode()
    assert views_of(document).filter(user=clerk).count() == 1


def test_the_form_answers_field_errors(client, clerk, org_tree):
    client.force_login(clerk)
    response = client.post(
        reverse("evrak:incomingdocument_add"),
        {
            "receiving_unit": org_tree["network"].pk,
            "sender_kind": "person",
            "sender_name": "Ayşe Yılmaz",
            "sender_tc_kimlik_no": "10000000147",
            "subject": "x",
        },
    )
    assert response.status_code == 200
    assert "TC" in response.content.decode() and not IncomingDocument.objects.exists()


def test_a_tampered_package_is_refused_on_the_page_with_the_part(client, clerk, org_tree):
    client.force_login(clerk)
    response = client.post(
        reverse("evrak:incomingdocument_add"),
        {
            "receiving_unit": org_tree["network"].pk,
            "sender_kind": "institution",
            "package": SimpleUploadedFile(
                "p.eyp", tampered(conformant_sample(), "UstYazi/ustyazi.pdf")
            ),
        },
    )
    assert response.status_code == 200
    assert "/UstYazi/ustyazi.pdf" in response.content.decode()
    assert not IncomingDocument.objects.exists()


def test_an_imported_package_shows_its_parts(client, clerk, org_tree):
    client.force_login(clerk)
    response = client.post(
        reverse("evrak:incomingdocument_add"),
        {
            "receiving_unit": org_tree["network"].pk,
            "sender_kind": "institution",
            "subject": "Düzeltilmiş konu",
            "package": SimpleUploadedFile("p.eyp", conformant_sample()),
        },
    )
    assert response.status_code == 302
    document = IncomingDocument.objects.get()
    assert document.subject == "Düzeltilmiş konu"  # the clerk's correction wins
    assert document.sender_detsis_no == "61648174"  # the rest from the Üstveri
    page = client.get(document.get_absolute_url()).content.decode()
    assert "/Ustveri/Ustveri.xml" in page and 'id="package-check"' in page
    part = document.package.parts.get(name="/UstYazi/ustyazi.pdf")
    download = client.get(reverse("evrak:part", args=[part.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")


def test_the_list_filters_and_searches(client, clerk, org_tree):
    make_document(org_tree["network"], subject="Asfalt çalışması", sender_number="E-1-2-77")
    make_document(org_tree["software"], subject="Yazılım lisansı", urgency="ACL")
    client.force_login(clerk)
    url = reverse("evrak:incomingdocument_list")
    assert "Asfalt" in client.get(url, {"q": "E-1-2-77"}).content.decode()
    page = client.get(url, {"urgency": "ACL"}).content.decode()
    assert "Yazılım lisansı" in page and "Asfalt" not in page
    page = client.get(url, {"unit": org_tree["network"].pk}).content.decode()
    assert "Asfalt" in page and "Yazılım lisansı" not in page


def test_a_registry_number_finds_its_document_by_the_number(client, clerk, org_tree):
    """Typed whole, a registry number is looked up in the number's unique index (no search over
    the text); the document whose subject cites it is found only when no document the reader
    sees has that number."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_document(org_tree["network"], number="GE-2026-000042", subject="Asfalt çalışması")
    make_document(org_tree["network"], subject="GE-2026-000042 sayılı yazınız hk.")
    make_document(org_tree["network"], subject="GE-2025-000007 sayılı yazınız hk.")
    client.force_login(clerk)
    api = APIClient()
    api.force_authenticate(clerk)
    url = reverse("evrak:incomingdocument_list")
    for typed in ("GE-2026-000042", "ge-2026-42", "2026-42", " 2026-000042 "):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, {"q": typed}).content.decode()
        assert "Asfalt çalışması" in page and "sayılı yazınız" not in page, typed
        searches = [q["sql"] for q in queries if " LIKE " in q["sql"] or " MATCH " in q["sql"]]
        assert not searches, (typed, searches)
        answer = api.get("/api/v1/evrak/incoming/", {"q": typed}).json()
        assert [row["subject"] for row in answer["results"]] == ["Asfalt çalışması"], typed
    page = client.get(url, {"q": "GE-2025-000007"}).content.decode()
    assert "GE-2025-000007 sayılı yazınız hk." in page  # no such document: the text is searched
    page = client.get(url, {"q": "000042"}).content.decode()
    assert "Asfalt çalışması" in page and "GE-2026-000042 sayılı" in page  # a part: the text


def test_a_registry_number_finds_a_masked_row_still_masked(client, clerk, org_tree):
    """A Gizli document the clerk is not named on is a masked row of their register; typed
    whole, its number finds that row (the number is what the row shows), masked, while no
    search of the text reaches it."""
    make_document(
        org_tree["network"], number="GE-2026-000043", confidentiality="GZL",
        subject="Gizli ihale dosyası",
    )  # fmt: skip
    client.force_login(clerk)
    url = reverse("evrak:incomingdocument_list")
    page = client.get(url, {"q": "GE-2026-000043"}).content.decode()
    assert "GE-2026-000043" in page and "ihale" not in page
    assert "GE-2026-000043" not in client.get(url, {"q": "ihale"}).content.decode()
    api = APIClient()
    api.force_authenticate(clerk)
    rows = api.get("/api/v1/evrak/incoming/", {"q": "2026-43"}).json()["results"]
    assert [(row["number"], row["masked"], row["subject"]) for row in rows] == [
        ("GE-2026-000043", True, "Gizli")
    ]
    assert api.get("/api/v1/evrak/incoming/", {"q": "ihale"}).json()["results"] == []
    # a number no document has is a search of the text, which leaves masked rows out
    assert api.get("/api/v1/evrak/incoming/", {"q": "2026-44"}).json()["results"] == []


def test_the_search_box_lists_the_document_a_registry_number_names_first(clerk, org_tree):
    from biys.core.search import search

    make_document(org_tree["network"], subject="GE-2026-000042 sayılı yazınız hk.")
    make_document(org_tree["network"], number="GE-2026-000042", subject="Asfalt çalışması")
    found = {target.model: hits for target, hits in search(clerk, "2026-42")}
    assert [hit.subject for hit in found[IncomingDocument]] == ["Asfalt çalışması"]
    found = {target.model: hits for target, hits in search(clerk, "GE-2026-000042")}
    assert [hit.subject for hit in found[IncomingDocument]] == [
        "Asfalt çalışması", "GE-2026-000042 sayılı yazınız hk."
    ]  # fmt: skip


def test_api_register_and_problem_details(clerk, org_tree):
    api = APIClient()
    api.force_authenticate(clerk)
    response = api.post(
        "/api/v1/evrak/incoming/",
        {
            "receiving_unit": org_tree["network"].pk,
            "sender_kind": "company",
            "sender_name": "Örnek A.Ş.",
            "sender_vkn": "1234567890",
            "subject": "Teklif",
            "reference_texts": ["Şartname"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["references"] == [{"label": "a", "related": None, "text": "Şartname"}]
    bad = api.post(
        "/api/v1/evrak/incoming/",
        {"receiving_unit": org_tree["network"].pk, "sender_kind": "company", "sender_name": "X",
         "subject": "Teklif"},
        format="json",
    )  # fmt: skip
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert "sender_vkn" in bad.json()["errors"]


def test_api_package_upload_and_refusal(clerk, org_tree):
    api = APIClient()
    api.force_authenticate(clerk)
    url = "/api/v1/evrak/incoming/import-eyp/"
    bad = api.post(
        url,
        {
            "receiving_unit": org_tree["network"].pk,
            "file": SimpleUploadedFile("p.eyp", tampered(conformant_sample(), "Ekler/ek2.pdf")),
        },
        format="multipart",
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert "/Ekler/ek2.pdf" in bad.json()["errors"]["file"][0]
    good = api.post(
        url,
        {
            "receiving_unit": org_tree["network"].pk,
            "file": SimpleUploadedFile("p.eyp", conformant_sample()),
        },
        format="multipart",
    )
    assert good.status_code == 201, good.content
    body = good.json()
    assert body["channel"] == "eyp" and len(body["package"]["parts"]) == 13
    report = api.post(
        "/api/v1/evrak/incoming/check-eyp/",
        {"file": SimpleUploadedFile("p.eyp", tampered(conformant_sample(), "Ekler/ek2.pdf"))},
        format="multipart",
    ).json()
    assert report["ok"] is False and report["problems"][0]["part"] == "/Ekler/ek2.pdf"


def test_cli_import_and_check(org_tree, tmp_path, capsys):
    good, bad = tmp_path / "good.eyp", tmp_path / "bad.eyp"
    good.write_bytes(conformant_sample())
    bad.write_bytes(tampered(conformant_sample(), "Ustveri/Ustveri.xml"))
    call_command("evrak", "check-eyp", str(good))
    with pytest.raises(CommandError):
        call_command(
            "evrak", "import-eyp", str(bad), "--unit", str(org_tree["network"].pk), "--json"
        )
    refused = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert refused["registered"] is False and "/Ustveri/Ustveri.xml" in refused["errors"]["file"][0]
    call_command("evrak", "import-eyp", str(good), "--unit", org_tree["network"].name, "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["registered"] is True and out["parts"] == 13
    assert IncomingDocument.objects.get().number == out["number"]


def test_an_unclassified_document_says_yok_not_another_apps_none(client, clerk, org_tree):
    """Django admin's catalogue, loaded first, translates a bare "None" as "Hiçbiri"."""
    document = make_document(org_tree["network"])
    client.force_login(clerk)
    page = client.get(document.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert '<dd class="col-sm-8">Yok</dd>' in page
    assert "Hiçbiri" not in page


def test_the_api_register_reads_a_page_in_the_same_queries_at_any_size(clerk, org_tree, make_user):
    """The list of incoming documents reads in nine queries whatever the page size and whatever
    each row carries: the session, the user, the cache generations, the count, the page,
    and one query each for the named readers, the ilgi lines, the package parts and the scans
    with their files (ten before the scans' files were joined); a first page that holds every
    row is its own count, one query fewer. Paging (``per_page``) keeps the masked row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from biys.evrak.models import DocumentReference, IncomingPackage, PackagePart
    from biys.evrak.tests.factories import make_scan_text

    reader = make_user(None, None)
    for n in range(3):
        document = make_document(org_tree["network"], named_readers=[reader])
        make_scan_text(org_tree["network"], document=document)
        package = IncomingPackage.objects.create(
            document=document, file=f"p{n}.eyp", filename=f"p{n}.eyp", size=1, sha256="0" * 64
        )
        PackagePart.objects.create(package=package, name="/Ustveri/Ustveri.xml", size=1, sha256="0")
        DocumentReference.objects.create(document=document, label="a", text="Valiliğin yazısı.")
    make_document(org_tree["network"], confidentiality="GZL")  # a masked row
    api = APIClient()
    api.force_login(clerk)
    api.get("/api/v1/evrak/incoming/")  # warm: per-process caches are not the point
    counts = {}
    for size in (1, 3, 100):
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/evrak/incoming/", {"per_page": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(size, 4)
        counts[size] = len(queries.captured_queries)
    assert counts == {1: 9, 3: 9, 100: 8}, [query["sql"][:90] for query in queries.captured_queries]
    row = next(row for row in response.json()["results"] if row["scans"])
    assert row["named_readers"] == [reader.pk] and row["scans"][0]["filename"] == "tarama.png"
    assert row["package"]["parts"][0]["name"] == "/Ustveri/Ustveri.xml"
