"""USOM's list against the internet access records of Law 5651 (the seam
``biys.core.access_records``, filled by ``biys.logs5651``): who reached a listed address, shown
to whoever may read access records (the log officer, with or without a SOME role, and the
auditor) within their units, and only the number of them to the rest of the SOME."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from biys.accounts.models import Role, RoleAssignment
from biys.core import access_records
from biys.logs5651.models import AccessRecord
from biys.logs5651.tests.factories import make_log_file
from biys.secops import selectors, services
from biys.secops.tests.conftest import SAMPLES

pytestmark = pytest.mark.django_db
LISTED = "198.51.100.23"  # on the sample list (url-list.txt)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def logs(org_tree, lead):
    """USOM's list imported; access records of two units, three of them to a listed address."""
    content = (SAMPLES / "usom" / "url-list.txt").read_bytes()
    services.import_usom_list(
        user=lead, file=SimpleUploadedFile("url-list.txt", content), filename="url-list.txt"
    )
    network = make_log_file(org_tree["network"])
    roads = make_log_file(org_tree["roads"])
    now = timezone.now()
    rows = [
        (network, "10.10.1.15", LISTED, "ahmet.yilmaz", now - timedelta(hours=3)),
        (network, "10.10.1.16", LISTED, "ayse.kaya", now - timedelta(hours=1)),
        (network, "10.10.1.17", "192.0.2.80", "mehmet.demir", now),  # not on the list
        (roads, "10.20.4.2", LISTED, "fen.kullanici", now - timedelta(hours=2)),
    ]
    for line, (file, ip, destination, identity, start) in enumerate(rows, start=1):
        AccessRecord.objects.create(
            source=file.source, file=file, kind="nat", ip=ip, mac="aa:bb:cc:dd:ee:0" + str(line),
            start=start, end=start + timedelta(minutes=5), identity=identity,
            nat_ip="203.0.113.1", dst_ip=destination, dst_port=443, line=line, offset=line * 80,
        )  # fmt: skip
    return {"network": network, "roads": roads}


def with_role(user, slug, unit):
    RoleAssignment.objects.create(
        user=user, role=Role.objects.get(slug=slug), unit=unit, include_subtree=True
    )
    return user


def test_the_log_module_fills_the_seam():
    assert access_records.matcher_installed()


