"""Inventory agents: the GLPI Agent's JSON protocol and FusionInventory's XML, matching to the
register (hardware UUID, serial, MAC), conflicts, partial inventories, compression, the
endpoint's access rules and ``biys inventory ingest``."""

import base64
import copy
import gzip
import json
import zlib
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from biys.core.models import ObjectChange
from biys.inventory import agent_formats, agent_services
from biys.inventory.agent_formats import InventoryRefused
from biys.inventory.models import (
    AgentConflict,
    AgentDevice,
    AgentMac,
    Installation,
    MatchedBy,
)
from biys.inventory.tests.factories import make_asset

SAMPLES = Path(__file__).resolve().parent / "agent_samples"
SCHEMA = json.loads(agent_formats.SCHEMA_FILE.read_text(encoding="utf-8"))
EXAMPLES = sorted(SAMPLES.glob("*.json"))
TOKEN = "agent-secret-token"
URL = "/api/agent/"


def sample(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def body(document) -> bytes:
    return json.dumps(document).encode()


def ingest(document, **kwargs):
    return agent_services.ingest(body=body(document), **kwargs)


def basic(token: str = TOKEN) -> str:
    return "Basic " + base64.b64encode(f"agent:{token}".encode()).decode()


pytestmark = pytest.mark.django_db


@pytest.fixture
def agents(inv):
    return inv


# --------------------------------------------------------------------------- the schema


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_every_shared_example_is_accepted_or_refused_as_the_schema_says(agents, path):
    document = json.loads(path.read_text(encoding="utf-8"))
    valid = jsonschema.Draft7Validator(SCHEMA).is_valid(document)
    try:
        result = ingest(document)
    except InventoryRefused:
        accepted = False
    else:
        accepted = result.outcome in ("created", "matched")
    assert accepted == valid


def test_a_payload_the_schema_refuses_is_refused_with_its_own_message_and_nothing_written(agents):
    document = sample("computer_1.json")
    del document["deviceid"]
    with pytest.raises(InventoryRefused) as refused:
        ingest(document)
    assert refused.value.message == "'deviceid' is a required property"
    document = sample("computer_1.json")
    document["content"]["hardware"]["memory"] = "lots"
    with pytest.raises(InventoryRefused) as refused:
        ingest(document)
    assert refused.value.path == "content.hardware.memory"
    assert "'lots' is not of type 'integer'" in refused.value.message
    assert not AgentDevice.objects.exists()


def test_a_body_that_is_not_json_or_xml_is_refused(agents):
    for junk in (b"", b"\x78\x9cgarbage", b"not json", b"[1, 2]", b"<html></html>"):
        with pytest.raises(InventoryRefused):
            agent_services.ingest(body=junk)


# --------------------------------------------------------------------------- what is kept


def test_a_new_computer_is_discovered_without_an_inventory_number(agents):
    result = ingest(sample("computer_1.json"))
    device = result.device
    assert result.outcome == "created" and result.matched_by == MatchedBy.NEW
    assert device.asset is None and not device.is_registered
    assert device.unit == agents.unit.parent  # the IT department's top unit
    assert device.name == "glpixps"
    assert device.hardware_uuid == "4C4C4544-0034-3010-8048-B6C04F503732"
    assert device.serial_number == "640HP72"
    assert (device.manufacturer, device.model) == ("Dell Inc.", "XPS 13 9350")
    assert device.cpu.startswith("Intel(R) Core(TM) i5-6200U") and device.cpu_cores == 2
    assert device.memory_mb == 8192
    assert device.os_name == "Fedora 31 (Workstation Edition)" and device.os_arch == "x86_64"
    assert device.agent_version == "FusionInventory-Agent_v2.5.2-1.fc31"
    assert {disk["name"] for disk in device.disks} == {"nvme0n1"}
    assert [monitor["serial"] for monitor in device.monitors] == ["ABH55D"]
    assert [printer["serial"] for printer in device.printers] == ["MY47L1W1JHEB6"]
    assert sorted(AgentMac.objects.filter(device=device).values_list("mac", flat=True)) == [
        "00:e0:4c:68:01:db",
        "44:85:00:2b:90:bc",
    ]  # loopback and the virtual bridge are no keys
    assert len(device.software) == 6  # kept until the device is linked to an asset
    assert not Installation.objects.exists()


def test_the_agents_tag_names_the_unit_of_a_discovered_device(agents):
    agents.other_unit.short_name = "FEN"
    agents.other_unit.save()
    document = sample("computer_1.json")
    document["tag"] = "fen"
    assert ingest(document).device.unit == agents.other_unit


def test_matching_by_serial_links_the_register_and_records_software(agents):
    asset = make_asset(agents.unit, serial_number="640hp72")
    result = ingest(sample("computer_1.json"))
    assert result.outcome == "matched" and result.matched_by == MatchedBy.SERIAL
    assert result.device.asset == asset and result.device.unit == asset.unit
    assert Installation.objects.filter(asset=asset, source="agent").count() == 6
    assert result.software["added"] == 6
    again = ingest(sample("computer_1.json"))
    assert again.matched_by == MatchedBy.UUID and again.device.pk == result.device.pk
    assert again.software == {**again.software, "added": 0, "unchanged": 6}
    assert AgentDevice.objects.count() == 1


def test_a_discovered_device_is_linked_when_its_serial_is_registered_later(agents):
    discovered = ingest(sample("computer_1.json")).device
    asset = make_asset(agents.unit, serial_number="640HP72")
    result = ingest(sample("computer_1.json"))
    assert result.outcome == "matched" and result.device.pk == discovered.pk
    assert result.device.asset == asset
    assert Installation.objects.filter(asset=asset).count() == 6
    assert AgentConflict.objects.count() == 0


def test_matching_by_mac_when_uuid_and_serial_are_missing(agents):
    first = ingest(sample("computer_1.json")).device
    document = sample("computer_1.json")
    document["content"]["hardware"]["uuid"] = "00000000-0000-0000-0000-000000000000"
    document["content"]["bios"]["ssn"] = "To be filled by O.E.M."
    result = ingest(document)
    assert result.matched_by == MatchedBy.MAC and result.device.pk == first.pk


def test_uuid_comes_before_serial(agents):
    first = ingest(sample("computer_1.json")).device
    document = sample("computer_1.json")
    document["content"]["bios"]["ssn"] = "NEWBOARD1"  # a replaced mainboard's serial
    result = ingest(document)
    assert result.matched_by == MatchedBy.UUID and result.device.pk == first.pk
    assert result.device.serial_number == "NEWBOARD1"


def test_keys_pointing_at_two_records_are_a_conflict_never_merged(agents):
    asset_a = make_asset(agents.unit, serial_number="640HP72")
    device_a = ingest(sample("computer_1.json")).device  # UUID now belongs to asset A
    asset_a.serial_number = "OLD-A"
    asset_a.save()
    asset_b = make_asset(agents.unit, serial_number="640HP72")  # the serial is B's now
    before = AgentDevice.objects.get(pk=device_a.pk)
    result = ingest(sample("computer_1_partial_cpu.json"))
    assert result.outcome == "conflict" and result.device is None
    conflict = result.conflict
    assert conflict.is_open and conflict.unit == agents.unit
    assert {(c["matched_by"], c["kind"], c["id"]) for c in conflict.candidates} >= {
        ("uuid", "asset", asset_a.pk),
        ("serial", "asset", asset_b.pk),
    }
    after = AgentDevice.objects.get(pk=device_a.pk)
    assert after.last_inventory_at == before.last_inventory_at  # nothing applied
    assert not AgentDevice.objects.filter(asset=asset_b).exists()
    # The same agent again: the open conflict is updated, not duplicated.
    ingest(sample("computer_1_partial_cpu.json"))
    conflict.refresh_from_db()
    assert conflict.reports == 2 and AgentConflict.objects.count() == 1


def test_the_officer_resolves_a_conflict_by_choosing_a_record(agents):
    asset_a = make_asset(agents.unit, serial_number="640HP72")
    ingest(sample("computer_1.json"))
    asset_a.serial_number = "OLD-A"
    asset_a.save()
    asset_b = make_asset(agents.unit, serial_number="640HP72")
    conflict = ingest(sample("computer_1.json")).conflict
    with pytest.raises(Exception):  # noqa: B017 - not one of the candidates
        agent_services.resolve_conflict(conflict=conflict, choice="asset:999999")
    result = agent_services.resolve_conflict(
        conflict=conflict, choice=f"asset:{asset_b.pk}", user=agents.officer
    )
    conflict.refresh_from_db()
    assert not conflict.is_open and conflict.resolved_by == agents.officer
    assert result.device.asset == asset_b
    assert result.device.hardware_uuid == "4C4C4544-0034-3010-8048-B6C04F503732"
    # the UUID now names B alone: the next report matches without a conflict
    assert ingest(sample("computer_1.json")).device.asset == asset_b


# --------------------------------------------------------------------------- partial inventories


def test_a_partial_inventory_updates_only_the_sections_it_sends(agents):
    asset = make_asset(agents.unit, serial_number="640HP72")
    ingest(sample("computer_1.json"))
    document = sample("computer_1_partial_cpu.json")
    document["content"]["cpus"][0]["name"] = "Intel(R) Core(TM) i7-6500U CPU @ 2.50GHz"
    result = ingest(document)
    device = result.device
    device.refresh_from_db()
    assert result.inventory.partial
    assert device.cpu.startswith("Intel(R) Core(TM) i7-6500U")
    assert device.os_name == "Fedora 31 (Workstation Edition)"  # not sent: kept
    assert len(device.monitors) == 1 and len(device.disks) == 1
    assert AgentMac.objects.filter(device=device).count() == 2
    assert Installation.objects.filter(asset=asset, removed_at__isnull=True).count() == 6


def test_a_partial_software_inventory_adds_without_removing(agents):
    asset = make_asset(agents.unit, serial_number="640HP72")
    ingest(sample("computer_1.json"))
    result = ingest(sample("computer_1_partial_softs.json"))
    assert result.software["removed"] == 0
    assert Installation.objects.filter(asset=asset, removed_at__isnull=False).count() == 0


def test_a_full_inventory_replaces_the_lists(agents):
    ingest(sample("computer_1.json"))
    document = sample("computer_1.json")
    del document["content"]["monitors"]
    document["content"]["networks"] = [
        n for n in document["content"]["networks"] if n.get("type") != "wifi"
    ]
    device = ingest(document).device
    assert device.monitors == []
    assert list(AgentMac.objects.filter(device=device).values_list("mac", flat=True)) == [
        "00:e0:4c:68:01:db"
    ]


def test_one_ingest_writes_its_change_records_in_one_batch(agents):
    make_asset(agents.unit, serial_number="640HP72")
    before = ObjectChange.objects.count()
    ingest(sample("computer_1.json"))
    records = ObjectChange.objects.order_by("pk")[before:]
    assert len(records) > 6
    # sealed together: consecutive positions of one chain
    chains = {record.chain for record in records}
    assert len(chains) == 1
    sequences = [record.sequence for record in records]
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))


