from datetime import date

import pytest

from biys.applications.choices import PeriodUnit
from biys.applications.tests.factories import make_application_type

# A Monday with 15 working days ahead free of holidays (deadline 2026-11-23).
MONDAY = date(2026, 11, 2)
TODAY = date(2026, 11, 12)


@pytest.fixture
def bilgi_edinme(org_tree):
    return make_application_type(
        org_tree["network"],
        code="bilgi-edinme",
        form_fields=[{"name": "istenen_bilgi", "label": "İstenen bilgi", "required": True}],
    )


@pytest.fixture
def dilekce(org_tree):
    return make_application_type(
        org_tree["network"],
        code="dilekce",
        period=30,
        period_unit=PeriodUnit.DAYS,
        extended_period=None,
    )


@pytest.fixture
def clerk(make_user, org_tree):
    return make_user("applications_clerk", org_tree["dept"])


@pytest.fixture
def responder(make_user, org_tree):
    return make_user("applications_responder", org_tree["network"])
