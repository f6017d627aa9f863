"""The access policy, as core sees it: who may see or change what.

Core sits at the bottom of the layers and knows nothing of roles or units. The policy is plugged
in through the ``BIYS_ACCESS_POLICY`` setting (a module path, ``biys.accounts.scope`` by default),
the way Django plugs in authentication backends. The module provides ``get_scope(user)``,
``restrict_queryset(queryset, user, action)``, ``can(user, action, obj)``,
``viewable(user, objects)``, ``can_add(user, model, unit_id)`` and the ``ALL`` marker; core calls
them through the functions below and never imports the implementation.
"""

from functools import cache
from importlib import import_module

from django.conf import settings
from django.core.exceptions import PermissionDenied


@cache
def policy():
    return import_module(getattr(settings, "BIYS_ACCESS_POLICY", "biys.accounts.scope"))


def get_scope(user):
    return policy().get_scope(user)


def restrict_queryset(queryset, user, action: str = "view"):
    return policy().restrict_queryset(queryset, user, action)


def can(user, action: str, obj) -> bool:
    return policy().can(user, action, obj)


def viewable(user, objects) -> set[tuple]:
    """``(type(obj), obj.pk)`` of those ``objects`` the user may view (``can(user, "view",
    obj)`` for each), in at most one query for them all."""
    return policy().viewable(user, objects)


def can_add(user, model, *unit_id) -> bool:
    """``can_add(user, model)``: may add one somewhere (the add page); ``can_add(user, model,
    unit_id)``: in that unit, ``None`` meaning a record of no unit (the whole municipality)."""
    return policy().can_add(user, model, *unit_id)


def holds_everywhere(scope, perm: str) -> bool:
    """Does the scope hold ``perm`` with no unit restriction?"""
    return scope.units_for(perm) is policy().ALL


def perm_name(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def check_save(user, instance, unit_id, *, system: bool = True, moves: bool = True) -> None:
    """The permission check of a service saving ``instance`` for the unit ``unit_id``: adding
    needs the add permission over that unit; changing, the change permission over the stored
    object and, when it moves to another unit (its owner unit, by the model's ``scope_path``),
    the add permission over the new one. Raises ``PermissionDenied``.

    ``system``: ``user`` None is the system (the demo, a task) and passes; ``moves=False``
    leaves out the check of a move."""
    if user is None and system:
        return
    model = type(instance)
    if instance.pk is None:
        if not can_add(user, model, unit_id):
            raise PermissionDenied
        return
    stored = model.objects.get(pk=instance.pk)
    if not can(user, "change", stored):
        raise PermissionDenied
    if not moves:
        return
    from biys.core.changelog import owner_unit_id

    if owner_unit_id(stored) != unit_id and not can_add(user, model, unit_id):
        raise PermissionDenied
