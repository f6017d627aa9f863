"""Parts of a list page kept between requests give what building them afresh gives."""

import django_tables2 as tables
import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from biys.core.models import ObjectChange
from biys.core.tables import BiysTable, _render_header, render_header


class KeptHeaderTable(BiysTable):
    static_header = True
    time = tables.Column(verbose_name="Zaman")
    action = tables.Column()

    class Meta(BiysTable.Meta):
        model = ObjectChange
        fields = ("time", "action")


def _header(query: str, order_by=None):
    request = RequestFactory().get(f"/list/{query}")
    table = KeptHeaderTable(ObjectChange.objects.none(), request=request, order_by=order_by)
    return table, request, render_header(table, request)


@pytest.mark.parametrize(
    ("query", "order_by"),
    [("", None), ("?q=a%26b&state=new&state=closed", None), ("?cursor=xyz", "-time")],
)
def test_a_kept_header_is_the_header_built_afresh(query, order_by):
    table, request, first = _header(query, order_by)
    _table, _request, again = _header(query, order_by)
    assert again is first  # kept
    params = dict(request.GET)
    params.pop("cursor", None)
    assert first == _render_header(table, params)
    assert "cursor" not in first


def test_the_kept_header_follows_the_order_the_query_and_the_language():
    plain = _header("")[2]
    assert _header("", "-time")[2] != plain  # the sort links and aria-sort change
    assert _header("?q=x")[2] != plain
    with translation.override("en"):
        english = _header("")[2]
    with translation.override("tr"):
        turkish = _header("")[2]
    assert english is not turkish


def test_per_page_buttons_link_the_first_page_of_each_size():
    from django.template import Context, Template

    request = RequestFactory().get("/list/?q=%3Cb%3E&cursor=abc&per_page=50")
    page = Template("{% load biys %}{% per_page_buttons %}")
    html = page.render(Context({"request": request, "per_page_options": [25, 50], "per_page": 50}))
    assert html.count("<a ") == 2
    assert "cursor" not in html and "&lt;b&gt;" not in html and "%3Cb%3E" in html
    assert 'href="?q=%3Cb%3E&amp;per_page=25&amp;page=1"' in html
    assert 'class="btn btn-primary active" aria-current="true"' in html
    again = page.render(Context({"request": request, "per_page_options": [25, 50], "per_page": 50}))
    assert again == html


class _Scope:
    def __init__(self, perms):
        self.perms = set(perms)

    def has_perm(self, name, unit_id=None):
        return name in self.perms


def test_the_side_menu_is_kept_per_scope_and_follows_a_new_scope(monkeypatch, rf):
    from types import SimpleNamespace

    from biys.core import access, navigation

    reverse("core:home")  # loads every module's menu
    guarded = next(
        item
        for group in navigation._menu
        for item in group.items
        if isinstance(item.permission, str) and not item.also_requires
    )
    request = rf.get("/")
    request.user = SimpleNamespace(is_authenticated=True)
    scopes = iter([_Scope(()), _Scope((guarded.permission,))])
    current = {"scope": next(scopes)}
    monkeypatch.setattr(access, "get_scope", lambda user: current["scope"])

    def urls(menu):
        return {item["url"] for group in menu for item in group["items"]}

    first, again = navigation.menu_for(request), navigation.menu_for(request)
    assert urls(first) == urls(again) and first.key == again.key
    guarded_url = reverse(guarded.url_name)
    assert guarded_url not in urls(first)
    current["scope"] = next(scopes)  # the access tables changed: a new scope object
    granted = navigation.menu_for(request)
    assert guarded_url in urls(granted) and granted.key != first.key
