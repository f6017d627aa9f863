from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from biys.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, uploaded files, the audit key and checkpoints into DEST."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="a new (or empty) directory")

    def handle(self, *args, **options):
        try:
            manifest = backup(options["destination"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {options['destination']}: {manifest['database']},"
                f" {manifest['media_files']} uploaded files, audit key: {manifest['audit_key']},"
                f" {manifest['checkpoints']} checkpoints."
            )
        )
