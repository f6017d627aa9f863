"""The generic list, detail, edit, delete and bulk-edit views, through the organisation's pages."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from biys.core.context import change_context
from biys.core.models import ObjectChange
from biys.core.text import fold, sort_key
from biys.core.views.generic import registered_model_views
from biys.org.models import Person, Unit

pytestmark = pytest.mark.django_db


def make_people(unit, count, *, prefix="Kişi", start=0, **extra):
    people = [
        Person(
            first_name=f"{prefix}{index:03d}",
            last_name="Yılmaz",
            employment_type="memur",
            unit=unit,
            sort_name=sort_key(f"Yılmaz {prefix}{index:03d}", 200),
            search_text=fold(f"{prefix}{index:03d} Yılmaz"),
            **extra,
        )
        for index in range(start, start + count)
    ]
    return Person.objects.bulk_create(people)


@pytest.fixture
def chief(make_user, org_tree):
    return make_user("chief", org_tree["network"])


@pytest.fixture
def department_head(make_user, org_tree):
    return make_user("department_head", org_tree["dept"])


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# --------------------------------------------------------------------------- list


def test_list_filters_sorts_and_paginates(client_for, admin_user, org_tree):
    make_people(org_tree["network"], 30, prefix="Ağ")
    make_people(org_tree["roads"], 5, prefix="Yol")
    client = client_for(admin_user)
    url = reverse("org:person_list")

    response = client.get(url, {"unit": org_tree["roads"].pk})
    assert response.status_code == 200
    names = [row.record.first_name for row in response.context["table"].paginated_rows]
    assert names == [f"Yol{i:03d}" for i in range(5)]

    response = client.get(url, {"unit": org_tree["network"].pk, "per_page": 25, "sort": "-name"})
    keyset = response.context["keyset"]  # people page by cursor (biys/core/pagination.py)
    assert keyset["count"].value == 30 and keyset["count"].exact
    assert keyset["rows"] == 25
    assert response.context["table"].paginated_rows[0].record.first_name == "Ağ029"

    cursor = keyset["window"].next_cursor
    response = client.get(
        url, {"unit": org_tree["network"].pk, "per_page": 25, "sort": "-name", "cursor": cursor}
    )
    assert response.context["keyset"]["rows"] == 5
    assert response.context["table"].paginated_rows[4].record.first_name == "Ağ000"


def test_quick_search_is_turkish_aware(client_for, admin_user, org_tree):
    make_people(org_tree["network"], 3, prefix="Işıl")
    make_people(org_tree["network"], 2, prefix="Ali")
    response = client_for(admin_user).get(reverse("org:person_list"), {"q": "IŞIL"})
    assert response.context["keyset"]["count"].value == 3


def test_csv_export_has_every_filtered_row(client_for, admin_user, org_tree):
    make_people(org_tree["network"], 60, prefix="Ağ")
    make_people(org_tree["roads"], 4, prefix="Yol")
    response = client_for(admin_user).get(
        reverse("org:person_list"),
        {"unit": org_tree["network"].pk, "export": "csv", "per_page": 25},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == 1 + 60  # header and all pages, nothing from another unit
    assert "pk" not in rows[0]  # the selection column is not exported
    assert any("Ağ000 Yılmaz" in cell for cell in rows[1])
    assert not any("Yol" in cell for row in rows for cell in row)


def test_xlsx_export(client_for, admin_user, org_tree):
    make_people(org_tree["helpdesk"], 3, prefix="Destek")
    response = client_for(admin_user).get(
        reverse("org:person_list"), {"unit": org_tree["helpdesk"].pk, "export": "xlsx"}
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 4
    assert rows[1][0] == "Destek000 Yılmaz"
    assert org_tree["helpdesk"].name in rows[1]


def test_export_neutralises_spreadsheet_formulas(client_for, admin_user, org_tree):
    Person.objects.create(
        first_name="=HYPERLINK(1)", last_name="X", employment_type="memur", unit=org_tree["roads"]
    )
    response = client_for(admin_user).get(reverse("org:person_list"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1) X" in content


def test_htmx_request_renders_only_the_table(client_for, admin_user, org_tree):
    make_people(org_tree["network"], 3)
    client = client_for(admin_user)
    url = reverse("org:person_list")
    partial = client.get(
        url, {"sort": "name"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="object-list"
    )
    assert partial.status_code == 200
    html = partial.content.decode()
    assert 'id="object-list"' in html
    assert "<html" not in html and "filter-form" not in html
    full = client.get(url)
    assert "<html" in full.content.decode()
    assert "HX-Request" in partial["Vary"]


def test_list_query_count_does_not_grow_with_rows(client_for, admin_user, org_tree):
    client = client_for(admin_user)
    url = reverse("org:person_list")
    make_people(org_tree["network"], 3)
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_people(org_tree["network"], 40, prefix="Çok")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_list_shows_only_the_users_units_for_restricted_models(client_for, make_user, org_tree):
    with change_context(user_name="test"):
        Unit.objects.create(name="Gizli Birim", kind="birim", parent=org_tree["roads"])
    technician = make_user("technician", org_tree["helpdesk"])
    response = client_for(technician).get(reverse("core:changelog"))
    # technicians hold no core.view_objectchange: nothing, rather than everything
    assert response.status_code == 200
    assert response.context["table"].paginator.count == 0


# --------------------------------------------------------------------------- detail


def test_detail_history_tab_shows_a_change(client_for, admin_user, org_tree):
    client = client_for(admin_user)
    person = Person.objects.create(
        first_name="Ayşe", last_name="Kaya", employment_type="memur", unit=org_tree["network"]
    )
    with change_context(user=admin_user):
        person.work_phone = "0312 555 00 00"
        person.save()
    response = client.get(person.get_absolute_url(), {"tab": "history"})
    assert response.status_code == 200
    assert response.context["active_tab"].name == "history"
    html = response.content.decode()
    assert "0312 555 00 00" in html
    assert admin_user.username in html
    partial = client.get(
        person.get_absolute_url(),
        {"tab": "history"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="object-tab",
    )
    assert "<html" not in partial.content.decode()
    assert "0312 555 00 00" in partial.content.decode()


def test_detail_tabs_link_attachments_and_comments(client_for, admin_user, org_tree):
    response = client_for(admin_user).get(org_tree["network"].get_absolute_url())
    names = [tab.name for tab in response.context["tabs"]]
    assert names[:4] == ["details", "duties", "people", "units"]
    assert "history" in names
    for name in ("attachments", "comments"):
        tab = next(tab for tab in response.context["tabs"] if tab.name == name)
        assert tab.url.startswith(f"/{name}/for/")


def test_history_tab_hidden_without_change_log_permission(client_for, make_user, org_tree):
    technician = make_user("technician", org_tree["network"])
    response = client_for(technician).get(org_tree["network"].get_absolute_url())
    assert "history" not in [tab.name for tab in response.context["tabs"]]


def test_detail_and_edit_of_another_units_object_is_404(client_for, make_user, org_tree):
    outsider = make_user("chief", org_tree["roads"])
    person = Person.objects.create(
        first_name="Veli", last_name="Demir", employment_type="memur", unit=org_tree["network"]
    )
    client = client_for(outsider)
    assert client.get(reverse("org:person_edit", args=[person.pk])).status_code == 404
    assert client.post(reverse("org:person_edit", args=[person.pk]), {}).status_code == 404
    assert client.get(reverse("org:person_delete", args=[person.pk])).status_code == 404
    # changelog records are restricted: the outsider cannot open the network's history
    record = ObjectChange.objects.filter(object_id=str(person.pk)).first()
    assert client.get(reverse("core:objectchange", args=[record.pk])).status_code == 404


def test_anonymous_users_are_sent_to_login(client, org_tree):
    response = client.get(reverse("org:person_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --------------------------------------------------------------------------- edit


def test_edit_shows_translated_error_at_field_and_saves_nothing(client_for, chief, org_tree):
    person = Person.objects.create(
        first_name="Ali", last_name="Kaya", employment_type="memur", unit=org_tree["network"]
    )
    data = {
        "first_name": "Değişti",
        "last_name": "Kaya",
        "tc_kimlik_no": "12345678901",  # fails the checksum
        "employment_type": "memur",
        "unit": org_tree["network"].pk,
        "status": "active",
    }
    client = client_for(chief)
    response = client.post(
        reverse("org:person_edit", args=[person.pk]), data, HTTP_ACCEPT_LANGUAGE="tr"
    )
    assert response.status_code == 200
    assert "tc_kimlik_no" in response.context["form"].errors
    html = response.content.decode()
    assert "is-invalid" in html
    assert 'id="id_tc_kimlik_no_error"' in html
    assert "geçerli" in html.lower()  # the Turkish message, not the English one
    person.refresh_from_db()
    assert person.first_name == "Ali"


def test_create_and_edit_redirect_to_detail(client_for, chief, org_tree):
    client = client_for(chief)
    response = client.post(
        reverse("org:person_add"),
        {
            "first_name": "Zeynep",
            "last_name": "Şahin",
            "tc_kimlik_no": "10000000146",
            "employment_type": "sozlesmeli",
            "unit": org_tree["helpdesk"].pk,
            "status": "active",
        },
    )
    person = Person.objects.get(first_name="Zeynep")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert person.tc_kimlik_no == "10000000146"
    # the edit form never sends personal data back; leaving it empty keeps it
    form_page = client.get(reverse("org:person_edit", args=[person.pk])).content.decode()
    assert "10000000146" not in form_page
    client.post(
        reverse("org:person_edit", args=[person.pk]),
        {
            "first_name": "Zeynep",
            "last_name": "Şahin Yıldız",
            "tc_kimlik_no": "",
            "employment_type": "sozlesmeli",
            "unit": org_tree["helpdesk"].pk,
            "status": "active",
        },
    )
    person.refresh_from_db()
    assert person.last_name == "Şahin Yıldız"
    assert person.tc_kimlik_no == "10000000146"


def test_create_in_a_unit_outside_scope_is_refused(client_for, chief, org_tree):
    response = client_for(chief).post(
        reverse("org:person_add"),
        {
            "first_name": "Yabancı",
            "last_name": "Kişi",
            "employment_type": "memur",
            "unit": org_tree["roads"].pk,
            "status": "active",
        },
    )
    assert response.status_code == 403
    assert not Person.objects.filter(first_name="Yabancı").exists()


def test_requester_may_not_open_the_add_form(client_for, make_user, org_tree):
    requester = make_user("requester", org_tree["roads"])
    assert client_for(requester).get(reverse("org:person_add")).status_code == 403


# --------------------------------------------------------------------------- delete


def test_delete_of_protected_object_shows_an_error(client_for, admin_user, org_tree):
    client = client_for(admin_user)
    response = client.post(reverse("org:unit_delete", args=[org_tree["network"].pk]))
    assert response.status_code == 409
    assert Unit.objects.filter(pk=org_tree["network"].pk).exists()
    assert response.context["protected"]  # the sub-unit that blocks it is listed
    assert org_tree["helpdesk"].name in response.content.decode()


def test_delete_removes_and_logs(client_for, admin_user, org_tree):
    person = Person.objects.create(
        first_name="Silinecek", last_name="Kişi", employment_type="memur", unit=org_tree["software"]
    )
    response = client_for(admin_user).post(reverse("org:person_delete", args=[person.pk]))
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert ObjectChange.objects.filter(object_id=str(person.pk), action="delete").exists()


# --------------------------------------------------------------------------- bulk edit


def test_bulk_edit_applies_to_selected_in_scope(client_for, chief, org_tree):
    selected = make_people(org_tree["network"], 3)
    untouched = make_people(org_tree["network"], 1, prefix="Kalan")[0]
    outside = make_people(org_tree["roads"], 1, prefix="Dış")[0]
    client = client_for(chief)
    url = reverse("org:person_bulk_edit")
    pks = [person.pk for person in selected] + [outside.pk]

    form_page = client.post(url, {"pk": pks})
    assert form_page.status_code == 200
    assert len(form_page.context["objects"]) == 3  # the outsider is not offered

    response = client.post(url, {"pk": pks, "_apply": "1", "status": "on_leave"})
    assert response.status_code == 302
    assert set(Person.objects.filter(pk__in=pks).values_list("status", flat=True)) == {
        "on_leave",
        "active",
    }
    assert Person.objects.get(pk=outside.pk).status == "active"
    assert Person.objects.get(pk=untouched.pk).status == "active"
    assert all(Person.objects.get(pk=person.pk).status == "on_leave" for person in selected)


def test_bulk_edit_moving_outside_scope_changes_nothing(client_for, chief, org_tree):
    selected = make_people(org_tree["network"], 2)
    response = client_for(chief).post(
        reverse("org:person_bulk_edit"),
        {"pk": [p.pk for p in selected], "_apply": "1", "unit": org_tree["roads"].pk},
    )
    # the roads unit is not even offered to a chief of the network
    assert response.status_code in (200, 403)
    assert set(
        Person.objects.filter(pk__in=[p.pk for p in selected]).values_list("unit", flat=True)
    ) == {org_tree["network"].pk}


# --------------------------------------------------------------------------- registry, change log


def test_registry_lists_models_with_their_url_names():
    entries = {entry.model._meta.label_lower: entry for entry in registered_model_views()}
    assert entries["org.person"].list_url_name == "org:person_list"
    assert entries["org.person"].detail_url_name == "org:person"
    assert entries["org.article"].list_url_name is None
    reverse(entries["org.unit"].url_name("bulk_edit"))
    reverse(entries["org.unit"].url_name("changelog"), args=[1])


def test_changelog_filters_by_action_and_type(client_for, department_head, org_tree):
    with change_context(user_name="filtre"):
        person = Person.objects.create(
            first_name="Log", last_name="Kişi", employment_type="memur", unit=org_tree["network"]
        )
        person.delete()
    client = client_for(department_head)
    response = client.get(reverse("core:changelog"), {"action": "delete", "user_name": "filtre"})
    rows = [row.record for row in response.context["table"].paginated_rows]
    assert [(r.action, r.object_repr) for r in rows] == [("delete", "Log Kişi")]
    detail = client.get(reverse("core:objectchange", args=[rows[0].pk]))
    assert detail.status_code == 200
    assert "Log" in detail.content.decode()
