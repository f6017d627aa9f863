"""The BGYS lists read their page as plain rows (``read_rows``) and render them through their
tables' ``cell_<column>`` methods: every cell is the text django-tables2 renders for the
ORM's instances (``select_related``), in both languages, and the light rows' cells ask the
database nothing."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from biys.bgys.audit_models import CorrectiveAction, CorrectiveState, Finding
from biys.bgys.audit_views import AuditListView, CorrectiveActionListView, FindingListView
from biys.bgys.models import ApplicabilityEntry, AuditPlan, InformationAsset
from biys.bgys.tests.factories import (
    _person,
    make_assessment,
    make_audit,
    make_entry,
    make_finding,
    make_information_asset,
)
from biys.bgys.views import ApplicabilityEntryListView, InformationAssetListView
from biys.core.testing import fast_rows, slow_rows

pytestmark = pytest.mark.django_db

VIEWS = [
    InformationAssetListView,
    ApplicabilityEntryListView,
    AuditListView,
    FindingListView,
    CorrectiveActionListView,
]


@pytest.fixture
def lists(org_tree):
    """Rows of each list with their empty and filled variants (no owner, no asset group, an
    entry not assessed, a finding without a unit, an overdue DÖF and a closed one)."""
    unit = org_tree["network"]
    owner = _person(unit)
    assessment = make_assessment(unit)
    group = assessment.asset_group
    make_information_asset(unit, name="Kent <rehberi> & arşiv", owner=owner, asset_group=group)
    make_information_asset(unit, kind="location", confidentiality=1, availability=5)
    measures = list(assessment.framework.measures.order_by("position"))
    make_entry(unit, assessment=assessment, measure=measures[0], state="fully", owner=owner)
    make_entry(unit, assessment=assessment, measure=measures[1], state="")
    make_entry(unit, assessment=None, measure=measures[2], applicable=False, state="none",
               reason="Kapsam dışı <sunucu>")  # fmt: skip
    plan = AuditPlan.objects.create(unit=unit, year=2026, title="Yıllık plan")
    audit = make_audit(unit, plan=plan, lead_auditor=owner, title="Ağ & sistemler")
    make_audit(unit, planned_start=datetime.date(2025, 11, 3), state="planned")
    item = audit.items.first()
    finding = make_finding(unit, checklist_item=item, kind="major", description="Eksik <b>")
    Finding.objects.filter(pk=finding.pk).update(unit=unit)
    make_finding(unit, checklist_item=item, kind="observation", number=2)
    closed = make_finding(unit, checklist_item=audit.items.last(), kind="minor", number=3)
    CorrectiveAction.objects.filter(finding=closed).update(
        state=CorrectiveState.CLOSED, owner=owner, due_date=datetime.date(2020, 1, 2)
    )
    CorrectiveAction.objects.exclude(finding=closed).update(due_date=datetime.date(2020, 1, 3))
    return unit


@pytest.mark.parametrize("language", ["tr", "en"])
@pytest.mark.parametrize("view_class", VIEWS, ids=lambda view: view.__name__)
def test_light_rows_render_the_cells_of_the_orm_rows(lists, view_class, language):
    view = view_class()
    queryset = view_class.queryset.order_by("pk")
    with translation.override(language):
        orm = view.table_class(queryset)
        expected = slow_rows(orm)
        assert fast_rows(view.table_class(queryset)) == expected
        rows = view.page_rows(queryset)
        with CaptureQueriesContext(connection) as queries:
            light = fast_rows(view.table_class(rows))
    assert len(expected) >= 2
    assert light == expected
    assert queries.captured_queries == []
    joined = " ".join(" ".join(row) for row in light)
    assert "&lt;" in joined or "&amp;" in joined  # the texts escaped


def _walk(client, url, sort) -> list[str]:
    """The first cell of every row, page by page (one row a page) through the next links."""
    seen, params = [], {"per_page": 1, "sort": sort}
    for _page in range(20):
        response = client.get(url, params)
        assert response.status_code == 200
        assert b"data-keyset-pager" in response.content or not seen
        body = re.search(rb"<tbody[^>]*>(.*?)</tbody>", response.content, re.S).group(1)
        seen += re.findall(r"<tr[^>]*>\s*<td[^>]*>(.*?)</td>", body.decode(), re.S)
        cursor = re.search(rb'href="\?[^"]*cursor=([^"&]+)[^"]*" rel="next"', response.content)
        if cursor is None:
            return seen
        params["cursor"] = cursor.group(1).decode()
    raise AssertionError("no last page")


def test_the_lists_page_by_cursor_in_the_order_their_tables_offer(client, manager, lists):
    """Sorting by a column is kept from page to page: by the column's values in the cursor, or
    by an offset for an order through a relation (the SoA's unit and measure, a finding's
    audit)."""
    client.force_login(manager)
    assets = _walk(client, "/bgys/assets/", "-kind")
    expected = InformationAsset.objects.order_by("-kind", "-pk").values_list("name", flat=True)
    assert [re.sub(r"<[^>]+>", "", cell) for cell in assets] == [
        name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for name in expected
    ]
    entries = _walk(client, "/bgys/soa/", "measure")
    assert len(entries) == ApplicabilityEntry.objects.count() == 3
    assert [re.sub(r"<[^>]+>", "", cell) for cell in entries] == [
        "3.1.1.1", "3.1.1.2", "3.1.1.3"
    ]  # fmt: skip
    findings = _walk(client, "/bgys/findings/", "number")
    assert [re.sub(r"<[^>]+>", "", cell) for cell in findings] == ["1", "2", "3"]
    actions = _walk(client, "/bgys/corrective-actions/", "-due_date")
    ordered = CorrectiveAction.objects.order_by("-due_date", "-pk").values_list("pk", flat=True)
    assert [re.sub(r"\D", "", re.sub(r"<[^>]+>", "", cell)) for cell in actions] == [
        str(pk) for pk in ordered
    ]