# --------------------------------------------------------------------------- FusionInventory XML


def test_fusion_xml_is_read_with_the_same_mapping(agents):
    asset = make_asset(agents.unit, serial_number="PC1ABCDE")
    xml = (SAMPLES / "fusion_computer.xml").read_bytes()
    result = agent_services.ingest(
        body=zlib.compress(xml), content_type="application/x-compress-zlib"
    )
    device = result.device
    assert result.outcome == "matched" and result.matched_by == MatchedBy.SERIAL
    assert device.asset == asset and device.name == "ZABITA-PC-07"
    assert device.memory_mb == 16384 and device.cpu_cores == 6
    assert device.os_name == "Debian GNU/Linux 12 (bookworm)"
    assert [i["ip"] for i in device.interfaces if not i["virtual"]] == ["10.20.30.47"]
    assert list(device.macs.values_list("mac", flat=True)) == ["e8:6a:64:12:34:56"]
    assert device.monitors[0]["serial"] == "V5W12345"
    assert device.printers[0]["name"] == "HP_LaserJet_M404"
    installed = Installation.objects.filter(asset=asset).select_related("title")
    assert {row.title.name for row in installed} == {"LibreOffice", "Mozilla Firefox"}
    assert installed.get(title__name="LibreOffice").installed_on.isoformat() == "2024-03-05"


