"""The search box finds assets by inventory number, serial number, brand and model."""

from biys.core.search import register
from biys.inventory.models import Asset
from biys.inventory.selectors import search_condition

register(
    Asset,
    order_by=("inventory_number",),
    exact=search_condition,
    select_related=("item_model",),
)
