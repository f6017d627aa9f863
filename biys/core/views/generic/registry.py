"""Which views each model has, and the URL patterns that mount them."""

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.urls import path

from biys.core.views.generic.history import ObjectHistoryView

VIEW_ROLES = (
    "list", "detail", "add", "edit", "delete", "bulk_edit", "bulk_delete", "changelog",
)  # fmt: skip


@dataclass
class ModelViews:
    model: type
    views: dict[str, type] = field(default_factory=dict)

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name

    def url_name(self, role: str) -> str:
        suffix = {"detail": ""}.get(role, f"_{role}")
        return f"{self.app_label}:{self.model_name}{suffix}"

    @property
    def list_url_name(self) -> str | None:
        return self.url_name("list") if "list" in self.views else None

    @property
    def detail_url_name(self) -> str | None:
        return self.url_name("detail") if "detail" in self.views else None


_registry: dict[tuple[str, str], ModelViews] = {}


def register_model_views(
    model,
    *,
    list=None,
    detail=None,
    add=None,
    edit=None,
    delete=None,
    bulk_edit=None,
    bulk_delete=None,
    changelog=True,
) -> ModelViews:
    """Register the generic views of a model. ``add`` defaults to ``edit`` (pass ``add=False``
    for none); ``changelog`` defaults to the generic object history when there is a detail."""
    if add is None:
        add = edit
    if changelog is True:
        changelog = ObjectHistoryView if detail else None
    given = {
        "list": list,
        "detail": detail,
        "add": add,
        "edit": edit,
        "delete": delete,
        "bulk_edit": bulk_edit,
        "bulk_delete": bulk_delete,
        "changelog": changelog,
    }
    entry = ModelViews(model, {role: view for role, view in given.items() if view})
    _registry[(model._meta.app_label, model._meta.model_name)] = entry
    return entry


def registered_model_views() -> list[ModelViews]:
    """Every registered model with its views and URL names (the permission matrix walks it)."""
    return list(_registry.values())


def get_model_views(model) -> ModelViews | None:
    return _registry.get((model._meta.app_label, model._meta.model_name))


_ROUTES = {
    "list": "",
    "add": "add/",
    "bulk_edit": "bulk-edit/",
    "bulk_delete": "bulk-delete/",
    "detail": "<int:pk>/",
    "edit": "<int:pk>/edit/",
    "delete": "<int:pk>/delete/",
    "changelog": "<int:pk>/changelog/",
}


def get_model_urls(app_label: str, model_name: str) -> list:
    """URL patterns of a registered model, to mount under its prefix with ``include()``."""
    entry = _registry.get((app_label, model_name))
    if entry is None:
        raise ImproperlyConfigured(f"No views registered for {app_label}.{model_name}.")
    patterns = []
    for role, route in _ROUTES.items():
        view_class = entry.views.get(role)
        if view_class is None:
            continue
        initkwargs = {}
        if getattr(view_class, "queryset", None) is None:
            initkwargs["queryset"] = entry.model.objects.all()
        name = entry.url_name(role).split(":", 1)[1]
        patterns.append(path(route, view_class.as_view(**initkwargs), name=name))
    return patterns
