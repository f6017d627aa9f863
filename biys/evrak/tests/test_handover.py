"""Hand-over to the State Archives (Devlet Arşivleri Başkanlığı): which files are due (their
SDP code says so, their years in the institutional archive are over, they are there), the
numbered hand-over list the archivist approves, its PDF and CSV (Turkish Excel: ``;``, UTF-8
with BOM), marking it handed over (devredildi, nothing deleted, still found), the change log,
and who may, page and API alike."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from biys.core.models import ObjectChange
from biys.evrak import selectors, services
from biys.evrak.choices import ArchiveState, DisposalKind
from biys.evrak.models import DisposalDecision, DocumentFile, IncomingDocument
from biys.evrak.tests.test_archive import approve, codes, due, filed, members  # noqa: F401
from biys.evrak.tests.test_outgoing_pdf import pdfa_claims, text_of
from tests.permissions.matrix import ROLE_SPECS, role_cases, rolled_back

pytestmark = pytest.mark.django_db

TODAY = date.today()
HAND_OVER = "evrak.hand_over_files"


@pytest.fixture
def archivist(make_user, org_tree):
    return make_user("evrak_archivist", org_tree["dept"])


def in_archive(unit, code, year, **fields):
    """A document of ``year`` whose file has been transferred to the institutional archive."""
    document = filed(unit, code, year, **fields)
    DocumentFile.objects.filter(pk=document.file_id).update(state=ArchiveState.TRANSFERRED)
    IncomingDocument.objects.filter(pk=document.pk).update(archive_state=ArchiveState.TRANSFERRED)
    document.refresh_from_db()
    return document


def test_due_for_hand_over_once_the_institutional_years_are_over_and_only_from_there(
    org_tree,
    codes,  # noqa: F811
):
    unit = org_tree["network"]
    kept = in_archive(unit, codes["keep"], 2020).file  # 2 + 3 years: due at the end of 2025
    still_in_unit = filed(org_tree["software"], codes["keep"], 2019).file
    destroyed_kind = in_archive(unit, codes["destroy"], 2019).file
    in_archive(unit, codes["undecided"], 2000)
    assert due(2024, DisposalKind.HANDOVER) == []
    assert due(2025, DisposalKind.HANDOVER) == [kept.pk]
    # a file of such a code still in the unit goes to the institutional archive first
    assert still_in_unit.pk in due(2025, DisposalKind.TRANSFER)
    assert destroyed_kind.pk not in due(2030, DisposalKind.HANDOVER)
    assert destroyed_kind.pk in due(2030, DisposalKind.DESTROY)


def test_the_approved_list_numbers_its_items_and_leaves_them_in_the_archive(
    org_tree,
    codes,  # noqa: F811
    members,  # noqa: F811
    archivist,
):
    later = in_archive(org_tree["software"], codes["keep"], 2019, notes="Asıl nüsha.")
    first = in_archive(org_tree["network"], codes["keep"], 2019)
    third = in_archive(org_tree["network"], codes["keep"], 2020)
    decision = approve(archivist, DisposalKind.HANDOVER, 2025, members, decision_number="D-1")
    assert decision.kind == DisposalKind.HANDOVER and decision.handed_over_on is None
    items = selectors.handover_items(decision)
    # numbered as the list shows them: SDP code, unit name, year
    assert [(item.handover_item, item.pk) for item in items] == [
        (1, first.file_id),  # Sistem ve Ağ Şube Müdürlüğü, 2019
        (2, third.file_id),  # Sistem ve Ağ Şube Müdürlüğü, 2020
        (3, later.file_id),  # Yazılım Şube Müdürlüğü, 2019
    ]
    for item in items:
        assert item.state == ArchiveState.TRANSFERRED  # not yet handed over
        assert item.incoming_count == 1 and item.first_date is not None
    assert due(2025, DisposalKind.HANDOVER) == []  # on a list: not listed again
    with pytest.raises(ValidationError):
        approve(archivist, DisposalKind.HANDOVER, 2025, members)


def test_marking_it_handed_over_keeps_everything_and_the_documents_stay_found(
    client,
    org_tree,
    codes,  # noqa: F811
    members,  # noqa: F811
    archivist,
    make_user,
):
    document = in_archive(org_tree["network"], codes["keep"], 2020, notes="Asıl nüsha.")
    decision = approve(
        archivist,
        DisposalKind.HANDOVER,
        2025,
        members,
        decision_number="2026/DA-3",
        decision_date=TODAY - timedelta(days=2),
    )
    for wrong in (TODAY + timedelta(days=1), TODAY - timedelta(days=3), None):
        with pytest.raises(ValidationError) as error:
            services.complete_handover(user=archivist, decision=decision, handed_over_on=wrong)
        assert "handed_over_on" in error.value.message_dict
    outsider = make_user("evrak_archivist", org_tree["roads"])
    with pytest.raises(PermissionDenied):
        services.complete_handover(user=outsider, decision=decision, handed_over_on=TODAY)
    assert DocumentFile.objects.get(pk=document.file_id).state == ArchiveState.TRANSFERRED

    services.complete_handover(user=archivist, decision=decision, handed_over_on=TODAY)
    decision.refresh_from_db()
    assert (decision.handed_over_on, decision.handed_over_by) == (TODAY, archivist)
    document.refresh_from_db()
    assert document.archive_state == ArchiveState.HANDED_OVER
    assert document.file.state == ArchiveState.HANDED_OVER
    assert document.notes == "Asıl nüsha."  # nothing is removed
    assert IncomingDocument.objects.filter(pk=document.pk).exists()
    with pytest.raises(ValidationError):  # once only
        services.complete_handover(user=archivist, decision=decision, handed_over_on=TODAY)

    # the change log: the list, each file's and document's new state
    def logged(obj):
        return [
            change.postchange_data or {}
            for change in ObjectChange.objects.filter(object_id=str(obj.pk)).order_by("pk")
            if change.content_type.model_class() is type(obj)
        ]

    assert logged(decision)[-1].get("handed_over_on") == TODAY.isoformat()
    assert logged(document.file)[-1].get("state") == "handed_over"
    assert logged(document)[-1].get("archive_state") == "handed_over"

    # found as devredildi, with the list's number and date, by the registry's filter too
    reader = make_user("evrak_reader", org_tree["network"])
    client.force_login(reader)
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'data-archive-state="handed_over"' in page and "2026/DA-3" in page
    found = client.get(reverse("evrak:incomingdocument_list"), {"archive_state": "handed_over"})
    assert document.number in found.content.decode()
    api = APIClient()
    api.force_authenticate(reader)
    rows = api.get("/api/v1/evrak/incoming/", {"archive_state": "handed_over"}).json()["results"]
    assert [row["id"] for row in rows] == [document.pk]
    assert rows[0]["archive_state"] == "handed_over"
    rows = api.get("/api/v1/evrak/incoming/", {"archive_state": "transferred"}).json()["results"]
    assert rows == []


def test_the_list_exports_as_csv_for_turkish_excel_and_as_pdf(
    client,
    org_tree,
    codes,  # noqa: F811
    members,  # noqa: F811
    archivist,
):
    in_archive(org_tree["network"], codes["keep"], 2019)
    in_archive(org_tree["network"], codes["keep"], 2019)
    in_archive(org_tree["software"], codes["keep"], 2020)
    decision = approve(archivist, DisposalKind.HANDOVER, 2025, members, decision_number="DA=7")
    client.force_login(archivist)

    response = client.get(reverse("evrak:handover_csv", args=[decision.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["T.C."]
    assert rows[2] == ["DEVLET ARŞİVLERİNE DEVREDİLECEK ARŞİV MALZEMESİ LİSTESİ"]
    assert rows[3] == ["Liste No", "DA=7"]
    assert rows[4] == ["Liste Tarihi", TODAY.strftime("%d.%m.%Y")]
    header = rows.index(["Sıra No", "Dosya Plan Kodu", "Dosyanın Konusu", "Birim", "Yılı",
                         "Tarihi (İlk – Son)", "Belge Sayısı", "Açıklama"])  # fmt: skip
    items = rows[header + 1 : header + 3]
    assert [row[0] for row in items] == ["1", "2"]
    assert items[0][1] == "010.03" and items[0][3] == org_tree["network"].name
    assert items[0][4] == "2019" and items[0][6] == "2"
    assert items[1][4] == "2020" and items[1][6] == "1"
    assert ["Toplam", "2", "", "", "", "", "3", ""] in rows

    response = client.get(reverse("evrak:handover_pdf", args=[decision.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert pdfa_claims(reader) == {"part": "2", "conformance": "B"}
    text = " ".join(text_of(response.content))
    assert "DEVLET ARŞİVLERİNE DEVREDİLECEK" in text and "DA=7" in text
    assert org_tree["network"].name in text and "Sıra No" in text


def test_the_page_pdf_and_csv_tell_namesake_members_apart(
    client,
    org_tree,
    codes,  # noqa: F811
    archivist,
    namesakes,
):
    """The commission's members are shown as in the pickers: name, unit and sicil number, in
    Turkish alphabetical order; the PDF and CSV in Turkish whatever the reader's language."""
    in_archive(org_tree["network"], codes["keep"], 2019)
    commission = [namesakes.software, namesakes.network, namesakes.celik]
    decision = approve(archivist, DisposalKind.HANDOVER, 2025, commission)
    first, second = sorted([namesakes.labels["network"], namesakes.labels["software"]])
    celik = namesakes.labels["celik"]
    client.force_login(archivist)

    page = client.get(reverse("evrak:handover_list", args=[decision.pk])).content.decode()
    assert f"{first}, {second}, {celik}" in page

    client.cookies["django_language"] = "en"
    raw = client.get(reverse("evrak:handover_csv", args=[decision.pk])).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert ["Komisyon", first, second, celik] in rows

    text = " ".join(text_of(client.get(reverse("evrak:handover_pdf", args=[decision.pk])).content))
    assert "1042" in text and "2077" in text and "sicil" in text
    assert "reg. no" not in text


