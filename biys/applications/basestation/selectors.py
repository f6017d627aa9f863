"""Reads of base-station sites: what a user may see, the sites and complaints of the map, and
the registered sites nearest to the coordinates a resident gave with a complaint."""

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Count, Q

from biys.applications.basestation.models import BaseStationSite, Operator, SiteComplaint

PERMIT_TYPE_CODE = "baz-istasyonu-yer-secim"
MOBILE_TYPE_CODE = "mobil-baz-istasyonu"
COMPLAINT_TYPE_CODE = "baz-istasyonu-sikayet"
PERMIT_TYPE_CODES = (PERMIT_TYPE_CODE, MOBILE_TYPE_CODE)
# The applications a resident's complaint about a site comes as: the complaint type (the
# public form, the counter), a 3071 petition, a CİMER or Alo 153 entry.
LINKABLE_TYPE_CODES = (COMPLAINT_TYPE_CODE, "dilekce", "cimer", "alo-153")
# The station's coordinates a resident may give on the public form (optional), kept in the
# complaint application's form data as text, with the location description (``konum``).
LATITUDE_KEY, LONGITUDE_KEY = "enlem", "boylam"
LIST_RELATED = ("application", "application__responsible_unit", "operator")
COMPLAINT_RELATED = ("application", "application__responsible_unit", "site", "site__application",
                     "site__operator")  # fmt: skip


def sites_for(user):
    return BaseStationSite.objects.restrict(user, "view")


SITE_RESULTS = 10


def find_sites(user, query: str) -> list[BaseStationSite]:
    """The sites ``user`` sees matching every word of ``query`` (application number, operator,
    site code, neighbourhood, address, block, parcel, contract), the newest first, at most
    ``SITE_RESULTS``: the searchable picker of the complaint link form. Fewer than two
    characters find nothing."""
    from biys.applications.basestation.filtersets import BaseStationSiteFilterSet

    query = (query or "").strip()
    if len(query) < 2:
        return []
    sites = sites_for(user).select_related("application", "operator")
    found = BaseStationSiteFilterSet({"q": query}, queryset=sites).qs.order_by("-id")
    return list(found[:SITE_RESULTS])


def complaints_for(user):
    return SiteComplaint.objects.restrict(user, "view")


def operators():
    return Operator.objects.filter(active=True).order_by("name")


def map_features(user) -> dict:
    """The sites and open complaints ``user`` may see, as plain data for the map (rendered by
    ``json_script``: the browser builds the popups from text, never from markup)."""
    sites = (
        sites_for(user)
        .select_related("application", "operator")
        .annotate(
            open_complaints=Count("complaints", filter=Q(complaints__state="open")),
            all_complaints=Count("complaints"),
        )
        .order_by("id")
    )
    features = [
        {
            "id": site.pk,
            "lat": float(site.latitude),
            "lon": float(site.longitude),
            "number": site.application.number,
            "operator": site.operator.name,
            "code": site.site_code,
            "kind": site.get_kind_display(),
            "state": site.state,
            "state_label": site.get_state_display(),
            "place": site.place,
            "complaints": site.all_complaints,
            "open_complaints": site.open_complaints,
            "url": site.get_absolute_url(),
        }
        for site in sites
    ]
    complaints = [
        {
            "id": complaint.pk,
            "site": complaint.site_id,
            "lat": float(complaint.site.latitude),
            "lon": float(complaint.site.longitude),
            "number": complaint.application.number,
            "subject": complaint.application.subject,
            "state": complaint.state,
            "state_label": complaint.get_state_display(),
            "url": complaint.get_absolute_url(),
        }
        for complaint in complaints_for(user).select_related("application", "site").order_by("id")
    ]
    return {"sites": features, "complaints": complaints}


