import pytest


@pytest.fixture
def contact(make_user, org_tree):
    """The KVKK contact person over the whole department."""
    return make_user("kvkk_contact", org_tree["dept"])


@pytest.fixture
def lists(db):
    """The shipped pick-lists (a transactional test earlier in a run may have emptied them)."""
    from biys.kvkk.listdata import load_shipped
    from biys.kvkk.models import ListItem

    load_shipped(ListItem)
    return ListItem.objects