def test_fusion_xml_without_deviceid_is_refused(agents):
    xml = b"<REQUEST><QUERY>INVENTORY</QUERY><CONTENT/></REQUEST>"
    with pytest.raises(InventoryRefused) as refused:
        agent_services.ingest(body=xml)
    assert refused.value.format == "fusion"


# --------------------------------------------------------------------------- the endpoint


@override_settings(BIYS_AGENT_TOKEN="", BIYS_AGENT_NETWORKS=[])
def test_without_a_token_or_networks_every_agent_is_refused(agents, client):
    response = client.post(URL, body(sample("computer_1.json")), content_type="application/json")
    assert response.status_code == 403 and response.json()["status"] == "error"
    assert not AgentDevice.objects.exists()


@override_settings(BIYS_AGENT_TOKEN=TOKEN, BIYS_AGENT_NETWORKS=[])
def test_the_token_is_the_basic_password(agents, client):
    document = body(sample("computer_1.json"))
    response = client.post(URL, document, content_type="application/json")
    assert response.status_code == 401 and "Basic" in response["WWW-Authenticate"]
    response = client.post(
        URL, document, content_type="application/json", HTTP_AUTHORIZATION=basic("wrong")
    )
    assert response.status_code == 401
    response = client.post(
        URL, document, content_type="application/json", HTTP_AUTHORIZATION=basic()
    )
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert AgentDevice.objects.count() == 1


