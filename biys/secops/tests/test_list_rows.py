"""The findings list reads its page as plain rows (``read_rows``) and renders them through
``FindingTable``'s ``cell_<column>`` methods: every cell is the text django-tables2 rendered
for the ORM's instances (``select_related``), in both languages and two time zones, and the
light rows' cells ask the database nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from biys.core.testing import fast_rows, slow_rows
from biys.secops.choices import Format, Severity, State
from biys.secops.tests.factories import make_finding
from biys.secops.views import FindingListView

pytestmark = pytest.mark.django_db


@pytest.fixture
def findings(org_tree):
    """Every severity and state; empty and filled variants of each column; texts to escape."""
    now = timezone.now().replace(hour=23, minute=30)  # another day in another time zone
    today = timezone.localdate()
    network, software = org_tree["network"], org_tree["software"]
    for n, (severity, state) in enumerate(zip(Severity, [*State, State.OPEN], strict=False)):
        make_finding(
            network if n % 2 else software,
            severity=severity,
            state=state,
            title=f"Açık <{n}> & eski",
            host=f"10.0.0.{n}",
            hostname="web<01>.local" if n % 2 else "",
            cves=" ".join(f"CVE-2024-{1000 + i}" for i in range(n)),
            cvss_score=Decimal("7.50") if n == 1 else (Decimal("9.8") if n else None),
            port=None if n == 2 else 443 + n,
            scanner=list(Format)[n % 4],
            due_date=None if n == 3 else today + timedelta(days=n - 2),
            last_seen=now - timedelta(days=n),
        )
    make_finding(network, title="", host="", cves="", scanner="pentest", due_date=None,
                 cvss_score=None)  # fmt: skip
    make_finding(software, host="db01", hostname="db01")  # the host name shown once


@pytest.mark.parametrize("zone", ["Europe/Istanbul", "UTC"])
@pytest.mark.parametrize("language", ["tr", "en"])
def test_light_rows_render_the_cells_of_the_orm_rows(findings, language, zone):
    view = FindingListView()
    queryset = FindingListView.queryset.order_by("-severity", "-pk")
    with translation.override(language), timezone.override(zone):
        table_class = view.get_table_class() if hasattr(view, "get_table_class") else None
        table_class = table_class or FindingListView.table_class
        orm = table_class(queryset)
        # django-tables2's generic rendering, without the table's cell_<column> methods
        generic = type("GenericFindingTable", (table_class,), {
            name: None for name in dir(table_class) if name.startswith("cell_")
        })  # fmt: skip
        expected = slow_rows(generic(queryset))
        assert fast_rows(generic(queryset)) == expected
        assert fast_rows(orm) == expected
        rows = view.page_rows(queryset)
        with CaptureQueriesContext(connection) as queries:
            light = fast_rows(table_class(rows))
    assert len(expected) == 7
    assert light == expected
    assert queries.captured_queries == []
    joined = " ".join(" ".join(row) for row in light)
    assert "&lt;" in joined and "&amp;" in joined  # the texts escaped
    assert "—" in joined  # the columns' default for the empty ones
