"""The 5651 screens and API beyond the generic matrix: the logged "who had this IP" search for
every role, uploads, seal retries, verification and downloads."""

import gzip
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.logs5651.models import DailySeal, LogFile, SearchRequest
from biys.logs5651.services import ingest_file, seal_day
from biys.logs5651.tests.conftest import DAY
from biys.logs5651.tests.factories import ISC_SYSLOG
from tests.permissions.matrix import ROLE_SPECS, role_cases

pytestmark = pytest.mark.django_db
WHO = {"ip": "10.0.0.20", "at": "2026-11-27T14:00", "request_number": "2026/991"}


def may_search(role: str) -> bool:
    return ROLE_SPECS[role].matches("logs5651.view_accessrecord")


def test_only_the_log_officer_and_the_auditor_may_search():
    assert {role for role in ROLE_SPECS if may_search(role)} == {"log_officer", "auditor"}
    # ... and only the log officer (and the administrator, who sets up sources) changes anything.
    writers = {
        role
        for role in ROLE_SPECS
        if any(
            ROLE_SPECS[role].matches(f"logs5651.{action}_{model}")
            for action in ("add", "change", "delete")
            for model in ("logsource", "logfile", "dailyseal", "accessrecord")
        )
    }
    assert writers == {"log_officer", "administrator"}


@pytest.fixture
def received(source, logs_dir):
    return ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY, name="dhcpd.log")


def test_who_page_and_api_for_every_role(received, org_tree, make_user):
    failures = []
    for role in ROLE_SPECS:
        for inside, unit in ((True, org_tree["network"]), (False, org_tree["roads"])):
            user = make_user(role, unit)
            where = f"{role} {'inside' if inside else 'outside'}"
            page, api = Client(), APIClient()
            page.force_login(user)
            api.force_authenticate(user)
            before = SearchRequest.objects.count()
            shown = page.post(reverse("logs5651:who"), WHO)
            answered = api.get(reverse("logs5651-who"), {**WHO, "at": "2026-11-27T14:00+03:00"})
            logged = SearchRequest.objects.count() - before
            if not may_search(role):
                if (shown.status_code, answered.status_code, logged) != (403, 403, 0):
                    failures.append(f"{where}: {shown.status_code} {answered.status_code} {logged}")
                continue
            records = answered.json()["records"] if answered.status_code == 200 else None
            expected = ["bb:bb:bb:bb:bb:02"] if inside else []
            if (
                shown.status_code != 200
                or logged != 2
                or [r["mac"] for r in records or []] != expected
                or ("bb:bb:bb:bb:bb:02" in shown.content.decode()) != inside
            ):
                failures.append(
                    f"{where}: page {shown.status_code}, api {records}, logged {logged}"
                )
    assert not failures, "\n".join(failures)
    record = SearchRequest.objects.filter(results=1).first()
    assert (record.request_number, record.ip) == ("2026/991", "10.0.0.20")


def test_a_search_without_a_request_number_is_refused_and_not_answered(
    received, org_tree, make_user
):
    api = APIClient()
    api.force_authenticate(make_user("log_officer", org_tree["network"]))
    response = api.get(reverse("logs5651-who"), {**WHO, "request_number": ""})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    response = api.get(reverse("logs5651-who"), {**WHO, "ip": "not-an-ip"})
    assert response.status_code == 400 and not SearchRequest.objects.exists()


def test_the_search_log(received, org_tree, make_user):
    officer = make_user("log_officer", org_tree["network"])
    auditor = make_user("auditor", org_tree["dept"])
    other_root_auditor = make_user("auditor", org_tree["roads"])
    client = Client()
    client.force_login(officer)
    client.post(reverse("logs5651:who"), WHO)
    listed = client.get(reverse("logs5651:searchrequest_list"))
    assert listed.status_code == 200 and "2026/991" in listed.content.decode()
    # The auditor over the department holds the view over every unit but the roads root: own
    # searches only; the search log in full needs the whole municipality.
    client.force_login(other_root_auditor)
    assert "2026/991" not in client.get(reverse("logs5651:searchrequest_list")).content.decode()
    api = APIClient()
    api.force_authenticate(auditor)
    assert api.get(reverse("searchrequest-list")).json()["results"] == []