def given_coordinates(application) -> tuple[Decimal, Decimal] | None:
    """The latitude and longitude a resident gave for the station complained about (kept in
    the application's form data), or None when none (or none readable) were given."""
    data = application.form_data or {}
    try:
        latitude = Decimal(str(data[LATITUDE_KEY]))
        longitude = Decimal(str(data[LONGITUDE_KEY]))
    except (KeyError, InvalidOperation):
        return None
    if not (latitude.is_finite() and longitude.is_finite()):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


def given_coordinates_text(application) -> str:
    """The coordinates a resident gave for the station complained about, written with their
    hemispheres ("36,812100° K, 34,641500° D"), or "" when none were given."""
    from biys.applications.basestation.models import latitude_text, longitude_text

    given = given_coordinates(application)
    if given is None:
        return ""
    return f"{latitude_text(given[0])}, {longitude_text(given[1])}"


# The nearest sites ---------------------------------------------------------------------------

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)
METRES_PER_DEGREE_LATITUDE = math.pi * EARTH_RADIUS_M / 180


def nearest_radius_m() -> int:
    """How far from the given point a site is still suggested (``BIYS_BASESTATION_NEAREST_
    RADIUS_M``, default 1,000 m: a phone's position and a rooftop mast a street away)."""
    return getattr(settings, "BIYS_BASESTATION_NEAREST_RADIUS_M", 1000)


def nearest_count() -> int:
    return getattr(settings, "BIYS_BASESTATION_NEAREST_COUNT", 5)


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """The great-circle distance in metres between two points (haversine on the mean earth
    radius: within 0.5 % of the ellipsoid, far below a phone's error)."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class NearSite:
    site: BaseStationSite
    distance_m: int


def nearest_sites(
    user, latitude, longitude, *, radius_m: int | None = None, limit: int | None = None
) -> list[NearSite]:
    """The sites ``user`` sees within ``radius_m`` metres of the point, the nearest first
    (ties by id), at most ``limit``, each with its distance rounded to the metre. The database
    only narrows to the bounding box of the circle (plain comparisons on the indexed
    coordinates: SQLite and PostgreSQL alike, no GIS extension); the exact distance is
    computed here, so a site in the box's corners is left out."""
    radius = nearest_radius_m() if radius_m is None else radius_m
    limit = nearest_count() if limit is None else limit
    lat, lon = float(latitude), float(longitude)
    d_lat = radius / METRES_PER_DEGREE_LATITUDE
    cos_lat = math.cos(math.radians(lat))
    # Near a pole a degree of longitude shrinks to nothing: take every longitude there.
    d_lon = 180.0 if cos_lat < 1e-6 else min(180.0, d_lat / cos_lat)
    box = Q(latitude__gte=_degrees(lat - d_lat), latitude__lte=_degrees(lat + d_lat))
    west, east = lon - d_lon, lon + d_lon
    if d_lon >= 180.0:
        pass
    elif west < -180:  # the box crosses the antimeridian
        box &= Q(longitude__gte=_degrees(west + 360)) | Q(longitude__lte=_degrees(east))
    elif east > 180:
        box &= Q(longitude__gte=_degrees(west)) | Q(longitude__lte=_degrees(east - 360))
    else:
        box &= Q(longitude__gte=_degrees(west), longitude__lte=_degrees(east))
    candidates = sites_for(user).filter(box).select_related("application", "operator")
    found = []
    for site in candidates:
        metres = distance_m(lat, lon, site.latitude, site.longitude)
        if metres <= radius:
            found.append(NearSite(site=site, distance_m=round(metres)))
    found.sort(key=lambda near: (near.distance_m, near.site.pk))
    return found[:limit]


def _degrees(value: float) -> Decimal:
    return Decimal(f"{value:.7f}")


def nearest_to_complaint(user, application) -> list[NearSite]:
    """The sites nearest to the coordinates a resident gave with the complaint (none given:
    none)."""
    given = given_coordinates(application)
    if given is None:
        return []
    return nearest_sites(user, *given)
