"""Inventory agents in Chromium: three reports arrive over HTTP at the live server's agent
endpoint, as an unmodified GLPI Agent sends them (JSON, the agent's token as its HTTP
password). One computer is on the register by its serial number, one is new, and the third's
keys name two records. The inventory officer links the new one to its asset, settles the
conflict on its page, and reads the agent's last report on the asset's page. Leaves the
screenshots inventory-agents.png and inventory-agent-report.png."""

import base64
import json
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parents[2] / "biys/inventory/tests/agent_samples"
TOKEN = "ajan-parolasi"


def report(live_server, name: str, **changes) -> dict:
    document = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    document.update(changes)
    request = urllib.request.Request(
        f"{live_server.url}/api/agent/",
        data=json.dumps(document).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(f"agent:{TOKEN}".encode()).decode(),
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_the_officer_links_a_discovered_computer_and_settles_a_conflict(
    live_server, page, login_as, make_user, org_tree, settings, screenshot
):
    from biys.inventory.models import AgentConflict, AgentDevice
    from biys.inventory.tests.factories import computers_code, make_asset, make_item_model

    settings.BIYS_AGENT_TOKEN = TOKEN
    settings.BIYS_AGENT_NETWORKS = []
    unit = org_tree["dept"]
    unit.short_name = "BIDB"
    unit.save()
    model = make_item_model(unit, brand="Dell", name="XPS 13", tasinir_code=computers_code())
    on_register = make_asset(unit, item_model=model, serial_number="640HP72")
    unregistered = make_asset(unit, item_model=model, serial_number="ETIKETSIZ-01")
    officer = make_user("inventory_officer", unit, username="tasinir", first_name="Selin")

    # The registered computer reports (matched by serial), and a computer nobody registered.
    assert report(live_server, "computer_1.json", tag="BIDB")["status"] == "ok"
    assert report(live_server, "computer_2.json", tag="BIDB")["status"] == "ok"
    discovered = AgentDevice.objects.get(asset__isnull=True)

    page.set_default_navigation_timeout(60_000)  # a loaded CI machine renders the first page slowly
    login_as(officer)
    page.goto("/inventory/agent-devices/")
    table = page.locator("#main-content table")
    expect(table).to_contain_text(on_register.inventory_number)
    expect(page.locator(f"a[href='{discovered.get_absolute_url()}']").first).to_be_visible()
    screenshot(page, "inventory-agents")

    # The new computer is the asset without a label: the officer names it by its serial.
    page.goto(discovered.get_absolute_url())
    page.fill("#asset_reference", unregistered.serial_number)
    page.get_by_role("button", name="Demirbaşa bağla").click()
    expect(page.locator("#main-content")).to_contain_text(unregistered.inventory_number)
    discovered.refresh_from_db()
    assert discovered.asset == unregistered

    # The first computer's serial moves to another record: its next report names two records,
    # and waits for the officer instead of being merged.
    on_register.serial_number = "ESKI-SERI"
    on_register.save()
    other = make_asset(unit, item_model=model, serial_number="640HP72")
    assert report(live_server, "computer_1.json", tag="BIDB")["status"] == "ok"
    conflict = AgentConflict.objects.get()
    page.goto("/inventory/agent-conflicts/?open=true")
    page.locator(f"a[href='{conflict.get_absolute_url()}']").first.click()
    row = page.locator("tr", has_text=other.inventory_number)
    row.get_by_role("button", name="Bu kayıt").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    conflict.refresh_from_db()
    assert not conflict.is_open and conflict.resolved_by == officer
    assert AgentDevice.objects.get(hardware_uuid__isnull=False, asset=other)

    # The asset's page carries the agent's last report.
    page.goto(f"{other.get_absolute_url()}?tab=agent")
    main = page.locator("#main-content")
    expect(main).to_contain_text("Fedora 31 (Workstation Edition) (x86_64)")
    expect(main).to_contain_text("00:e0:4c:68:01:db")
    screenshot(page, "inventory-agent-report")
