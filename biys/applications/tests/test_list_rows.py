"""The application list renders its rows through ``core.tables.render_rows``: the same cells as
django-tables2's own rendering, with the date columns formatted without compiling their
one-line template for every cell, and the choice labels in the page's language."""

from datetime import date

import pytest
from django.template import Context
from django.utils import translation

from biys.applications.models import Application
from biys.applications.tables import ApplicationTable
from biys.applications.tests.factories import make_application
from biys.calendar.selectors import get_calendar
from biys.core.tables import BiysTable, render_rows
from biys.core.testing import fast_rows, slow_rows

pytestmark = pytest.mark.django_db


class DatesTable(BiysTable):
    class Meta(BiysTable.Meta):
        model = Application
        fields = ("number", "created", "received_on", "answered_on", "state", "channel")


@pytest.mark.parametrize("language", ["tr", "en"])
@pytest.mark.parametrize("table_class", [DatesTable, ApplicationTable])
def test_fast_rows_are_the_cells_django_tables2_renders(org_tree, table_class, language):
    unit = org_tree["network"]
    make_application(unit, received_on=date(2026, 5, 22), answered_on=date(2026, 6, 16),
                     state="answered", channel="web")  # fmt: skip
    make_application(unit, received_on=date(2026, 11, 2))
    queryset = Application.objects.select_related("type", "responsible_unit").order_by("id")
    options = {"calendar": get_calendar(), "today": date(2026, 11, 12)}
    with translation.override(language):
        table = table_class(queryset, **(options if table_class is ApplicationTable else {}))
        fast, slow = fast_rows(table), slow_rows(table)
    assert len(fast) == 2
    assert fast == slow
    joined = " ".join(" ".join(row) for row in fast)
    assert "2026" in joined
    if table_class is DatesTable:
        assert "—" in joined  # the empty answered_on shows the column's default
        label = "Herkese açık başvuru formu" if language == "tr" else "Public web form"
        assert label in joined


def test_date_cells_compile_no_template(org_tree, monkeypatch):
    from django.template import base

    make_application(org_tree["network"], answered_on=date(2026, 11, 3), state="answered")
    table = DatesTable(Application.objects.order_by("id"))
    compiled = []
    original = base.Template.__init__

    def counting(self, *args, **kwargs):
        compiled.append(args[:1])
        original(self, *args, **kwargs)

    monkeypatch.setattr(base.Template, "__init__", counting)
    html = str(render_rows(table, Context(autoescape=True)))
    assert "03.11.2026" in html or "03 Kas 2026" in html or "Nov. 3, 2026" in html
    assert compiled == []
