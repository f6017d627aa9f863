from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from biys.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `biys backup` into an empty database, then verify the change"
        " log against the restored checkpoints."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="a directory written by `biys backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore over a database that is not empty and replace a different audit key",
        )

    def handle(self, *args, **options):
        try:
            manifest = restore(options["source"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the backup of {manifest['created']}.")
        call_command("audit", "verify", stdout=self.stdout)
