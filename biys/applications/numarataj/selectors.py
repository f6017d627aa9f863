"""Reads of address numbering and street naming: what a user may see, a street's name history
with its buildings and numbers, and a building's numbering history."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from biys.applications.numarataj.choices import FeeKind
from biys.applications.numarataj.models import (
    Building,
    BuildingNumber,
    NumberingRequest,
    NumberingTariff,
    Street,
    StreetName,
    StreetNamingProposal,
)

REQUEST_TYPE_CODE = "numarataj"
NAMING_TYPE_CODE = "sokak-isimlendirme"
LIST_RELATED = ("application", "application__responsible_unit", "street")


def requests_for(user):
    return NumberingRequest.objects.restrict(user, "view")


def proposals_for(user):
    return StreetNamingProposal.objects.restrict(user, "view")


def street_names(street: Street) -> list[StreetName]:
    """The names the street bore, the latest first."""
    return list(
        StreetName.objects.filter(street=street)
        .select_related("proposal")
        .order_by("-valid_from", "-id")
    )


def street_buildings(street: Street) -> list[Building]:
    """The street's buildings by door number (numbers as people read them: 2 before 10)."""
    buildings = list(Building.objects.filter(street=street).select_related("street"))

    def key(building):
        number = building.door_number
        digits = "".join(char for char in number if char.isdigit())
        return (not number, int(digits) if digits else 0, number)

    return sorted(buildings, key=key)


def building_numbers(building: Building) -> list[BuildingNumber]:
    """The numbers the building was given, the latest first."""
    return list(
        BuildingNumber.objects.filter(building=building)
        .select_related("street", "request", "request__application")
        .order_by("-given_on", "-id")
    )


def tariff_on(day: date) -> dict[str, NumberingTariff]:
    """The tariff valid on ``day``: per kind, the row with the latest ``valid_from`` not after
    it (kinds with no such row are left out). One query over a small table."""
    rows = {}
    for row in NumberingTariff.objects.filter(valid_from__lte=day).order_by("kind", "-valid_from"):
        rows.setdefault(row.kind, row)
    return rows


@dataclass
class FeeQuote:
    """The fee of a request by the tariff: (kind's label, count, amount each, amount) lines."""

    day: date
    lines: list[tuple[str, int, Decimal, Decimal]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line[3] for line in self.lines), Decimal("0.00"))


def inner_number_count(inner_numbers: str) -> int:
    return len([part for part in (inner_numbers or "").split(",") if part.strip()])


def tariff_fee(numbering: NumberingRequest, day: date) -> FeeQuote | None:
    """The request's fee by the tariff valid on ``day`` (its accrual day): the certificate,
    the door number and each inner door number. None when no tariff row is valid that day
    (the fee is then typed by hand)."""
    rows = tariff_on(day)
    if not rows:
        return None
    counts = {
        FeeKind.CERTIFICATE: 1,
        FeeKind.DOOR_NUMBER: 1 if numbering.door_number else 0,
        FeeKind.INNER_NUMBER: inner_number_count(numbering.inner_numbers),
    }
    quote = FeeQuote(day=day)
    for kind, count in counts.items():
        row = rows.get(kind)
        if row is None or not count:
            continue
        quote.lines.append((str(kind.label), count, row.amount, row.amount * count))
    return quote
