"""A service desk on the shared org tree: a catalogue item held by the help desk (a section of
the network branch), a requester in the roads department and the people around them."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from biys.servicedesk.models import CatalogItem, SLATarget

ISTANBUL = ZoneInfo("Europe/Istanbul")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=ISTANBUL)


class Clock:
    """The time ``django.utils.timezone.now`` answers, moved by the test."""

    def __init__(self, start: datetime):
        self.current = start

    def __call__(self):
        return self.current

    def set(self, *args) -> datetime:
        self.current = at(*args)
        return self.current


@pytest.fixture
def clock(monkeypatch):
    current = Clock(at(2026, 11, 16, 9, 0))  # a Monday
    monkeypatch.setattr("django.utils.timezone.now", current)
    return current


@pytest.fixture
def desk(org_tree, make_user):
    helpdesk, roads = org_tree["helpdesk"], org_tree["roads"]
    printer = CatalogItem.objects.create(
        name="Yazıcı arızası",
        kind="fault",
        unit=helpdesk,
        keywords="yazıcı çalışmıyor, toner, kağıt sıkıştı",
        default_impact=3,
        default_urgency=2,
    )
    SLATarget.objects.create(
        catalog_item=printer, priority=4, first_response_minutes=60, resolution_minutes=240
    )
    requester = make_user("requester", roads)
    return SimpleNamespace(
        tree=org_tree,
        helpdesk=helpdesk,
        roads=roads,
        printer=printer,
        requester=requester,
        colleague=make_user("requester", roads),
        roads_chief=make_user("chief", roads),
        technician=make_user("technician", helpdesk),
        network_technician=make_user("technician", org_tree["network"]),
        software_technician=make_user("technician", org_tree["software"]),
    )