def test_a_search_and_its_evidence_are_for_the_searcher(received, tsa, org_tree, make_user):
    """A logged search (the API's detail) and its evidence package (the page's and the API's)
    for every role inside and outside the unit of the records: someone else's search is refused
    (403, or 404: not theirs to see), whatever the role; the searcher and whoever reads the
    search log of the whole municipality get it."""
    seal_day(unit=received.source.unit, day=DAY)
    officer = make_user("log_officer", org_tree["network"])
    client = Client()
    client.force_login(officer)
    client.post(reverse("logs5651:who"), WHO)
    search = SearchRequest.objects.get()
    urls = [
        reverse("searchrequest-detail", args=[search.pk]),
        reverse("searchrequest-evidence", args=[search.pk]),
        reverse("logs5651:evidence", args=[search.pk]),
    ]
    failures = []
    for role, inside in role_cases():
        other = Client()
        other.force_login(make_user(role, org_tree["network"] if inside else org_tree["roads"]))
        answers = [other.get(url).status_code for url in urls]
        if any(status not in (403, 404) for status in answers):
            failures.append(f"{role} {'inside' if inside else 'outside'}: {answers}")
    assert not failures, failures
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    from biys.accounts.models import Role, RoleAssignment
    from biys.org.models import Unit

    everywhere = make_user(None, None)
    for top in Unit.objects.filter(parent__isnull=True):  # the auditor over every unit
        RoleAssignment.objects.create(
            user=everywhere, role=Role.objects.get(slug="auditor"), unit=top
        )
    client.force_login(everywhere)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


def test_upload_page_and_api(source, logs_dir, org_tree, make_user):
    officer = make_user("log_officer", org_tree["network"])
    client = Client()
    client.force_login(officer)
    upload = SimpleUploadedFile("dhcpd.log", ISC_SYSLOG)
    response = client.post(
        reverse("logs5651:upload"), {"source": source.pk, "day": DAY.isoformat(), "file": upload}
    )
    log_file = LogFile.objects.get()
    assert response.status_code == 302 and response["Location"] == log_file.get_absolute_url()
    # The same file again: an error at the form, nothing saved.
    again = client.post(
        reverse("logs5651:upload"),
        {
            "source": source.pk,
            "day": DAY.isoformat(),
            "file": SimpleUploadedFile("x.log", ISC_SYSLOG),
        },
    )
    assert again.status_code == 400 and LogFile.objects.count() == 1

    api = APIClient()
    api.force_authenticate(officer)
    other_day = ISC_SYSLOG.replace(b"Nov 27", b"Nov 26")
    created = api.post(
        reverse("logfile-upload"),
        {"source": source.pk, "day": "2026-11-26", "file": SimpleUploadedFile("d.log", other_day)},
        format="multipart",
    )
    assert created.status_code == 201 and created.json()["records"] == 3

    for role, unit in (("auditor", org_tree["network"]), ("technician", org_tree["network"]),
                       ("log_officer", org_tree["roads"])):  # fmt: skip
        api.force_authenticate(make_user(role, unit))
        refused = api.post(
            reverse("logfile-upload"),
            {"source": source.pk, "day": "2026-11-25", "file": SimpleUploadedFile("e.log", b"x\n")},
            format="multipart",
        )
        assert refused.status_code in (400, 403), role
        client.force_login(make_user(role, unit))
        assert client.get(reverse("logs5651:upload")).status_code in (200, 403)
    assert LogFile.objects.count() == 2


