"""Side navigation: each module registers its menu groups; items show only with permission."""

from dataclasses import dataclass, field
from html import escape

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
    scope = get_scope(user)
    path, url_of = request.path, reverser()
    groups = []
    for group in _menu:
        items = [
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "active": path.startswith(url),
            }
            for item in group.items
            if _allowed(scope, item.permission)
            and all(scope.has_perm(name) for name in item.also_requires)
            for url in (url_of(item.url_name),)
        ]
        if items:
            groups.append(
                {
                    "label": group.label,
                    "icon": group.icon,
                    "items": items,
                    "active": any(i["active"] for i in items),
                }
            )
    return groups


def render_menu(groups: list[dict], *, home_url: str, home_active: bool) -> SafeString:
    """The side menu's items (``core/base.html``): the home link, then each group the user may
    see with its items, the current page's marked. Built here rather than by template nodes
    per item: every page shows it; the same menu is built once per process and language."""
    kept = []  # the lazy labels named by id in the key, kept alive with it
    key = (
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
    cached = _rendered.get(key)
    if cached is None:
        if len(_rendered) >= _RENDERED_MAX:
            _rendered.clear()
        html = _render_menu(groups, home_url=home_url, home_active=home_active)
        cached = _rendered[key] = (html, kept)
    return cached[0]


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
