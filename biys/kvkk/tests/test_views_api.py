"""The KVKK pages and API: the inventory through the form and the API (its rules as 400s at
the fields), the request's pages (masked identity, the logged reveal, the answer), the API's
actions, and constant query counts on the lists."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from biys.core.models import PersonalDataView
from biys.kvkk.choices import ListKind, RequestState
from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest
from biys.kvkk.tests.factories import make_activity, make_request

pytestmark = pytest.mark.django_db

VALID_TC = "10000000146"


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(kind, **filters):
    return list(
        ListItem.objects.filter(kind=kind, **filters)
        .order_by("position")
        .values_list("pk", flat=True)[:1]
    )


def activity_body(unit, **extra):
    return {
        "unit": unit.pk,
        "name": "Sosyal yardım başvuruları",
        "personal_data": "Ad soyad, TC kimlik no, gelir durumu",
        "data_categories": ids(ListKind.DATA_CATEGORY, special=False),
        "purposes": ids(ListKind.PURPOSE),
        "legal_bases": ids(ListKind.LEGAL_BASIS, code="5/2-a"),
        "subject_groups": ids(ListKind.SUBJECT_GROUP),
        "retention_period": "10 yıl",
        **extra,
    }


def test_an_activity_is_added_through_the_form(lists, contact, org_tree):
    client = page_client(contact)
    url = reverse("kvkk:processingactivity_add")
    assert client.get(url).status_code == 200
    body = activity_body(org_tree["network"], active="on")
    response = client.post(url, body)
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = ProcessingActivity.objects.get()
    assert activity.data_categories.count() == 1
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Kimlik" in page and "5/2-a" in page
    # The rules answer at their fields, nothing saved.
    health = ids(ListKind.DATA_CATEGORY, name="Sağlık Bilgileri")
    response = client.post(url, {**body, "data_categories": health, "purposes": []})
    assert response.status_code == 400
    page = response.content.decode()
    assert "En az bir işleme amacı seçin." in page and "md. 6" in page
    assert ProcessingActivity.objects.count() == 1


def test_the_inventory_by_api(lists, contact, org_tree, make_user):
    client = api_client(contact)
    url = reverse("kvkk-activity-list")
    response = client.post(url, activity_body(org_tree["network"]), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["data_categories"] == ids(ListKind.DATA_CATEGORY, special=False)
    response = client.post(
        url,
        activity_body(org_tree["network"], transfer_abroad=True, purposes=[]),
        format="json",
    )
    assert response.status_code == 400
    assert {"purposes", "transfer_countries"} <= set(response.json()["errors"])
    detail = reverse("kvkk-activity-detail", args=[created["id"]])
    response = client.patch(detail, {"retention_period": "5 yıl"}, format="json")
    assert response.status_code == 200 and response.json()["retention_period"] == "5 yıl"
    chief = make_user("chief", org_tree["network"])
    assert api_client(chief).get(detail).status_code == 200
    assert api_client(chief).patch(detail, {"name": "x"}, format="json").status_code == 403
    assert api_client(contact).get(reverse("kvkk-listitem-list")).json()["count"] > 100


def test_register_and_answer_a_request_on_the_pages(contact, org_tree):
    client = page_client(contact)
    response = client.post(
        reverse("kvkk:subjectrequest_add"),
        {
            "received_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "channel": "kep",
            "right": "erasure",
            "request_text": "Adresimin silinmesini istiyorum.",
            "applicant_name": "Ayşe Yılmaz",
            "tc_kimlik_no": VALID_TC,
            "unit": org_tree["network"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    request = SubjectRequest.objects.get()
    page = client.get(request.get_absolute_url()).content.decode()
    assert VALID_TC not in page and request.masked_tc_kimlik_no in page
    assert "gün kaldı" in page
    # The edit form never sends the number; an empty field keeps it.
    edit = client.get(reverse("kvkk:request_edit", args=[request.pk])).content.decode()
    assert VALID_TC not in edit
    response = client.post(
        reverse("kvkk:request_edit", args=[request.pk]),
        {
            "received_on": request.received_on.isoformat(),
            "channel": "kep",
            "right": "erasure",
            "request_text": "Adresimin ve telefonumun silinmesini istiyorum.",
            "applicant_name": "Ayşe Yılmaz",
            "tc_kimlik_no": "",
            "unit": org_tree["network"].pk,
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.tc_kimlik_no == VALID_TC and "telefonumun" in request.request_text
    reveal = client.post(reverse("kvkk:request_reveal", args=[request.pk]))
    assert VALID_TC in reveal.content.decode()
    assert PersonalDataView.objects.filter(object_id=str(request.pk)).count() == 1
    action = reverse("kvkk:request_action", args=[request.pk, "answer"])
    response = client.post(action, {"answer-outcome": "accepted", "answer-answer": ""})
    assert response.status_code == 400
    response = client.post(
        action, {"answer-outcome": "accepted", "answer-answer": "Adresiniz silindi."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.ANSWERED


def test_unit_staff_and_the_auditor_on_the_request_pages(contact, org_tree, make_user):
    request = make_request(org_tree["network"])
    auditor = make_user("auditor", org_tree["dept"])
    chief = make_user("chief", org_tree["network"])
    page = page_client(auditor).get(request.get_absolute_url())
    assert page.status_code == 200 and b'data-testid="reveal"' not in page.content
    assert page_client(chief).get(request.get_absolute_url()).status_code == 404
    edit = reverse("kvkk:request_edit", args=[request.pk])
    assert page_client(auditor).get(edit).status_code == 404
    assert page_client(contact).get(edit).status_code == 200
    action = reverse("kvkk:request_action", args=[request.pk, "start"])
    assert page_client(auditor).post(action).status_code == 403
    assert page_client(chief).post(action).status_code == 404
    reveal = reverse("kvkk:request_reveal", args=[request.pk])
    assert page_client(auditor).post(reveal).status_code == 403
    assert not PersonalDataView.objects.exists()


def test_requests_by_api(contact, org_tree, make_user):
    client = api_client(contact)
    body = {
        "received_on": "2026-11-02",
        "channel": "written",
        "right": "learn",
        "request_text": "Verilerimi öğrenmek istiyorum.",
        "applicant_name": "Mehmet Demir",
        "tc_kimlik_no": VALID_TC,
        "unit": org_tree["network"].pk,
    }
    response = client.post(reverse("kvkk-request-list"), body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["due_date"] == "2026-12-02" and "tc_kimlik_no" not in created
    assert created["tc_kimlik_no_masked"].endswith("46")
    bad = client.post(
        reverse("kvkk-request-list"), {**body, "tc_kimlik_no": "11111111111"}, format="json"
    )
    assert bad.status_code == 400 and "tc_kimlik_no" in bad.json()["errors"]
    pk = created["id"]
    assert client.post(reverse("kvkk-request-start", args=[pk])).status_code == 200
    identity = client.post(reverse("kvkk-request-identity", args=[pk]), {}, format="json")
    assert identity.json()["tc_kimlik_no"] == VALID_TC
    answered = client.post(
        reverse("kvkk-request-answer", args=[pk]),
        {"outcome": "accepted", "answer": "Bilgi verildi.", "answered_on": "2026-11-20"},
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    auditor = make_user("auditor", org_tree["dept"])
    assert api_client(auditor).get(reverse("kvkk-request-detail", args=[pk])).status_code == 200
    refused = api_client(auditor).post(reverse("kvkk-request-reopen", args=[pk]))
    assert refused.status_code == 403
    refused = api_client(auditor).post(reverse("kvkk-request-identity", args=[pk]), {})
    assert refused.status_code == 403
    late = api_client(contact).get(reverse("kvkk-request-list") + "?overdue=true").json()
    assert late["count"] == 0


def test_the_overdue_list(contact, org_tree):
    late = make_request(
        org_tree["network"], received_on=date(2026, 1, 5), due_date=date(2026, 2, 4)
    )
    make_request(org_tree["network"])
    page = page_client(contact).get(reverse("kvkk:request_overdue")).content.decode()
    assert late.number in page and page.count("KVKK-T-") == 1


def test_lists_read_in_the_same_queries_whatever_their_length(lists, contact, org_tree):
    client = page_client(contact)
    urls = [
        reverse("kvkk:processingactivity_list"),
        reverse("kvkk:subjectrequest_list"),
        reverse("kvkk-activity-list"),
        reverse("kvkk-request-list"),
        reverse("kvkk:verbis_export") + "?export=csv",
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                assert response.status_code == 200
            result.append(len(queries))
        return result

    make_activity(org_tree["network"])
    make_request(org_tree["network"])
    counts()  # caches filled once per process (content types, the calendar)
    few = counts()
    for _n in range(8):
        make_activity(org_tree["network"])
        make_request(org_tree["software"])
    assert counts() == few


def test_the_list_items_are_edited_over_the_whole_municipality(lists, make_user, org_tree):
    item = ListItem.objects.filter(kind=ListKind.SUBJECT_GROUP).first()
    url = reverse("kvkk:listitem_edit", args=[item.pk])
    client = page_client(make_user(superuser=True))
    response = client.post(
        url, {"kind": item.kind, "name": "Muhtar", "position": 3, "active": "on"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "Muhtar"
    contact = make_user("kvkk_contact", org_tree["dept"])
    assert page_client(contact).get(url).status_code in (403, 404)
