"""The registered base-station sites nearest to the coordinates a resident gave with a
complaint: computed in the selector (great-circle distance in metres, no GIS extension), the
few nearest within the radius, only sites the user sees; offered on the application's page
with a one-click tie."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from biys.applications.basestation import selectors
from biys.applications.tests.factories import make_operator, site_permit_type
from biys.applications.tests.test_basestation import TODAY, open_site, received_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("biys.applications.selectors.today", lambda: TODAY)


@pytest.fixture
def manager(make_user, org_tree):
    return make_user("applications_manager", org_tree["dept"])


@pytest.fixture
def operator(org_tree):
    site_permit_type(org_tree["network"])
    site_permit_type(org_tree["network"], code=selectors.COMPLAINT_TYPE_CODE)
    return make_operator(org_tree["network"], name="Kuzey Mobil A.Ş.", tax_number="1234567890")


LAT, LON = Decimal("36.812100"), Decimal("34.641500")
# On the mean earth radius a thousandth of a degree of latitude is 111.195 m everywhere; one
# of longitude at 36.8121° N is 111.195 m × cos 36.8121° = 89.03 m.
NORTH_111 = (LAT + Decimal("0.001"), LON)
EAST_89 = (LAT, LON + Decimal("0.001"))
SOUTH_222 = (LAT - Decimal("0.002"), LON)
NORTH_1001 = (LAT + Decimal("0.009"), LON)  # just outside the 1,000 m radius
# Inside the bounding box of the circle (889 m north, 935 m east) but 1,290 m away.
CORNER = (LAT + Decimal("0.008"), LON + Decimal("0.0105"))


def site_at(user, org_tree, operator, point, code, **extra):
    return open_site(
        user, org_tree, operator, latitude=point[0], longitude=point[1], site_code=code, **extra
    )


def test_known_distances():
    assert round(selectors.distance_m(*NORTH_111, LAT, LON)) == 111
    assert round(selectors.distance_m(*EAST_89, LAT, LON)) == 89
    assert round(selectors.distance_m(0, 0, 1, 0)) == 111_195  # one degree of a meridian
    # The textbook case (Rosetta Code, "Haversine formula"): Nashville BNA to Los Angeles LAX
    # is 2,887.2599506 km on a sphere of 6,372.8 km (distances scale with the radius).
    metres = selectors.distance_m(36.12, -86.67, 33.94, -118.40)
    assert abs(metres * 6372.8 / 6371.0088 / 1000 - 2887.2599506) < 0.000001


def test_the_nearest_sites_within_the_radius_nearest_first(org_tree, operator, manager,
                                                           make_user):  # fmt: skip
    far = site_at(manager, org_tree, operator, NORTH_1001, "FAR")
    corner = site_at(manager, org_tree, operator, CORNER, "CORNER")
    south = site_at(manager, org_tree, operator, SOUTH_222, "S222")
    north = site_at(manager, org_tree, operator, NORTH_111, "N111")
    east = site_at(manager, org_tree, operator, EAST_89, "E89")
    same = site_at(manager, org_tree, operator, (LAT, LON), "HERE")
    other = make_operator(org_tree["roads"], name="Güney Mobil A.Ş.")
    hidden = site_at(None, org_tree, other, (LAT, LON), "HIDDEN",
                     responsible_unit=org_tree["roads"])  # fmt: skip

    clerk = make_user("applications_clerk", org_tree["network"])
    found = selectors.nearest_sites(clerk, LAT, LON)
    assert [(near.site, near.distance_m) for near in found] == [
        (same, 0), (east, 89), (north, 111), (south, 222),
    ]  # fmt: skip
    assert far not in [near.site for near in found] and corner not in [n.site for n in found]
    assert hidden not in [near.site for near in selectors.nearest_sites(clerk, LAT, LON)]
    # a few only, and the radius is a setting
    assert [near.site for near in selectors.nearest_sites(clerk, LAT, LON, limit=2)] == [
        same, east,
    ]  # fmt: skip
    with override_settings(BIYS_BASESTATION_NEAREST_RADIUS_M=1500):
        wider = {near.site: near.distance_m for near in selectors.nearest_sites(clerk, LAT, LON,
                                                                               limit=10)}  # fmt: skip
    assert wider[far] == 1001 and wider[corner] == 1290


def test_across_the_antimeridian(org_tree, operator, manager):
    east_edge = site_at(manager, org_tree, operator, (Decimal("0"), Decimal("179.999500")), "E")
    found = selectors.nearest_sites(manager, Decimal("0"), Decimal("-179.999500"))
    assert [(near.site, near.distance_m) for near in found] == [(east_edge, 111)]


def complaint_with_coordinates(org_tree, point):
    return received_complaint(
        org_tree,
        code=selectors.COMPLAINT_TYPE_CODE,
        form_data={
            "konum": "Çankaya, çatıdaki istasyon",
            selectors.LATITUDE_KEY: f"{point[0]:.6f}",
            selectors.LONGITUDE_KEY: f"{point[1]:.6f}",
        },
    )


def test_the_application_page_suggests_the_nearest_sites_and_ties_one_in_a_click(
    client, org_tree, operator, manager, make_user
):
    north = site_at(manager, org_tree, operator, NORTH_111, "N111")
    site_at(manager, org_tree, operator, NORTH_1001, "FAR")
    application = complaint_with_coordinates(org_tree, (LAT, LON))
    client.force_login(make_user("applications_clerk", org_tree["network"]))
    page = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="nearest-sites"' in page
    assert page.count('data-testid="nearest-site"') == 1
    assert "N111" in page and "111 m" in page and "FAR" not in page

    link_url = reverse("applications:basestation_complaint_link", args=[application.pk])
    assert f'action="{link_url}"' in page and f'name="link-site" value="{north.pk}"' in page
    response = client.post(link_url, {"link-site": north.pk})
    assert response.status_code == 302
    assert north.complaints.get().application == application
    page = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="nearest-sites"' not in page and 'data-testid="site-complaint"' in page

    # coordinates far from every site: said so, the search stays
    lonely = complaint_with_coordinates(org_tree, (Decimal("39.9208"), Decimal("32.8541")))
    page = client.get(lonely.get_absolute_url()).content.decode()
    assert 'data-testid="no-nearest-site"' in page and 'data-testid="site-search"' in page
    # no coordinates given: no suggestion block at all
    plain = received_complaint(org_tree)
    page = client.get(plain.get_absolute_url()).content.decode()
    assert 'data-testid="nearest-sites"' not in page and 'data-testid="site-search"' in page
    # a user who may not tie complaints sees no suggestion
    client.force_login(make_user("applications_responder", org_tree["network"]))
    page = client.get(lonely.get_absolute_url()).content.decode()
    assert 'data-testid="nearest-sites"' not in page
