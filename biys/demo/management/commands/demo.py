from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from biys.demo.builder import DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = (
        "Load a department preset and realistic Turkish demo data (people, users for every role)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--preset", default="ankara-bb", help="preset slug (biys preset list)")
        parser.add_argument("--reset", action="store_true", help="empty the database first")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when an organisation already exists"
        )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        from biys.org.models import Unit

        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        elif Unit.objects.exists():
            if options["if_empty"]:
                self.stdout.write(
                    "The database already holds an organisation; demo data not loaded."
                )
                self._print_logins()
                return
            raise CommandError(
                "The database already holds an organisation; use --reset to replace it."
            )
        result = build_demo(preset=options["preset"], seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready: preset {result.preset}, {result.people} people.")
        )
        self._print_logins()

    def _print_logins(self):
        from biys.accounts.models import RoleAssignment

        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        seen = set()
        for assignment in RoleAssignment.objects.select_related("user", "role", "unit").order_by(
            "user_id"
        ):
            if assignment.user_id in seen or not assignment.user.has_usable_password():
                continue
            seen.add(assignment.user_id)
            self.stdout.write(
                f"  {assignment.user.username:<15} {assignment.role.slug:<16} {assignment.unit.name}"
            )
