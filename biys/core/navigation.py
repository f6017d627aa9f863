"""Side navigation: each module registers its menu groups; items show only with permission."""

import weakref
from dataclasses import dataclass, field
from html import escape

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext

from biys.core.urlcache import reverser


@dataclass
class MenuItem:
    label: str
    url_name: str
    icon: str = ""
    permission: str | tuple[str, ...] | None = None  # None: every signed-in user; a tuple: any
    also_requires: tuple[str, ...] = ()  # permissions the page needs besides (every one)


@dataclass
class MenuGroup:
    label: str
    icon: str
    items: list[MenuItem] = field(default_factory=list)
    order: int = 100


_menu: list[MenuGroup] = []
# The rendered menu by what it shows (labels, icons, URLs, the current item, the language): the
# same few variants serve every page of a role, so each is built once per process.
_rendered: dict = {}
_RENDERED_MAX = 512


def register_menu(group: MenuGroup) -> None:
    """Add a group; modules registering a group of the same label share one group."""
    for existing in _menu:
        if str(existing.label) == str(group.label):
            known = {item.url_name for item in existing.items}
            existing.items.extend(item for item in group.items if item.url_name not in known)
            existing.order = min(existing.order, group.order)
            break
    else:
        _menu.append(group)
    _menu.sort(key=lambda g: g.order)
    _rendered.clear()
    _allowed_by_scope.clear()


def _allowed(scope, permission) -> bool:
    if permission is None:
        return True
    if isinstance(permission, str):
        return scope.has_perm(permission)
    return any(scope.has_perm(name) for name in permission)


def menu_for(request) -> list[dict]:
    from biys.core.access import get_scope

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = request.path
    token, allowed = _allowed_menu(get_scope(user))
    groups = Menu()
    active = []
    for label, icon, items in allowed:
        entries = [
            {"label": item_label, "url": url, "icon": item_icon, "active": path.startswith(url)}
            for item_label, url, item_icon in items
        ]
        current = [number for number, entry in enumerate(entries) if entry["active"]]
        if current:
            active.append((len(groups), *current))
        groups.append({"label": label, "icon": icon, "items": entries, "active": bool(current)})
    groups.key, groups.count = (token, *active), len(groups)
    return groups


class Menu(list):
    """``menu_for``'s groups, with ``key``: what they show, named by the scope's allowed items
    (their token) and which items are current, so ``render_menu`` finds its rendering without
    reading every item."""

    key = None
    count = 0  # the groups ``key`` names (a caller that adds a group has another menu)


# The groups and items a scope may see, with their URLs, by scope (``id``, the scope itself
# kept weakly: a process keeps one scope object per user and generation of the access tables)
# and URL configuration: checking every item's permissions was most of the menu's work.
_allowed_by_scope: dict = {}


def _allowed_menu(scope) -> list[tuple]:
    url_of = reverser()
    key = (id(scope), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    known = _allowed_by_scope.get(key)
    if known is not None and known[0]() is scope:
        return known[1], known[2]
    allowed = []
    for group in _menu:
        items = [
            (item.label, url_of(item.url_name), item.icon)
            for item in group.items
            if _allowed(scope, item.permission)
            and all(scope.has_perm(name) for name in item.also_requires)
        ]
        if items:
            allowed.append((group.label, group.icon, items))
    token = _MenuToken()
    try:
        reference = weakref.ref(scope)
    except TypeError:  # a scope that cannot be referenced weakly is not kept
        return token, allowed
    if len(_allowed_by_scope) >= _RENDERED_MAX:
        _allowed_by_scope.clear()
    _allowed_by_scope[key] = (reference, token, allowed)
    return token, allowed


class _MenuToken:
    """Names one list of allowed items in ``render_menu``'s keys (by identity, kept alive by
    the key that holds it)."""

    __slots__ = ("__weakref__",)


def render_menu(groups: list[dict], *, home_url: str, home_active: bool) -> SafeString:
    """The side menu's items (``core/base.html``): the home link, then each group the user may
    see with its items, the current page's marked. Built here rather than by template nodes
    per item: every page shows it; the same menu is built once per process and language."""
    kept = []  # the lazy labels named by id in the key, kept alive with it
    if getattr(groups, "key", None) is not None and len(groups) == groups.count:
        key = (get_language(), home_url, home_active, groups.key)
    else:
        key = _items_key(groups, home_url, home_active, kept)
    cached = _rendered.get(key)
    if cached is None:
        if len(_rendered) >= _RENDERED_MAX:
            _rendered.clear()
        html = _render_menu(groups, home_url=home_url, home_active=home_active)
        cached = _rendered[key] = (html, kept)
    return cached[0]


def _items_key(groups, home_url, home_active, kept) -> tuple:
    return (
        get_language(),
        home_url,
        home_active,
        *(
            (
                _label_key(group["label"], kept),
                group["icon"],
                group["active"],
                *(
                    (_label_key(item["label"], kept), item["url"], item["icon"], item["active"])
                    for item in group["items"]
                ),
            )
            for group in groups
        ),
    )


def _label_key(label, kept: list):
    """A text label by its value; a lazy translation (evaluating it is what the cache saves) by
    its identity, the object kept alive so that its id cannot name another one."""
    if type(label) is str:
        return label
    kept.append(label)
    return id(label)


def _render_menu(groups: list[dict], *, home_url: str, home_active: bool) -> SafeString:
    current = ' aria-current="page"'
    html = [
        f'<li class="nav-item{" active" if home_active else ""}">'
        f'<a class="nav-link" href="{escape(home_url)}"{current if home_active else ""}>'
        '<span class="nav-link-icon"><i class="ti ti-home" aria-hidden="true"></i></span>'
        f'<span class="nav-link-title">{escape(pgettext("navigation", "Home"))}</span></a></li>'
    ]
    for number, group in enumerate(groups, start=1):
        active = group["active"]
        icon = escape(group["icon"] or "folder")
        html.append(
            f'<li class="nav-item dropdown{" active" if active else ""}">'
            f'<a class="nav-link dropdown-toggle{" show" if active else ""}" href="#nav-group-{number}"'
            ' data-bs-toggle="dropdown" data-bs-auto-close="false" role="button"'
            f' aria-expanded="{"true" if active else "false"}">'
            f'<span class="nav-link-icon"><i class="ti ti-{icon}" aria-hidden="true"></i></span>'
            f'<span class="nav-link-title">{escape(str(group["label"]))}</span></a>'
            f'<div class="dropdown-menu{" show" if active else ""}" id="nav-group-{number}">'
        )
        for item in group["items"]:
            mark = item["active"]
            item_icon = (
                f'<i class="ti ti-{escape(item["icon"])} me-2" aria-hidden="true"></i>'
                if item["icon"]
                else ""
            )
            html.append(
                f'<a class="dropdown-item{" active" if mark else ""}" href="{escape(item["url"])}"'
                f"{current if mark else ''}>{item_icon}{escape(str(item['label']))}</a>"
            )
        html.append("</div></li>")
    return mark_safe("\n".join(html))
