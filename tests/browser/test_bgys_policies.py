"""A policy in Chromium: the BGYS manager writes the policy and its first version, approves and
publishes it to the network branch; a member of staff there finds it under their
acknowledgements, reads it and accepts it; the manager sees the acknowledgement per unit and
downloads the CSV. Leaves the screenshot bgys-policy.png (the version's acknowledgements)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_policy_is_published_read_and_accepted(
    page, context, login_as, make_user, org_tree, screenshot
):
    from biys.acknowledgements.models import Acknowledgement
    from biys.bgys.models import Policy, PolicyVersion

    manager = make_user("bgys_manager", org_tree["dept"])
    reader = make_user(None, org_tree["helpdesk"])
    make_user(None, org_tree["network"])  # asked too, has not accepted yet
    login_as(manager)
    # The live server's first page fills its caches (URLs, templates, menu): on a loaded
    # machine that alone can take longer than the default 15 seconds.
    page.goto("/bgys/policies/", timeout=90_000)

    page.goto("/bgys/policies/add/")
    page.fill("#id_code", "BGYS-POL-01")
    page.fill("#id_title", "Bilgi Güvenliği Politikası")
    page.locator("#id_unit").select_option(str(org_tree["network"].pk))
    page.locator("#id_audience_units").select_option([str(org_tree["network"].pk)])
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator("#object-list")).to_contain_text("BGYS-POL-01")
    policy = Policy.objects.get()

    page.goto(policy.get_absolute_url() + "?tab=versions")
    page.get_by_test_id("add-policy-version").click()
    page.fill("#id_text", "Parolalar paylaşılmaz; güvenlik olayları SOME'ye hemen bildirilir.")
    page.fill("#id_change_summary", "İlk sürüm")
    page.locator("#main-content form button[type=submit]").first.click()
    version = PolicyVersion.objects.get()
    page.goto(version.get_absolute_url())
    page.get_by_test_id("policy-approve").click()
    expect(page.get_by_test_id("policy-state")).to_have_text("Onaylandı")
    page.get_by_test_id("policy-publish").click()
    expect(page.get_by_test_id("policy-state")).to_have_text("Yayımlandı")
    assert Acknowledgement.objects.of(version).count() == 2  # the manager is not in the branch

    # The member of staff reads and accepts it.
    login_as(reader)
    page.goto("/acknowledgements/")
    row = page.get_by_test_id("ack-row")
    expect(row).to_contain_text("Bilgi Güvenliği Politikası")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("policy-text")).to_contain_text("Parolalar paylaşılmaz")
    page.get_by_test_id("ack-check").check()
    page.get_by_test_id("ack-submit").click()
    expect(page.get_by_test_id("ack-done")).to_be_visible()
    done = Acknowledgement.objects.of(version).get(person_id=reader.person_id)
    assert done.acknowledged_by_id == reader.pk

    # The manager follows it per unit and downloads the list.
    login_as(manager)
    page.goto(version.get_absolute_url() + "?tab=acknowledgements")
    expect(page.get_by_test_id("ack-per-unit")).to_contain_text(org_tree["helpdesk"].name)
    expect(page.get_by_test_id("ack-totals")).to_contain_text("1")
    expect(page.get_by_test_id("ack-pending").locator("tbody tr")).to_have_count(1)
    screenshot(page, "bgys-policy")
    with page.expect_download() as download:
        page.get_by_test_id("ack-csv").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and b";" in content
