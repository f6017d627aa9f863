"""Side navigation: each module registers its menu groups; items show only with permission."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


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
    from biys.accounts.scope import get_scope

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    scope = get_scope(user)
    groups = []
    for group in _menu:
        items = [
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "icon": item.icon,
                "active": request.path.startswith(reverse(item.url_name)),
            }
            for item in group.items
            if item.permission is None or scope.has_perm(item.permission)
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


@dataclass
class HomePanel:
    """A card a module adds to the home page; ``context(request)`` returns None to hide it."""

    template_name: str
    context: Callable
    order: int = 100


_home_panels: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if all(existing.template_name != panel.template_name for existing in _home_panels):
        _home_panels.append(panel)
        _home_panels.sort(key=lambda p: p.order)


def home_panels_for(request) -> list[dict]:
    panels = []
    for panel in _home_panels:
        context = panel.context(request)
        if context is not None:
            panels.append({"template_name": panel.template_name, "context": context})
    return panels
