"""The one KVKK log of personal data seen unmasked, and its report across modules."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from biys.core.models import PersonalDataView
from biys.core.personal_data import record_view, subject_digest
from biys.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TC = "10000000146"
OTHER_TC = "10000000078"


def test_a_view_is_logged_with_the_subject_keyed_not_stored(org_tree, make_user):
    chief = make_user("chief", org_tree["network"])
    person = PersonFactory(unit=org_tree["network"], tc_kimlik_no=TC, address="Atatürk Cd. 1")
    entry = record_view(user=chief, obj=person, reason="Bordro")
    assert entry.subject == subject_digest(TC) and TC not in entry.subject
    assert subject_digest(f" {TC[:5]} {TC[5:]} ") == entry.subject  # spaces do not matter
    assert subject_digest(OTHER_TC) != entry.subject and subject_digest("") == ""
    assert entry.unit_id == org_tree["network"].pk
    assert entry.fields == "tc_kimlik_no,address" and entry.object_repr == str(person)
    with pytest.raises(PermissionDenied):
        entry.save()  # append-only


def test_the_report_finds_one_persons_views_within_the_readers_units(client, org_tree, make_user):
    from biys.evrak.tests.factories import make_document

    head = make_user("department_head", org_tree["dept"])
    person = PersonFactory(unit=org_tree["network"], tc_kimlik_no=TC)
    stranger = PersonFactory(unit=org_tree["network"], tc_kimlik_no=OTHER_TC)
    letter = make_document(
        org_tree["software"], sender_kind="person", sender_name="Ayşe", sender_tc_kimlik_no=TC
    )
    record_view(user=head, obj=person, reason="Bordro")
    record_view(user=head, obj=stranger)
    record_view(user=head, obj=letter, reason="cevap yazısı")

    url = reverse("core:personaldataview_list")
    client.force_login(head)
    # The number is posted and replaced by its keyed digest: never in the address or the page.
    posted = client.post(url, {"subject": TC, "time_after": "2020-01-01"})
    assert posted.status_code == 303 and TC not in posted["Location"]
    assert f"subject_key={subject_digest(TC)}" in posted["Location"]
    page = client.get(posted["Location"]).content.decode()
    assert "Bordro" in page and "cevap yazısı" in page and 'id="filter-one-person"' in page
    assert str(stranger) not in page and TC not in page
    assert TC not in client.get(url, {"subject": TC})["Location"]  # a typed address too
    refused = client.post(url, {"subject": "123"}, follow=True).content.decode()
    assert "TC kimlik numarası 11 hanelidir." in refused

    export = client.get(url, {"subject_key": subject_digest(TC), "export": "csv"})
    content = b"".join(export.streaming_content)
    assert export.status_code == 200 and content.startswith(b"\xef\xbb\xbf")
    assert len(content.decode("utf-8-sig").strip().splitlines()) == 3  # header and two rows

    # A KVKK contact person of the software branch sees that branch's entries alone.
    contact = make_user("kvkk_contact", org_tree["software"])
    client.force_login(contact)
    page = client.get(url, {"subject_key": subject_digest(TC)}).content.decode()
    assert "cevap yazısı" in page and "Bordro" not in page
    technician = make_user("technician", org_tree["software"])
    client.force_login(technician)
    page = client.get(url, {"subject_key": subject_digest(TC)}).content.decode()
    assert "cevap yazısı" not in page and "Bordro" not in page  # no permission: an empty list


def test_the_api_reads_the_log_by_subject(org_tree, make_user):
    from rest_framework.test import APIClient

    auditor = make_user("auditor", org_tree["dept"])
    person = PersonFactory(unit=org_tree["network"], tc_kimlik_no=TC)
    record_view(user=auditor, obj=person, reason="denetim")
    api = APIClient()
    api.force_authenticate(auditor)
    found = api.get("/api/v1/core/personal-data-views/", {"subject": TC}).json()
    assert [row["reason"] for row in found["results"]] == ["denetim"]
    assert "subject" not in found["results"][0]
    assert (
        api.get("/api/v1/core/personal-data-views/", {"subject": OTHER_TC}).json()["results"] == []
    )
    assert PersonalDataView.objects.count() == 1


def test_the_report_reads_a_page_in_the_same_queries_whatever_its_size(client, org_tree, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    auditor = make_user("auditor", org_tree["dept"])
    url = reverse("core:personaldataview_list")
    client.force_login(auditor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    record_view(user=auditor, obj=PersonFactory(unit=org_tree["network"], tc_kimlik_no=TC))
    queries()  # the process caches (content types, scope) fill on the first request
    one = queries()
    for _ in range(6):
        record_view(user=auditor, obj=PersonFactory(unit=org_tree["software"]))
    assert queries() == one
