"""Where a record may be put: the one placement rule the UI edit, the bulk edit and the API all
apply, after the save and inside its transaction (so the record is judged where it landed).

A record is placed in the unit it belongs to (``scope_path``); a unit is placed under its parent.
Putting it there needs the action's permission over that unit; a record of no unit (a title)
and a unit at the root need it over the whole municipality.
"""

from biys.core.access import get_scope, holds_everywhere, perm_name
from biys.core.changelog import owner_unit_id


def placement_of(instance):
    """The unit id the record is placed in (a unit: its parent); ``None`` for none."""
    scope_path = getattr(type(instance), "scope_path", None)
    if scope_path == "pk":
        return instance.parent_id
    return owner_unit_id(instance) if scope_path else None


def may_place(user, instance, action: str = "change", *, perm: str | None = None) -> bool:
    """May ``user`` put ``instance`` where it is? ``perm`` names the permission when it is not the
    model's own ``action`` permission (drafting units from a regulation needs the import one)."""
    model = type(instance)
    scope = get_scope(user)
    perm = perm or perm_name(model, action)
    if not getattr(model, "scope_path", None):
        return scope.has_perm(perm, None)
    unit_id = placement_of(instance)
    if unit_id is None:
        return holds_everywhere(scope, perm)
    return scope.has_perm(perm, unit_id)
