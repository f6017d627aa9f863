"""What a user may see and change, resolved once per request and applied to every queryset.

A permission is Django's ``app_label.action_model`` codename. A user holds it over the units of
their role assignments (with sub-units where the assignment says so). Superusers hold everything.
Models marked ``visible_to_all_staff`` may be viewed by every signed-in user: the organisation
chart and the regulation are the municipality's common knowledge.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists

from biys.core.generations import GenerationCache

ALL = None  # marker: no unit restriction


class _Somewhere:
    def __repr__(self) -> str:
        return "SOMEWHERE"


# The default of ``has_perm``/``can_add``: held over any unit at all (a menu entry, an add page).
SOMEWHERE = _Somewhere()


@dataclass
class AccessScope:
    user_id: int | None
    is_superuser: bool = False
    # permission codename -> unit ids where it is held
    unit_ids_by_perm: dict[str, frozenset[int]] = field(default_factory=dict)
    global_perms: frozenset[str] = frozenset()
    # a role the user holds requires two-factor authentication
    requires_two_factor: bool = False

    def units_for(self, perm: str) -> frozenset[int] | None:
        """Unit ids where ``perm`` holds; ``ALL`` when it holds everywhere."""
        if self.is_superuser or perm in self.global_perms:
            return ALL
        return self.unit_ids_by_perm.get(perm, frozenset())

    def has_perm(self, perm: str, unit_id=SOMEWHERE) -> bool:
        """Is ``perm`` held over ``unit_id``? ``None`` stands for a record that belongs to no
        unit (a regulation, a title, a declared day off): that needs the permission over the
        whole municipality. Without ``unit_id``: held over any unit at all."""
        units = self.units_for(perm)
        if units is ALL:
            return True
        if unit_id is SOMEWHERE:
            return bool(units)
        if unit_id is None:
            return False
        return unit_id in units

    @property
    def perms(self) -> set[str]:
        return set(self.unit_ids_by_perm) | set(self.global_perms)


ANONYMOUS = AccessScope(user_id=None)


def build_scope(user) -> AccessScope:
    from biys.accounts.models import RoleAssignment
    from biys.org.models import Unit

    if not user or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    if user.is_superuser:
        two_factor = RoleAssignment.objects.filter(user=user, role__requires_two_factor=True)
        return AccessScope(
            user_id=user.pk, is_superuser=True, requires_two_factor=two_factor.exists()
        )
    # One row per (assignment, permission of its role): one query rather than the assignments,
    # their roles, the roles' permissions and those permissions' content types apart.
    rows = (
        RoleAssignment.objects.filter(user=user)
        .order_by()
        .values_list(
            "pk",
            "unit_id",
            "unit__path",
            "include_subtree",
            "role__requires_two_factor",
            "role__permissions__content_type__app_label",
            "role__permissions__codename",
        )
    )
    assignments: dict[int, tuple] = {}
    requires_two_factor = False
    for pk, unit_id, path, include_subtree, two_factor, app_label, codename in rows:
        _, _, perms = assignments.setdefault(pk, (unit_id, path if include_subtree else None, []))
        requires_two_factor = requires_two_factor or two_factor
        if codename is not None:
            perms.append(f"{app_label}.{codename}")
    if not assignments:
        return AccessScope(user_id=user.pk)
    unit_paths = dict(Unit.objects.order_by().values_list("id", "path"))
    all_unit_ids = frozenset(unit_paths)
    # The permissions of one assignment share one set of units (an administrator's role holds
    # hundreds of permissions over the same subtree): no copy per permission.
    by_perm: dict[str, frozenset[int]] = {}
    for unit_id, prefix, perms in assignments.values():
        if prefix is not None:
            covered = frozenset(pk for pk, path in unit_paths.items() if path.startswith(prefix))
        else:
            covered = frozenset((unit_id,))
        for perm in perms:
            held = by_perm.get(perm)
            if held is None:
                by_perm[perm] = covered
            elif not covered <= held:
                by_perm[perm] = held | covered
    everywhere: dict[int, bool] = {}
    for units in by_perm.values():
        if id(units) not in everywhere:
            everywhere[id(units)] = units >= all_unit_ids
    global_perms = frozenset(perm for perm, units in by_perm.items() if everywhere[id(units)])
    return AccessScope(
        user_id=user.pk,
        unit_ids_by_perm=by_perm,
        global_perms=global_perms,
        requires_two_factor=requires_two_factor,
    )


# The tables a scope is built from: a write to any of them makes every process build the
# scopes again (``biys.core.generations``; registered by ``AccountsConfig.ready``).
ACCESS_GENERATION = "access"
_scopes = GenerationCache(ACCESS_GENERATION)


def access_tables() -> list[str]:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from biys.accounts.models import Role, RoleAssignment
    from biys.org.models import Unit

    models = (RoleAssignment, Role, Role.permissions.through, Unit, Permission, ContentType)
    return [model._meta.db_table for model in models]


def get_scope(user) -> AccessScope:
    """The user's scope, computed at most once per user object (i.e. once per request) and
    kept by the process while no role, assignment, permission or unit changes."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    scope = getattr(user, "_biys_scope", None)
    if scope is None:
        key = _scope_key(user)
        scope = user._biys_scope = _scopes.get(
            key, lambda: build_scope(user), using=user._state.db or "default"
        )
    return scope


