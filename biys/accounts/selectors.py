"""Reads for accounts: who may see which users and roles, and what a user may effectively do."""

import copy
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.accounts.models import Role, RoleAssignment, User
from biys.accounts.scope import ALL, build_scope, get_scope
from biys.core.generations import GenerationCache
from biys.core.text import capfirst

ACTIONS = ("view", "add", "change", "delete")
ACTION_LABELS = {"view": _("View"), "add": _("Add"), "change": _("Change"), "delete": _("Delete")}


def restrict_users(queryset, viewer, action: str = "view"):
    """Users whose person belongs to a unit where ``viewer`` holds ``accounts.<action>_user``.

    A login without a person belongs to the units it holds roles in. Viewing also shows anyone
    holding a role in the viewer's units, so an administrator sees who works in them. Only a
    superuser changes a superuser.
    """
    if viewer is None or not viewer.is_authenticated:
        return queryset.none()
    scope = get_scope(viewer)
    if action != "view" and not scope.is_superuser:
        # A superuser is managed by superusers only: whoever may change the users of a unit
        # would otherwise lock out, or bring back, the installation's own administrator.
        queryset = queryset.exclude(is_superuser=True)
    units = scope.units_for(f"accounts.{action}_user")
    if units is ALL:
        return queryset
    if not units:
        return queryset.none()
    condition = Q(person__unit__in=units) | Q(person__isnull=True, role_assignments__unit__in=units)
    if action == "view":
        condition |= Q(role_assignments__unit__in=units)
    return queryset.filter(pk__in=User.objects.filter(condition).values("pk"))


def users_for(viewer, action: str = "view"):
    return restrict_users(
        User.objects.select_related("person__unit", "person__title"), viewer, action
    )


def roles_for(viewer):
    """Roles are shared by the whole municipality: whoever may view roles anywhere sees them."""
    if viewer is None or not viewer.is_authenticated:
        return Role.objects.none()
    if get_scope(viewer).has_perm("accounts.view_role"):
        return Role.objects.all()
    return Role.objects.none()


def can_change_roles(viewer) -> bool:
    return get_scope(viewer).units_for("accounts.change_role") is ALL


def assignments_for(viewer, user: User | None = None):
    queryset = RoleAssignment.objects.restrict(viewer, "view").select_related(
        "role", "unit", "user"
    )
    return queryset.filter(user=user) if user is not None else queryset


def assignable_units(viewer):
    from biys.org.models import Unit

    units = get_scope(viewer).units_for("accounts.add_roleassignment")
    queryset = Unit.objects.all()
    return queryset if units is ALL else queryset.filter(pk__in=units or ())


# --- permissions, grouped for screens ----------------------------------------------------------


@dataclass
class ModelPermissions:
    model_name: str
    verbose_name: str
    by_action: dict[str, Permission] = field(default_factory=dict)
    others: list[Permission] = field(default_factory=list)

    @property
    def cells(self) -> list[tuple[str, Permission | None]]:
        """(translated action, permission or None) in view, add, change, delete order."""
        return [(ACTION_LABELS[action], self.by_action.get(action)) for action in ACTIONS]


@dataclass
class AppPermissions:
    app_label: str
    verbose_name: str
    models: list[ModelPermissions] = field(default_factory=list)


def app_verbose_name(app_label: str) -> str:
    try:
        return str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return app_label


