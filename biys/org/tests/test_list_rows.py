"""The people list renders its rows through ``PersonTable``'s ``cell_<column>`` methods: every
cell is the text django-tables2 renders for the ORM's instances (``select_related``), with and
without the selection column, in both languages, and the light rows (``read_rows``) ask the
database nothing."""

import re

import pytest
from django.db import connection
from django.template import Context
from django.template.base import render_value_in_context
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from biys.core.tables import render_rows
from biys.org.models import Person, Title, Unit
from biys.org.tables import PersonTable
from biys.org.views import PersonListView

pytestmark = pytest.mark.django_db


def slow_rows(table) -> list:
    """django-tables2's own cells (what ``core/table.html`` rendered per cell)."""
    context = Context(autoescape=True)
    return [
        [render_value_in_context(cell, context) for _column, cell in row.items()]
        for row in table.paginated_rows
    ]


def fast_rows(table) -> list:
    html = str(render_rows(table, Context(autoescape=True)))
    return [
        [cell.removesuffix("</td>") for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in html.split("<tr ")[1:]
    ]


@pytest.fixture
def people(org_tree):
    """People with every column filled (texts that need escaping) and with the optional ones
    empty (no title, sicil, e-mail or phone), in each status."""
    unit = Unit.objects.create(name="Fen & <İşler> Şefliği", kind="seflik", parent=org_tree["roads"])
    title = Title.objects.create(name="Mühendis <kıdemli> & şef")
    Person.objects.create(
        first_name="Ayşe <b>",
        last_name="Öztürk & Işık",
        sicil_no="12<3>",
        employment_type="memur",
        unit=unit,
        title=title,
        email="ayse&o@ornek.bel.tr",
        work_phone="0312 <1> & 2",
        status="active",
    )
    Person.objects.create(
        first_name="Oğuz",
        last_name="Çelik",
        employment_type="isci",
        unit=org_tree["network"],
        status="on_leave",
    )
    Person.objects.create(
        first_name="Şule",
        last_name="Yıldız",
        sicil_no="77",
        employment_type="hizmet_alimi",
        unit=org_tree["helpdesk"],
        status="left",
        email="sule@ornek.bel.tr",
    )
    Person.objects.filter(first_name="Şule").update(employment_type="")
    return Person.objects.select_related("unit", "title").order_by("pk")


@pytest.mark.parametrize("selectable", [False, True])
@pytest.mark.parametrize("language", ["tr", "en"])
def test_light_rows_render_the_cells_of_the_orm_rows(people, language, selectable):
    with translation.override(language):
        expected = slow_rows(PersonTable(people, selectable=selectable))
        assert fast_rows(PersonTable(people, selectable=selectable)) == expected
        rows = PersonListView().page_rows(people)
        with CaptureQueriesContext(connection) as queries:
            light = fast_rows(PersonTable(rows, selectable=selectable))
    assert len(expected) == 3
    assert len(expected[0]) == (9 if selectable else 8)
    assert light == expected
    assert queries.captured_queries == []
    joined = " ".join(" ".join(row) for row in light)
    assert "&lt;b&gt;" in joined and "&amp;" in joined  # the texts escaped
    assert "—" in joined  # the empty cells shown as the column's default
