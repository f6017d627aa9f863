"""Files (dosya), the archive's year-end and destruction (imha): which files are due from the
SDP code's retention, what a decision does to the files and their documents, that a
destruction is all or nothing, and who may approve it, page and API alike."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from biys.attachments.models import Attachment
from biys.core.models import ObjectChange
from biys.core.redaction import redact
from biys.evrak import outgoing_services, selectors, services
from biys.evrak.choices import ArchiveState, DisposalKind
from biys.evrak.models import (
    ArchiveTimestamp,
    DisposalDecision,
    DocumentFile,
    IncomingDocument,
    OutgoingDocument,
    OutgoingSeal,
    OutgoingSignature,
    ScanText,
    SdpCode,
)
from biys.evrak.tests.factories import make_document, make_outgoing, make_sdp_code
from biys.evrak.tests.test_services import PDF, register
from tests.permissions.matrix import ROLE_SPECS, role_cases, rolled_back

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def codes():
    return {
        "destroy": make_sdp_code(
            code="030.04",
            unit_retention_years=2,
            archive_retention_years=3,
            final_disposition="destroy",
        ),
        "keep": make_sdp_code(
            code="010.03",
            unit_retention_years=2,
            archive_retention_years=3,
            final_disposition="state_archives",
        ),
        "undecided": make_sdp_code(code="042"),
    }


@pytest.fixture
def members(make_user, org_tree):
    return [make_user(None, org_tree["dept"]).person for _ in range(3)]


def filed(unit, sdp_code, year, **fields):
    """A document of ``year`` in its file (no service: the register row is enough here)."""
    document = make_document(unit, sdp_code=sdp_code, **fields)
    file = services.file_for(unit=unit, sdp_code=sdp_code, year=year)
    IncomingDocument.objects.filter(pk=document.pk).update(file=file, year=year)
    document.refresh_from_db()
    return document


def due(year, kind, user=None):
    return list(selectors.due_files(user=user, year=year, kind=kind).values_list("pk", flat=True))


def approve(user, kind, year, members, **values):
    return services.approve_disposal(
        user=user,
        kind=kind,
        year=year,
        decision_date=values.pop("decision_date", TODAY),
        decision_number=values.pop("decision_number", "2026/7"),
        members=members,
        **values,
    )


# ----------------------------------------------------------------------------- files


def test_registration_files_a_document_under_its_unit_code_and_year(clerk, org_tree, codes):
    unit = org_tree["network"]
    first = register(clerk, unit, sdp_code=codes["destroy"])
    second = register(clerk, unit, sdp_code=codes["destroy"])
    other_code = register(clerk, unit, sdp_code=codes["keep"])
    no_code = register(clerk, unit)
    assert first.file is not None and first.file == second.file
    assert (first.file.unit, first.file.sdp_code, first.file.year) == (
        unit,
        codes["destroy"],
        first.year,
    )
    assert other_code.file != first.file
    assert no_code.file is None


def test_signature_files_the_outgoing_document(make_user, org_tree, municipality, codes):
    head = make_user("department_head", org_tree["dept"])
    writer = make_user("evrak_writer", org_tree["network"])
    draft = outgoing_services.save_outgoing_draft(
        user=writer,
        unit=org_tree["network"],
        subject="Veri paylaşımı hk.",
        body="Gereğini arz ederim.",
        sdp_code=codes["keep"],
        signer=head,
        distribution=[{"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "24312041"}],
    )
    assert draft.file is None  # a draft has no year yet
    document = outgoing_services.submit_for_approval(user=writer, document=draft, path=[])
    document = outgoing_services.sign(user=head, document=document)
    assert document.file == DocumentFile.objects.get(
        unit=org_tree["network"], sdp_code=codes["keep"], year=document.year
    )


def test_the_migration_files_the_documents_already_registered(org_tree, codes):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("biys.evrak.migrations.0010_files_and_disposal")
    document = make_document(org_tree["network"], sdp_code=codes["keep"])
    unfiled = make_document(org_tree["network"])
    migration.file_documents(apps, None)
    document.refresh_from_db()
    unfiled.refresh_from_db()
    assert (document.file.unit, document.file.sdp_code, document.file.year) == (
        org_tree["network"],
        codes["keep"],
        document.year,
    )
    assert unfiled.file is None


# ----------------------------------------------------------------------------- due lists


def test_due_lists_follow_the_retention_periods(org_tree, codes, members):
    unit = org_tree["network"]
    destroy = filed(unit, codes["destroy"], 2020).file
    keep = filed(unit, codes["keep"], 2020).file
    filed(unit, codes["undecided"], 2020)
    # The file closes at the end of 2020: two years in the unit archive, 2021 and 2022.
    assert due(2021, DisposalKind.TRANSFER) == []
    assert sorted(due(2022, DisposalKind.TRANSFER)) == sorted([destroy.pk, keep.pk])
    assert due(2022, DisposalKind.DESTROY) == []
    # Three more in the institutional archive: due for destruction at the end of 2025, listed
    # there only; the State Archives' file never is.
    assert due(2025, DisposalKind.DESTROY) == [destroy.pk]
    assert due(2025, DisposalKind.TRANSFER) == [keep.pk]
    approve(None, DisposalKind.TRANSFER, 2022, members)
    assert due(2023, DisposalKind.TRANSFER) == []
    assert due(2025, DisposalKind.DESTROY) == [destroy.pk]  # now from the institution's archive


def test_a_transfer_marks_the_files_and_their_documents(org_tree, codes, members, make_user):
    head = make_user("department_head", org_tree["dept"])
    document = filed(org_tree["network"], codes["keep"], 2020, notes="Asıl dosyada.")
    decision = approve(head, DisposalKind.TRANSFER, 2022, members)
    document.refresh_from_db()
    assert document.archive_state == ArchiveState.TRANSFERRED
    assert document.notes == "Asıl dosyada."  # a transfer keeps the content
    assert document.file.state == ArchiveState.TRANSFERRED
    assert document.file.transfer_decision == decision
    assert decision.approved_by == head and set(decision.members.all()) == set(members)


def test_the_decision_needs_its_commission_number_and_date(org_tree, codes, members):
    filed(org_tree["network"], codes["keep"], 2020)
    with pytest.raises(ValidationError) as error:
        approve(
            None,
            DisposalKind.TRANSFER,
            2022,
            members[:2],
            decision_number=" ",
            decision_date=TODAY + timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"members", "decision_number", "decision_date"}
    with pytest.raises(ValidationError) as error:
        approve(None, DisposalKind.TRANSFER, 2021, members)  # nothing due yet
    assert "files" in error.value.message_dict
    not_due = filed(org_tree["network"], codes["keep"], 2021).file
    with pytest.raises(ValidationError):
        approve(None, DisposalKind.TRANSFER, 2022, members, files=[not_due])
    assert not DisposalDecision.objects.exists()


# ----------------------------------------------------------------------------- destruction


def destroyable(clerk, org_tree, codes, make_user):
    """An incoming document with a scan and its recognised text, and a signed outgoing one
    with its text and package, both in files of 2020 due for destruction at the end of 2025."""
    unit = org_tree["network"]
    incoming = register(
        clerk,
        unit,
        sdp_code=codes["destroy"],
        notes="Ekleri ile birlikte.",
        scans=[SimpleUploadedFile("tarama.pdf", PDF, content_type="application/pdf")],
    )
    file = DocumentFile.objects.get(pk=incoming.file_id)
    DocumentFile.objects.filter(pk=file.pk).update(year=2020)
    ScanText.objects.filter(document=incoming).update(status="done", text="gizli içerik")
    outgoing = make_outgoing(unit, sdp_code=codes["destroy"], body="Gereğini arz ederim.")
    OutgoingDocument.objects.filter(pk=outgoing.pk).update(
        file=file, state="signed", number="E-12345678-030.04-1", year=2020
    )
    return incoming, outgoing, file


def test_a_destruction_removes_the_content_and_keeps_the_register_row(
    clerk, org_tree, codes, members, make_user, django_capture_on_commit_callbacks
):
    head = make_user("department_head", org_tree["dept"])
    incoming, outgoing, file = destroyable(clerk, org_tree, codes, make_user)
    # What the signer and the sealing device were given, and an archive time-stamp link.
    signature = OutgoingSignature.objects.create(
        document=outgoing, version=1, state="accepted", content=b"<PaketOzeti/>", digest="0" * 64,
        ust_yazi=b"%PDF gizli metin", ustveri=b"<UstVeri>Konu</UstVeri>",
    )  # fmt: skip
    seal = OutgoingSeal.objects.create(document=outgoing, package=b"PK paket", digest="1" * 64)
    ArchiveTimestamp.objects.create(
        outgoing=outgoing, sequence=1, package_sha256="2" * 64, token=b"\x30",
        time=timezone.now(), authority_expires=timezone.now(),
    )  # fmt: skip
    scan = Attachment.objects.get(object_id=str(incoming.pk))
    stored = scan.file.name
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        decision = approve(head, DisposalKind.DESTROY, 2025, members, decision_number="2026/9")
    incoming.refresh_from_db()
    outgoing.refresh_from_db()
    file.refresh_from_db()
    assert (file.state, file.destruction_decision) == (ArchiveState.DESTROYED, decision)
    assert incoming.archive_state == outgoing.archive_state == ArchiveState.DESTROYED
    # The register rows stay: number, date, sender, subject, SDP code.
    assert incoming.number.startswith("GE-") and incoming.subject and incoming.sender_name
    assert incoming.sdp_code == codes["destroy"] and outgoing.number == "E-12345678-030.04-1"
    # The content is gone: scans, their text, notes, the outgoing text; the stored file too.
    assert not Attachment.objects.filter(object_id=str(incoming.pk)).exists()
    assert not ScanText.objects.filter(document=incoming).exists()
    assert incoming.notes == "" and outgoing.body == "" and outgoing.notes == ""
    signature.refresh_from_db()
    assert (bytes(signature.content), signature.ust_yazi, signature.ustveri) == (b"", None, None)
    assert signature.digest == "0" * 64 and signature.state == "accepted"
    assert bytes(OutgoingSeal.objects.get(pk=seal.pk).package) == b""
    assert not ArchiveTimestamp.objects.filter(outgoing=outgoing).exists()
    assert "gizli" not in incoming.search_text
    assert not default_storage.exists(stored)
    # The change log says what happened and hides the content's earlier values.
    notice = ObjectChange.objects.get(action=ObjectChange.Action.REDACT)
    assert "2026/9" in notice.postchange_data["reason"]
    history = redact(ObjectChange.objects.filter(object_id=str(outgoing.pk)))
    assert all(
        "Gereğini" not in str(record.prechange_data) + str(record.postchange_data)
        for record in history
    )
    # The document's page says so, with the decision; its PDF and package are gone.
    page = Client()
    page.force_login(head)
    body = page.get(incoming.get_absolute_url()).content.decode()
    assert 'id="document-destroyed"' in body and "2026/9" in body
    body = page.get(outgoing.get_absolute_url()).content.decode()
    assert 'id="document-destroyed"' in body and 'id="outgoing-pdf"' not in body
    assert page.get(reverse("evrak:outgoing_pdf", args=[outgoing.pk])).status_code == 410
    with pytest.raises(ValidationError):
        outgoing_services.eyp_package(document=outgoing)
    # Irreversible: nothing is due any more, and a second destruction finds nothing.
    assert due(2030, DisposalKind.DESTROY) == due(2030, DisposalKind.TRANSFER) == []


def test_a_destruction_that_fails_leaves_everything_as_it_was(
    clerk, org_tree, codes, members, make_user, monkeypatch, django_capture_on_commit_callbacks
):
    head = make_user("department_head", org_tree["dept"])
    incoming, _outgoing, file = destroyable(clerk, org_tree, codes, make_user)
    stored = Attachment.objects.get(object_id=str(incoming.pk)).file.name
    real = services._destroy_content

    def fail_on_outgoing(document, *args):
        if isinstance(document, OutgoingDocument):
            raise RuntimeError("disk full")
        return real(document, *args)

    monkeypatch.setattr(services, "_destroy_content", fail_on_outgoing)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        approve(head, DisposalKind.DESTROY, 2025, members)
    incoming.refresh_from_db()
    file.refresh_from_db()
    assert file.state == ArchiveState.CURRENT and file.destruction_decision is None
    assert incoming.archive_state == ArchiveState.CURRENT
    assert incoming.notes == "Ekleri ile birlikte."
    assert Attachment.objects.filter(object_id=str(incoming.pk)).exists()
    assert ScanText.objects.filter(document=incoming).exists()
    assert default_storage.exists(stored)
    assert not DisposalDecision.objects.exists()
    assert not ObjectChange.objects.filter(action=ObjectChange.Action.REDACT).exists()


def test_the_destroyed_documents_page_tells_namesake_members_apart(
    clerk, org_tree, codes, make_user, namesakes, django_capture_on_commit_callbacks
):
    """The commission is named as the pickers name people: name, unit and sicil number, in
    Turkish alphabetical order, so the two Ayşe Acar of the demo are told apart."""
    head = make_user("department_head", org_tree["dept"])
    incoming, outgoing, _file = destroyable(clerk, org_tree, codes, make_user)
    commission = [namesakes.software, namesakes.celik, namesakes.network]
    with django_capture_on_commit_callbacks(execute=True):
        approve(head, DisposalKind.DESTROY, 2025, commission, decision_number="2026/9")
    first, second = sorted([namesakes.labels["network"], namesakes.labels["software"]])
    page = Client()
    page.force_login(head)
    for document in (incoming, outgoing):
        body = page.get(document.get_absolute_url()).content.decode()
        destroyed = body[body.index('id="document-destroyed"') :]
        assert f"{first}, {second}, {namesakes.labels['celik']}" in destroyed


# ----------------------------------------------------------------------------- who may


def may_approve(role: str, inside: bool) -> bool:
    return ROLE_SPECS[role].matches("evrak.approve_disposal")


def test_only_the_department_head_approves_and_only_for_their_units(
    org_tree, codes, members, make_user
):
    file = filed(org_tree["network"], codes["keep"], 2020).file
    url = reverse("evrak:year_end")
    failures = []
    for role, inside in role_cases():
        user = make_user(role, org_tree["network"] if inside else org_tree["roads"])
        where = f"{role} {'inside' if inside else 'outside'}"
        allowed = may_approve(role, inside)
        # the hand-over permission alone opens the page and the API for the hand-over list
        opens = allowed or ROLE_SPECS[role].matches("evrak.hand_over_files")
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        response = page.get(url, {"year": 2022})
        listed = f'data-file="{file.pk}"' in response.content.decode()
        if response.status_code != (200 if opens else 403) or listed != (allowed and inside):
            failures.append(f"{where}: page {response.status_code}, lists the file = {listed}")
        response = api.get("/api/v1/evrak/year-end/", {"year": 2022})
        if response.status_code != (200 if opens else 403):
            failures.append(f"{where}: API list {response.status_code}")
        elif allowed and [row["id"] for row in response.json()["transfer"]] != (
            [file.pk] if inside else []
        ):
            failures.append(f"{where}: API lists {response.json()['transfer']}")
        body = {
            "kind": "transfer",
            "year": 2022,
            "decision_date": TODAY.isoformat(),
            "decision_number": "2026/7",
            "members": [person.pk for person in members],
            "files": [file.pk],
        }
        for channel, send in (
            (
                "page",
                lambda page=page, body=body: page.post(
                    url,
                    {
                        "kind": "transfer",
                        **{f"transfer-{key}": value for key, value in body.items()},
                    },
                ),
            ),
            (
                "API",
                lambda api=api, body=body: api.post("/api/v1/evrak/year-end/", body, format="json"),
            ),
        ):

            def run(send=send):
                response = send()
                return response, DocumentFile.objects.get(pk=file.pk).state

            response, state = rolled_back(run)
            done = state == ArchiveState.TRANSFERRED
            expected = allowed and inside
            if done != expected or (not expected and response.status_code not in (403, 404)):
                failures.append(f"{where}: {channel} approve -> {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_year_end_list_costs_the_same_queries_for_more_files(
    org_tree, codes, members, make_user
):
    head = make_user("department_head", org_tree["dept"])
    api = APIClient()
    api.force_authenticate(head)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert api.get("/api/v1/evrak/year-end/", {"year": 2030}).status_code == 200
        return len(context.captured_queries)

    filed(org_tree["network"], codes["keep"], 2020)
    filed(org_tree["network"], codes["destroy"], 2020)
    queries()  # the first request warms the scope and content type caches
    few = queries()
    for year in range(2010, 2016):
        filed(org_tree["software"], codes["keep"], year)
        filed(org_tree["helpdesk"], codes["destroy"], year)
    assert len(api.get("/api/v1/evrak/year-end/", {"year": 2030}).json()["destroy"]) == 7
    assert queries() == few


def test_the_api_refuses_bad_input_with_problem_details(org_tree, make_user):
    head = make_user("department_head", org_tree["dept"])
    api = APIClient()
    api.force_authenticate(head)
    assert api.get("/api/v1/evrak/year-end/", {"year": "abc"}).status_code == 400
    response = api.post("/api/v1/evrak/year-end/", {"kind": "burn"}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    response = api.post(
        "/api/v1/evrak/year-end/",
        {
            "kind": "transfer",
            "year": 2022,
            "decision_date": TODAY.isoformat(),
            "decision_number": "1",
            "members": [],
        },
        format="json",
    )
    assert response.status_code == 400


# ----------------------------------------------------------------------------- the file plan


def test_the_file_plan_import_reads_retention_and_disposition():
    text = (
        "\ufeffkod;başlık;birim;kurum;son işlem\n"
        "030.04;Proje işleri;5;10;imha\n"
        "040;Faaliyet raporları;5;15;DEVLET ARŞİVİ\n"
        "041;Bir kod;beş;;\n"
        "042;Başka;1;2;yak\n"
        "043;Henüz karar yok;;;\n"
    )
    rows, errors = services.parse_sdp_csv(text)
    assert [row["code"] for row in rows] == ["030.04", "040", "043"]
    assert rows[0]["final_disposition"] == "destroy" and rows[1]["archive_retention_years"] == 15
    assert [error.split(":")[0].split()[-1] for error in errors] == ["4", "5"]
    assert services.load_sdp_codes(rows=rows) == (3, 0)
    code = SdpCode.objects.get(code="040")
    assert (code.unit_retention_years, code.final_disposition) == (5, "state_archives")
    assert SdpCode.objects.get(code="043").unit_retention_years is None
    assert services.load_sdp_codes(rows=[{**rows[1], "unit_retention_years": 3}]) == (0, 1)
    assert SdpCode.objects.get(code="040").unit_retention_years == 3


CSV = (
    "\ufeffkod;başlık;birim;kurum;son işlem\n030.04;Proje işleri;5;10;imha\n"
    "040;Faaliyet raporları;5;15;Devlet Arşivi\n"
).encode()


def test_the_file_plan_is_previewed_then_loaded_from_csv_or_excel(make_user, org_tree):
    import io

    from openpyxl import Workbook

    admin = make_user(None, None, superuser=True)  # the plan is the whole municipality's
    make_sdp_code(code="040", title="Faaliyet raporları")
    page = Client()
    page.force_login(admin)
    url = reverse("evrak:sdp_import")
    assert page.get(url).status_code == 200
    preview = page.post(url, {"file": SimpleUploadedFile("sdp.csv", CSV)}).content.decode()
    assert 'data-code="030.04" data-effect="new"' in preview
    assert 'data-code="040" data-effect="changed"' in preview and 'id="sdp-load"' in preview
    assert not SdpCode.objects.filter(code="030.04").exists()  # a preview loads nothing
    bad = CSV + "041;Bir kod;beş;;\n042;Başka;1;2;yak\n".encode()
    body = page.post(url, {"file": SimpleUploadedFile("sdp.csv", bad)}).content.decode()
    assert 'id="sdp-errors"' in body and 'id="sdp-load"' not in body
    assert "4" in body and "5" in body  # the lines in error
    content = services.sdp_file_text(CSV)
    response = page.post(url, {"content": content, "load": "1"})
    assert response.status_code == 302
    assert SdpCode.objects.get(code="040").archive_retention_years == 15
    # Excel: the first sheet, the same columns; through the API.
    book = Workbook()
    sheet = book.active
    for row in (("kod", "başlık", "birim", "kurum", "son"), ("042", "İstatistikler", 2, 8, "imha")):
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    api = APIClient()
    api.force_authenticate(admin)
    upload = SimpleUploadedFile("sdp.xlsx", data.getvalue())
    response = api.post(
        "/api/v1/evrak/sdp-codes/import/", {"file": upload, "dry_run": "true"}, format="multipart"
    )
    assert response.status_code == 200 and response.json()["rows"][0]["effect"] == "new"
    assert not SdpCode.objects.filter(code="042").exists()
    upload = SimpleUploadedFile("sdp.xlsx", data.getvalue())
    response = api.post("/api/v1/evrak/sdp-codes/import/", {"file": upload}, format="multipart")
    assert response.json()["added"] == 1
    assert SdpCode.objects.get(code="042").final_disposition == "destroy"
    upload = SimpleUploadedFile("sdp.csv", bad)
    response = api.post("/api/v1/evrak/sdp-codes/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and "4" in str(response.json().get("errors"))
    assert not SdpCode.objects.filter(code="041").exists()


def test_only_who_may_change_the_whole_plan_imports_it(make_user, org_tree):
    for role in ROLE_SPECS:
        user = make_user(role, org_tree["network"])
        allowed = services.may_load_sdp(user)
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        status = page.post(
            reverse("evrak:sdp_import"), {"file": SimpleUploadedFile("sdp.csv", CSV)}
        ).status_code
        assert status == (200 if allowed else 403), role
        response = api.post(
            "/api/v1/evrak/sdp-codes/import/",
            {"file": SimpleUploadedFile("sdp.csv", CSV)},
            format="multipart",
        )
        assert response.status_code == (200 if allowed else 403), role
    assert not SdpCode.objects.exists()