def permission_label(permission: Permission) -> str:
    """``View user`` in the active language, from the model's translated verbose name."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is not None and permission.codename == f"{action}_{model._meta.model_name}":
        return f"{ACTION_LABELS.get(action, action)}: {model._meta.verbose_name}"
    return _(permission.name)


def grouped_permissions(queryset=None) -> list[AppPermissions]:
    """Every permission grouped by app and model, with translated names (role edit screen)."""
    queryset = queryset if queryset is not None else Permission.objects.all()
    groups: dict[str, AppPermissions] = {}
    models: dict[tuple[str, str], ModelPermissions] = {}
    for permission in queryset.select_related("content_type").order_by(
        "content_type__app_label", "content_type__model", "codename"
    ):
        content_type = permission.content_type
        model = content_type.model_class()
        if model is None:
            continue
        app = groups.setdefault(
            content_type.app_label,
            AppPermissions(content_type.app_label, app_verbose_name(content_type.app_label)),
        )
        key = (content_type.app_label, content_type.model)
        if key not in models:
            models[key] = ModelPermissions(content_type.model, capfirst(model._meta.verbose_name))
            app.models.append(models[key])
        action = permission.codename.split("_", 1)[0]
        if action in ACTIONS and permission.codename == f"{action}_{content_type.model}":
            models[key].by_action[action] = permission
        else:
            models[key].others.append(permission)
    return sorted(groups.values(), key=lambda group: group.verbose_name)


# --- effective access --------------------------------------------------------------------------


@dataclass
class PermissionAccess:
    codename: str
    label: str
    everywhere: bool
    units: list


@dataclass
class ModuleAccess:
    app_label: str
    verbose_name: str
    permissions: list[PermissionAccess]


def effective_access(user: User, viewer=None) -> list[ModuleAccess]:
    """For each permission the user holds, the units where it holds, grouped by module. With
    ``viewer``: only the units whose role assignments the viewer reads (the user's page hides
    the roles held over other units; their effect is hidden here too)."""
    from biys.org.models import Unit

    scope = build_scope(user)
    if not scope.perms and not scope.is_superuser:
        return []
    shown = ALL if viewer is None else get_scope(viewer).units_for("accounts.view_roleassignment")
    units_by_id = Unit.objects.in_bulk()
    codenames = None if scope.is_superuser else scope.perms
    permissions = Permission.objects.select_related("content_type").order_by(
        "content_type__app_label", "content_type__model", "codename"
    )
    modules: dict[str, ModuleAccess] = {}
    for permission in permissions:
        codename = f"{permission.content_type.app_label}.{permission.codename}"
        if codenames is not None and codename not in codenames:
            continue
        unit_ids = scope.units_for(codename)
        if shown is not ALL:
            unit_ids = shown if unit_ids is ALL else unit_ids & shown
            if not unit_ids:
                continue
        everywhere = unit_ids is ALL
        units = (
            []
            if everywhere
            else sorted(
                (units_by_id[pk] for pk in unit_ids if pk in units_by_id),
                key=lambda unit: unit.path,
            )
        )
        label = app_verbose_name(permission.content_type.app_label)
        module = modules.setdefault(
            permission.content_type.app_label,
            ModuleAccess(permission.content_type.app_label, label, []),
        )
        module.permissions.append(
            PermissionAccess(codename, permission_label(permission), everywhere, units)
        )
    return sorted(modules.values(), key=lambda module: module.verbose_name)


def access_summary(user: User) -> dict:
    """A compact description of the user's access for the API's ``me`` endpoint."""
    scope = build_scope(user)
    if scope.is_superuser:
        return {"superuser": True, "permissions": {}}
    return {
        "superuser": False,
        "permissions": {
            perm: None if scope.units_for(perm) is ALL else sorted(scope.units_for(perm))
            for perm in sorted(scope.perms)
        },
    }


# Who manages a unit is asked at every filing and reminder: kept by the process while no login,
# position or unit changes (a login's time changes at every sign-in and is ignored).
MANAGER_GENERATION = "unit_managers"
_managers = GenerationCache(MANAGER_GENERATION)


def _manager_relations():
    person = User._meta.get_field("person")
    positions = person.related_model._meta.get_field("positions")
    managed = positions.related_model._meta.get_field("managed_units")
    return positions, managed


def manager_tables() -> tuple[list[str], dict[str, list[str]]]:
    """The tables ``unit_manager_user`` reads, and the user's column it ignores."""
    positions, managed = _manager_relations()
    tables = [
        User._meta.db_table,
        positions.related_model._meta.db_table,
        managed.related_model._meta.db_table,
    ]
    return tables, {User._meta.db_table: [User._meta.get_field("last_login").column]}


def unit_manager_user(unit):
    """The login of whoever holds the unit's manager position, walking up to the nearest
    ancestor with one (a section without a chief answers to its branch manager). The service
    desk escalates and the applications remind through it."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part] or [unit.pk]
    by_unit = _managers.get(tuple(ids), lambda: _managers_of(ids))
    for unit_id in reversed(ids):
        if unit_id in by_unit:
            return copy.copy(by_unit[unit_id])  # a caller may set attributes on it
    return None


def _managers_of(ids: list[int]) -> dict:
    # The active logins holding the manager position of the unit or an ancestor, each with the
    # unit it manages: one query for the users alone, not every unit and position on the way.
    # Written out: the ORM's query building cost more than the query.
    # The tables are reached through the user's relations (accounts does not import org).
    positions, managed = _manager_relations()
    person = User._meta.get_field("person")
    marks = ", ".join(["%s"] * len(ids))
    managers = User.objects.raw(
        f"SELECT u.*, m.id AS managed_unit FROM {User._meta.db_table} u "
        f"JOIN {positions.related_model._meta.db_table} pos "
        f"ON pos.{positions.field.column} = u.{person.column} "
        f"JOIN {managed.related_model._meta.db_table} m ON m.{managed.field.column} = pos.id "
        f"WHERE u.is_active AND m.id IN ({marks})",
        ids,
    )
    return {user.managed_unit: user for user in managers}
