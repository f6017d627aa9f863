"""What every built-in role may do to an object inside and outside the units it holds the role over.

The expectation is computed from the role's permission patterns (biys.accounts.roles) and the
model's declared visibility, independently of the scope resolver under test.
"""

import importlib
from dataclasses import dataclass

from django.apps import apps

from biys.accounts.roles import builtin_roles
from biys.core.testing import FACTORIES

ROLE_SPECS = {spec.slug: spec for spec in builtin_roles()}


def load_factories() -> None:
    """Import every app's tests.factories so each registers its models."""
    for config in apps.get_app_configs():
        if config.name.startswith("biys."):
            try:
                importlib.import_module(f"{config.name}.tests.factories")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.tests.factories":
                    raise


def perm(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def is_covered(model) -> bool:
    """Models whose access follows units. Others (per-user notifications, attachments following
    their parent) are tested by their own app."""
    return bool(getattr(model, "visible_to_all_staff", False) or getattr(model, "scope_path", None))


def may_view(model, role: str, inside: bool) -> bool:
    if getattr(model, "visible_to_all_staff", False):
        return True
    return inside and ROLE_SPECS[role].matches(perm(model, "view"))


def may_change(model, role: str, inside: bool, action: str = "change") -> bool:
    # A model owned by no unit (the calendar's declared days) changes only for someone holding the
    # permission over every unit; the matrix's users hold their role over one unit.
    if not getattr(model, "scope_path", None):
        return False
    return inside and ROLE_SPECS[role].matches(perm(model, action))


def may_delete(model, role: str, inside: bool) -> bool:
    return may_change(model, role, inside, "delete")


@dataclass(frozen=True)
class Endpoint:
    basename: str
    list_url_name: str
    detail_url_name: str
    model: type
    writable: bool
    deletable: bool = False
    creatable: bool = False


def api_endpoints() -> list[Endpoint]:
    load_factories()
    endpoints = []
    for config in apps.get_app_configs():
        if not config.name.startswith("biys."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api.urls")
        except ModuleNotFoundError:
            continue
        router = getattr(module, "router", None)
        for _prefix, viewset, basename in getattr(router, "registry", []):
            queryset = getattr(viewset, "queryset", None)
            if (
                queryset is None
                or queryset.model not in FACTORIES
                or not is_covered(queryset.model)
            ):
                continue
            writable = hasattr(viewset, "partial_update")
            methods = getattr(viewset, "http_method_names", ["delete"])
            deletable = hasattr(viewset, "destroy") and "delete" in methods
            # Creating is the model's add permission where the generic permission decides; a
            # viewset with a rule of its own (anyone files a ticket for themselves) is tested
            # by its app.
            from biys.core.api.permissions import ScopedObjectPermission

            generic = ScopedObjectPermission in viewset.permission_classes
            creatable = generic and hasattr(viewset, "create") and "post" in methods
            endpoints.append(
                Endpoint(
                    basename,
                    f"{basename}-list",
                    f"{basename}-detail",
                    queryset.model,
                    writable,
                    deletable,
                    creatable,
                )
            )
    return endpoints


@dataclass(frozen=True)
class Page:
    model: type
    list_url_name: str | None
    detail_url_name: str | None
    edit_url_name: str | None
    delete_url_name: str | None = None
    changelog_url_name: str | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def ui_pages() -> list[Page]:
    """Every model registered with the generic views (biys.core.views.generic)."""
    from django.urls import get_resolver

    from biys.core.views.generic import registered_model_views

    load_factories()
    get_resolver().url_patterns  # noqa: B018  (importing the URLconf registers the views)
    pages = []
    for entry in registered_model_views():
        if entry.model not in FACTORIES or not is_covered(entry.model):
            continue
        edit = entry.url_name("edit") if "edit" in entry.views else None
        delete = entry.url_name("delete") if "delete" in entry.views else None
        changelog = entry.url_name("changelog") if "changelog" in entry.views else None
        pages.append(
            Page(entry.model, entry.list_url_name, entry.detail_url_name, edit, delete, changelog)
        )
    return pages


def placements(org_tree) -> list[tuple[bool, object]]:
    """(inside, unit) for the users of the matrix: inside and outside the object's unit on
    SQLite; on PostgreSQL (CI's slower run) inside only, so each endpoint runs once per role."""
    from django.db import connection

    inside = [(True, org_tree["network"])]
    return inside if connection.vendor == "postgresql" else [*inside, (False, org_tree["roads"])]


def role_cases():
    """(role, inside) pairs for the write matrices: every role inside and outside its unit on
    SQLite; inside only on PostgreSQL (CI's slower run), so each runs once per role."""
    from django.db import connection

    full = connection.vendor == "sqlite"
    for role in ROLE_SPECS:
        for inside in (True, False) if full else (True,):
            yield role, inside


def rolled_back(send):
    """Run ``send`` in a transaction that is rolled back: one fixture serves every case."""
    from django.db import transaction

    with transaction.atomic():
        result = send()
        transaction.set_rollback(True)
    return result
