from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from biys.accounts.directory import sync_users


class Command(BaseCommand):
    help = (
        "Create and update users from LDAP / Active Directory and deactivate directory users "
        "that were removed or disabled there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        if not settings.BIYS_LDAP.get("SERVER_URI"):
            raise CommandError("BIYS_LDAP_SERVER_URI is not set.")
        report = sync_users(dry_run=dry_run)
        prefix = "[dry run] " if dry_run else ""
        self.stdout.write(
            f"{prefix}created {len(report.created)}, updated {len(report.updated)}, "
            f"deactivated {len(report.deactivated)}"
        )
        for username in report.deactivated:
            self.stdout.write(f"  deactivated: {username}")
