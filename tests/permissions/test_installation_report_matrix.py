"""An inventory agent's list of what one computer has installed (``installation-report``): every
role, inside and outside the asset's unit (inside only on PostgreSQL: see placements).

The report records installations on the asset it names: ``inventory.add_installation`` over the
asset's unit. Without that permission anywhere the report is refused before its body is read
(403); an asset the caller may not see is refused at the field that names it (400, as a related
object the user cannot see always is); one they see but may not record on, 403. A refused
report records nothing.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from biys.core.testing import FACTORIES
from biys.inventory.models import Asset, Installation, SoftwareTitle
from tests.permissions.matrix import ROLE_SPECS, load_factories, may_view, placements, rolled_back

pytestmark = pytest.mark.django_db
load_factories()


def test_every_role_reports_software_only_where_it_records_installations(org_tree, make_user):
    asset = FACTORIES[Asset](org_tree["network"])
    body = {
        "asset": asset.pk,
        "complete": False,
        "software": [{"publisher": "Microsoft Corporation", "name": "Microsoft Visio"}],
    }
    url = reverse("installation-report")
    failures = []
    for role in ROLE_SPECS:
        for inside, unit in placements(org_tree):
            client = APIClient()
            client.force_login(make_user(role, unit))
            if not ROLE_SPECS[role].matches("inventory.add_installation"):
                expected = 403  # records installations nowhere: refused before the body is read
            elif not may_view(Asset, role, inside):
                expected = 400
            else:
                expected = 200 if inside else 403
            response = rolled_back(lambda client=client: client.post(url, body, format="json"))
            if response.status_code != expected:
                where = f"{role} {'inside' if inside else 'outside'}"
                failures.append(f"{where}: POST -> {response.status_code}, expected {expected}")
    assert not failures, "\n".join(failures)
    assert not Installation.objects.exists()
    assert not SoftwareTitle.objects.filter(name="Microsoft Visio").exists()
