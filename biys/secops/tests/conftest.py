from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def member(make_user, org_tree):
    return make_user("some_member", org_tree["dept"])


@pytest.fixture
def lead(make_user, org_tree):
    return make_user("some_lead", org_tree["dept"])
