import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def manager(make_user, org_tree):
    return make_user("bgys_manager", org_tree["network"])


@pytest.fixture
def member(make_user, org_tree):
    return make_user("bgys_member", org_tree["network"])
