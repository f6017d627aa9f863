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
from biys.applications.views import application_rows
from biys.calendar.selectors import get_calendar
from biys.core.tables import BiysTable, render_rows
from biys.core.testing import fast_rows, page_rows_answers, slow_rows

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
    # every clock: late, due today, soon, answered late; texts to escape, an empty name
    make_application(unit, due_date=date(2026, 11, 6), subject="<b>Ruhsat</b> & imar")
    make_application(unit, due_date=date(2026, 11, 12), applicant_name="")
    make_application(unit, due_date=date(2026, 11, 13), applicant_name="O'Brien <x>")
    make_application(unit, due_date=date(2026, 11, 13), state="answered",
                     answered_on=date(2026, 11, 20), channel="cimer")  # fmt: skip
    queryset = Application.objects.select_related("type", "responsible_unit").order_by("id")
    options = {"calendar": get_calendar(), "today": date(2026, 11, 12)}
    with translation.override(language):
        table = table_class(queryset, **(options if table_class is ApplicationTable else {}))
        fast, slow = fast_rows(table), slow_rows(table)
    assert len(fast) == 6
    assert fast == slow
    if table_class is ApplicationTable:
        # the list's own rows: read as plain rows, rendered from the record
        rows = application_rows(queryset)
        table = table_class(rows, **options)
        with translation.override(language):
            assert fast_rows(table) == slow
        html = " ".join(" ".join(row) for row in slow)
        assert "&lt;b&gt;Ruhsat&lt;/b&gt; &amp; imar" in html
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


def test_the_api_list_reads_light_rows_and_answers_as_from_the_orm(
    org_tree, admin_user, monkeypatch
):
    from rest_framework.test import APIClient

    from biys.applications.api.views import ApplicationViewSet

    unit = org_tree["network"]
    make_application(unit, subject="<b>Ruhsat</b> & imar", email="a@example.org",
                     address="Çarşı Mah.")  # fmt: skip
    make_application(unit, state="answered", answered_on=date(2026, 11, 30))
    make_application(unit, applicant_name="", due_date=date(2026, 12, 7))
    api = APIClient()
    api.force_authenticate(admin_user)
    urls = ["/api/v1/applications/applications/", "/api/v1/applications/applications/?state=open",
            "/api/v1/applications/applications/?per_page=2"]  # fmt: skip

    light = page_rows_answers(api, urls, ApplicationViewSet, monkeypatch)
    results = light[0]["results"]
    assert len(results) == 3
    assert {row["subject"] for row in results} >= {"<b>Ruhsat</b> & imar"}
    assert all(row["tc_kimlik_no_masked"] for row in results)
    assert all("email" not in row and "address" not in row for row in results)