def test_page_flow_approve_export_and_hand_over(
    client,
    org_tree,
    codes,  # noqa: F811
    members,  # noqa: F811
    archivist,
):
    document = in_archive(org_tree["network"], codes["keep"], 2020)
    client.force_login(archivist)
    page = client.get(reverse("evrak:year_end"), {"year": 2025})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="due-handover"' in html and f'data-file="{document.file_id}"' in html
    assert 'id="due-transfer"' not in html and 'id="due-destroy"' not in html
    response = client.post(
        reverse("evrak:year_end"),
        {
            "kind": "handover",
            "handover-kind": "handover",
            "handover-year": 2025,
            "handover-files": [document.file_id],
            "handover-decision_date": TODAY.isoformat(),
            "handover-decision_number": "2026/1",
            "handover-members": [person.pk for person in members],
        },
    )
    decision = DisposalDecision.objects.get()
    assert response.status_code == 302 and response.url == decision.get_absolute_url()
    html = client.get(response.url).content.decode()
    assert 'id="handover-items"' in html and 'id="handover-form"' in html
    future = client.post(response.url, {"handed_over_on": (TODAY + timedelta(days=3)).isoformat()})
    assert future.status_code == 400 and "invalid-feedback" in future.content.decode()
    assert DocumentFile.objects.get(pk=document.file_id).state == ArchiveState.TRANSFERRED
    done = client.post(response.url, {"handed_over_on": TODAY.isoformat()})
    assert done.status_code == 302
    assert DocumentFile.objects.get(pk=document.file_id).state == ArchiveState.HANDED_OVER
    html = client.get(response.url).content.decode()
    assert 'data-handed-over="yes"' in html and 'id="handover-form"' not in html


