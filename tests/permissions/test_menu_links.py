"""Every link of the side menu opens for the role it is shown to: a menu item whose page answers
403 (or fails) is a permission the menu and the page disagree on. Each built-in role over a unit
of the IT department, and a superuser; the walk of the demo found two such items
(the e-mail inbox for an administrator over every unit, USOM matches without incidents)."""

import pytest
from django.test import Client, RequestFactory

from biys.core.navigation import menu_for
from tests.permissions.matrix import ROLE_SPECS

pytestmark = pytest.mark.django_db


def _menu_urls(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    return sorted({item["url"] for group in menu_for(request) for item in group["items"]})


def test_every_menu_link_opens_for_the_role_it_is_shown_to(org_tree, make_user):
    from biys.accounts.models import User

    users = [(role, make_user(role, org_tree["network"])) for role in ROLE_SPECS]
    users.append(("superuser", User.objects.create_superuser("menu-admin", "m@ornek.tr", "x")))
    failures, opened = [], 0
    for name, user in users:
        client = Client()
        client.force_login(user)
        for url in _menu_urls(user):
            status = client.get(url, follow=True).status_code  # a redirect to the page is fine
            opened += 1
            if status != 200:
                failures.append(f"{name}: {url} -> {status}")
    assert opened > 100
    assert not failures, failures
