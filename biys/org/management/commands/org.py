import json

from django.core.management.base import BaseCommand
from django.db.models import Count

from biys.org.models import Unit


def tree_order(units) -> list[Unit]:
    """Depth first, siblings by their order and Turkish alphabetical name."""
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[Unit] = []

    def visit(parent_id):
        for unit in sorted(children.get(parent_id, []), key=lambda u: (u.order, u.sort_name)):
            ordered.append(unit)
            visit(unit.pk)

    visit(None)
    return ordered


class Command(BaseCommand):
    help = "The organisation: `org tree [--json]` prints the units tree."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        tree = sub.add_parser("tree", help="print the units tree")
        tree.add_argument("--json", action="store_true", help="a JSON list of units")

    def handle(self, *args, **options):
        units = list(
            Unit.objects.select_related("parent")
            .annotate(duty_count=Count("duties"))
            .order_by("path")
        )
        if options["json"]:
            rows = [
                {
                    "name": unit.name,
                    "kind": unit.kind,
                    "parent": unit.parent.name if unit.parent else None,
                    "duties": unit.duty_count,
                    "it_department": unit.is_it_department,
                }
                for unit in units
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for unit in units:
            marker = "*" if unit.is_it_department else " "
            self.stdout.write(
                f"{marker} {'  ' * unit.depth}{unit.name} [{unit.get_kind_display()}] "
                f"({unit.duty_count})"
            )