def test_the_log_officer_sees_who_reached_a_listed_address_in_their_units(
    logs, org_tree, make_user
):
    officer = with_role(make_user("log_officer", org_tree["network"]), "some_member",
                        org_tree["dept"])  # fmt: skip
    matches = selectors.usom_access_matches(officer)
    assert matches.visible and matches.count == 2 and not matches.capped
    assert [(row.identity, row.internal_ip, row.address) for row in matches.rows] == [
        ("ayse.kaya", "10.10.1.16", LISTED),
        ("ahmet.yilmaz", "10.10.1.15", LISTED),
    ]  # newest first, only the network unit's source
    assert matches.rows[0].source == logs["network"].source.name
    page = Client()
    page.force_login(officer)
    response = page.get(reverse("secops:usom_access"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "ayse.kaya" in body and "10.10.1.15" in body and "fen.kullanici" not in body


def test_the_auditor_over_every_root_unit_sees_every_record(logs, make_user, org_tree):
    """Held over every root unit, the auditor holds it over the whole municipality (the scope's
    ``ALL``, which an ``if units_for(…)`` once read as nothing: the USOM pages were refused)."""
    auditor = with_role(make_user("auditor", org_tree["dept"]), "auditor", org_tree["roads"])
    matches = selectors.usom_access_matches(auditor)
    assert matches.visible and matches.count == 3
    assert {row.identity for row in matches.rows} == {"ahmet.yilmaz", "ayse.kaya", "fen.kullanici"}
    page = Client()
    page.force_login(auditor)
    for name in ("secops:usom_access", "secops:usom_matches", "secops:usomlistimport_list"):
        assert page.get(reverse(name)).status_code == 200, name


def test_a_some_member_without_the_5651_role_sees_the_number_only(logs, member):
    matches = selectors.usom_access_matches(member)
    assert not matches.visible and matches.count == 3 and matches.rows == []
    page = Client()
    page.force_login(member)
    body = page.get(reverse("secops:usom_access")).content.decode()
    assert "3 access records" in body or "3 erişim kaydı" in body
    assert "ahmet.yilmaz" not in body and "10.10.1.15" not in body
    api = APIClient()
    api.force_authenticate(member)
    data = api.get("/api/v1/secops/usom-addresses/access-matches/").json()
    assert data == {"installed": True, "count": 3, "capped": False, "visible": False, "rows": []}


def test_the_api_gives_the_officer_the_rows(logs, org_tree, make_user):
    officer = with_role(make_user("log_officer", org_tree["dept"]), "some_member",
                        org_tree["dept"])  # fmt: skip
    api = APIClient()
    api.force_authenticate(officer)
    data = api.get("/api/v1/secops/usom-addresses/access-matches/").json()
    assert data["visible"] and data["count"] == 2  # not the roads unit's record
    assert [row["identity"] for row in data["rows"]] == ["ayse.kaya", "ahmet.yilmaz"]
    assert data["rows"][0]["internal_ip"] == "10.10.1.16" and data["rows"][0]["dst_port"] == 443


def test_the_log_officer_alone_sees_the_rows_of_their_units(logs, make_user, org_tree):
    """The 5651 log officer without any SOME role (the demo's log.sorumlusu): the page, its
    menu entry and the API, with the records of their own units only (the log module shows
    them the same records); the list's entries and the incidents stay the SOME's."""
    officer = make_user("log_officer", org_tree["network"])
    page = Client()
    page.force_login(officer)
    response = page.get(reverse("secops:usom_access"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "ayse.kaya" in body and "10.10.1.15" in body and "fen.kullanici" not in body
    assert f'href="{reverse("secops:usom_access")}"' in body  # in the side menu
    assert f'href="{reverse("secops:usom_matches")}"' not in body
    api = APIClient()
    api.force_authenticate(officer)
    data = api.get("/api/v1/secops/usom-addresses/access-matches/").json()
    assert data["visible"] and data["count"] == 2
    assert [row["identity"] for row in data["rows"]] == ["ayse.kaya", "ahmet.yilmaz"]
    assert page.get(reverse("secops:usom_matches")).status_code == 403  # the incidents' page
    assert api.get("/api/v1/secops/usom-addresses/matches/").status_code == 403


def test_nobody_else_reaches_the_page(logs, make_user, org_tree):
    for slug in ("technician", "chief", "requester"):
        user = make_user(slug, org_tree["dept"])
        page = Client()
        page.force_login(user)
        assert page.get(reverse("secops:usom_access")).status_code == 403, slug
        api = APIClient()
        api.force_authenticate(user)
        response = api.get("/api/v1/secops/usom-addresses/access-matches/")
        assert response.status_code == 403, slug


def test_queries_do_not_grow_with_the_records(logs, org_tree, make_user):
    officer = with_role(make_user("log_officer", org_tree["dept"]), "some_member",
                        org_tree["dept"])  # fmt: skip
    selectors.usom_access_matches(officer)  # the user's scope read once, as in a request
    with CaptureQueriesContext(connection) as few:
        selectors.usom_access_matches(officer)
    file = logs["network"]
    start = timezone.now() - timedelta(days=1)
    AccessRecord.objects.bulk_create(
        AccessRecord(source=file.source, file=file, kind="nat", ip=f"10.10.2.{n}", start=start,
                     dst_ip=LISTED, line=100 + n, offset=n)
        for n in range(1, 60)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        matches = selectors.usom_access_matches(officer, limit=100)
    assert matches.count == 61 and len(matches.rows) == 61
    assert len(many.captured_queries) == len(few.captured_queries)


def test_without_the_log_module_the_page_says_so(logs, member, monkeypatch):
    monkeypatch.setattr(access_records, "_matcher", None)
    assert selectors.usom_access_matches(member) is None
    page = Client()
    page.force_login(member)
    response = page.get(reverse("secops:usom_access"))
    assert response.status_code == 200 and b"usom-access-none" in response.content
