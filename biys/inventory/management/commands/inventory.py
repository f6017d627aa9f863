"""``biys inventory load-codes [FILE]``: load the Taşınır Kod Listesi (or the shipped IT subset
without FILE). Prints JSON; nothing is imported unless every row is valid (exit status 1 with
the rows' errors)."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from biys.core.context import change_context


class Command(BaseCommand):
    help = "Inventory and custody: load the taşınır code list."

    def add_arguments(self, parser):
        jobs = parser.add_subparsers(dest="job", required=True)
        load = jobs.add_parser(
            "load-codes", help="Load a code list (code;name per line); the IT subset without FILE."
        )
        load.add_argument("file", nargs="?", help="a CSV file (default: the shipped IT subset)")

    def handle(self, *args, job, **options):
        from biys.inventory import codes

        path = Path(options["file"]) if options.get("file") else codes.DEFAULT_FILE
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        with change_context(user_name="biys inventory load-codes"):
            try:
                report = codes.load_codes(path.read_bytes())
            except ValidationError as error:
                self.stdout.write(
                    json.dumps(
                        {"file": str(path), "errors": error.messages}, ensure_ascii=False, indent=2
                    )
                )
                raise CommandError(
                    f"{len(error.messages)} invalid rows: nothing was imported"
                ) from error
        self.stdout.write(json.dumps({"file": str(path), **report.as_dict()}, ensure_ascii=False))
