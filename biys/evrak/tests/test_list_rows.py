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

from biys.core.testing import fast_rows, slow_rows
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
            rows = view.page_rows(queryset[:50])
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