@override_settings(BIYS_AGENT_TOKEN="", BIYS_AGENT_NETWORKS=["127.0.0.0/8"])
def test_an_allowed_network_needs_no_token(agents, client):
    response = client.post(
        "/front/inventory.php", body(sample("computer_2.json")), content_type="application/json"
    )
    assert response.status_code == 200
    response = client.post(
        URL,
        body(sample("computer_2.json")),
        content_type="application/json",
        REMOTE_ADDR="192.0.2.5",
    )
    assert response.status_code == 403


@override_settings(BIYS_AGENT_TOKEN=TOKEN)
def test_the_glpi_agent_protocol_contact_then_compressed_inventory(agents, client):
    auth = {"HTTP_AUTHORIZATION": basic()}
    contact = {
        "action": "contact",
        "deviceid": "glpixps-2018-07-09-09-07-13",
        "name": "GLPI-Agent",
        "version": "1.7",
        "installed-tasks": ["inventory"],
        "enabled-tasks": ["inventory"],
    }
    response = client.post(URL, body(contact), content_type="application/json", **auth)
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "ok" and answer["expiration"] == 24
    assert "inventory" in answer["tasks"]
    for compress, kind in (
        (zlib.compress, "application/x-compress-zlib"),
        (gzip.compress, "application/x-compress-gzip"),
    ):
        response = client.post(
            URL, compress(body(sample("computer_1.json"))), content_type=kind, **auth
        )
        assert response.status_code == 200, response.content
        assert response.json() == {"status": "ok", "expiration": 24}
    assert AgentDevice.objects.count() == 1