def test_file_page_and_download(received, org_tree, make_user):
    client = Client()
    client.force_login(make_user("auditor", org_tree["network"]))
    page = client.get(received.get_absolute_url())
    assert page.status_code == 200 and "dhcpd.log" in page.content.decode()
    download = client.get(reverse("logs5651:download", args=[received.pk]))
    assert download.status_code == 200
    assert gzip.decompress(b"".join(download.streaming_content)) == ISC_SYSLOG
    for role in ("technician", "administrator"):
        client.force_login(make_user(role, org_tree["network"]))
        assert client.get(reverse("logs5651:download", args=[received.pk])).status_code == 404


def test_retry_and_verify_pages(received, tsa, org_tree, make_user):
    tsa.mode = "error"
    seal = seal_day(unit=received.source.unit, day=DAY)
    assert seal.status == "not_sealed"
    officer, auditor = (
        make_user("log_officer", org_tree["network"]),
        make_user("auditor", org_tree["network"]),
    )
    client = Client()
    client.force_login(auditor)
    page = client.get(seal.get_absolute_url())
    assert page.status_code == 200 and "seal_retry" not in page.content.decode()
    assert client.post(reverse("logs5651:seal_retry", args=[seal.pk])).status_code == 404
    client.force_login(officer)
    assert (
        reverse("logs5651:seal_retry", args=[seal.pk])
        in client.get(seal.get_absolute_url()).content.decode()
    )
    tsa.mode = "ok"
    response = client.post(reverse("logs5651:seal_retry", args=[seal.pk]))
    assert response.status_code == 302
    assert DailySeal.objects.get(pk=seal.pk).status == "sealed"

    client.force_login(auditor)
    verified = client.get(reverse("logs5651:verify"), {"run": "1"})
    assert verified.status_code == 200 and "alert-success" in verified.content.decode()
    LogFile.objects.filter(pk=received.pk).update(gz_sha256="0" * 64)
    tampered = client.get(reverse("logs5651:verify"), {"run": "1"})
    assert (
        "alert-danger" in tampered.content.decode() and "merkez-dhcp" in tampered.content.decode()
    )
    api = APIClient()
    api.force_authenticate(auditor)
    report = api.get(reverse("logs5651-verify")).json()
    assert not report["ok"] and report["failures"][0]["source"] == "merkez-dhcp"
    # Outside the unit: nothing to verify, nothing reported.
    api.force_authenticate(make_user("auditor", org_tree["roads"]))
    assert api.get(reverse("logs5651-verify")).json()["days"] == 0
    api.force_authenticate(make_user("technician", org_tree["network"]))
    assert api.get(reverse("logs5651-verify")).status_code == 403


def test_api_seal_retry(received, tsa, org_tree, make_user):
    tsa.mode = "error"
    seal = seal_day(unit=received.source.unit, day=DAY)
    tsa.mode = "ok"
    api = APIClient()
    api.force_authenticate(make_user("auditor", org_tree["network"]))
    assert api.post(reverse("dailyseal-retry", args=[seal.pk])).status_code == 403
    api.force_authenticate(make_user("log_officer", org_tree["network"]))
    answer = api.post(reverse("dailyseal-retry", args=[seal.pk])).json()
    assert answer["status"] == "sealed" and answer["tsa_token"]


def test_menu_and_list_pages_query_counts(
    received, org_tree, make_user, django_assert_max_num_queries
):
    for day in range(3):
        DailySeal.objects.create(
            unit=org_tree["network"],
            day=DAY - timedelta(days=10 + day),
            manifest="{}",
            manifest_sha256="x",
        )
    client = Client()
    client.force_login(make_user("log_officer", org_tree["network"]))
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("logs5651:who") in home
    assert (
        "status=not_sealed&amp;status=failed" in home or "status=not_sealed&status=failed" in home
    )
    for name in ("logs5651:logsource_list", "logs5651:logfile_list", "logs5651:dailyseal_list"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name)).status_code == 200
    client.force_login(make_user("technician", org_tree["network"]))
    assert reverse("logs5651:who") not in client.get(reverse("core:home")).content.decode()
