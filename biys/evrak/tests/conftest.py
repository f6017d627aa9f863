from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

# A Monday with no holiday in the following weeks.
MONDAY_MORNING = datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Europe/Istanbul"))


@pytest.fixture
def clerk(make_user, org_tree):
    return make_user("evrak_clerk", org_tree["dept"])


@pytest.fixture
def reader(make_user, org_tree):
    return make_user("evrak_reader", org_tree["network"])
