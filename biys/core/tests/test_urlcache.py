"""Cached reversing gives what ``reverse()`` gives, under any script prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from biys.core import urlcache
from biys.core.navigation import menu_for


@pytest.fixture(autouse=True)
def fresh():
    urlcache.clear()
    yield
    set_script_prefix("/")
    urlcache.clear()


@pytest.mark.parametrize("name", ["org:person", "org:unit", "servicedesk:catalogitem"])
@pytest.mark.parametrize("pk", [0, 1, 7, 12345, 9_876_543_210_123])
def test_object_urls_are_reverse(name, pk):
    assert urlcache.pk_url(name, pk) == reverse(name, kwargs={"pk": pk})


def test_under_a_script_prefix():
    assert urlcache.pk_url("org:person", 3) == "/org/people/3/"
    set_script_prefix("/biys/")
    assert urlcache.pk_url("org:person", 3) == reverse("org:person", kwargs={"pk": 3})
    assert urlcache.pk_url("org:person", 3).startswith("/biys/")
    assert urlcache.cached_reverse("org:person_list") == reverse("org:person_list")


def test_what_reverse_refuses_is_refused():
    with pytest.raises(NoReverseMatch):
        urlcache.pk_url("org:no_such_page", 1)
    with pytest.raises(NoReverseMatch):
        urlcache.pk_url("org:person", -1)
    with pytest.raises(NoReverseMatch):
        urlcache.cached_reverse("org:no_such_page")
    assert urlcache.pk_url("org:person", "12") == reverse("org:person", kwargs={"pk": "12"})


@pytest.mark.django_db
def test_the_menu_links_and_marks_the_open_page(rf, admin_user):
    people = reverse("org:person_list")  # loads the URLs, and with them every module's menu
    request = rf.get(f"{people}?page=2")
    request.user = admin_user
    groups = menu_for(request)
    items = [item for group in groups for item in group["items"]]
    assert items and all(item["url"] for item in items)
    active = [item["url"] for item in items if item["active"]]
    assert active == [people]
