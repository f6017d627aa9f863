"""The asset list renders its rows from the record (``AssetTable``'s ``cell_`` methods, read by
``core.tables.render_rows``): the same cells as the columns' own rendering, in both languages,
for rows read as the list reads them and for ORM objects."""

from decimal import Decimal

import pytest
from django.template import Context
from django.utils import translation

from biys.core.querysets import read_rows
from biys.core.tables import render_rows
from biys.inventory.models import Asset
from biys.inventory.tables import AssetTable
from biys.inventory.tests.factories import make_asset, make_item_model, make_location
from biys.inventory.views import ASSET_LIST_READ
from biys.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


class ColumnsAssetTable(AssetTable):
    """The reference: every cell through the columns (no ``cell_`` method)."""


for _name in [name for name in vars(AssetTable) if name.startswith("cell_")]:
    setattr(ColumnsAssetTable, _name, None)


@pytest.fixture
def assets(inv):
    odd = make_item_model(inv.unit, brand="A&B <Ltd>", name='Model "7" <x>')
    room = make_location(inv.unit)
    person = PersonFactory(unit=inv.unit, first_name="Şule <b>", last_name="O'Neil & Co")
    made = [
        make_asset(inv.unit, item_model=inv.model, value=Decimal("1234567.50")),
        make_asset(inv.unit, item_model=odd, value=Decimal("0"), serial_number="<SN&1>"),
        make_asset(inv.unit, item_model=odd, value=Decimal("99.99"), serial_number="<SN&2>"),
        make_asset(inv.unit, item_model=inv.model, value=Decimal("24500.00")),
    ]
    Asset.objects.filter(pk=made[0].pk).update(
        custodian=inv.alice, status="in_custody", location=inv.location
    )
    Asset.objects.filter(pk=made[1].pk).update(
        custodian=person, status="faulty", location=room, serial_number=""
    )
    Asset.objects.filter(pk=made[2].pk).update(
        custodian=person, status="at_repair", location=None, warranty_end=None
    )
    Asset.objects.filter(pk=made[3].pk).update(status="scrapped", inventory_number="X<1>&")
    return made


def _rows(table_class, records, **options) -> str:
    return str(render_rows(table_class(records, **options), Context(autoescape=True)))


@pytest.mark.parametrize("language", ["tr", "en"])
@pytest.mark.parametrize("selectable", [False, True])
def test_asset_cells_equal_the_columns(assets, language, selectable):
    queryset = Asset.objects.order_by("-id")
    listed = read_rows(queryset, exclude=("search_text",), related=ASSET_LIST_READ)
    orm = list(queryset.select_related("item_model", "custodian", "unit", "location"))
    with translation.override(language):
        for records in (listed, orm):
            fast = _rows(AssetTable, records, selectable=selectable)
            assert fast == _rows(ColumnsAssetTable, records, selectable=selectable)
            assert fast.count("<tr ") == 4
        shown = _rows(AssetTable, listed)
    assert "&lt;SN&amp;1&gt;" not in shown and "&lt;SN&amp;2&gt;" in shown  # escaped; blank: —
    assert "A&amp;B &lt;Ltd&gt;" in shown and "X&lt;1&gt;&amp;" in shown
    assert "Şule &lt;b&gt; O&#x27;Neil &amp; Co" in shown
