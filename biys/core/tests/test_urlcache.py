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


def _namespaced_routes():
    """Every route named in an application namespace, with its parameters' names."""
    from django.urls import get_resolver

    for namespace, (_prefix, sub) in get_resolver().namespace_dict.items():
        for name in sub.reverse_dict:
            if isinstance(name, str):
                possibilities = sub.reverse_dict.getlist(name)[0][0]
                yield f"{namespace}:{name}", possibilities[0][1]


def _or_refusal(reversal, *args, **kwargs):
    try:
        return reversal(*args, **kwargs)
    except NoReverseMatch:
        return NoReverseMatch


@pytest.mark.parametrize("prefix", ["/", "/biys/"])
def test_number_urls_are_reverse_for_every_route(prefix):
    """Numbers for each route's parameters, by keyword and by position, twice (the second
    from the cache): what ``reverse()`` gives, or its refusal."""
    set_script_prefix(prefix)
    checked = 0
    for view, params in _namespaced_routes():
        for numbers in ([7] * len(params), list(range(3, 3 + len(params)))):
            kwargs = dict(zip(params, numbers, strict=True))
            expected = _or_refusal(reverse, view, kwargs=kwargs or None)
            for _ in range(2):
                assert _or_refusal(urlcache.number_url, view, (), kwargs) == expected, view
            expected = _or_refusal(reverse, view, args=numbers or None)
            for _ in range(2):
                assert _or_refusal(urlcache.number_url, view, tuple(numbers)) == expected, view
            checked += 1
    assert checked > 300


@pytest.mark.parametrize("prefix", ["/", "/biys/"])
def test_word_arguments_are_reverse_for_every_route(prefix):
    """Words (a ticket action's name, a slug), alone and beside numbers, twice each: what
    ``reverse()`` gives, or its refusal (a pattern of fixed choices refuses the marker, and
    the word is then reversed as Django does)."""
    set_script_prefix(prefix)
    checked = 0
    for view, params in _namespaced_routes():
        if not params:
            continue
        for values in (
            ["take"] * len(params),
            ["a-b_9", *range(3, 2 + len(params))],
            [*range(5, 4 + len(params)), "reply"],
            ["12"] * len(params),
        ):
            expected = _or_refusal(reverse, view, args=values)
            for _ in range(2):
                assert _or_refusal(urlcache.number_url, view, tuple(values)) == expected, view
            kwargs = dict(zip(params, values, strict=True))
            expected = _or_refusal(reverse, view, kwargs=kwargs)
            for _ in range(2):
                assert _or_refusal(urlcache.number_url, view, (), kwargs) == expected, view
            checked += 1
    assert checked > 300
    assert urlcache.number_url("servicedesk:ticket_action", (7, "take")) == reverse(
        "servicedesk:ticket_action", args=[7, "take"]
    )


def test_number_urls_reverse_other_arguments_as_django_does():
    for view, args, kwargs in (
        ("servicedesk:ticket", (True,), None),
        ("org:person", (), {"pk": "12"}),
        ("org:person", (), {"pk": -1}),
        ("org:person", (1.5,), None),
        ("attachments:for_object", (3, "a&b c"), None),
        ("servicedesk:ticket_action", (3, "tåke"), None),
        ("servicedesk:ticket_action", (3, "a/b"), None),
        ("attachments:for_object", (), {"object_id": 5, "content_type_id": 3}),
        ("org:no_such_page", (1,), None),
    ):
        assert _or_refusal(urlcache.number_url, view, args, kwargs) == _or_refusal(
            reverse, view, args=args or None, kwargs=kwargs
        )


def test_the_url_tag_of_templates_that_load_biys():
    from django.template import Context, Template

    page = Template(
        '{% load biys %}{% url "org:person" person %}|{% url "core:home" %}|'
        '{% url "org:nowhere" 1 as missing %}[{{ missing }}]|{% url "org:person" pk=person as p %}'
        "{{ p }}"
    )
    assert page.render(Context({"person": 42})) == "/org/people/42/|/|[]|/org/people/42/"
    with pytest.raises(NoReverseMatch):
        Template('{% load biys %}{% url "org:nowhere" 1 %}').render(Context())
    link = '{% url "attachments:for_object" 3 name %}'
    context = {"name": "a&b"}
    ours = Template("{% load biys %}" + link).render(Context(context))
    assert ours == Template(link).render(Context(context)) and "&amp;" in ours
