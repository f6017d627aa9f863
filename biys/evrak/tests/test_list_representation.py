"""The incoming register's API list writes its rows by hand (``incoming_list_rows``): every row
is byte for byte what ``IncomingDocumentSerializer`` gives the same document (the same keys in
the same order), over every kind of row: masked Gizli and Çok Gizli rows, documents with ilgi
lines, a package and its parts, scans, named readers, a file, an SDP code, each sender kind,
empty and null fields, in both languages and two time zones; and the list answers the same
JSON in the same number of queries as DRF's own ``list`` with the serializer."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from biys.evrak import selectors
from biys.evrak.api.serializers import IncomingDocumentSerializer, incoming_list_rows
from biys.evrak.api.views import IncomingDocumentViewSet
from biys.evrak.choices import Channel, Confidentiality, SenderKind, Urgency
from biys.evrak.models import DocumentFile, DocumentReference, IncomingPackage
from biys.evrak.tests.factories import make_document, make_scan_text, make_sdp_code

pytestmark = pytest.mark.django_db

SECRET = "Soruşturma <gizli> & özel"


@pytest.fixture
def register(org_tree, make_user):
    network, helpdesk, software = org_tree["network"], org_tree["helpdesk"], org_tree["software"]
    named = make_user("requester", software)
    clerk = make_user("evrak_clerk", org_tree["dept"])
    sdp = make_sdp_code(network)
    folder = DocumentFile.objects.create(unit=network, sdp_code=sdp, year=2026)
    late = datetime(2026, 11, 2, 23, 30, 15, 123456, tzinfo=ZoneInfo("UTC"))
    levels = [value for value, _label in Confidentiality.choices]
    senders = [
        {"sender_kind": SenderKind.INSTITUTION, "sender_detsis_no": "24312041"},
        {"sender_kind": SenderKind.COMPANY, "sender_vkn": "1234567890", "sender_mersis_no": ""},
        {"sender_kind": SenderKind.PERSON, "sender_tc_kimlik_no": "10000000146",
         "sender_detsis_no": ""},
    ]  # fmt: skip
    documents = []
    for n, level in enumerate(levels * 3):
        documents.append(
            make_document(
                network if n % 2 else helpdesk,
                registered_at=late - timedelta(hours=7 * n, minutes=n),
                confidentiality=level,
                urgency=list(Urgency)[n % 3],
                channel=list(Channel)[n % 4],
                subject=SECRET if level in ("GZL", "CGZ") else f"Konu <{n}> & ek",
                sender_name="" if n == 3 else f"Kurum {n} <A.Ş.>",
                sender_number="" if n == 4 else f"E-{n}-702.03",
                sender_date=None if n % 5 == 0 else date(2026, 10, 1 + n),
                due_date=None if n % 3 == 0 else date(2026, 11, 10 + n),
                notes="" if n % 2 else f"Not {n}\nikinci satır",
                belge_id="" if n % 4 else f"0b1c2d3e-0000-4000-8000-{n:012d}",
                sdp_code=sdp if n % 3 == 1 else None,
                file=folder if n % 4 == 1 else None,
                registered_by=clerk if n % 2 == 0 else None,
                named_readers=[named] if n % 3 == 0 else (),
                **senders[n % 3],
            )
        )
    documents.append(make_document(software, subject="", sender_name="", sender_number=""))
    # every kind of line on ordinary and confidential documents alike
    for document in (documents[0], documents[2], documents[3]):
        DocumentReference.objects.create(document=document, label="b", text="E-1 sayılı yazı")
        DocumentReference.objects.create(document=document, label="a", related=documents[1])
        package = IncomingPackage.objects.create(
            document=document, file=ContentFile(b"eyp", name="paket.eyp"),
            filename="paket <1>.eyp", size=3, sha256="0" * 64, version="2.0",
            checks=["schema", {"digest": True}],
            checked_at=late - timedelta(days=1),
        )  # fmt: skip
        package.parts.create(name="UstYazi.pdf", role="ustyazi", size=2**40, sha256="1" * 64)
        package.parts.create(name="NihaiOzet.xml", role="", size=1, sha256="2" * 64)
        make_scan_text(network, document=document, finished_at=late)
        make_scan_text(network, document=document, status="failed", error="okunamadı <x>")
        document.named_readers.add(clerk)
    # the reader reads documents[3] (Gizli, with every line) masked, the clerk named on it not
    return {"reader": make_user("evrak_reader", org_tree["dept"]), "clerk": clerk}


def _rows(user, plain=False):
    """The page as the view set reads it: lines as plain rows (``list``) or prefetched."""
    viewset = IncomingDocumentViewSet()
    viewset.plain_lines = plain
    queryset = IncomingDocumentViewSet.queryset.select_related(None).select_related("package")
    queryset = selectors.register_rows(queryset, user)
    return viewset.page_rows(queryset.order_by("-registered_at", "-pk")[:50])


@pytest.mark.parametrize("zone", ["Europe/Istanbul", "UTC"])
@pytest.mark.parametrize("language", ["tr", "en"])
@pytest.mark.parametrize("who", ["reader", "clerk"])
def test_each_row_is_the_serializers(register, who, language, zone):
    user = register[who]
    with translation.override(language), timezone.override(zone):
        expected = IncomingDocumentSerializer(_rows(user), many=True).data
        prefetched = incoming_list_rows(_rows(user))
        rows = _rows(user, plain=True)
        with CaptureQueriesContext(connection) as queries:
            written = incoming_list_rows(rows)
    assert queries.captured_queries == []  # everything read from the page and its lines
    assert JSONRenderer().render(written) == JSONRenderer().render(expected)
    assert JSONRenderer().render(prefetched) == JSONRenderer().render(expected)
    assert [list(row) for row in written] == [list(row) for row in expected]  # key order
    assert len(written) == 16
    assert any(row["masked"] for row in written) and not all(r["masked"] for r in written)
    masked = [row for row in written if row["masked"]]
    assert all(row["references"] == [] and row["package"] is None for row in masked)
    secret = [row for row in written if row["confidentiality"] == "GZL" and row["scans"]]
    assert bool(secret) == (who == "clerk")  # Gizli with its lines, to the clerk named on it
    assert (SECRET in str(written)) == (who == "clerk")
    kinds = {
        "references": any(row["references"] for row in written),
        "package": any(row["package"] and row["package"]["parts"] for row in written),
        "scans": any(row["scans"] for row in written),
        "named_readers": any(row["named_readers"] for row in written),
        "file": any(row["file"] for row in written),
        "sdp_code": any(row["sdp_code"] for row in written),
        "null dates": any(row["sender_date"] is None for row in written),
    }
    assert all(kinds.values()), kinds


@pytest.mark.parametrize("who", ["reader", "clerk"])
def test_the_list_answers_as_the_serializer_in_as_many_queries(register, org_tree, who,
                                                               monkeypatch):  # fmt: skip
    api = APIClient()
    api.force_authenticate(register[who])
    urls = ["/api/v1/evrak/incoming/", "/api/v1/evrak/incoming/?per_page=3",
            "/api/v1/evrak/incoming/?q=Konu", "/api/v1/evrak/incoming/?ordering=due_date",
            f"/api/v1/evrak/incoming/?unit={org_tree['network'].pk}"]  # fmt: skip

    def answers():
        found = []
        for url in urls:
            api.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = api.get(url)
            assert response.status_code == 200, (url, response.status_code)
            found.append((response.content, len(queries)))
        return found

    written = answers()
    monkeypatch.delattr(IncomingDocumentViewSet, "list")  # DRF's list and the serializer
    assert written == answers()
    assert any(b'"masked":true' in body for body, _count in written)
