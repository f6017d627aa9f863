"""The people list renders its rows through ``PersonTable``'s ``cell_<column>`` methods: every
cell is the text django-tables2 renders for the ORM's instances (``select_related``), with and
without the selection column, in both languages, and the light rows (``read_rows``) ask the
database nothing. The API's people list reads its page the same way (``page_rows``) and
answers what it answered from the ORM's instances."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from biys.core.testing import fast_rows, page_rows_answers, slow_rows
from biys.org.api.views import PersonViewSet
from biys.org.models import Person, Title, Unit
from biys.org.tables import PersonTable
from biys.org.tests.factories import tc_kimlik_no
from biys.org.views import PersonListView

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org_tree):
    """People with every column filled (texts that need escaping) and with the optional ones
    empty (no title, sicil, e-mail or phone); one status no longer among the choices."""
    unit = Unit.objects.create(
        name="Fen & <İşler> Şefliği", kind="seflik", parent=org_tree["roads"]
    )
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
        mobile_phone="0532 000 00 00",
        address="Atatürk Cad. 1",
        tc_kimlik_no=tc_kimlik_no(7),
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
    # a value no longer among the choices is shown as it is, escaped
    Person.objects.filter(first_name="Oğuz").update(status="eski<&>")
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


def test_the_api_list_reads_light_rows_and_answers_as_from_the_orm(people, admin_user, monkeypatch):
    api = APIClient()
    api.force_authenticate(admin_user)
    urls = ["/api/v1/org/people/", "/api/v1/org/people/?q=ozturk", "/api/v1/org/people/?per_page=2"]

    light = page_rows_answers(api, urls, PersonViewSet, monkeypatch)
    results = light[0]["results"]
    assert len(results) >= 3 and light[1]["results"][0]["last_name"] == "Öztürk & Işık"
    assert any(row["tc_kimlik_no_masked"] for row in results)
    assert all("mobile_phone" not in row and "address" not in row for row in results)
    assert {row["title_display"] for row in results} >= {None, "Mühendis <kıdemli> & şef"}
