from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse

from biys.calendar import services
from biys.calendar.models import DeclaredDay
from biys.core.navigation import menu_for

pytestmark = pytest.mark.django_db

ADD_URL = "/calendar/declared-days/add/"


@pytest.fixture
def technician(make_user, org_tree):
    return make_user("technician", org_tree["helpdesk"])


def logged_in(client, user):
    client.force_login(user)
    return client


def form_data(**extra) -> dict:
    return {
        "date": "2026-05-25",
        "kind": "full_day",
        "description": "Kurban Bayramı köprü günü",
        "decision_reference": "Cumhurbaşkanlığı Genelgesi 2026/9",
        **extra,
    }


class TestYearView:
    def test_lists_holidays_half_days_and_declared_days(self, client, technician):
        services.declare_day(
            date=date(2026, 5, 25), description="Köprü günü", decision_reference="Genelge 2026/9"
        )
        response = logged_in(client, technician).get("/calendar/year/2026/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Ramazan Bayramı" in page
        assert "Cumhuriyet Bayramı (saat 13.00&#x27;ten)" in page
        assert "Yarım gün (bitiş: 13:00)" in page
        assert "Genelge 2026/9" in page and "Köprü günü" in page
        assert len(response.context["days"]) == 17 + 1  # the package's 2026 days and ours
        assert "Gün ilan et" not in page  # only administrators declare

    def test_administrator_gets_the_declare_button(self, client, calendar_admin):
        page = logged_in(client, calendar_admin).get("/calendar/year/2027/").content.decode()
        assert "Gün ilan et" in page
        assert "Kurban Bayramı" in page

    def test_current_year_out_of_range_and_anonymous(self, client, technician):
        assert client.get("/calendar/year/").status_code == 302  # to the login page
        logged_in(client, technician)
        assert client.get("/calendar/").url == reverse("calendar:year_current")
        assert client.get("/calendar/year/").status_code == 200
        assert client.get("/calendar/year/1900/").status_code == 404


class TestDeclaredDayPages:
    def test_administrator_declares_edits_and_deletes(self, client, calendar_admin):
        logged_in(client, calendar_admin)
        assert client.get("/calendar/declared-days/").status_code == 200
        assert client.get(ADD_URL).status_code == 200
        response = client.post(ADD_URL, form_data())
        assert response.status_code == 302, response.content
        day = DeclaredDay.objects.get()
        assert day.created_by == calendar_admin
        assert response.url == day.get_absolute_url()
        assert "Cumhurbaşkanlığı Genelgesi 2026/9" in client.get(response.url).content.decode()
        edit = reverse("calendar:declaredday_edit", args=[day.pk])
        assert client.post(edit, form_data(kind="half_day")).status_code == 302
        assert DeclaredDay.objects.get().kind == "half_day"
        delete = reverse("calendar:declaredday_delete", args=[day.pk])
        assert client.post(delete).status_code == 302
        assert not DeclaredDay.objects.exists()

    def test_errors_are_translated_at_the_field(self, client, calendar_admin):
        logged_in(client, calendar_admin)
        client.post(ADD_URL, form_data())
        response = client.post(ADD_URL, form_data())
        assert response.status_code == 200
        assert response.context["form"].errors["date"] == ["Bu tarih zaten ilan edilmiş."]
        response = client.post(ADD_URL, form_data(date="2026-05-26", decision_reference=""))
        assert response.context["form"].errors["decision_reference"] == [
            "Hükümet kararının sayısını girin."
        ]
        response = client.post(ADD_URL, form_data(date="2026-03-21"))
        assert response.context["form"].errors["date"] == [
            "Bu gün zaten hafta sonu ya da resmî tatil."
        ]
        assert DeclaredDay.objects.count() == 1

    def test_others_cannot_declare(self, client, technician, make_user, org_tree):
        logged_in(client, technician)
        assert client.get(ADD_URL).status_code == 403
        assert client.post(ADD_URL, form_data()).status_code == 403
        client.force_login(make_user("chief", org_tree["dept"]))
        assert client.post(ADD_URL, form_data()).status_code == 403
        assert not DeclaredDay.objects.exists()


def test_menu_shows_declared_days_to_administrators_only(technician, calendar_admin):
    def labels(user):
        request = RequestFactory().get("/")
        request.user = user
        groups = {str(group["label"]): group for group in menu_for(request)}
        return [str(item["label"]) for item in groups["Çalışma takvimi"]["items"]]

    assert labels(technician) == ["Tatiller ve yarım günler"]
    assert labels(calendar_admin) == ["Tatiller ve yarım günler", "İlan edilen günler"]
