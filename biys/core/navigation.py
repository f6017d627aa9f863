"""Side navigation: each module registers its menu groups; items show only with permission."""

from dataclasses import dataclass, field

from biys.core.urlcache import cached_reverse


@dataclass
class MenuItem:
    label: str
    url_name: str
    icon: str = ""
    permission: str | None = None  # None: every signed-in user


@dataclass
class MenuGroup:
    label: str
    icon: str
    items: list[MenuItem] = field(default_factory=list)
    order: int = 100


_menu: list[MenuGroup] = []


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


def menu_for(request) -> list[dict]:
    from biys.core.access import get_scope

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    scope = get_scope(user)
    groups = []
    for group in _menu:
        items = [
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "active": request.path.startswith(url),
            }
            for item in group.items
            if item.permission is None or scope.has_perm(item.permission)
            for url in (cached_reverse(item.url_name),)
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
