"""A ticket's link to the asset register (``Ticket.asset_id``, through ``biys.core.assets``):
kept at filing, made for older tickets by ``link_ticket_assets`` (service, command and page), and
read by the ticket page and the asset's fault history."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from biys.core import assets
from biys.core.models import ObjectChange
from biys.inventory.models import Asset
from biys.inventory.tests.factories import make_asset
from biys.servicedesk import services
from biys.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db


def file_ticket(desk, reference, title="Ekran kararıyor"):
    return services.create_ticket(
        catalog_item=desk.printer,
        requester=desk.requester.person,
        title=title,
        created_by=desk.requester,
        asset_reference=reference,
    )


@pytest.fixture
def register(desk):
    """Two assets of the roads unit; a third whose serial is the first one's inventory number
    typed in small letters (a reference to it is ambiguous)."""
    roads = desk.requester.person.unit
    first = make_asset(roads, serial_number="PI-7701")
    second = make_asset(roads, serial_number="SN4420")
    confusing = make_asset(roads, serial_number=first.inventory_number.lower())
    return first, second, confusing


def legacy(*tickets):
    """Tickets as filed before the link existed."""
    Ticket.objects.filter(pk__in=[ticket.pk for ticket in tickets]).update(asset_id=None)


def test_reference_key_folds_turkish_case_spaces_and_dashes():
    assert assets.reference_key(" pı-7701 ") == assets.reference_key("PI-7701") == "pi7701"
    assert assets.reference_key("SN 4420") == assets.reference_key("sn4420")
    assert assets.reference_key("ŞN-İ1") == "sni1"
    assert assets.reference_key("FOC 1234-5678") == assets.reference_key("foc12345678")
    assert assets.squeezed_upper(" foc 1234-5678 ") == "FOC12345678"


def test_a_serial_stored_with_spaces_or_dashes_matches_one_typed_without(desk):
    """The label says 'FOC 1234-5678', the requester types 'foc12345678' (or the other way
    round): filing and the link run find the one asset, through the same key."""
    roads = desk.requester.person.unit
    spaced = make_asset(roads, serial_number="FOC 1234-5678")
    plain = make_asset(roads, serial_number="ZX9900")
    assert file_ticket(desk, "foc12345678").asset_id == spaced.pk
    assert file_ticket(desk, "zx-99 00").asset_id == plain.pk
    older = [file_ticket(desk, "FOC1234 5678"), file_ticket(desk, "Zx-9900")]
    legacy(*older)
    report = services.link_ticket_assets()
    assert report.linked == 2 and not report.unmatched
    linked = Ticket.objects.filter(pk__in=[ticket.pk for ticket in older])
    assert sorted(linked.values_list("asset_id", flat=True)) == sorted([spaced.pk, plain.pk])
    assert assets.match_assets(["foc-1234-5678"]) == {"foc12345678": (spaced.pk,)}


def test_filing_links_the_named_asset(desk, register):
    first, second, _confusing = register
    assert file_ticket(desk, second.inventory_number).asset_id == second.pk
    # typed on a Turkish keyboard, with spaces: the one asset folding to the same key
    typed = file_ticket(desk, "  pı-7701 ")
    assert typed.asset_id == first.pk and typed.asset_reference == "pı-7701"
    assert file_ticket(desk, "sn 4420").asset_id == second.pk
    unknown = file_ticket(desk, "YOK-123")
    assert unknown.asset_id is None


def test_link_survives_a_new_inventory_number(client, desk, register):
    """The page and the fault history follow the link, not the number typed at filing."""
    first = register[0]
    ticket = file_ticket(desk, first.inventory_number, title="Fan sesi")
    Asset.objects.filter(pk=first.pk).update(inventory_number="255.01-2026-999999")
    client.force_login(desk.roads_chief)
    html = client.get(reverse("servicedesk:ticket", args=[ticket.pk])).content.decode()
    device = html.split('id="ticket-asset"')[1].split("</dd>")[0]
    assert "255.01-2026-999999" in device and first.get_absolute_url() in device
    faults = client.get(first.get_absolute_url() + "?tab=faults").content.decode()
    assert ticket.number in faults


def test_editing_the_reference_relinks(desk, register):
    first, second, _confusing = register
    ticket = file_ticket(desk, first.inventory_number)
    services.update_ticket(ticket=ticket, user=desk.technician, asset_reference="sn4420")
    assert Ticket.objects.get(pk=ticket.pk).asset_id == second.pk


def test_link_run_links_matches_in_batches_and_lists_the_rest(desk, register):
    first, second, _confusing = register
    by_number = file_ticket(desk, first.inventory_number.upper())  # ambiguous: two assets
    by_serial = file_ticket(desk, "pı-7701")
    by_spaced = file_ticket(desk, "Sn 4420")
    unknown = [file_ticket(desk, " eski-42 "), file_ticket(desk, "ESKİ-42")]
    legacy(by_number, by_serial, by_spaced, *unknown)
    linked_before = Ticket.objects.filter(asset_id__isnull=False).count()

    dry = services.link_ticket_assets(dry_run=True, batch_size=2)
    assert (dry.examined, dry.linked, dry.batches) == (5, 2, 3)
    assert Ticket.objects.filter(asset_id__isnull=False).count() == linked_before

    records = ObjectChange.objects.count()
    report = services.link_ticket_assets(batch_size=2)
    assert (report.examined, report.linked) == (5, 2)
    assert Ticket.objects.get(pk=by_serial.pk).asset_id == first.pk
    assert Ticket.objects.get(pk=by_spaced.pk).asset_id == second.pk
    assert ObjectChange.objects.count() == records + 2
    change = ObjectChange.objects.filter(object_id=str(by_serial.pk)).latest("pk")
    assert change.action == "update" and change.postchange_data["asset_id"] == first.pk

    left = {group.outcome: group for group in report.unmatched_references}
    assert left["none"].count == 2 and left["none"].reference == "eski-42"
    assert left["several"].candidates == 2
    assert left["several"].tickets == [(by_number.pk, by_number.number)]

    again = services.link_ticket_assets()  # idempotent: only the unmatched are read again
    assert (again.examined, again.linked, again.unmatched_tickets) == (3, 0, 3)


def test_link_page_permission_run_and_csv(client, desk, register, make_user):
    stale = file_ticket(desk, "pı-7701")
    missing = file_ticket(desk, "ESKI-42")
    legacy(stale, missing)
    url = reverse("servicedesk:asset_links")
    client.force_login(desk.requester)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.link_ticket_assets(user=desk.requester)
    assert Ticket.objects.get(pk=stale.pk).asset_id is None

    client.force_login(make_user("inventory_officer", desk.requester.person.unit))
    html = client.get(url).content.decode()
    assert "ESKI-42" in html and missing.number in html and 'data-testid="asset-links-run"' in html
    response = client.post(url)
    assert response.status_code == 302
    assert Ticket.objects.get(pk=stale.pk).asset_id == register[0].pk

    response = client.get(reverse("servicedesk:asset_links_csv"), HTTP_ACCEPT_LANGUAGE="tr")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert "ESKI-42;" in body and missing.number in body and stale.number not in body


def test_command_dry_run_writes_nothing(desk, register):
    ticket = file_ticket(desk, "pı-7701")
    legacy(ticket, file_ticket(desk, "YOK-9"))
    out = StringIO()
    call_command("link_ticket_assets", "--dry-run", stdout=out)
    assert "1 would be linked" in out.getvalue() and "'YOK-9': no asset" in out.getvalue()
    assert Ticket.objects.get(pk=ticket.pk).asset_id is None
    call_command("link_ticket_assets", stdout=StringIO())
    assert Ticket.objects.get(pk=ticket.pk).asset_id == register[0].pk
