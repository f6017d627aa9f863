"""Reads of base-station sites: what a user may see, the sites and complaints of the map."""

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


def given_coordinates_text(application) -> str:
    """The coordinates a resident gave for the station complained about, written with their
    hemispheres ("36,812100° K, 34,641500° D"), or "" when none were given."""
    from decimal import Decimal, InvalidOperation

    from biys.applications.basestation.models import latitude_text, longitude_text

    data = application.form_data or {}
    try:
        latitude = Decimal(str(data[LATITUDE_KEY]))
        longitude = Decimal(str(data[LONGITUDE_KEY]))
    except (KeyError, InvalidOperation):
        return ""
    return f"{latitude_text(latitude)}, {longitude_text(longitude)}"