def _scope_key(user) -> tuple:
    """What a user's scope is built from besides the watched tables."""
    return (user.pk, user.is_superuser, user.is_active)


def scope_version(user) -> tuple | None:
    """Names the user's scope as it stands: equal for two requests exactly when the scope is
    the same (the user, and the generation of the tables it is built from); ``None`` where the
    database keeps no generation, and nothing may then be kept by it."""
    from biys.core import generations

    generation = generations.current(ACCESS_GENERATION, user._state.db or "default")
    return None if generation is None else (generation, *_scope_key(user))


def forget_scope(user) -> None:
    if hasattr(user, "_biys_scope"):
        del user._biys_scope


def perm_name(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def restrict_queryset(queryset, user, action: str = "view"):
    model = queryset.model
    if user is None or not user.is_authenticated:
        return queryset.none()
    if action == "view" and getattr(model, "visible_to_all_staff", False):
        return queryset
    scope = get_scope(user)
    units = scope.units_for(perm_name(model, action))
    if units is ALL:
        return queryset
    scope_path = getattr(model, "scope_path", None)
    if not units or not scope_path:
        return queryset.none()
    lookup = "pk__in" if scope_path == "pk" else f"{scope_path}__in"
    return queryset.filter(**{lookup: units})


def _has_own_restrict(queryset) -> bool:
    from biys.core.querysets import RestrictedQuerySet

    own = getattr(type(queryset), "restrict", None)
    return own is not None and own is not RestrictedQuerySet.restrict


def can(user, action: str, obj) -> bool:
    """May ``user`` perform ``action`` (view, change, delete) on ``obj``?"""
    from biys.core.changelog import owner_unit_id

    if user is None or not user.is_authenticated:
        return False
    model = type(obj)
    if action == "view" and getattr(model, "visible_to_all_staff", False):
        return True
    queryset = model._default_manager.get_queryset()
    if _has_own_restrict(queryset):
        # The model knows better (a ticket is also visible to its requester): ask it.
        return queryset.restrict(user, action).filter(pk=obj.pk).exists()
    scope = get_scope(user)
    perm = perm_name(model, action)
    if scope.units_for(perm) is ALL:
        return True
    return scope.has_perm(perm, owner_unit_id(obj)) if getattr(model, "scope_path", None) else False


def viewable(user, objects) -> set[tuple]:
    """``(type(obj), obj.pk)`` of those ``objects`` (``None`` ignored) that ``user`` may view,
    as ``can(user, "view", obj)`` answers for each: the ones ``can`` answers from the scope
    alone are answered so, and those it would ask the database about (a model with its own
    ``restrict``, an owner unit read through an object not loaded) are asked together, in one
    query: a page linking its related objects for the reader pays one query, not one a link."""
    if user is None or not user.is_authenticated:
        return set()
    shown, asked = set(), {}
    for obj in objects:
        if obj is None or obj.pk is None:
            continue
        key = (type(obj), obj.pk)
        if key in shown or key in asked.values():
            continue
        if _asks_database(user, obj):
            asked[f"viewable_{len(asked)}"] = key
        elif can(user, "view", obj):
            shown.add(key)
    questions = {}
    for name, (model, pk) in asked.items():
        queryset = _viewing(model, user).filter(pk=pk)
        if not queryset.query.is_empty():
            questions[name] = Exists(queryset)
    if questions:  # asked on the reader's own row, which exists
        row = get_user_model()._base_manager.filter(pk=user.pk).values(**questions).first() or {}
        shown.update(key for name, key in asked.items() if row.get(name))
    return shown


def _viewing(model, user):
    """The ``model`` objects ``user`` may view, as ``can`` decides it."""
    queryset = model._default_manager.get_queryset()
    if _has_own_restrict(queryset):
        return queryset.restrict(user, "view")
    return restrict_queryset(queryset, user, "view")


def _asks_database(user, obj) -> bool:
    """Would ``can(user, "view", obj)`` run a query?"""
    model = type(obj)
    if getattr(model, "visible_to_all_staff", False):
        return False
    if _has_own_restrict(model._default_manager.get_queryset()):
        return True
    path = getattr(model, "scope_path", None)
    if not path or "__" not in path:
        return False
    if get_scope(user).units_for(perm_name(model, "view")) is ALL:
        return False
    target = obj  # the owner unit is read through related objects: free when they are loaded
    for part in path.split("__")[:-1]:
        if not type(target)._meta.get_field(part).is_cached(target):
            return True
        target = getattr(target, part)
        if target is None:
            return False
    return False


def can_add(user, model, unit_id=SOMEWHERE) -> bool:
    """May ``user`` add a ``model`` record in ``unit_id``? ``None``: a record of no unit, which
    needs the permission over the whole municipality. Without ``unit_id`` (the add page and its
    button): anywhere, except for models owned by no unit, where it is the whole municipality."""
    if user is None or not user.is_authenticated:
        return False
    if unit_id is SOMEWHERE and not getattr(model, "scope_path", None):
        unit_id = None
    return get_scope(user).has_perm(perm_name(model, "add"), unit_id)
