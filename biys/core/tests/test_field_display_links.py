"""A detail page's related objects (``{% field_display %}``) are named for every reader and
linked to their page only for a reader who may open it: a branch's subnet may carry the VLAN of
the department above, whose page the branch's officer may not open (the link was a 404)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from biys.accounts.models import User
from biys.core.access import can, viewable
from biys.inventory.models import VLAN
from biys.inventory.tests.factories import make_subnet, make_vlan

pytestmark = pytest.mark.django_db


def test_a_subnets_vlan_is_linked_only_for_a_reader_who_may_open_it(
    org_tree, make_user, system_context
):
    branch_officer = make_user("inventory_officer", org_tree["network"])
    head = make_user("inventory_officer", org_tree["dept"])
    vlan = make_vlan(org_tree["dept"], vid=99, name="YONETIM")
    subnet = make_subnet(org_tree["network"], vlan=vlan)
    vlan_url = vlan.get_absolute_url()
    for user, may_open in ((branch_officer, False), (head, True)):
        client = Client()
        client.force_login(user)
        response = client.get(subnet.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        assert "99 YONETIM" in page  # named for both: it was shown before, and still is
        assert (f'href="{vlan_url}"' in page) is may_open, user
        assert client.get(vlan_url).status_code == (200 if may_open else 404)


def test_viewable_answers_as_can_does_for_all_the_objects_in_one_query(
    org_tree, make_user, system_context
):
    auditor = make_user("auditor", org_tree["network"])
    colleague = make_user("technician", org_tree["network"])
    stranger = make_user("technician", org_tree["roads"])
    own = make_vlan(org_tree["network"], vid=30, name="KAMERA")
    above = make_vlan(org_tree["dept"], vid=99, name="YONETIM")
    objects = [colleague, stranger, own, above, org_tree["roads"], None]
    expected = {(type(obj), obj.pk) for obj in objects if obj and can(auditor, "view", obj)}
    assert (User, colleague.pk) in expected and (User, stranger.pk) not in expected
    assert (VLAN, own.pk) in expected and (VLAN, above.pk) not in expected
    with CaptureQueriesContext(connection) as queries:  # the users' own rule asks the database
        assert viewable(auditor, objects) == expected
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:  # answered from the scope alone
        assert viewable(auditor, [own, above, org_tree["roads"]]) == expected - {
            (User, colleague.pk)
        }
    assert len(queries) == 0
    assert viewable(None, objects) == set()


def test_a_user_named_on_a_page_is_linked_for_a_reader_who_may_open_their_page(
    org_tree, make_user, system_context
):
    """A login's page follows its own rule (``restrict_users``), asked of the database: once
    for the page, whatever the number of people it names."""
    from biys.inventory.models import Custody
    from biys.inventory.tests.factories import make_custody

    custody = make_custody(org_tree["network"])
    colleague = make_user("technician", org_tree["network"])
    stranger = make_user("technician", org_tree["roads"])
    auditor = make_user("auditor", org_tree["network"])
    officer = make_user("inventory_officer", org_tree["network"])
    Custody.objects.filter(pk=custody.pk).update(handed_by=colleague, ended_by=stranger)
    for reader, linked in ((auditor, {colleague}), (officer, set())):
        client = Client()
        client.force_login(reader)
        page = client.get(custody.get_absolute_url()).content.decode()
        for user in (colleague, stranger):
            assert str(user) in page
            assert (f'href="{user.get_absolute_url()}"' in page) is (user in linked), reader
            status = client.get(user.get_absolute_url()).status_code
            assert status == (200 if user in linked else 404), (reader, user)