@override_settings(BIYS_AGENT_TOKEN=TOKEN)
def test_the_endpoint_answers_a_refusal_in_the_agent_protocol(agents, client):
    document = sample("computer_1.json")
    document["content"]["hardware"]["memory"] = "lots"
    response = client.post(
        URL, body(document), content_type="application/json", HTTP_AUTHORIZATION=basic()
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["status"] == "error"
    assert answer["message"] == "content.hardware.memory: 'lots' is not of type 'integer'"
    assert not AgentDevice.objects.exists()


@override_settings(BIYS_AGENT_TOKEN=TOKEN)
def test_the_fusion_protocol_prolog_then_inventory(agents, client):
    auth = {"HTTP_AUTHORIZATION": basic()}
    prolog = (
        b'<?xml version="1.0" encoding="UTF-8" ?><REQUEST><DEVICEID>zabita-pc-07</DEVICEID>'
        b"<QUERY>PROLOG</QUERY><TOKEN>12345678</TOKEN></REQUEST>"
    )
    response = client.post(
        "/plugins/fusioninventory/",
        zlib.compress(prolog),
        content_type="application/x-compress-zlib",
        **auth,
    )
    assert response.status_code == 200
    assert b"<RESPONSE>SEND</RESPONSE>" in response.content
    xml = (SAMPLES / "fusion_computer.xml").read_bytes()
    response = client.post(
        "/plugins/fusioninventory/",
        zlib.compress(xml),
        content_type="application/x-compress-zlib",
        **auth,
    )
    assert response.status_code == 200 and b"<REPLY>" in response.content
    assert AgentDevice.objects.get().name == "ZABITA-PC-07"
    broken = zlib.compress(
        xml.replace(b"<DEVICEID>zabita", b"<DEVICEIDX>zabita").replace(
            b"</DEVICEID>", b"</DEVICEIDX>"
        )
    )
    response = client.post(URL, broken, content_type="application/x-compress-zlib", **auth)
    assert response.status_code == 400 and b"<ERROR>" in response.content


# --------------------------------------------------------------------------- the command line


def test_cli_ingest_prints_the_match(agents, tmp_path):
    asset = make_asset(agents.unit, serial_number="640HP72")
    path = tmp_path / "inventory.json.gz"
    path.write_bytes(gzip.compress(body(sample("computer_1.json"))))
    out = StringIO()
    call_command("inventory", "ingest", str(path), stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["refused"] is False and printed["outcome"] == "matched"
    assert printed["matched_by"] == "serial"
    assert printed["asset"] == {
        "id": asset.pk,
        "inventory_number": asset.inventory_number,
        "serial_number": "640HP72",
    }


def test_cli_ingest_refuses_with_the_schema_error(agents, tmp_path):
    document = sample("computer_1.json")
    del document["content"]["versionclient"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("inventory", "ingest", str(path), stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["refused"] is True
    assert printed["error"] == "'versionclient' is a required property"
    assert printed["path"] == "content"
    assert not AgentDevice.objects.exists()


def test_cli_exit_status_is_non_zero_on_refusal(agents, tmp_path):
    from biys.cli import main

    path = tmp_path / "broken.json"
    path.write_text("{}")
    with pytest.raises(SystemExit) as exit_:
        main(["inventory", "ingest", str(path)])
    assert exit_.value.code == 1


def test_inventory_round_trips_through_a_conflict(agents):
    inventory = agent_formats.read(body(sample("computer_3.json")))
    assert agent_formats.Inventory.from_dict(copy.deepcopy(inventory.as_dict())) == inventory


# --------------------------------------------------------------------------- concurrency


def _machine(number: int) -> dict:
    """computer_1, as another machine: its own UUID, serial, MACs and device id, the same
    software plus one title of its own (new titles created by many reports at once)."""
    document = sample("computer_1.json")
    content = document["content"]
    document["deviceid"] = f"pc-{number:03d}-2026-01-05-09-00-00"
    content["hardware"]["uuid"] = f"4c4c4544-0034-3010-8048-{number:012d}"
    content["hardware"]["name"] = f"pc-{number:03d}"
    content["bios"]["ssn"] = f"SN-AGENT-{number:03d}"
    for network in content["networks"]:
        if network.get("mac") and not network.get("virtualdev"):
            network["mac"] = network["mac"][:-5] + f"{number // 256:02x}:{number % 256:02x}"
    content["softwares"].append({"name": f"Belediye Uygulaması {number % 5}", "publisher": "BİYS"})
    if number % 2:  # another order of the same titles
        content["softwares"].reverse()
    return document


def _run_at_once(jobs) -> list:
    import threading

    from django.db import connection

    barrier, errors = threading.Barrier(len(jobs)), []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()  # the thread's own connection: none left open at teardown

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "an agent's report hung"
    return errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_agents_at_once_no_deadlock_no_lost_update(org_tree, make_user, system_context):
    """Twenty computers report at once (their assets registered, shared and new software
    titles), then twenty partial reports of one computer, each adding a title of its own:
    every report is applied, none waits forever, none is lost."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL (DATABASE_URL)")
    from biys.inventory.models import SoftwareTitle

    unit = org_tree["network"]
    assets = [make_asset(unit, serial_number=f"SN-AGENT-{n:03d}") for n in range(20)]
    errors = _run_at_once([lambda n=n: ingest(_machine(n)) for n in range(20)])
    assert errors == []
    assert AgentDevice.objects.count() == 20
    assert AgentDevice.objects.filter(asset__in=assets).count() == 20
    for asset in assets:
        assert Installation.objects.filter(asset=asset, removed_at__isnull=True).count() == 7
    assert SoftwareTitle.objects.filter(publisher="BİYS").count() == 5

    def partial(n: int):
        document = sample("computer_1_partial_softs.json")
        document["content"]["hardware"]["uuid"] = "4c4c4544-0034-3010-8048-000000000007"
        document["content"]["bios"]["ssn"] = "SN-AGENT-007"
        document["content"]["softwares"] = [{"name": f"Eklenti {n}", "publisher": "BİYS"}]
        return ingest(document)

    errors = _run_at_once([lambda n=n: partial(n) for n in range(20)])
    assert errors == []
    assert AgentDevice.objects.count() == 20
    current = Installation.objects.filter(asset=assets[7], removed_at__isnull=True)
    assert current.count() == 7 + 20


@override_settings(BIYS_AGENT_TOKEN=TOKEN)
def test_a_script_asking_for_problem_details_gets_them(agents, client):
    document = sample("computer_1.json")
    document["content"]["hardware"]["memory"] = "lots"
    response = client.post(
        URL,
        body(document),
        content_type="application/json",
        HTTP_AUTHORIZATION=basic(),
        HTTP_ACCEPT="application/problem+json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["type"].endswith("invalid_inventory")
    assert problem["errors"] == {"content.hardware.memory": ["'lots' is not of type 'integer'"]}


# --------------------------------------------------------------------------- the real agent


@pytest.mark.django_db(transaction=True)
def test_debians_fusioninventory_agent_reports_this_machine(org_tree, live_server, tmp_path):
    """Debian's ``fusioninventory-agent`` (scripts/system-packages.sh installs it) inventories
    this machine and reports it to a live server on loopback: PROLOG, then its compressed XML
    inventory, through the token as its HTTP password."""
    import shutil
    import socket
    import subprocess

    binary = shutil.which("fusioninventory-agent")
    if binary is None:
        pytest.skip(
            "fusioninventory-agent is not installed (apt-get install fusioninventory-agent)"
        )
    with override_settings(BIYS_AGENT_TOKEN=TOKEN, BIYS_AGENT_NETWORKS=[]):
        run = subprocess.run(
            [
                binary,
                "--server",
                f"{live_server.url}/plugins/fusioninventory/",
                "--user",
                "agent",
                "--password",
                TOKEN,
                "--tasks",
                "inventory",
                "--force",
                "--no-httpd",
                "--no-fork",
                "--config",
                "none",
                "--logger",
                "stderr",
                "--debug",
                "--timeout",
                "60",
                "--backend-collect-timeout",
                "60",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    log = run.stdout + run.stderr
    assert run.returncode == 0, log[-3000:]
    device = AgentDevice.objects.get()
    assert device.agent_version.startswith("FusionInventory-Agent"), log[-2000:]
    assert device.name.lower() == socket.gethostname().split(".")[0].lower()
    assert device.os_name
    assert device.interfaces
    assert device.unit == org_tree["dept"]


# --------------------------------------------------------------------------- the pages


def test_the_asset_page_shows_the_agents_last_report(agents, client):
    asset = make_asset(agents.unit, serial_number="640HP72")
    ingest(sample("computer_1.json"))
    client.force_login(agents.officer)
    page = client.get(asset.get_absolute_url()).content.decode()
    assert "?tab=agent" in page
    page = client.get(asset.get_absolute_url(), {"tab": "agent"}).content.decode()
    assert "Fedora 31 (Workstation Edition) (x86_64)" in page  # the version not said twice
    assert "FusionInventory-Agent_v2.5.2-1.fc31" in page
    assert "00:e0:4c:68:01:db" in page and "XPS 13 9350" in page


def test_the_officer_links_a_discovered_device_on_its_page(agents, client):
    document = sample("computer_1.json")
    agents.unit.short_name = "SAM"
    agents.unit.save()
    document["tag"] = "SAM"
    device = ingest(document).device
    asset = make_asset(agents.unit, serial_number="OTHER-SERIAL")
    client.force_login(agents.officer)
    page = client.get(device.get_absolute_url())
    assert page.status_code == 200
    assert f"/inventory/agent-devices/{device.pk}/link/" in page.content.decode()
    response = client.post(
        f"/inventory/agent-devices/{device.pk}/link/",
        {"asset_reference": asset.inventory_number},
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.asset == asset
    assert Installation.objects.filter(asset=asset).count() == 6
    assert device.software == []


def test_the_officer_resolves_a_conflict_on_its_page(agents, client):
    asset_a = make_asset(agents.unit, serial_number="640HP72")
    ingest(sample("computer_1.json"))
    asset_a.serial_number = "OLD-A"
    asset_a.save()
    asset_b = make_asset(agents.unit, serial_number="640HP72")
    conflict = ingest(sample("computer_1.json")).conflict
    client.force_login(agents.officer)
    listing = client.get("/inventory/agent-conflicts/?open=true").content.decode()
    assert conflict.get_absolute_url() in listing
    page = client.get(conflict.get_absolute_url()).content.decode()
    assert f"asset:{asset_b.pk}" in page and asset_b.inventory_number in page
    response = client.post(
        f"/inventory/agent-conflicts/{conflict.pk}/resolve/", {"choice": f"asset:{asset_b.pk}"}
    )
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert not conflict.is_open and conflict.resolved_by == agents.officer
    assert AgentDevice.objects.get(asset=asset_b).hardware_uuid


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS | 16, zlib.MAX_WBITS], ids=["gzip", "zlib"])
def test_a_compressed_body_is_refused_before_it_inflates_past_the_limit(monkeypatch, wbits):
    """A small body standing for much more (a "zip bomb") is refused having inflated no more
    than the limit, whichever compression it uses."""
    monkeypatch.setattr(agent_formats, "MAX_BODY", 1024 * 1024)
    packer = zlib.compressobj(wbits=wbits)
    body = packer.compress(b"\0" * (64 * 1024 * 1024)) + packer.flush()
    assert len(body) < 100_000
    inflated = []
    original = zlib.decompressobj

    def watched(*args, **kwargs):
        decompressor = original(*args, **kwargs)

        class Watched:
            def decompress(self, data, max_length=0):
                out = decompressor.decompress(data, max_length)
                inflated.append(len(out))
                return out

        return Watched()

    monkeypatch.setattr(agent_formats.zlib, "decompressobj", watched)
    with pytest.raises(InventoryRefused):
        agent_formats.inflate(body)
    assert inflated and max(inflated) <= agent_formats.MAX_BODY + 1
    small = zlib.compressobj(wbits=wbits)
    assert agent_formats.inflate(small.compress(b'{"a": 1}') + small.flush()) == b'{"a": 1}'
