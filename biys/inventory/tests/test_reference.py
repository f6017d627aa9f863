"""A device reference (a ticket's asset reference) names an asset in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from biys.inventory.selectors import asset_by_reference, asset_summary
from biys.inventory.tests.factories import make_asset

pytestmark = pytest.mark.django_db


def test_inventory_number_then_serial_then_serial_ignoring_case(inv):
    by_serial = make_asset(inv.unit, item_model=inv.model, serial_number="ab-100")
    upper = make_asset(inv.unit, item_model=inv.model, serial_number="AB-100-X")
    # an asset whose serial is another asset's inventory number: the number wins
    numbered = make_asset(inv.unit, item_model=inv.model, serial_number="SN-NUM")
    clash = make_asset(inv.unit, item_model=inv.model, serial_number=numbered.inventory_number)
    assert asset_by_reference(numbered.inventory_number) == numbered != clash
    assert asset_by_reference("ab-100") == by_serial
    assert asset_by_reference("AB-100") == by_serial  # only a case-insensitive match
    assert asset_by_reference(" ab-100-x ") == upper
    assert asset_by_reference("yok-böyle-bir-cihaz") is None
    assert asset_by_reference("   ") is None


def test_a_reference_costs_one_query_found_or_not(inv):
    asset = make_asset(inv.unit, item_model=inv.model, serial_number="CN-0042")
    for reference, expected in (("DMB-0042", None), ("cn-0042", asset), ("CN-0042", asset)):
        with CaptureQueriesContext(connection) as queries:
            assert asset_by_reference(reference) == expected
        assert len(queries) == 1, reference


def test_a_folded_serial_is_looked_up_by_its_index(inv):
    if connection.vendor != "postgresql":
        pytest.skip("the plan of PostgreSQL")
    from biys.inventory.models import Asset

    query = Asset.objects.filter(serial_number__iexact="cn-0042").only("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
    assert "inventory_asset_serial_folded" in plan, plan


def test_the_summary_a_ticket_shows_reads_the_same_asset_as_plain_values(inv):
    from django.utils import translation

    from biys.inventory import services
    from biys.org.models import Person

    held = make_asset(inv.unit, item_model=inv.model, serial_number="pf-77")
    person = Person.objects.create(first_name="İpek", last_name="Işık", unit=inv.unit)
    services.hand_over(asset=held, person=person)
    stored = make_asset(inv.unit, item_model=inv.model, serial_number="PF-78")
    for asset, reference in ((held, "PF-77"), (stored, stored.inventory_number)):
        asset.refresh_from_db()
        for language in ("tr", "en"):
            with translation.override(language), CaptureQueriesContext(connection) as queries:
                summary = asset_summary(f" {reference} ")
            assert len(queries) == 1
            assert (summary.pk, summary.inventory_number, summary.serial_number) == (
                asset.pk,
                asset.inventory_number,
                asset.serial_number,
            )
            assert summary.model == str(asset.item_model)
            with translation.override(language):
                assert summary.status == asset.get_status_display()
            assert summary.custodian == (str(asset.custodian) if asset.custodian else "")
            assert (summary.unit_id, summary.warranty_end) == (asset.unit_id, asset.warranty_end)
            assert summary.url == asset.get_absolute_url()
    assert held.custodian and summary.custodian == ""
    assert asset_summary("yok") is None and asset_summary("") is None
