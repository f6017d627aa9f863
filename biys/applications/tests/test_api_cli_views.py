"""The API (problem details, creation through the service, the deadline endpoint), the
``biys applications due`` command, the pages, the report and its CSV, and the list's query
count, which does not grow with the page size."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from biys.applications.models import Application
from biys.applications.tests.conftest import MONDAY
from biys.applications.tests.factories import make_application, make_application_type

pytestmark = pytest.mark.django_db
API = "/api/v1/applications"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_creates_through_the_service(clerk, bilgi_edinme, org_tree):
    body = {
        "type": bilgi_edinme.pk,
        "received_on": str(MONDAY),
        "subject": "Kent bilgi sistemi verileri",
        "applicant_name": "Örnek Harita Ltd. Şti.",
        "applicant_kind": "company",
        "tax_number": "1234567890",
        "form_data": {"istenen_bilgi": "Yol katmanı"},
        "channel": "cimer",
        "channel_reference": "CİMER-2026-1",
    }
    response = api(clerk).post(f"{API}/applications/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"].startswith("BSV-") and data["due_date"] == "2026-11-23"
    assert data["responsible_unit"] == org_tree["network"].pk
    assert "tc_kimlik_no" not in data and "tax_number" in data


def test_api_400_is_a_problem_with_field_errors_and_saves_nothing(clerk, bilgi_edinme):
    body = {
        "type": bilgi_edinme.pk,
        "received_on": str(date.today() + timedelta(days=3)),
        "subject": "x",
        "applicant_name": "Ali Veli",
        "tc_kimlik_no": "11111111111",
        "form_data": {},
    }
    response = api(clerk).post(f"{API}/applications/", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400 and set(problem["errors"]) == {"tc_kimlik_no"}
    # The service's rules, every one at its field.
    body["tc_kimlik_no"] = "10000000146"
    problem = api(clerk).post(f"{API}/applications/", body, format="json").json()
    assert problem["status"] == 400
    assert {"received_on", "form_data"} <= set(problem["errors"])
    assert not Application.objects.exists()


def test_api_actions_refuse_with_problems(clerk, responder, org_tree):
    application = make_application(org_tree["network"])
    response = api(responder).post(
        f"{API}/applications/{application.pk}/outcome/",
        {"outcome": "refused", "note": "Ret"},
        format="json",
    )
    assert response.status_code == 400 and "refusal_ground" in response.json()["errors"]
    response = api(clerk).post(
        f"{API}/applications/{application.pk}/outcome/",
        {"outcome": "answered", "note": "x"},
        format="json",
    )
    assert response.status_code == 403 and response.json()["status"] == 403


def test_api_deadline_of_a_type(clerk, bilgi_edinme, dilekce):
    client = api(clerk)
    url = f"{API}/types/{bilgi_edinme.pk}/deadline/"
    assert client.get(url, {"received_on": "2026-11-02"}).json()["due_date"] == "2026-11-23"
    extended = client.get(url, {"received_on": "2026-11-02", "extended": "true"}).json()
    assert extended["due_date"] == "2026-12-14"
    refused = client.get(
        f"{API}/types/{dilekce.pk}/deadline/", {"received_on": "2026-11-02", "extended": "true"}
    )
    assert refused.status_code == 400 and "extended" in refused.json()["errors"]
    assert client.get(url, {"received_on": "dün"}).status_code == 400


def test_cli_prints_the_same_deadline(bilgi_edinme, dilekce):
    out = StringIO()
    call_command("applications", "due", "bilgi-edinme", "2026-11-02", stdout=out)
    assert out.getvalue().strip() == "2026-11-23"
    out = StringIO()
    call_command(
        "applications", "due", "bilgi-edinme", "2026-11-02", "--extended", "--json", stdout=out
    )
    assert json.loads(out.getvalue())["due_date"] == "2026-12-14"
    out = StringIO()
    call_command("applications", "due", "dilekce", "2026-11-06", stdout=out)
    assert out.getvalue().strip() == "2026-12-07"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("applications", "due", "dilekce", "2026-11-06", "--extended")
    with pytest.raises(CommandError):
        call_command("applications", "due", "yok", "2026-11-06")


def test_quick_entry_page_records_and_shows_the_clock(clerk, bilgi_edinme, org_tree):
    client = Client()
    client.force_login(clerk)
    url = reverse("applications:application_add")
    assert client.get(url).status_code == 200
    data = {
        "type": bilgi_edinme.pk,
        "channel": "counter",
        "received_on": str(date.today()),
        "applicant_kind": "person",
        "applicant_name": "Mehmet Öztürk",
        "tc_kimlik_no": "10000000146",
        "subject": "Meclis kararları",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the type's required field is asked for
    assert not Application.objects.exists()
    response = client.post(url, {**data, "field_istenen_bilgi": "2025 kararları"})
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    page = client.get(application.get_absolute_url()).content.decode()
    assert 'id="deadline-clock"' in page and "*********46" in page and "10000000146" not in page


def test_list_filters_and_query_count_constant_with_page_size(make_user, org_tree):
    from biys.applications.selectors import today, week_bounds

    day = today()
    # late, and before this week's Monday whatever weekday the test runs on
    late = make_application(org_tree["network"], due_date=week_bounds(day)[0] - timedelta(days=3))
    this_week = make_application(org_tree["network"], due_date=day)
    for _ in range(8):
        make_application(org_tree["network"], due_date=day + timedelta(days=40))
    user = make_user("applications_manager", org_tree["dept"])
    client = Client()
    client.force_login(user)
    url = reverse("applications:application_list")
    page = client.get(url, {"due": "late"}).content.decode()
    assert late.number in page and this_week.number not in page
    page = client.get(url, {"due": "this_week"}).content.decode()
    assert this_week.number in page and late.number not in page
    counts = []
    for per_page in (3, 10):
        client.get(url, {"per_page": per_page})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"per_page": per_page})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[1] <= counts[0], counts  # a page holding every row is its own count


def test_report_and_csv(make_user, org_tree):
    import io

    from openpyxl import load_workbook

    from biys.applications.selectors import today

    day = today()
    make_application(org_tree["network"], received_on=day, due_date=day - timedelta(days=1))
    make_application(
        org_tree["network"], received_on=day, due_date=day, state="answered", answered_on=day
    )
    user = make_user("applications_manager", org_tree["dept"])
    client = Client()
    client.force_login(user)
    url = reverse("applications:report")
    assert client.get(url).status_code == 200
    response = client.get(url, {"export": "csv", "from": str(day), "to": str(day)})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.strip().splitlines()
    assert ";" in lines[0]
    total = lines[-1].split(";")
    assert total[2:6] == ["2", "1", "1", "1"]  # received, on time, late, open
    assert total[7:] == ["1", "0", "0", "0"]  # answered, partly, refused, forwarded
    rows = api(user).get(f"{API}/report/", {"from": str(day), "to": str(day)}).json()
    assert sum(row["received"] for row in rows) == 2
    assert sum(row["answered"] for row in rows) == 1
    client.force_login(make_user("applications_manager", org_tree["roads"]))
    other = client.get(url, {"export": "xlsx", "from": str(day), "to": str(day)})
    assert other.status_code == 200  # another unit's manager: no row of this unit's
    sheet = load_workbook(io.BytesIO(other.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=5, values_only=True)] == [0]  # total
    requester = make_user("requester", org_tree["roads"])
    client.force_login(requester)
    assert client.get(url).status_code == 403


def test_the_list_opens_on_open_applications_and_shows_the_rest_on_request(make_user, org_tree):
    from biys.applications.selectors import today

    day = today()
    open_one = make_application(org_tree["network"], due_date=day + timedelta(days=5))
    answered = make_application(
        org_tree["network"], due_date=day, state="answered", answered_on=day
    )
    client = Client()
    client.force_login(make_user("applications_manager", org_tree["dept"]))
    url = reverse("applications:application_list")
    page = client.get(url).content.decode()
    assert open_one.number in page and answered.number not in page
    page = client.get(url, {"state": ["open", "answered"]}).content.decode()
    assert open_one.number in page and answered.number in page


def test_report_by_month(make_user, org_tree):
    make_application(
        org_tree["network"],
        received_on=date(2026, 9, 3),
        due_date=date(2026, 9, 24),
        state="answered",
        answered_on=date(2026, 9, 10),
    )
    make_application(
        org_tree["network"],
        received_on=date(2026, 10, 5),
        due_date=date(2026, 10, 26),
        state="answered",
        answered_on=date(2026, 10, 28),
    )
    user = make_user("applications_manager", org_tree["dept"])
    rows = (
        api(user)
        .get(f"{API}/report/", {"from": "2026-09-01", "to": "2026-10-31", "by": "month"})
        .json()
    )
    assert [(r["period"], r["answered_on_time"], r["late"], r["average_days"]) for r in rows] == [
        ("2026-09", 1, 0, 7.0),
        ("2026-10", 0, 1, 23.0),
    ]
    client = Client()
    client.force_login(user)
    response = client.get(
        reverse("applications:report"),
        {"from": "2026-09-01", "to": "2026-10-31", "by": "month", "export": "csv"},
    )
    lines = b"".join(response.streaming_content).decode("utf-8").strip().splitlines()
    assert lines[1].startswith("2026-09;") and lines[2].startswith("2026-10;")
    assert lines[-1].split(";")[7] == "15,0"  # Turkish decimal comma


def test_api_list_query_count_does_not_grow_with_the_page(make_user, org_tree):
    for _ in range(12):
        make_application(org_tree["network"])
    client = api(make_user("applications_manager", org_tree["dept"]))
    counts = []
    for limit in (2, 10):
        client.get(f"{API}/applications/", {"per_page": limit})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}/applications/", {"per_page": limit})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[1] <= counts[0], counts  # a page holding every row is its own count


def test_report_as_excel_and_pdf(make_user, org_tree):
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    make_application(
        org_tree["network"],
        received_on=date(2026, 9, 3),
        due_date=date(2026, 9, 24),
        state="answered",
        answered_on=date(2026, 9, 10),
        type=make_application_type(org_tree["network"], name="Bilgi edinme başvurusu"),
    )
    client = Client()
    client.force_login(make_user("applications_manager", org_tree["dept"]))
    url = reverse("applications:report")
    period = {"from": "2026-09-01", "to": "2026-10-31"}
    with translation.override("tr"):
        response = client.get(url, {**period, "export": "xlsx"})
    assert response.status_code == 200
    assert 'basvuru-raporu-20260901-20261031.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Başvuru raporu, 01.09.2026 – 31.10.2026"
    assert values[3][:3] == ["Tür", "Sorumlu birim", "Gelen"]
    assert values[3][7:] == [
        "Cevaplandı",
        "Kısmen cevaplandı",
        "Reddedildi",
        "Başka kuruma gönderildi",
    ]  # the Board's figures
    assert values[4][0] == "Bilgi edinme başvurusu"
    assert values[4][2:11] == [1, 1, 0, 0, 7, 1, 0, 0, 0]
    assert values[-1][0] == "Toplam"

    response = client.get(url, {**period, "export": "pdf", "by": "month"})
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Bilgi edinme başvurusu" in text and "2026-09" in text and "Toplam" in text
