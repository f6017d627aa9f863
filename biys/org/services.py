from django.db import transaction

from biys.org.models import Unit


def _expected_path(unit: Unit) -> str:
    parent_path = (
        Unit.objects.values_list("path", flat=True).get(pk=unit.parent_id)
        if unit.parent_id
        else "/"
    )
    return f"{parent_path}{unit.pk}/"


@transaction.atomic
def refresh_unit_paths(unit: Unit) -> None:
    """Keep the materialised path of a unit and its whole subtree in step with ``parent``."""
    new_path = _expected_path(unit)
    old_path = unit.path
    if new_path == old_path:
        return
    if unit.parent_id and new_path.startswith(old_path or "\0"):
        raise ValueError("A unit cannot be moved under its own subtree.")
    depth = new_path.count("/") - 2
    Unit.objects.filter(pk=unit.pk).update(path=new_path, depth=depth)
    unit.path, unit.depth = new_path, depth
    if old_path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            moved = new_path + child.path[len(old_path) :]
            Unit.objects.filter(pk=child.pk).update(path=moved, depth=moved.count("/") - 2)
