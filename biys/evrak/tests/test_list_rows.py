"""The incoming register renders its rows through ``IncomingDocumentTable``'s ``cell_<column>``
methods (``biys.core.tables.render_rows``): every cell is the text django-tables2 renders for
the same rows, masked rows included ("Gizli", nothing of the sender), in both languages and
two time zones; the page's rows are read in one query and their cells ask the database
nothing more."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from biys.core.testing import fast_rows, page_rows_answers, slow_rows
from biys.evrak import selectors
from biys.evrak.choices import Channel, Confidentiality, Urgency
from biys.evrak.tables import IncomingDocumentTable
from biys.evrak.tests.factories import make_document
from biys.evrak.views import IncomingDocumentListView

pytestmark = pytest.mark.django_db

SECRET_SUBJECT = "Soruşturma <gizli> & özel"


@pytest.fixture
def documents(org_tree, make_user):
    network, software = org_tree["network"], org_tree["software"]
    named = make_user("requester", software)
    late = datetime(2026, 11, 2, 23, 30, tzinfo=ZoneInfo("UTC"))  # another day in Istanbul
    levels = [value for value, _label in Confidentiality.choices]
    for n, level in enumerate(levels * 2):
        make_document(
            network if n % 2 else org_tree["helpdesk"],
            registered_at=late - timedelta(hours=7 * n),
            confidentiality=level,
            urgency=list(Urgency)[n % 3],
            channel=list(Channel)[n % 4],
            subject=SECRET_SUBJECT if level in ("GZL", "CGZ") else f"Konu <{n}> & ek",
            sender_name="" if n == 3 else f"Kurum {n} <A.Ş.>",
            sender_number="" if n == 4 else f"E-{n}-702.03",
            sender_date=None if n == 5 else date(2026, 10, 1 + n),
            due_date=None if n % 3 == 0 else date(2026, 11, 10 + n),
            named_readers=[named] if n == 3 else (),
        )
    make_document(software, subject="", sender_name="", sender_number="")
    return {"reader": make_user("evrak_reader", org_tree["dept"]), "named": named}


@pytest.mark.parametrize("zone", ["Europe/Istanbul", "UTC"])
@pytest.mark.parametrize("language", ["tr", "en"])
def test_register_cells_are_the_cells_django_tables2_renders(documents, language, zone):
    user = documents["reader"]
    view = IncomingDocumentListView()
    queryset = selectors.register_rows(view.queryset.all(), user).order_by("-registered_at", "-pk")
    table_class = IncomingDocumentTable
    with translation.override(language), timezone.override(zone):
        # django-tables2's generic rendering, without the table's cell_<column> methods
        generic = type("GenericIncomingTable", (table_class,), {
            name: None for name in dir(table_class) if name.startswith("cell_")
        })  # fmt: skip
        expected = slow_rows(generic(queryset))
        assert fast_rows(generic(queryset)) == expected
        assert fast_rows(table_class(queryset)) == expected
        with CaptureQueriesContext(connection) as queries:
            rows = view.page_rows(queryset.all()[:50])
        assert len(queries) == 1
        with CaptureQueriesContext(connection) as queries:
            light = fast_rows(table_class(rows))
    assert light == expected
    assert queries.captured_queries == []
    assert len(expected) == 11
    joined = " ".join(" ".join(row) for row in light)
    assert any(row.masked for row in rows) and not all(row.masked for row in rows)
    assert "Gizli" in joined and "gizli" not in joined  # the masked subjects never shown
    assert "&lt;" in joined and "&amp;" in joined  # the texts escaped
    assert "—" in joined  # the columns' default for the empty ones


def test_the_named_reader_sees_the_subject(documents):
    queryset = selectors.register_rows(
        IncomingDocumentListView.queryset.all(), documents["named"]
    ).order_by("-registered_at", "-pk")
    html = " ".join(" ".join(row) for row in fast_rows(IncomingDocumentTable(queryset)))
    assert "Soruşturma &lt;gizli&gt; &amp; özel" in html


def test_the_api_list_answers_as_with_django_prefetch(documents, org_tree, make_user, monkeypatch):
    """The API list reads its page in one query and its lines (named readers, ilgi, package
    parts, scans) as ``prefetch_related`` did, without a queryset per row: the same answer in
    the same number of queries, masked rows included."""
    from django.core.files.base import ContentFile
    from rest_framework.test import APIClient

    from biys.evrak.api.views import IncomingDocumentViewSet
    from biys.evrak.models import DocumentReference, IncomingDocument, IncomingPackage
    from biys.evrak.tests.factories import make_scan_text

    network = org_tree["network"]
    first, second, *_rest = IncomingDocument.objects.order_by("pk")
    DocumentReference.objects.create(document=first, label="a", related=second)
    DocumentReference.objects.create(document=first, label="b", text="E-1 sayılı yazı")
    package = IncomingPackage.objects.create(
        document=second, file=ContentFile(b"eyp", name="paket.eyp"), filename="paket.eyp",
        size=3, sha256="0" * 64, version="2.0",
    )  # fmt: skip
    package.parts.create(name="UstYazi.pdf", role="ustyazi", size=1, sha256="1" * 64)
    package.parts.create(name="NihaiOzet.xml", role="ozet", size=1, sha256="2" * 64)
    make_scan_text(network, document=first)
    second.named_readers.add(documents["reader"], documents["named"])
    reader = documents["reader"]
    api = APIClient()
    api.force_authenticate(reader)
    urls = ["/api/v1/evrak/incoming/", "/api/v1/evrak/incoming/?per_page=3",
            "/api/v1/evrak/incoming/?q=Konu", f"/api/v1/evrak/incoming/?unit={network.pk}"]  # fmt: skip

    light = page_rows_answers(api, urls, IncomingDocumentViewSet, monkeypatch)
    results = light[0]["results"]
    assert any(row["masked"] for row in results) and not all(row["masked"] for row in results)
    rows = {row["id"]: row for row in results}
    assert len(rows[first.pk]["references"]) == 2 and len(rows[first.pk]["scans"]) == 1
    assert len(rows[second.pk]["package"]["parts"]) == 2
    assert sorted(rows[second.pk]["named_readers"]) == sorted([reader.pk, documents["named"].pk])


@pytest.mark.parametrize("zone", ["Europe/Istanbul", "UTC"])
@pytest.mark.parametrize("language", ["tr", "en"])
def test_outgoing_cells_are_the_cells_django_tables2_renders(org_tree, make_user, language, zone):
    from biys.evrak.outgoing_views import OutgoingDocumentListView
    from biys.evrak.tables import OutgoingDocumentTable
    from biys.evrak.tests.factories import make_outgoing

    network, helpdesk = org_tree["network"], org_tree["helpdesk"]
    writer = make_user("evrak_writer", network, first_name="Ayşe <b>", last_name="Yılmaz")
    signed = datetime(2026, 11, 2, 23, 30, tzinfo=ZoneInfo("UTC"))
    levels = [value for value, _label in Confidentiality.choices]
    for n, level in enumerate(levels * 2):
        make_outgoing(
            network if n % 2 else helpdesk,
            confidentiality=level,
            urgency=list(Urgency)[n % 3],
            subject="" if n == 7 else f"Cevap <{n}> & ek",
            number="" if n % 4 == 0 else f"E-{n}-702.03",
            signer=writer if n % 3 else None,
            signed_at=signed - timedelta(hours=5 * n) if n % 2 else None,
            created_by=writer if n == 3 else None,
        )
    manager = make_user("department_head", org_tree["dept"])
    view = OutgoingDocumentListView()
    queryset = selectors.register_rows(view.queryset.all(), manager).order_by("-pk")
    table_class = OutgoingDocumentTable
    with translation.override(language), timezone.override(zone):
        generic = type("GenericOutgoingTable", (table_class,), {
            name: None for name in dir(table_class) if name.startswith("cell_")
        })  # fmt: skip
        expected = slow_rows(generic(queryset))
        assert fast_rows(generic(queryset)) == expected
        rows = view.page_rows(queryset.all()[:50])
        with CaptureQueriesContext(connection) as queries:
            light = fast_rows(table_class(rows))
    assert light == expected
    assert queries.captured_queries == []
    assert len(expected) == 10
    assert any(row.masked for row in rows) and not all(row.masked for row in rows)
    joined = " ".join(" ".join(row) for row in light)
    assert "Gizli" in joined and "&lt;" in joined and "—" in joined