def test_the_api_prepares_reads_and_completes_a_list_with_problem_details(
    org_tree,
    codes,  # noqa: F811
    members,  # noqa: F811
    archivist,
):
    document = in_archive(org_tree["network"], codes["keep"], 2020)
    api = APIClient()
    api.force_authenticate(archivist)
    listed = api.get("/api/v1/evrak/year-end/", {"year": 2025}).json()
    assert [row["id"] for row in listed["handover"]] == [document.file_id]
    assert listed["transfer"] == [] and listed["destroy"] == []
    body = {
        "kind": "handover",
        "year": 2025,
        "decision_date": TODAY.isoformat(),
        "decision_number": "2026/2",
        "members": [person.pk for person in members],
    }
    refused = api.post("/api/v1/evrak/year-end/", body | {"kind": "transfer"}, format="json")
    assert refused.status_code == 403
    created = api.post("/api/v1/evrak/year-end/", body, format="json")
    assert created.status_code == 201 and created.json()["file_ids"] == [document.file_id]
    url = f"/api/v1/evrak/handover-lists/{created.json()['id']}/"
    detail = api.get(url).json()
    assert [item["handover_item"] for item in detail["items"]] == [1]
    assert detail["csv_url"].endswith("list.csv") and detail["handed_over_on"] is None
    bad = api.post(f"{url}handed-over/", {"handed_over_on": "2999-01-01"}, format="json")
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    assert api.post(f"{url}handed-over/", {}, format="json").status_code == 400
    done = api.post(f"{url}handed-over/", {"handed_over_on": TODAY.isoformat()}, format="json")
    assert done.status_code == 200 and done.json()["handed_over_on"] == TODAY.isoformat()
    assert done.json()["items"][0]["state"] == "handed_over"


