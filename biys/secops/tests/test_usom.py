"""USOM's malicious address list: read from its two published shapes, refused whole when it
cannot be read, imported all or nothing, matched against the incidents' indicators (a new
match written on the incidents' timelines), shown to whoever may see it."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from biys.secops import services
from biys.secops.choices import ImportStatus
from biys.secops.models import IncidentEvent, Indicator, UsomAddress, UsomListImport
from biys.secops.tests.conftest import SAMPLES
from biys.secops.tests.factories import make_incident, make_usom_list_import
from biys.secops.usom import UsomListError, candidates, classify, parse

pytestmark = pytest.mark.django_db
TEXT = (SAMPLES / "usom" / "url-list.txt").read_bytes()
PAGE = (SAMPLES / "usom" / "address-page.json").read_bytes()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(content: bytes, name="url-list.txt"):
    return SimpleUploadedFile(name, content)


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Reading -----------------------------------------------------------------------------------


def test_the_text_list_is_read_line_by_line():
    parsed = parse(TEXT)
    assert parsed.format == "txt" and parsed.complete
    assert {(entry.kind, entry.value) for entry in parsed.entries} == {
        ("domain", "kotu-banka-giris.example"),
        ("domain", "www.e-devlet-dogrulama.example"),
        ("url", "e-devlet-dogrulama.example/giris.php"),
        ("ip", "198.51.100.23"),
        ("url", "203.0.113.9/panel"),
        ("domain", "kargo-takip-sms.example"),
    }
    assert parsed.skipped == 2  # a line that is no address, a repeated one


def test_a_page_of_the_address_api_is_read_with_its_details_and_is_not_the_whole_list():
    parsed = parse(PAGE)
    assert parsed.format == "json" and not parsed.complete
    first = next(entry for entry in parsed.entries if entry.kind == "domain")
    assert first.value == "fatura-odeme-iade.example" and first.usom_id == 1049758
    assert first.category == "PH" and first.criticality == 4
    assert first.listed_at.year == 2026 and parsed.skipped == 1


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe\x00bozuk", b'{"models": [{"url": "a.example"', b'{"other": []}', b"yok yok\n"],
)
def test_a_file_that_is_no_list_is_refused(content):
    with pytest.raises(UsomListError):
        parse(content)


def test_odd_json_values_are_skipped_not_fatal():
    content = (
        b'[{"url": 5, "id": 1e400}, {"url": "a.example", "id": -3, "criticality_level": 99999,'
        b' "date": "yarin"}, {"url": "b.example", "id": 99999999999999999999999}, "x"]'
    )
    parsed = parse(content)
    assert {entry.value for entry in parsed.entries} == {"a.example", "b.example"}
    assert all(entry.usom_id is None and entry.criticality is None for entry in parsed.entries)
    assert parsed.skipped == 2


def test_addresses_have_one_spelling_and_indicators_match_their_parents():
    assert classify("HTTPS://Kotu.Example./Giris/") == ("url", "kotu.example/Giris")
    assert classify("kotu.example:8080") == ("domain", "kotu.example")
    assert classify("2001:DB8::1") == ("ip", "2001:db8::1")
    kind, value = classify("türkçe-alan.example")
    assert kind == "domain" and value.startswith("xn--") and value.endswith(".example")
    assert classify("not an address") is None
    assert "kotu.example" in candidates("domain", "mail.kotu.example")
    assert "kotu.example" in candidates("email", "destek@kotu.example")
    assert {"kotu.example/giris", "kotu.example"} <= candidates("url", "https://kotu.example/giris")
    assert "example" not in candidates("domain", "kotu.example")
    assert candidates("hash", "a" * 64) == set()


# Importing and matching --------------------------------------------------------------------


def test_an_import_matches_the_indicators_and_writes_the_timeline(member, org_tree):
    incident = make_incident(org_tree["dept"])
    for kind, value in (("ip", "198.51.100.23"), ("email", "bilgi@e-devlet-dogrulama.example"),
                        ("url", "https://e-devlet-dogrulama.example/giris.php?x=1"),
                        ("ip", "192.0.2.1")):  # fmt: skip
        services.add_indicator(user=member, incident=incident, kind=kind, value=value)
    record = services.import_usom_list(user=member, file=upload(TEXT))
    assert record.status == ImportStatus.DONE and record.complete
    assert (record.added_count, record.known_count, record.skipped_count) == (6, 0, 2)
    assert record.match_count == 2 and record.new_match_count == 2
    listed = dict(Indicator.objects.values_list("value", "usom_address__value"))
    assert listed["198.51.100.23"] == "198.51.100.23"
    assert listed["bilgi@e-devlet-dogrulama.example"] is None  # the URL is listed, not the domain
    assert listed["192.0.2.1"] is None
    events = IncidentEvent.objects.filter(incident=incident, text__contains="USOM")
    assert events.count() == 2
    # Again: nothing new, no second line on the timeline.
    again = services.import_usom_list(user=member, file=upload(TEXT))
    assert (again.added_count, again.known_count, again.new_match_count) == (0, 6, 0)
    assert events.count() == 2


def test_a_whole_list_delists_what_it_no_longer_carries_and_a_page_does_not(member, org_tree):
    services.import_usom_list(user=member, file=upload(TEXT))
    services.import_usom_list(user=member, file=upload(PAGE, "sayfa.json"))
    assert UsomAddress.objects.filter(active=True).count() == 8
    shorter = b"kotu-banka-giris.example\n198.51.100.23\n"
    record = services.import_usom_list(user=member, file=upload(shorter))
    assert record.delisted_count == 6
    assert set(UsomAddress.objects.filter(active=True).values_list("value", flat=True)) == {
        "kotu-banka-giris.example",
        "198.51.100.23",
    }


def test_an_indicator_added_later_is_matched_at_once(member, org_tree):
    services.import_usom_list(user=member, file=upload(TEXT))
    incident = make_incident(org_tree["dept"])
    indicator = services.add_indicator(
        user=member, incident=incident, kind="domain", value="giris.kotu-banka-giris.example"
    )
    assert indicator.usom_address.value == "kotu-banka-giris.example"
    assert IncidentEvent.objects.filter(incident=incident, text__contains="USOM").exists()
    other = make_incident(org_tree["dept"])
    services.add_indicator(user=member, incident=other, kind="domain", value=indicator.value)
    assert IncidentEvent.objects.filter(incident=other, text__contains="USOM").exists()


def test_a_refused_file_imports_nothing(member):
    with pytest.raises(ValidationError) as error:
        services.import_usom_list(user=member, file=upload(b'{"models": [', "kesik.json"))
    assert "file" in error.value.message_dict
    assert not UsomListImport.objects.exists() and not UsomAddress.objects.exists()


def test_a_large_list_is_imported_in_the_background(member, settings):
    settings.BIYS_FINDINGS_BACKGROUND_BYTES = 10
    settings.CELERY_TASK_ALWAYS_EAGER = True
    record = services.import_usom_list(user=member, file=upload(TEXT))
    assert record.status == ImportStatus.QUEUED
    services.run_usom_import(usom_import_id=record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.added_count == 6


def test_the_schedule_fetches_the_list_from_its_address(settings):
    settings.BIYS_USOM_LIST_URL = "https://usom.example/url-list.txt"
    asked = []

    def opener(url, timeout):
        asked.append(url)
        return BytesIO(TEXT)

    pk = services.fetch_usom_list(opener=opener)
    record = UsomListImport.objects.get(pk=pk)
    assert asked == ["https://usom.example/url-list.txt"]
    assert record.source == "schedule" and record.imported_by is None and record.added_count == 6
    settings.BIYS_USOM_LIST_URL = ""
    assert services.fetch_usom_list(opener=opener) is None and len(asked) == 1


def test_only_the_some_imports_it(make_user, org_tree):
    for role in ("auditor", "technician", "chief"):
        with pytest.raises(PermissionDenied):
            services.import_usom_list(user=make_user(role, org_tree["dept"]), file=upload(TEXT))
    assert not UsomAddress.objects.exists()


# Screens and API ---------------------------------------------------------------------------


def test_the_pages_upload_list_and_show_the_matches(member, make_user, org_tree):
    incident = make_incident(org_tree["dept"])
    services.add_indicator(user=member, incident=incident, kind="ip", value="198.51.100.23")
    client = page_client(member)
    refused = client.post(reverse("secops:usom_upload"), {"file": upload(b"yok yok\n")})
    assert refused.status_code == 400 and not UsomAddress.objects.exists()
    response = client.post(reverse("secops:usom_upload"), {"file": upload(TEXT)})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    matches = client.get(reverse("secops:usom_matches")).content.decode()
    assert "198.51.100.23" in matches and incident.get_absolute_url() in matches
    listed = client.get(reverse("secops:usomaddress_list"), {"q": "kargo"}).content.decode()
    assert "kargo-takip-sms.example" in listed and "kotu-banka" not in listed
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "data-usom=" in page

    # Someone who sees the list but not that incident sees no match of it.
    outsider = make_user("some_member", org_tree["roads"])
    assert (
        "198.51.100.23"
        not in page_client(outsider).get(reverse("secops:usom_matches")).content.decode()
    )
    technician = page_client(make_user("technician", org_tree["network"]))
    for url in (reverse("secops:usom_matches"), reverse("secops:usom_upload")):
        assert technician.get(url).status_code in (403, 404), url
    for url in (reverse("secops:usomaddress_list"), reverse("secops:usomlistimport_list")):
        response = technician.get(url)  # the generic list: empty for whoever may not see it
        assert response.status_code in (200, 403) and b"kargo-takip" not in response.content
        assert b"url-list.txt" not in response.content
    auditor = page_client(make_user("auditor", org_tree["dept"]))
    assert auditor.get(reverse("secops:usom_matches")).status_code == 200
    assert auditor.get(reverse("secops:usom_upload")).status_code == 403


def test_the_api_imports_lists_and_matches(member, make_user, org_tree):
    incident = make_incident(org_tree["dept"])
    services.add_indicator(user=member, incident=incident, kind="ip", value="198.51.100.23")
    api = APIClient()
    api.force_authenticate(member)
    refused = api.post(
        reverse("usomlistimport-list"), {"file": upload(b"{", "x.json")}, format="multipart"
    )
    assert refused.status_code == 400 and "file" in refused.json()["errors"]
    created = api.post(reverse("usomlistimport-list"), {"file": upload(TEXT)}, format="multipart")
    assert created.status_code == 201 and created.json()["match_count"] == 1
    body = api.get(reverse("usomaddress-list"), {"kind": "ip"}).json()
    assert [row["value"] for row in body["results"]] == ["198.51.100.23"]
    matches = api.get(reverse("usomaddress-matches")).json()
    assert [row["value"] for row in matches] == ["198.51.100.23"]
    technician = APIClient()
    technician.force_authenticate(make_user("technician", org_tree["network"]))
    assert technician.get(reverse("usomaddress-matches")).status_code == 403
    assert technician.get(reverse("usomaddress-list")).json()["results"] == []
    refused = technician.post(
        reverse("usomlistimport-list"), {"file": upload(TEXT)}, format="multipart"
    )
    assert refused.status_code == 403


def test_the_lists_read_in_the_same_queries_whatever_their_length(member, org_tree):
    client, api = page_client(member), APIClient()
    api.force_authenticate(member)
    urls = [
        (client, reverse("secops:usomaddress_list")),
        (client, reverse("secops:usomlistimport_list")),
        (client, reverse("secops:usom_matches")),
        (api, reverse("usomaddress-list")),
        (api, reverse("usomaddress-matches")),
    ]

    def counts():
        result = []
        for who, url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert who.get(url).status_code == 200
            result.append(len(queries))
        return result

    incident = make_incident(org_tree["dept"])
    services.add_indicator(user=member, incident=incident, kind="ip", value="198.51.100.23")
    services.import_usom_list(user=member, file=upload(b"198.51.100.23\n"))
    counts()
    few = counts()
    services.import_usom_list(user=member, file=upload(TEXT))
    for n in range(4):
        other = make_incident(org_tree["dept"])
        services.add_indicator(
            user=member, incident=other, kind="domain", value=f"a{n}.kargo-takip-sms.example"
        )
    assert counts() == few


def test_the_import_api_for_every_role(org_tree, make_user):
    """The list of imports and the upload (POST) for every role, inside and outside a unit:
    listed to whoever holds the view permission anywhere (empty for the others), uploaded by
    whoever holds the import permission anywhere; the others are refused and nothing is
    imported."""
    from tests.permissions.matrix import ROLE_SPECS, role_cases, rolled_back

    listed = make_usom_list_import()
    url = reverse("usomlistimport-list")
    failures = []
    for role, inside in role_cases():
        api = APIClient()
        api.force_authenticate(
            make_user(role, org_tree["network"] if inside else org_tree["roads"])
        )
        where = f"{role} {'inside' if inside else 'outside'}"
        rows = [row["id"] for row in api.get(url).json()["results"]]
        if (rows == [listed.pk]) != ROLE_SPECS[role].matches("secops.view_usomlistimport"):
            failures.append(f"{where}: lists {rows}")

        def send(api=api):
            response = api.post(url, {"file": upload(TEXT)}, format="multipart")
            return response.status_code, UsomListImport.objects.count()

        status, count = rolled_back(send)
        if ROLE_SPECS[role].matches("secops.add_usomlistimport"):
            if status != 201 or count != 2:
                failures.append(f"{where}: upload -> {status}")
        elif status != 403 or count != 1:
            failures.append(f"{where}: upload -> {status}, {count} imports")
    assert not failures, "\n".join(failures)
