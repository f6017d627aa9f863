"""``reverse()`` for the URLs a page asks for over and over: the side menu's entries (twice each,
on every page) and a list row's link to its object (``get_absolute_url``, once or twice per row).

Django's ``reverse()`` walks the URL resolver each time; here each name is reversed once per
URL configuration and script prefix, and an object's URL is the name's URL with its primary key
put in (reversed once with a marker key, then split around it).
"""

import re

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

_MARKER = 9_876_543_210_123  # a primary key no table reaches, found again in the reversed URL
_urls: dict = {}


def _key(viewname: str) -> tuple:
    return (viewname, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def cached_reverse(viewname: str) -> str:
    """``reverse(viewname)`` for a URL without arguments."""
    key = _key(viewname)
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(viewname)
    return url


def reverser():
    """``cached_reverse`` for many names at once: the URL configuration and the script prefix
    are read once (each is a context-local lookup) rather than once per name."""
    base = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())

    def reverse_name(viewname: str) -> str:
        key = (viewname, *base)
        url = _urls.get(key)
        if url is None:
            url = _urls[key] = reverse(viewname)
        return url

    return reverse_name


def pk_url(viewname: str, pk) -> str:
    """``reverse(viewname, kwargs={"pk": pk})``; ``NoReverseMatch`` when the name has no URL."""
    if type(pk) is not int or pk < 0:
        return reverse(viewname, kwargs={"pk": pk})
    key = (*_key(viewname), "pk")
    parts = _urls.get(key)
    if parts is None:
        reversed_url = reverse(viewname, kwargs={"pk": _MARKER})
        before, marker, after = reversed_url.partition(str(_MARKER))
        if not marker or str(_MARKER) in after:
            return reverse(viewname, kwargs={"pk": pk})
        parts = _urls[key] = (before, after)
    return f"{parts[0]}{pk}{parts[1]}"


def clear(**kwargs) -> None:
    _urls.clear()


# A test that swaps the URL configuration in place (same ROOT_URLCONF) starts afresh.
setting_changed.connect(clear, dispatch_uid="biys.core.urlcache.clear")

__all__ = ["NoReverseMatch", "cached_reverse", "clear", "number_url", "pk_url", "reverser"]


def pk_urls(viewname: str):
    """``pk_url`` for the rows of one page (``urls(pk)``): the URL configuration and the script
    prefix read once, not once per row; ``""`` for every key when the name has no URL."""
    try:
        before, marker, after = pk_url(viewname, _MARKER).partition(str(_MARKER))
    except NoReverseMatch:
        return lambda pk: ""
    if not marker or str(_MARKER) in after:
        return lambda pk: pk_url(viewname, pk)

    def url(pk) -> str:
        if type(pk) is not int or pk < 0:
            return pk_url(viewname, pk)
        return f"{before}{pk}{after}"

    return url


def number_url(viewname: str, args: tuple = (), kwargs: dict | None = None) -> str:
    """``reverse(viewname, args=args, kwargs=kwargs)``: reversed once per name and shape of
    arguments with a marker for each, then the values put in, when every argument is a
    non-negative integer or a word of letters, digits, ``-`` and ``_`` (which no URL quotes):
    a page's links, ``{% url "servicedesk:ticket_action" ticket.pk action.name %}``. Any other
    argument is reversed as Django does, and so is a URL whose pattern refuses a marker (a
    word argument matched by a pattern of fixed choices)."""
    if not args and not kwargs:
        return cached_reverse(viewname)
    values = (*args, *(kwargs or {}).values())
    shape = tuple(_kind(value) for value in values)
    if None in shape:
        return reverse(viewname, args=args or None, kwargs=kwargs or None)
    names = tuple(kwargs or ())
    key = (*_key(viewname), len(args), names, shape)
    parts = _urls.get(key)
    if parts is None:
        parts = _urls[key] = _split_at_markers(viewname, len(args), names, shape)
    if not parts:
        return reverse(viewname, args=args or None, kwargs=kwargs or None)
    pieces = [parts[0]]
    for value, after in zip(values, parts[1:], strict=True):
        pieces += (str(value), after)
    return "".join(pieces)


_WORD = re.compile(r"[A-Za-z0-9_-]+")


def _kind(value) -> str | None:
    """ "n" for a non-negative integer, "w" for a word no URL quotes, else ``None``."""
    if type(value) is int:
        return "n" if value >= 0 else None
    if type(value) is str and _WORD.fullmatch(value):
        return "w"
    return None


def _split_at_markers(viewname: str, count: int, names: tuple, shape: tuple) -> tuple:
    """The URL around each argument's marker, in order; ``()`` when the URL does not hold each
    marker once and in order (a converter that refuses the marker, or reorders it)."""
    markers = [
        str(_MARKER + index) if kind == "n" else f"w{_MARKER + index}w"
        for index, kind in enumerate(shape)
    ]
    try:
        url = reverse(
            viewname,
            args=markers[:count] or None,
            kwargs=dict(zip(names, markers[count:], strict=True)) or None,
        )
    except NoReverseMatch:
        return ()
    parts, rest = [], url
    for marker in markers:
        before, found, rest = rest.partition(marker)
        if not found:
            return ()
        parts.append(before)
    parts.append(rest)
    stem = str(_MARKER)[:-2]
    if any(stem in part for part in parts):
        return ()
    return tuple(parts)
