"""``biys inventory load-codes [FILE]``: load the Taşınır Kod Listesi (or the shipped IT subset
without FILE). Prints JSON; nothing is imported unless every row is valid (exit status 1 with
the rows' errors).

``biys inventory ingest FILE``: read one agent inventory (GLPI Agent JSON or FusionInventory
XML, compressed or not) exactly as the agent endpoint does; print as JSON the asset or device it
matched or created and how, or the schema's error (exit status 1, nothing written).

``biys inventory import FILE [--format biys|glpi|snipeit] [--unit UNIT] [--default-code CODE]
[--dry-run]``: import an asset register (BİYS CSV or .xlsx, GLPI's computer export, Snipe-IT's
asset export; the format is recognised when left out) onto the unit's register (id or exact
name; the top unit when left out), all rows or none. Prints JSON: the counts, or every bad row
with its errors per column (exit status 1, nothing written). ``--dry-run`` only checks."""

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
        load_register = jobs.add_parser(
            "import", help="Import an asset register (BİYS CSV/Excel, GLPI or Snipe-IT export)."
        )
        load_register.add_argument("file")
        load_register.add_argument(
            "--format", choices=("biys", "glpi", "snipeit"), help="recognised when left out"
        )
        load_register.add_argument("--unit", help="the unit whose register: id or exact name")
        load_register.add_argument(
            "--default-code", help="the property code of models not yet in BİYS"
        )
        load_register.add_argument("--dry-run", action="store_true", help="check only")

    def handle(self, *args, job, **options):
        if job == "ingest":
            return self._ingest(options["file"])
        if job == "import":
            return self._import(**options)
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

    def _unit(self, unit):
        from biys.org.models import Unit

        if unit:
            found = (
                Unit.objects.filter(pk=int(unit)).first()
                if unit.isdigit()
                else Unit.objects.filter(name=unit).first()
            )
        else:
            found = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        if found is None:
            raise CommandError(f"no such unit: {unit or '(top unit)'}")
        return found

    def _import(self, file, format=None, unit=None, default_code=None, dry_run=False, **options):
        from biys.inventory import import_services, importing
        from biys.inventory.models import TasinirCode

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        register = self._unit(unit)
        code = None
        if default_code:
            code = TasinirCode.objects.filter(code=default_code, is_active=True).first()
            if code is None:
                raise CommandError(f"no such property code: {default_code}")
        result = {"file": file, "unit": register.name, "imported": False}
        try:
            table = importing.read_file(path.read_bytes(), filename=path.name, format=format)
        except ValidationError as error:
            self.stdout.write(json.dumps({**result, "errors": error.messages}, ensure_ascii=False))
            raise CommandError("the file was refused: nothing was imported") from error
        result.update(format=table.format, rows=len(table.rows))
        with change_context(user_name="biys inventory import"):
            try:
                if dry_run:
                    checked = import_services.check_import(
                        unit=register, rows=table.rows, default_code=code
                    )
                    if not checked.ok:
                        raise import_services.ImportRefused(checked.rows)
                    result["valid"] = True
                else:
                    report = import_services.import_rows(
                        unit=register, rows=table.rows, default_code=code
                    )
                    result.update(valid=True, imported=True, **report.as_dict())
            except import_services.ImportRefused as refused:
                result.update(
                    valid=False,
                    errors=[{"row": row.line, "errors": row.errors} for row in refused.bad_rows],
                )
                self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
                raise CommandError(
                    f"{len(refused.bad_rows)} invalid rows: nothing was imported"
                ) from refused
        self.stdout.write(json.dumps(result, ensure_ascii=False))
