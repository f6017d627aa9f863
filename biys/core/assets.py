"""The seam between modules that refer to a device by its number (the service desk's asset
reference) and the module that keeps the register (``biys.inventory``), which sit side by side
in the layers and never import each other.

The register plugs in a resolver at start-up (``register_asset_resolver``); a caller asks
``find_asset(reference)``. Without a register installed, ``find_asset`` answers ``None`` and
``register_installed()`` is False, so the caller keeps its own fallback.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AssetSummary:
    """What a ticket shows of the device it is about."""

    pk: int
    inventory_number: str
    serial_number: str
    model: str
    status: str
    unit_id: int
    warranty_end: date | None
    custodian: str
    url: str

    @property
    def under_warranty(self) -> bool:
        return self.warranty_end is not None and self.warranty_end >= date.today()


Resolver = Callable[[str], AssetSummary | None]
_resolver: Resolver | None = None
_viewer_check: Callable | None = None


def register_asset_resolver(resolver: Resolver, *, may_view: Callable | None = None) -> None:
    """``resolver(reference)``: the registered, in-service asset whose inventory number or serial
    number is ``reference``; ``may_view(user, summary)``: may the user open its page."""
    global _resolver, _viewer_check
    _resolver, _viewer_check = resolver, may_view


def register_installed() -> bool:
    return _resolver is not None


def find_asset(reference: str) -> AssetSummary | None:
    reference = (reference or "").strip()
    if not reference or _resolver is None:
        return None
    return _resolver(reference)


def may_view_asset(user, summary: AssetSummary) -> bool:
    return bool(_viewer_check and _viewer_check(user, summary))