def test_who_may_hand_over_page_and_api(
    org_tree,
    codes,  # noqa: F811
    members,  # noqa: F811
    make_user,
):
    """Every role, inside and outside the file's unit: the hand-over permission
    (``evrak.hand_over_files``: the archivist, the department head, the administrator) over the
    file's unit lists it, approves it, reads the list and its exports and completes it; the
    others get 403 (404 for a list of another unit)."""
    file = in_archive(org_tree["network"], codes["keep"], 2020).file
    decision = services.approve_disposal(
        user=None, kind="handover", year=2025, decision_date=TODAY,
        decision_number="L-0", members=members,
    )  # fmt: skip
    other = in_archive(org_tree["network"], codes["keep"], 2019).file
    failures = []
    for role, inside in role_cases():
        user = make_user(role, org_tree["network"] if inside else org_tree["roads"])
        where = f"{role} {'inside' if inside else 'outside'}"
        holds = ROLE_SPECS[role].matches(HAND_OVER)
        allowed = holds and inside
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        for name in ("evrak:handover_list", "evrak:handover_csv", "evrak:handover_pdf"):
            status = page.get(reverse(name, args=[decision.pk])).status_code
            if status != (200 if allowed else 404 if holds else 403):
                failures.append(f"{where}: {name} {status}")
        status = api.get(f"/api/v1/evrak/handover-lists/{decision.pk}/").status_code
        if status != (200 if allowed else 404 if holds else 403):
            failures.append(f"{where}: API list {status}")
        if holds:
            response = api.get("/api/v1/evrak/year-end/", {"year": 2025})
            ids = [row["id"] for row in response.json().get("handover", [])]
            if ids != ([other.pk] if inside else []):
                failures.append(f"{where}: API due {ids}")

        def approve_page(page=page):
            response = page.post(
                reverse("evrak:year_end"),
                {
                    "kind": "handover", "handover-kind": "handover", "handover-year": 2025,
                    "handover-files": [other.pk], "handover-decision_date": TODAY.isoformat(),
                    "handover-decision_number": "L-1",
                    "handover-members": [person.pk for person in members],
                },
            )  # fmt: skip
            return response, DocumentFile.objects.get(pk=other.pk).handover_list_id

        response, listed = rolled_back(approve_page)
        if bool(listed) != allowed or (not allowed and response.status_code != 403):
            failures.append(f"{where}: page approve {response.status_code}")

        def complete(api=api):
            response = api.post(
                f"/api/v1/evrak/handover-lists/{decision.pk}/handed-over/",
                {"handed_over_on": TODAY.isoformat()},
                format="json",
            )
            return response, DocumentFile.objects.get(pk=file.pk).state

        response, state = rolled_back(complete)
        if (state == ArchiveState.HANDED_OVER) != allowed or (
            not allowed and response.status_code not in (403, 404)
        ):
            failures.append(f"{where}: API complete {response.status_code}")
    assert not failures, "\n".join(failures)
