"""USOM's list against the 5651 access records in Chromium: the log officer of the network unit,
with no SOME role (the demo's log.sorumlusu), opens *Erişim kayıtlarında USOM listesi* (in the
side menu) and sees who reached a listed address in their unit's records, not another unit's.
Leaves the screenshot secops-usom-access.png."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTED = "198.51.100.23"  # on the sample list (url-list.txt)


def test_the_log_officer_sees_who_reached_a_listed_address(
    page, login_as, make_user, org_tree, screenshot, tmp_path, settings
):
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from biys.logs5651.models import AccessRecord
    from biys.logs5651.tests.factories import make_log_file
    from biys.secops import services
    from biys.secops.tests.conftest import SAMPLES

    settings.MEDIA_ROOT = tmp_path / "media"
    lead = make_user("some_lead", org_tree["dept"])
    content = (SAMPLES / "usom" / "url-list.txt").read_bytes()
    services.import_usom_list(
        user=lead, file=SimpleUploadedFile("url-list.txt", content), filename="url-list.txt"
    )
    network, roads = make_log_file(org_tree["network"]), make_log_file(org_tree["roads"])
    now = timezone.now()
    rows = [
        (network, "10.10.1.15", LISTED, "ahmet.yilmaz", now - timedelta(hours=3)),
        (network, "10.10.1.16", LISTED, "ayse.kaya", now - timedelta(hours=1)),
        (network, "10.10.1.17", "192.0.2.80", "mehmet.demir", now),  # not on the list
        (roads, "10.20.4.2", LISTED, "fen.kullanici", now - timedelta(hours=2)),
    ]
    for line, (file, ip, destination, identity, start) in enumerate(rows, start=1):
        AccessRecord.objects.create(
            source=file.source, file=file, kind="nat", ip=ip, mac=f"aa:bb:cc:dd:ee:0{line}",
            start=start, end=start + timedelta(minutes=5), identity=identity,
            nat_ip="203.0.113.1", dst_ip=destination, dst_port=443, line=line, offset=line * 80,
        )  # fmt: skip

    login_as(make_user("log_officer", org_tree["network"], first_name="Levent", last_name="Log"))
    page.goto("/")
    expect(page.locator('a[href="/secops/usom/access/"]').first).to_be_attached()  # the menu
    page.goto("/secops/usom/access/")
    expect(page.locator("#usom-access-count")).to_contain_text("2")
    table = page.locator("#usom-access tbody")
    expect(table.locator("tr")).to_have_count(2)
    first = table.locator("tr").first
    expect(first).to_contain_text(LISTED)
    expect(first).to_contain_text("10.10.1.16")
    expect(first).to_contain_text("ayse.kaya")
    expect(table).to_contain_text("ahmet.yilmaz")
    expect(table).not_to_contain_text("fen.kullanici")  # another unit's record
    expect(table).not_to_contain_text("mehmet.demir")  # an address not on the list
    screenshot(page, "secops-usom-access")
