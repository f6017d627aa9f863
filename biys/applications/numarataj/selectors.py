"""Reads of address numbering and street naming: what a user may see, a street's name history
with its buildings and numbers, and a building's numbering history."""

from biys.applications.numarataj.models import (
    Building,
    BuildingNumber,
    NumberingRequest,
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
