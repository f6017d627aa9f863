"""``biys inventory load-codes [FILE]``: load the Taşınır Kod Listesi (or the shipped IT subset
without FILE). Prints JSON; nothing is imported unless every row is valid (exit status 1 with
the rows' errors).

``biys inventory ingest FILE``: read one agent inventory (GLPI Agent JSON or FusionInventory
XML, compressed or not) exactly as the agent endpoint does; print as JSON the asset or device it
matched or created and how, or the schema's error (exit status 1, nothing written)."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from biys.core.context import change_context


class Command(BaseCommand):
    help = "Inventory and custody: load the taşınır code list; ingest an agent inventory."

    def add_arguments(self, parser):
        jobs = parser.add_subparsers(dest="job", required=True)
        load = jobs.add_parser(
            "load-codes", help="Load a code list (code;name per line); the IT subset without FILE."
        )
        load.add_argument("file", nargs="?", help="a CSV file (default: the shipped IT subset)")
        ingest = jobs.add_parser(
            "ingest", help="Read one agent inventory (GLPI Agent JSON or FusionInventory XML)."
        )
        ingest.add_argument("file", help="the inventory file ('-' for standard input)")

    def handle(self, *args, job, **options):
        if job == "ingest":
            return self._ingest(options["file"])
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

    def _ingest(self, name: str) -> None:
        import sys

        from biys.inventory import agent_services
        from biys.inventory.agent_formats import InventoryRefused

        if name == "-":
            body = sys.stdin.buffer.read()
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
            body = path.read_bytes()
        try:
            with change_context(user_name="biys inventory ingest"):
                result = agent_services.ingest(body=body)
        except InventoryRefused as refused:
            self.stdout.write(
                json.dumps({"file": name, "refused": True, **refused.as_dict()}, ensure_ascii=False)
            )
            raise CommandError(f"inventory refused: {refused.message}") from refused
        self.stdout.write(
            json.dumps({"file": name, "refused": False, **result.as_dict()}, ensure_ascii=False)
        )
